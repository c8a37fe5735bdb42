fuzz_fdt_info_SRCS := policy/fdt_info.c
