#!/bin/sh
# Crash this VM's kernel on purpose (sysrq 'c'): with panic=-1 it resets
# at once (PSCI SYSTEM_RESET), which reboots this VM with its TEE reset.
# The other VMs and their TEEs must not notice. On the next boot
# (vtz.boot=2) it only says so and lets /init power the VM off.
for w in $(cat /proc/cmdline); do
	case "$w" in vtz.boot=*) boot=${w#vtz.boot=} ;; esac
done
if [ "${boot:-1}" != 1 ]; then
	echo "crash: boot $boot, after the crash"
	exit 0
fi
echo "crash: crashing this kernel (sysrq c)"
echo c >/proc/sysrq-trigger
