#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs libFuzzer targets built by mk/fuzz.mk; fails if any finds a crash.
#
# usage: test/fuzz/run.sh FUZZ_DIR runs N TARGET...  deterministic: -seed=1,
#                                                     N inputs, fresh corpus
#        test/fuzz/run.sh FUZZ_DIR time S TARGET...  S seconds each, corpus
#                                                     kept in FUZZ_DIR/corpus
# Each target's log is FUZZ_DIR/logs/TARGET.log; a reproducer goes to
# FUZZ_DIR/crashes/TARGET-{crash,leak,timeout,oom}-SHA1.
set -u

dir=$1 mode=$2 amount=$3
shift 3
mkdir -p "$dir/logs" "$dir/crashes"

# Smoke runs must be repeatable: with -seed=1 libFuzzer's choices still
# depend on code and stack addresses (indirect-call and stack-depth
# features), so run without address-space randomisation where we can.
norand=""
if [ "$mode" = runs ] && setarch "$(uname -m)" -R true 2>/dev/null; then
	norand="setarch $(uname -m) -R"
fi

failed=""
for t in "$@"; do
	case $mode in
	runs)
		corpus="$dir/smoke/$t"
		rm -rf "$corpus"
		# -reload=0: never re-read the corpus directory on a timer.
		opts="-runs=$amount -seed=1 -reload=0"
		;;
	time)
		corpus="$dir/corpus/$t"
		opts="-max_total_time=$amount"
		;;
	*)
		echo "run.sh: mode must be runs or time" >&2
		exit 2
		;;
	esac
	mkdir -p "$corpus"
	log="$dir/logs/$t.log"
	# New inputs go to the first directory; the seeds are only read.
	if $norand "$dir/$t" $opts -timeout=25 -rss_limit_mb=2048 \
		-artifact_prefix="$dir/crashes/$t-" \
		"$corpus" "$dir/seeds/$t" >"$log" 2>&1; then
		echo "  fuzz    $t: ok, $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$log" | tail -1)," \
			"$(grep -o 'cov: [0-9]*' "$log" | tail -1)"
	else
		tail -n 40 "$log"
		repro=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
		echo "  fuzz    $t: FAILED (log: $log)"
		if [ -n "$repro" ]; then
			echo "  fuzz    $t: reproducer: $repro"
			echo "  fuzz    $t: re-run with: $dir/$t $repro"
		fi
		failed="$failed $t"
	fi
done
if [ -n "$failed" ]; then
	echo "[fuzz] failed:$failed"
	exit 1
fi
