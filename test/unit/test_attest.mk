test_attest_SRCS := policy/attest.c
