test_smccc_arch_SRCS := policy/smccc_arch.c
