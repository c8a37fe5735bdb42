#!/bin/sh
# Calls under load: N echo-TA calls from each of two processes at once,
# so both vCPUs call their own TEE vCPUs while the hypervisor's tick
# preempts them and moves vCPUs between CPUs; then the secure store still
# holds what was put before.
# usage: load.sh [N]
set -eu
n=${1:-2000}
vtz-client loop "$n" &
a=$!
vtz-client loop "$n" &
b=$!
ok=0
wait $a || ok=1
wait $b || ok=1
if [ $ok -ne 0 ]; then
	echo "load: FAILED"
	exit 1
fi
echo "load: ok (2 x $n calls)"
