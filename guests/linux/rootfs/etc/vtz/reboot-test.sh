#!/bin/sh
# A VM reset (PSCI SYSTEM_RESET) reboots the VM and resets its TEE:
# boot 1 stores an item and reboots; boot 2 finds the TEE fresh (the
# item gone with the Linux that stored it) and working, and powers off.
# vtz.boot=N on the kernel command line says which boot this is.
set -u
boot=1
for w in $(cat /proc/cmdline); do
	case "$w" in vtz.boot=*) boot=${w#vtz.boot=} ;; esac
done
if [ "$boot" = 1 ]; then
	vtz-client put before-reset "from boot 1"
	vtz-client get before-reset
	echo "reboot-test: boot 1: rebooting"
	reboot -f
	sleep 10
fi
echo "reboot-test: boot $boot"
if vtz-client get before-reset; then
	echo "reboot-test: FAILED: the TEE kept boot 1's item"
	exit 1
fi
vtz-client ping && echo "reboot-test: ok (TEE reset, and working)"
