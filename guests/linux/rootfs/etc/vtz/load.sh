#!/bin/sh
# Calls under load: N echo-TA calls from each of two processes at once,
# so both vCPUs call their own TEE vCPUs while the hypervisor's tick
# preempts them and moves vCPUs between CPUs; then the secure store still
# holds what was put before.
# With a UUID, each process opens and closes N sessions to that TA instead
# (any TEE's, e.g. OP-TEE's test pseudo TA).
# usage: load.sh [N [UUID]]
set -eu
n=${1:-2000}
if [ $# -ge 2 ]; then
	set -- uuid "$2" "$n"
else
	set -- loop "$n"
fi
vtz-client "$@" &
a=$!
vtz-client "$@" &
b=$!
ok=0
wait $a || ok=1
wait $b || ok=1
if [ $ok -ne 0 ]; then
	echo "load: FAILED"
	exit 1
fi
echo "load: ok (2 x $n calls)"
