test_console_SRCS := lib/console.c lib/fmt.c
