#!/usr/bin/python3
"""Run OP-TEE's test suite (xtest) against unmodified OP-TEE OS in every
home, and compare them (issue 10; docs/xtest.md).

Homes:
  vtz     both Linux VMs of scenario `linux` at once, each with its own
          OP-TEE as its guest TEE (one line per VM: vtz-vm0, vtz-vm1);
  native  the same Linux at NS-EL1 on the monitor, OP-TEE at S-EL1
          (scenario `linux-native`).
Each runs `xtest ARGS` from its /init (the initramfs needs xtest: make
linux-guest XTEST=1). Prints per home

    xtest HOME: T test cases, F failed, S skipped

(scripts/xtest_summary.py), the test cases that failed, and whether every
vTZ home passes what native passes. Exit status: 0 if each home has a
result and no vTZ home fails a test case native passes; 1 otherwise; 2 on
a usage or set-up error.
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vtz_run  # noqa: E402
import xtest_summary  # noqa: E402

# adbg's line for a test case that failed (optee_test host/xtest/adbg), at
# its end ("  regression_2001 FAILED"; a subtest is "regression_2001.2").
FAILED_CASE = re.compile(r"^\s*([A-Za-z_]+_\d+[a-z_]*) FAILED$")


def xtest_run(args):
    """What /init runs: xtest's words, ':'-separated (vtz.run=)."""
    return ":".join(["xtest"] + args)


def home_runs(build, tee, args, homes, timeout, verbose):
    """[(home name, console lines of that home)] and problems."""
    out, problems = [], []
    run = xtest_run(args)
    if "vtz" in homes:
        vms = 2  # vms/linux.dts
        cmd = vtz_run.qemu_command(build, "linux", vm_runs=[run] * vms, tee=tee)
        status, console = vtz_run.run(cmd, timeout, echo=verbose)
        if status != 0:
            problems.append("vtz: the run ended with status %d" % status)
        for i in range(vms):
            out.append(("vtz-vm%d" % i, strip(console, "[vm%d] " % i)))
    if "native" in homes:
        sc = vtz_run.SCENARIOS["linux-native"]
        cmd = vtz_run.qemu_command(build, "linux-native", tee=tee, vm_runs=[run])
        status, console = vtz_run.run(cmd, timeout, echo=verbose,
                                      ns_prefix=vtz_run.scenario_ns_prefix("linux-native"))
        if status != 0:
            problems.append("native: the run ended with status %d" % status)
        out.append(("native", strip(console, sc.get("ns_prefix", vtz_run.NATIVE_NS_PREFIX))))
    return out, problems


def strip(lines, prefix):
    return [l[len(prefix):] for l in lines if l.startswith(prefix)]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build/ciee", help="images of one gate")
    ap.add_argument("--tee", required=True, metavar="IMAGE",
                    help="OP-TEE OS's tee-raw.bin (make optee-os)")
    ap.add_argument("--homes", default="vtz,native", help="comma-separated: vtz, native")
    ap.add_argument("--timeout", type=int, default=3600, help="seconds per home's run")
    ap.add_argument("-v", "--verbose", action="store_true", help="show every console line")
    ap.add_argument("xtest_args", nargs="*", metavar="ARG",
                    help="xtest's arguments (default: none, the whole suite); put them "
                         "after --, e.g. -- -l 15 1001 4001")
    args = ap.parse_args()
    homes = [h for h in args.homes.split(",") if h]
    if not homes or set(homes) - {"vtz", "native"}:
        print("xtest: --homes takes vtz and/or native", file=sys.stderr)
        return 2
    if not os.path.exists(args.tee):
        print("xtest: no OP-TEE OS image at %s (make optee-os)" % args.tee, file=sys.stderr)
        return 2
    try:
        runs, problems = home_runs(args.build, args.tee, args.xtest_args, homes, args.timeout,
                                   args.verbose)
    except (FileNotFoundError, ValueError) as e:
        print("xtest: cannot boot: %s" % e, file=sys.stderr)
        return 2
    failed = {}
    for home, lines in runs:
        result, why = xtest_summary.parse(lines)
        line, _ = xtest_summary.summary(home, result, why)
        print(line)
        if result is None:
            problems.append("%s: no result" % home)
            continue
        failed[home] = sorted({m.group(1) for m in map(FAILED_CASE.match, lines) if m})
        if failed[home]:
            print("xtest %s: failed: %s" % (home, " ".join(failed[home])))
    if "native" in failed:
        for home in failed:
            extra = sorted(set(failed[home]) - set(failed["native"]))
            if home != "native" and extra:
                problems.append("%s fails what native passes: %s" % (home, " ".join(extra)))
    if problems:
        print("xtest: NOT as native: " + "; ".join(problems))
        return 1
    print("xtest: every home passes what native passes" if "native" in failed and len(failed) > 1
          else "xtest: every home has a result")
    return 0


if __name__ == "__main__":
    sys.exit(main())
