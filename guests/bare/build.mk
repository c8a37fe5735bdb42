# Two builds of the same test guest: the default one, and one that faults
# on purpose (the system test checks that the fault is reported).
GUEST_COMMON_SRCS := guests/bare/start.S lib/uart_printf.c lib/fmt.c lib/pl011.c lib/string.c

IMAGE_NAMES += guest
guest_SRCS := guests/bare/main.c $(GUEST_COMMON_SRCS)
guest_LDS := guests/bare/guest.lds

IMAGE_NAMES += guest-fault
guest-fault_SRCS := guests/bare/fault.c $(GUEST_COMMON_SRCS)
guest-fault_LDS := guests/bare/guest.lds

IMAGE_NAMES += guest-hang
guest-hang_SRCS := guests/bare/hang.c $(GUEST_COMMON_SRCS)
guest-hang_LDS := guests/bare/guest.lds
