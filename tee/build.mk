IMAGE_NAMES += tee
tee_SRCS := tee/entry.S tee/main.c lib/uart_printf.c lib/fmt.c lib/pl011.c lib/string.c
tee_LDS := tee/tee.lds
