test_tee_gic_SRCS := policy/tee_gic.c
