IMAGE_NAMES += monitor
monitor_SRCS := monitor/entry.S monitor/vectors.S monitor/main.c monitor/psci.c \
	monitor/power.c monitor/scrub.c lib/exc_report.c policy/insn_scan.c $(LIB_SRCS)
monitor_LDS := monitor/monitor.lds
