fuzz_smc_class_SRCS := policy/smc_class.c
