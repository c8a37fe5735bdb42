#!/usr/bin/python3
"""Run the attack suite and judge it.

1. Boots the 'attacks' scenario: the hypervisor with attack hooks tries each
   attack from hypervisor code and prints `attack NAME: blocked (...)` or
   `attack NAME: SUCCEEDED (...)`; one attack spans a SYSTEM_RESET.
2. Boots every hypervisor image that contains a forbidden instruction; the
   monitor must refuse each one before it runs.

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
    "dc-isw-after-ciee-update",
    "reclaim-tee-page-and-read",
    "enter-tee-at-arbitrary-pc",
    "start-tee-vcpu-at-arbitrary-pc",
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
    "cpu-on-arbitrary-entry",
    "two-cpu-tlb-shootdown",
    "jump-into-ciee-past-gate",
    "jump-to-ciee-sensitive-instruction",
    "read-tee-page-after-reset",
]
# Hypervisor images with one forbidden instruction each (hyp/build.mk).
FORBIDDEN = ["ttbr0", "tcr", "sctlr", "mair", "vbar", "hcr", "vttbr", "vtcr", "mdcr", "dcisw"]
VERDICT = re.compile(r"^\[hyp\] attack (\S+): (blocked|SUCCEEDED) \((.*)\)$")
REFUSAL = re.compile(r"^\[mon\] FATAL: hypervisor image refused: forbidden instruction (.+?) "
                     r"\(0x[0-9a-f]+\) at (0x[0-9a-f]+)")


def hyp_suite(build, timeout):
    status, lines = vtz_run.run(vtz_run.qemu_command(build, "attacks"), timeout, echo=False)
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
    return False, "image %s (status %d)" % ("ran" if ran else "was not refused", status)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build/ciee", help="images of one gate (default build/ciee)")
    ap.add_argument("--timeout", type=int, default=180)
    ap.add_argument("-v", "--verbose", action="store_true", help="show every console line")
    args = ap.parse_args()

    results = []  # (name, blocked or None if it did not run, text)
    status, lines, found = hyp_suite(args.build, args.timeout)
    if args.verbose or status != 0:
        print("\n".join(lines))
    for name in HYP_ATTACKS:
        if name in found:
            results.append((name,) + found[name])
        else:
            results.append((name, None, "did not run (suite exit status %d)" % status))
    for name in sorted(set(found) - set(HYP_ATTACKS)):
        results.append((name,) + found[name])
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        futs = {n: pool.submit(forbidden_image, args.build, n, 60) for n in FORBIDDEN}
        for name in FORBIDDEN:
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
    return 0 if bad == 0 and missing == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
