fuzz_ownership_SRCS := policy/ownership.c
