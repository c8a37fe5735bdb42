fuzz_pgtable_SRCS := policy/pgtable.c arch/fake/fake_mem.c
