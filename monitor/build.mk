IMAGE_NAMES += monitor
monitor_SRCS := monitor/entry.S monitor/vectors.S monitor/main.c monitor/psci.c \
	monitor/power.c monitor/scrub.c lib/exc_report.c policy/insn_scan.c $(LIB_SRCS)
monitor_LDS := monitor/monitor.lds

# GATE=el3: the monitor also serves secure memory mapping (the CIEE's SMM
# code, see monitor/smm_el3.c); the CIEE keeps world switching.
ifeq ($(GATE),el3)
monitor_SRCS += monitor/smm_el3.c policy/pgtable.c policy/ownership.c
endif
