#!/bin/sh
# FP/SIMD registers survive vCPU switches: two checkers at once (one per
# vCPU), each filling all 32 vector registers and checking them while the
# hypervisor moves vCPUs of both VMs across the CPUs.
# usage: fpcheck.sh [ROUNDS]
set -eu
r=${1:-1000}
vtz-fpcheck 1 "$r" &
a=$!
vtz-fpcheck 2 "$r" &
b=$!
ok=0
wait $a || ok=1
wait $b || ok=1
[ $ok -eq 0 ] && echo "fpcheck: ok" || { echo "fpcheck: FAILED"; exit 1; }
