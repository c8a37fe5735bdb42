#!/bin/sh
# Calls under load for as long as somebody else needs them: rounds of
# load.sh (N calls from each of two processes) until a line arrives on the
# console, then the secure store is checked as after any load. The attack
# suite's hypervisor types that line into the VM's console once its
# attacks are over (hyp/attack/attacks.c, linux_guests_finish()), so the
# guests' TEE calls are in flight during every attack however fast or slow
# the machine is. At most MAX rounds (the hypervisor's own deadline is the
# other bound).
# With a UUID, each round is load.sh's sessions to that TA (any TEE's).
# usage: load-until-told.sh [N [MAX [UUID]]]
set -eu
n=${1:-1000}
max=${2:-500}
uuid=${3:-}
told=/tmp/vtz-told
rm -f "$told"
# From the console itself: a background job's standard input is /dev/null.
(read -r line </dev/console && echo "$line" >"$told") &
reader=$!
rounds=0
# The attack suite's hypervisor starts its attacks on this line.
echo "load-until-told: started"
while [ ! -e "$told" ] && [ "$rounds" -lt "$max" ]; do
	/etc/vtz/load.sh "$n" $uuid >/dev/null || { echo "load-until-told: FAILED in round $((rounds + 1))"; exit 1; }
	rounds=$((rounds + 1))
done
if [ ! -e "$told" ]; then
	kill "$reader" 2>/dev/null || true
	echo "load-until-told: not told to stop after $max rounds"
	exit 1
fi
what=calls
[ -z "$uuid" ] || what="sessions"
echo "load-until-told: ok ($rounds rounds of 2 x $n $what; told: $(cat "$told"))"
