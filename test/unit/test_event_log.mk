test_event_log_SRCS := policy/event_log.c
