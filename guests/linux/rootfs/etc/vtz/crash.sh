#!/bin/sh
# Crash this VM's kernel on purpose (sysrq 'c'): with panic=-1 it restarts
# at once, which the hypervisor takes as this VM's end. The other VMs and
# their TEEs must not notice.
echo "crash: crashing this kernel (sysrq c)"
echo c >/proc/sysrq-trigger
