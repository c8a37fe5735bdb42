fuzz_insn_scan_SRCS := policy/insn_scan.c
