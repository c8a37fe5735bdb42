test_ownership_SRCS := policy/ownership.c
