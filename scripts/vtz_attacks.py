#!/usr/bin/python3
"""Run the attack suite and judge it.

1. Boots the 'attacks' scenario: the hypervisor with attack hooks tries each
   attack from hypervisor code and prints `attack NAME: blocked (...)` or
   `attack NAME: SUCCEEDED (...)`; one attack spans a SYSTEM_RESET.
2. Boots every hypervisor image that contains a forbidden instruction; the
   monitor must refuse each one before it runs.

With --with-linux, step 1 boots 'attacks-linux' instead: the same attacks
from cpu0 while two Linux VMs (2 vCPUs each, each with its own TEE) run a
libteec workload on cpu4. They must finish it correctly and power off
before the reset attack (printed as `linux guests: ok (...)` or
`linux guests: FAILED (...)`).

Prints one line per attack and `attacks: N tried, B blocked, S succeeded`.
Exits 0 only if every expected attack ran and every one was blocked.
"""
import argparse
import concurrent.futures
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vtz_run  # noqa: E402

# Attacks the hypervisor suite must report (hyp/attack/attacks.c).
HYP_ATTACKS = [
    "read-tee-page",
    "map-tee-into-hyp-stage1",
    "map-tee-into-other-vm",
    "map-tee-into-own-guest",
    "map-dma-device-into-hyp-stage1",
    "map-dma-device-into-guest",
    "write-page-table",
    "write-stage2-table",
    "write-ownership-table",
    "write-ciee-data",
    "write-flash0-firmware-metadata",
    "tamper-acpi-tables",
    "dc-isw-after-ciee-update",
    "reclaim-tee-page-and-read",
    "enter-tee-at-arbitrary-pc",
    "start-tee-vcpu-at-arbitrary-pc",
    "resume-tee-call-after-reset",
    "resume-tee-with-altered-registers",
    "read-tee-registers-after-exit",
    "route-vm-smc-to-another-tee",
    "mmio-read-into-other-register",
    "return-reply-to-another-vcpu",
    "read-tee-fpsimd-after-exit",
    "resume-preempted-tee-with-forged-state",
    "dma-into-tee-page",
    "gic-lpi-tables-over-tee-page",
    "smc-outside-allow-list",
    "tee-key-from-hypervisor",
    "attest-from-hypervisor",
    "tee-attest-into-foreign-page",
    "cpu-on-arbitrary-entry",
    "two-cpu-tlb-shootdown",
    "jump-into-ciee-past-gate",
    "jump-to-ciee-sensitive-instruction",
    # The CIEE's trust in hypervisor memory and event order (issue 9;
    # hyp/attack/untrusted_mem.c).
    "stage2-alias-outlives-reclaim",
    "vcpu-ctx-over-hyp-text",
    "pointer-into-donated-tee-page",
    "event-log-into-tee-page",
    "tee-page-in-own-ns-window",
    "gate-with-spsel0",
    "replace-tee-page-after-measure",
    "rewrite-vcpu-ctx-during-run",
    "tee-own-ram-abort-as-mmio",
    "boot-tee-vcpu-during-reset",
    "resume-idle-tee-vcpu-after-reset",
    # A TrustZone OS's environment (issue 10): its memory zeroed by the
    # trusted side, its console carried by it under a name that cannot
    # pass for the monitor's.
    "garbage-in-tee-ram-before-boot",
    "forge-tee-console-name",
    "read-tee-console",
    # Its interrupts: those it keeps non-secure reach only its own VM, the
    # secure ones no normal world (hyp/attack/untrusted_mem.c).
    "tee-irq-into-other-vm",
    "take-tee-secure-irq",
    "map-gic-into-tee",
    # Two CPUs racing TEE vCPU operations; the MMIO record rewritten or
    # watched by a second CPU (issue 9; hyp/attack/races.c).
    "tee-vcpu-op-races",
    "rewrite-mmio-during-tee-resume",
    "mmio-record-written-once",
    "read-tee-page-after-reset",
]
# Hypervisor images with one forbidden instruction each (hyp/build.mk).
FORBIDDEN = ["ttbr0", "tcr", "sctlr", "mair", "vbar", "hcr", "vttbr", "vtcr", "mdcr", "dcisw"]
VERDICT = re.compile(r"^\[hyp\] attack (\S+): (blocked|SUCCEEDED) \((.*)\)$")
REFUSAL = re.compile(r"^\[mon\] FATAL: hypervisor image refused: forbidden instruction (.+?) "
                     r"\(0x[0-9a-f]+\) at (0x[0-9a-f]+)")


# The Linux guests of scenario attacks-linux (hyp/attack/attacks.c,
# linux_guests_finish(); scripts/vtz_run.py for their workload).
LINUX_VMS = ["lx0", "lx1"]
LINUX_SUMMARY = re.compile(r"^\[hyp\] linux guests: (\d+) ran through the attacks \(their vCPUs "
                           r"ran (\d+) turns and their TEE calls were preempted (\d+) times "
                           r"during them\), (\d+) powered off cleanly(.*)$")
RESET_LINE = "[hyp] attack suite: secret left in TEE page"


def linux_check(status, lines, optee=False):
    """Did the Linux guests run through the attacks and finish their work?
    With OP-TEE as their TEE (optee) their work is sessions, no secret.
    Returns (ok, text, the console lines that show it)."""
    shown, problems = [], []
    if status != 0:
        problems.append("the run did not end in a clean power-off (status %d)" % status)
    reset = next((i for i, l in enumerate(lines) if l.startswith(RESET_LINE)), len(lines))
    summary = None
    for i, line in enumerate(lines):
        if line.startswith("[hyp] linux guests: "):
            shown.append(line)
            m = LINUX_SUMMARY.match(line)
            if m and i < reset:
                summary = tuple(int(g) for g in m.groups()[:4])
    for vm in LINUX_VMS:
        out = [l for l in lines[:reset] if l.startswith("[%s] " % vm)]
        done = [l for l in out if re.match(r"^\[%s\] vtz-linux: done \(\d+ commands, 0 failed\)$"
                                           % vm, l)]
        mine = "[%s] vtz-client: get secret: %s-own" % (vm, vm)
        bad = [l for l in out if re.search(r"Oops|BUG:|WARNING:|Kernel panic", l)]
        off = "[hyp] %s: PSCI SYSTEM_OFF" % vm
        shown += [l for l in out if re.match(r"^\[%s\] (vtz-client: |vtz-linux: |load: |load-until-told: )" % vm, l)]
        shown += [l for l in lines if l == off or l.startswith("[hyp] %s: powered off" % vm)]
        if not done:
            problems.append("%s did not finish its workload before the reset" % vm)
        if optee:
            if not any(re.match(r"^\[%s\] load-until-told: ok \([1-9]\d* rounds .*told: "
                                r"attacks over\)$" % vm, l) for l in out):
                problems.append("%s's OP-TEE sessions did not go on until the attacks were "
                                "over" % vm)
        elif mine not in out:
            problems.append("%s did not read back its own secret" % vm)
        if bad:
            problems.append("%s: %s" % (vm, bad[0]))
        if off not in lines[:reset]:
            problems.append("%s did not power off before the reset" % vm)
    n = len(LINUX_VMS)
    if summary is None:
        problems.append("no summary line before the reset")
    else:
        through, turns, preempted, clean = summary
        if through != n or clean != n:
            problems.append("%d of %d ran through the attacks, %d powered off cleanly"
                            % (through, n, clean))
        if turns == 0:
            problems.append("their vCPUs did not run during the attacks")
    if problems:
        return False, "; ".join(problems), shown
    return True, ("%d Linux VMs ran through the attacks (their vCPUs ran %d turns, their TEE "
                  "calls were preempted %d times during them), finished their workload %s "
                  "and powered off cleanly before the reset"
                  % (n, summary[1], summary[2],
                     "with OP-TEE" if optee else "with their own secrets")), shown


def hyp_suite(build, timeout, scenario="attacks", tee=None):
    status, lines = vtz_run.run(vtz_run.qemu_command(build, scenario, tee=tee), timeout,
                                echo=False)
    found = {}
    for line in lines:
        m = VERDICT.match(line)
        if m:
            found[m.group(1)] = (m.group(2) == "blocked", m.group(3))
    return status, lines, found


def forbidden_image(build, name, timeout):
    cmd = vtz_run.qemu_command(build, "default", hyp="hyp-bad-%s.bin" % name)
    status, lines = vtz_run.run(cmd, timeout, echo=False)
    ran = any(l.startswith(("[ciee]", "[hyp]")) for l in lines)
    for line in lines:
        m = REFUSAL.match(line)
        if m and not ran:
            return True, "monitor instruction scan: %s at %s, image never ran" % m.groups()
    last = [l for l in lines if "FATAL" in l or l.startswith("[run]")][-2:]
    return False, "image %s (status %d%s)" % ("ran" if ran else "was not refused", status,
                                             ": " + " / ".join(last) if last else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build/ciee", help="images of one gate (default build/ciee)")
    ap.add_argument("--timeout", type=int, default=None,
                    help="seconds for the suite's boot (default 180; 300 with --with-linux)")
    ap.add_argument("-v", "--verbose", action="store_true", help="show every console line")
    ap.add_argument("--with-linux", action="store_true",
                    help="the attacks while Linux VMs run a libteec workload (make linux-guest)")
    ap.add_argument("--tee", default=None, metavar="IMAGE",
                    help="with --with-linux: the Linux VMs' TEE image, e.g. OP-TEE's "
                         "tee-raw.bin (scenario attacks-linux-optee)")
    ap.add_argument("--no-images", action="store_true",
                    help="skip the forbidden-instruction images (they do not depend on guests)")
    args = ap.parse_args()

    results = []  # (name, blocked or None if it did not run, text)
    scenario = "attacks-linux" if args.with_linux else "attacks"
    if args.with_linux and args.tee:
        scenario = "attacks-linux-optee"
    timeout = args.timeout or (300 if args.with_linux else 180)
    try:
        status, lines, found = hyp_suite(args.build, timeout, scenario,
                                         args.tee if args.with_linux else None)
    except (FileNotFoundError, ValueError) as e:
        print("attacks: cannot boot %s: %s" % (scenario, e))
        return 1
    linux = linux_check(status, lines, bool(args.tee)) if args.with_linux else None
    if args.verbose or status != 0 or (linux and not linux[0]):
        print("\n".join(lines))
    for name in HYP_ATTACKS:
        if name in found:
            results.append((name,) + found[name])
        else:
            results.append((name, None, "did not run (suite exit status %d)" % status))
    for name in sorted(set(found) - set(HYP_ATTACKS)):
        results.append((name,) + found[name])
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        images = [] if args.no_images else FORBIDDEN
        futs = {n: pool.submit(forbidden_image, args.build, n, 60) for n in images}
        for name in images:
            ok, text = futs[name].result()
            results.append(("forbidden-instruction-" + name, ok, text))

    tried = sum(1 for r in results if r[1] is not None)
    ok = sum(1 for r in results if r[1])
    bad = sum(1 for r in results if r[1] is False)
    missing = sum(1 for r in results if r[1] is None)
    for name, verdict, text in results:
        word = {True: "blocked", False: "SUCCEEDED", None: "NOT RUN"}[verdict]
        print("attack %s: %s (%s)" % (name, word, text))
    print("attacks: %d tried, %d blocked, %d succeeded" % (tried, ok, bad))
    if missing:
        print("attacks: %d could not run" % missing)
    if linux:
        print("\n".join(linux[2]))
        print("linux guests: %s (%s)" % ("ok" if linux[0] else "FAILED", linux[1]))
    linux_ok = linux is None or linux[0]
    return 0 if bad == 0 and missing == 0 and linux_ok else 1


if __name__ == "__main__":
    sys.exit(main())
