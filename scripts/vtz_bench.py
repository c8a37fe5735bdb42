#!/usr/bin/python3
"""Benchmark vTZ in instructions per operation, under QEMU -icount.

With `-icount shift=0,align=off,sleep=off` every instruction advances QEMU's
virtual clock by 2**0 = 1 ns, and the generic counter (CNTFRQ_EL0 =
62.5 MHz, 16 ns per tick) then ticks once per 16 instructions, whatever
mode executes them. The bench guest and the bench hypervisor print raw
counter ticks; this script converts them, instructions = ticks * 16 /
operations, and checks the conversion: the guest's timed loop with a NOP in
place of the SMC must come out at its known 6 instructions per iteration.

One boot per gate (GATE=ciee and GATE=el3, images in BUILD/ciee and
BUILD/el3) measures, from the guest, a null call into its TEE and a trap the
hypervisor answers itself, and, from the hypervisor, a stage-2 map + unmap
through the gate and unchecked. A third boot measures the same null call on
native TrustZone, if the native scenario exists. Prints `bench ...` lines
and rewrites docs/performance.md. A benchmark, not a test: no thresholds;
exits 1 only if a run fails (or its numbers cannot be trusted), 2 on a
usage error.
"""
import argparse
import concurrent.futures
import datetime
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vtz_run  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

# The bench boots: the bench guest and the hypervisor with the stage-2
# benchmark hook. One CPU: under -icount every CPU's instructions advance
# the one virtual clock, so a second CPU spinning anywhere (e.g. in the
# monitor's WFE pen, which QEMU does not halt) would be counted too.
vtz_run.SCENARIOS["bench"] = dict(vms="bench.dts", hyp="hyp-bench.bin", smp=1)
NATIVE_GUEST = "guest-bench-native.bin"

ICOUNT_SHIFT = 0          # -icount shift=0: 2**0 ns per instruction
EXPECTED_CNTFRQ = 62500000
LOOP_INSNS = 6            # guests/bench/loop.S: mov, nop, eor, orr, subs, b.ne
GATES = ("ciee", "el3")

# Targets (docs/performance.md); reported, never enforced.
TARGET_NULL_VS_NATIVE = 1.0
TARGET_MAP_VS_UNCHECKED = 1.5
TARGET_LIBTEEC_VS_NATIVE = 1.05

GUEST_FREQ = re.compile(r"bench-guest: cntfrq (\d+)")
GUEST_LINE = re.compile(r"bench-guest: (\S+) calls (\d+) ticks (\d+) bad (0x[0-9a-f]+)")
HYP_FREQ = re.compile(r"bench-hyp: cntfrq (\d+)")
HYP_LINE = re.compile(r"bench-hyp: s2-map (checked|unchecked) pages (\d+) map-ticks (\d+) "
                      r"unmap-ticks (\d+) errors (\d+)")
HYP_GATE = re.compile(r"bench-hyp: gate-only calls (\d+) ticks (\d+) errors (\d+)")


class BenchError(Exception):
    pass


def ns_per_tick(freq):
    if freq != EXPECTED_CNTFRQ:
        raise BenchError("CNTFRQ_EL0 is %d Hz, not %d: the tick-to-instruction conversion "
                         "would be wrong" % (freq, EXPECTED_CNTFRQ))
    return 10 ** 9 // freq


def insns(ticks, ops, freq):
    """Instructions per operation: ticks * (ns per tick) / (ns per instruction) / ops."""
    return ticks * ns_per_tick(freq) / (2 ** ICOUNT_SHIFT) / ops


def with_icount(cmd):
    """Check the command has -icount shift=0 (qemu_command's icount=True), or add it."""
    if "-icount" not in cmd:
        cmd = cmd + ["-icount", "shift=%d,align=off,sleep=off" % ICOUNT_SHIFT]
    i = cmd.index("-icount")
    if not cmd[i + 1].startswith("shift=%d," % ICOUNT_SHIFT):
        raise BenchError("unexpected -icount %s" % cmd[i + 1])
    return cmd


def one_cpu(cmd):
    cmd = list(cmd)
    if "-smp" in cmd:
        cmd[cmd.index("-smp") + 1] = "1"
    return cmd


def boot(cmd, timeout, verbose):
    status, lines = vtz_run.run(cmd, timeout, echo=False)
    if verbose or status != 0:
        print("\n".join(lines), flush=True)
    if status != 0:
        raise BenchError("run failed with status %d: %s" % (status, " ".join(cmd)))
    return lines


def parse_guest(lines):
    freq = [int(m.group(1)) for m in map(GUEST_FREQ.search, lines) if m]
    if not freq:
        raise BenchError("the bench guest printed no cntfrq line")
    out = {}
    for m in map(GUEST_LINE.search, lines):
        if m:
            name, calls, ticks, bad = m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)
            if int(bad, 16):
                raise BenchError("guest %s: wrong replies (0x%s)" % (name, bad))
            out[name] = insns(ticks, calls, freq[0])
            out["calls"] = calls
    for name in ("loop-only", "trap-only", "revision-call"):
        if name not in out:
            raise BenchError("the bench guest printed no %s figure" % name)
    # The conversion, checked against a loop of known length.
    if abs(out["loop-only"] - LOOP_INSNS) > 0.05:
        raise BenchError("conversion check failed: the %d-instruction loop measured %.3f "
                         "instructions per iteration" % (LOOP_INSNS, out["loop-only"]))
    return out


def parse_hyp(lines):
    freq = [int(m.group(1)) for m in map(HYP_FREQ.search, lines) if m]
    if not freq:
        raise BenchError("the bench hypervisor printed no cntfrq line")
    out = {}
    for m in map(HYP_LINE.search, lines):
        if m:
            kind, pages, mt, ut, errors = m.group(1), *map(int, m.groups()[1:])
            if errors:
                raise BenchError("hypervisor s2-map %s: %d operations failed" % (kind, errors))
            out[kind] = dict(map=insns(mt, pages, freq[0]), unmap=insns(ut, pages, freq[0]),
                             pages=pages)
            out[kind]["pair"] = out[kind]["map"] + out[kind]["unmap"]
    for kind in ("checked", "unchecked"):
        if kind not in out:
            raise BenchError("the bench hypervisor printed no s2-map %s figure" % kind)
    for m in map(HYP_GATE.search, lines):
        if m:
            calls, ticks, errors = map(int, m.groups())
            if errors:
                raise BenchError("hypervisor gate-only: %d calls failed" % errors)
            out["gate-only"] = insns(ticks, calls, freq[0])
    if "gate-only" not in out:
        raise BenchError("the bench hypervisor printed no gate-only figure")
    return out


def run_vtz(build, timeout, verbose, tee=None):
    cmd = with_icount(vtz_run.qemu_command(build, "bench", icount=True, tee=tee))
    lines = boot(cmd, timeout, verbose)
    return dict(guest=parse_guest(lines), hyp=parse_hyp(lines), cmd=cmd)


# Linux-level: a libteec invoke round trip from the same Linux, one vCPU on
# one CPU, under vTZ and natively (our echo TA's ADD, or OP-TEE's test
# pseudo TA's PARAMS: a + b). The client times its loop with
# CLOCK_MONOTONIC, which under -icount shift=0 counts 1 ns per instruction
# of every mode; a warm-up loop first.
LINUX_CALLS, LINUX_WARMUP = 2000, 200
vtz_run.SCENARIOS["bench-linux"] = dict(vms="bench-linux.dts", smp=1)
vtz_run.SCENARIOS["bench-linux-native"] = dict(vtz_run.SCENARIOS["linux-native"], smp=1,
                                              linux=dict(vms=1, vcpus=1))
LINUX_LINE = re.compile(r"vtz-client: (?:optee-)?loop (\d+): ok \((\d+) calls in (\d+) us")


def run_linux(build, native, tee, optee, timeout, verbose):
    """Instructions per libteec call from Linux, and the command."""
    which = "optee-loop" if optee else "loop"
    run = "vtz-client:%s:%d,vtz-client:%s:%d" % (which, LINUX_WARMUP, which, LINUX_CALLS)
    scenario = "bench-linux-native" if native else "bench-linux"
    cmd = with_icount(vtz_run.qemu_command(build, scenario, icount=True, tee=tee,
                                           vm_runs=[run]))
    status, lines = vtz_run.run(cmd, timeout, echo=False,
                                ns_prefix=vtz_run.scenario_ns_prefix(scenario))
    if verbose or status != 0:
        print("\n".join(lines), flush=True)
    if status != 0:
        raise BenchError("Linux run failed with status %d: %s" % (status, " ".join(cmd)))
    got = [tuple(map(int, m.groups())) for m in map(LINUX_LINE.search, lines) if m]
    got = [g for g in got if g[0] == LINUX_CALLS]
    if not got:
        raise BenchError("the Linux client printed no %s %d figure" % (which, LINUX_CALLS))
    return dict(insns=got[-1][2] * 1000.0 / got[-1][1] / (2 ** ICOUNT_SHIFT), cmd=cmd)


def native_command(build, tee=None):
    """The native scenario's command with the bench guest in place of its
    guest image, one CPU, and -icount; None (and why) if there is none."""
    sc = vtz_run.SCENARIOS.get("native")
    if sc is None:
        return None, "no 'native' scenario in scripts/vtz_run.py"
    bench_guest = os.path.join(build, NATIVE_GUEST)
    if not os.path.exists(bench_guest):
        return None, "%s is missing" % bench_guest
    cmd = vtz_run.qemu_command(build, "native", icount=True, tee=tee)
    theirs = os.path.join(build, sc.get("guest", ""))
    if not sc.get("guest") or not any(theirs in a for a in cmd):
        return None, "cannot find the native guest image in the native command"
    cmd = [a.replace(theirs, bench_guest) for a in cmd]
    return one_cpu(with_icount(cmd)), None


def run_native(build, timeout, verbose, tee=None):
    cmd, why = native_command(build, tee)
    if cmd is None:
        return dict(why=why)
    lines = boot(cmd, timeout, verbose)
    return dict(guest=parse_guest(lines), cmd=cmd)


def ratio(a, b):
    return a / b if b else None


def fmt_ratio(r, what):
    return "n/a %s" % what if r is None else "%.2fx %s" % (r, what)


# Memory per VM+TEE pair (issue 11): the sixteen-pairs scenario on a 2 GiB
# machine. The VM pool before any VM and once all 16 pairs exist (RAM, in the
# hypervisor's 2 MiB chunks), and the CIEE's translation-table pages in use
# at boot and after the 16th TEE was measured.
POOL_LINE = re.compile(r"\[hyp\] VM pool: (\d+) MiB free")
LEFT_LINE = re.compile(r"\[hyp\] running (\d+) VMs on all CPUs; (\d+) MiB of the VM pool left")
TABLES_BOOT = re.compile(r"\((\d+) table pages\); RAM up to")
TABLES_TEE = re.compile(r"\((\d+) translation-table pages in use\)")
MEMORY_PAIRS = 16


def run_memory(build, timeout, verbose):
    """Memory per VM+TEE pair with 16 pairs on a 2 GiB machine."""
    cmd = vtz_run.qemu_command(build, "sixteen-pairs")
    lines = boot(cmd, timeout * 2, verbose)
    pool = [int(m.group(1)) for m in map(POOL_LINE.search, lines) if m]
    left = [m for m in map(LEFT_LINE.search, lines) if m]
    boot_tables = [int(m.group(1)) for m in map(TABLES_BOOT.search, lines) if m]
    tee_tables = [int(m.group(1)) for m in map(TABLES_TEE.search, lines) if m]
    if not pool or not left or not boot_tables or len(tee_tables) != MEMORY_PAIRS:
        raise BenchError("sixteen-pairs: no pool, table or VM count lines")
    if int(left[0].group(1)) != MEMORY_PAIRS:
        raise BenchError("sixteen-pairs: %s VMs started, not %d" % (left[0].group(1),
                                                                    MEMORY_PAIRS))
    used = pool[0] - int(left[0].group(2))
    tables = tee_tables[-1] - boot_tables[0]
    return dict(pool=pool[0], used=used, ram=used / MEMORY_PAIRS,
                tables=tables / MEMORY_PAIRS, cmd=cmd)


def memory_lines(mem):
    per = mem["ram"] + mem["tables"] * 4 / 1024
    return [
        "bench memory per VM+TEE pair: %.2f MiB (%.0f MiB of VM and TEE RAM in 2 MiB chunks + "
        "%.1f translation-table pages of the CIEE), %d pairs using %d of the %d MiB pool"
        % (per, mem["ram"], mem["tables"], MEMORY_PAIRS, mem["used"], mem["pool"]),
    ], "%d VM+TEE pairs in 2 GiB: %d of %d MiB of VM pool used, %.2f MiB per pair: met" % (
        MEMORY_PAIRS, mem["used"], mem["pool"], per)


def figures(gates, vtz, native):
    """Rows (figure, instructions or None, ratio text) in print order."""
    rows = []
    nat = native.get("guest")
    nat_null = nat["null-call"] if nat else None
    if nat:
        rows.append(("loop-only native", nat["loop-only"], "the guest's loop alone"))
        rows.append(("trap-only native", nat["trap-only"],
                     "guest SMC answered by the monitor: SMCCC_VERSION"))
        rows.append(("null-call native", nat_null, ""))
    else:
        rows.append(("null-call native", None, "not available: %s" % native["why"]))
    for gate in gates:
        g = vtz[gate]["guest"]
        rows.append(("loop-only vtz-%s" % gate, g["loop-only"],
                     "the guest's loop alone; conversion check, %d expected" % LOOP_INSNS))
        rows.append(("trap-only vtz-%s" % gate, g["trap-only"],
                     "guest SMC answered by the hypervisor: SMCCC_VERSION"))
        rows.append(("null-call vtz-%s" % gate, g["null-call"],
                     fmt_ratio(ratio(g["null-call"], nat_null), "native")))
    un = vtz[gates[0]]["hyp"]["unchecked"]
    rows.append(("s2-map unchecked", un["pair"], "map %.0f + unmap %.0f" % (un["map"], un["unmap"])))
    for gate in gates:
        rows.append(("gate-only vtz-%s" % gate, vtz[gate]["hyp"]["gate-only"],
                     "the hypervisor's cheapest call the way S2_MAP travels: %s" % (
                         "CPU_STATUS through the CIEE gate" if gate == "ciee" else
                         "SMCCC_VERSION SMC to the monitor")))
    for gate in gates:
        h = vtz[gate]["hyp"]
        c, u = h["checked"], h["unchecked"]
        rows.append(("s2-map vtz-%s" % gate, c["pair"],
                     "%s; map %.0f (%s) + unmap %.0f (%s)" % (
                         fmt_ratio(ratio(c["pair"], u["pair"]), "unchecked"),
                         c["map"], fmt_ratio(ratio(c["map"], u["map"]), "unchecked"),
                         c["unmap"], fmt_ratio(ratio(c["unmap"], u["unmap"]), "unchecked"))))
    return rows


def tee_figures(extra):
    """Rows for the TEE comparisons: the revision fast call from a bare
    guest, and the libteec call from Linux, vTZ (GATE=ciee) vs native,
    for our TEE and for OP-TEE OS."""
    rows = []
    for tee in ("vtz-tee", "optee"):
        for what, key in (("revision-call", "rev"), ("yield-call", "yield"),
                          ("libteec-call", "linux")):
            got = extra.get((tee, key))
            if not got:
                continue
            if "why" in got:
                rows.append(("%s %s" % (what, tee), None, "not measured: %s" % got["why"]))
                continue
            rows.append(("%s %s native" % (what, tee), got["native"], ""))
            rows.append(("%s %s vtz-ciee" % (what, tee), got["vtz"],
                         fmt_ratio(ratio(got["vtz"], got["native"]), "native")))
    return rows


def tee_verdicts(extra):
    out = []
    for (tee, key), got in sorted(extra.items()):
        if not got or "why" in got:
            continue
        r = got["vtz"] / got["native"]
        target = TARGET_LIBTEEC_VS_NATIVE if key == "linux" else TARGET_NULL_VS_NATIVE
        what = {"linux": "libteec call from Linux, %s",
                "rev": "%s's own fast call (revision)",
                "yield": "%s's yielding call refused at once"}[key] % (
                    "OP-TEE" if tee == "optee" else "our TEE")
        out.append("%s, vtz-ciee: %.2fx native (target <= %.2fx): %s" % (
            what, r, target, "met" if r <= target else "NOT met"))
    return out


def line(name, value, note):
    if value is None:
        return "bench %s: %s" % (name, note)
    return "bench %s: %.0f instructions%s" % (name, value, " (%s)" % note if note else "")


def verdicts(gates, vtz, native):
    out = []
    nat = native.get("guest")
    for gate in gates:
        v = vtz[gate]["guest"]["null-call"]
        if nat:
            r = v / nat["null-call"]
            out.append("null call, vtz-%s: %.2fx native (target <= %.1fx): %s" % (
                gate, r, TARGET_NULL_VS_NATIVE, "met" if r <= TARGET_NULL_VS_NATIVE else
                "NOT met"))
        else:
            out.append("null call, vtz-%s: not judged (native not available)" % gate)
    for gate in gates:
        h = vtz[gate]["hyp"]
        r = h["checked"]["pair"] / h["unchecked"]["pair"]
        out.append("stage-2 map+unmap, vtz-%s: %.2fx unchecked (target <= %.1fx): %s" % (
            gate, r, TARGET_MAP_VS_UNCHECKED, "met" if r <= TARGET_MAP_VS_UNCHECKED else
            "NOT met"))
    return out


def tool_version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT,
                              timeout=10).stdout.splitlines()[0].strip()
    except (OSError, IndexError, subprocess.SubprocessError):
        return "unknown"


DOC_HEAD = """\
# vTZ performance

Generated by `make bench` (`scripts/vtz_bench.py`) on {date}; do not edit by
hand, run `make bench` again. QEMU: {qemu}. Source: {commit}.

## What is measured

Instructions per operation, counted by QEMU: every run uses
`-icount shift=0,align=off,sleep=off`, so each executed instruction advances
the virtual clock by 2^0 = 1 ns, at every exception level. The generic counter
runs at CNTFRQ_EL0 = 62.5 MHz (checked from the guest and the hypervisor:
16 ns per tick), so it ticks once every 16 instructions, deterministically
(two runs give the same ticks). Hence

    instructions per operation = ticks * 16 / operations

checked in every run: the guest's timed loop with a NOP where the SMC goes
measures {loop} instructions per iteration, as written in
`guests/bench/loop.S`. Each figure is over {calls} calls (guest) or {pages}
pages (hypervisor), after an untimed warm-up, so one tick of resolution is
under 0.01 instruction per operation. Every reply is checked; a run with a
wrong reply is a failed run.

An instruction count is not a cycle count: exception entry and return, a
TLB invalidation, a system-register write and an MMU switch each count as
one instruction (or none, for exception entry) although on hardware they
cost tens to hundreds of cycles, and caches and TLB misses do not show at
all. The figures compare code paths; they do not predict wall time.

- **null-call**: a guest's `SMC VTZ_SMC_TEE_NULL` (the TEE's silent null fast
  call, `include/vtz/optee_abi.h`) and back. vTZ: the SMC traps to EL2
  (HCR_EL2.TSC) into the CIEE's vectors inside `VCPU_RUN`; the CIEE records
  it, switches to the guest's own TEE at its registered fast-call slot (fast
  TEE calls), the TEE answers with `CALL_DONE`, the CIEE puts the reply in
  the guest's registers and enters the guest again, without the hypervisor.
  Native: the guest's SMC goes to the EL3 monitor, which enters
  the same TEE kernel at S-EL1 and returns its reply (no hypervisor).
  Includes the guest's own loop (the loop-only figure).
- **revision-call**: the same loop calling `OPTEE_SMC_CALLS_REVISION`, a
  fast call every OP-TEE ABI TEE answers from its own code, with our TEE
  (*vtz-tee*) and with unmodified OP-TEE OS 4.9.0 (*optee*, `make
  optee-os`), under vTZ (`GATE=ciee`) and natively, where the monitor
  stands for TF-A: "OP-TEE's own calls through vTZ cost no more than
  through TF-A" is this figure.
- **yield-call**: a yielding call the TEE refuses at once (`CALL_WITH_ARG`
  with its message at address 0: `EBADADDR`), our TEE only (OP-TEE logs
  each refusal on its console, which would be what is measured).
- **libteec-call**: from Linux (one vCPU on one CPU; natively the same
  Linux at NS-EL1 on one CPU), `TEEC_InvokeCommand` in a loop of {lcalls}
  after {lwarm} warm-up calls, each checked: our echo TA's ADD, or OP-TEE's
  test pseudo TA's PARAMS (a + b), through Debian's libteec and Linux's
  optee driver (a yielding call with its message in dynamic shared
  memory). The client times the loop with `CLOCK_MONOTONIC`, which under
  `-icount shift=0` advances 1 ns per instruction of every CPU mode, so
  the figure is instructions per call, Linux's own path included.
- **trap-only**: the same loop calling `SMCCC_VERSION`, which the hypervisor
  answers itself (natively, the monitor): the cost of leaving and re-entering
  the guest without the TEE, through the hypervisor (`VCPU_RUN`, whose vCPU
  context the CIEE copies in and out once per run). A null call does not go
  through the hypervisor at all (fast TEE calls), so it may cost less.
- **s2-map**: one stage-2 mapping of a 4 KiB page **plus its matching unmap**
  (the two are timed in separate passes and shown separately), measured in the
  hypervisor (`hyp/bench/bench.c`) with CNTPCT_EL0 over {pages} distinct pages
  donated to a VM, mapped at distinct IPAs. *vtz-ciee*: `S2_MAP`/`S2_UNMAP`
  through the CIEE gate (ownership check, translation-table write by the CIEE,
  TLB invalidation for the VM's VMID on unmap). *vtz-el3*: the same policy code
  in the monitor, each operation an SMC. *unchecked*: the baseline of a
  conventional hypervisor: `pt_map`/`pt_unmap` of `policy/pgtable.c` called
  directly on a stage-2 table in the hypervisor's own memory, with `DSB ISHST`
  after a map and KVM's per-IPA flush (`TLBI IPAS2E1IS`, `TLBI VMALLE1IS`, DSBs,
  ISB) after an unmap; no ownership check, no gate, no lock.

Every boot runs one CPU: under -icount the virtual clock advances with every
CPU's instructions, and a second CPU spinning in a pen would be counted.

## Targets and results

Our targets: a null call through vTZ costs at most **1.0x** the same call on
native TrustZone (and OP-TEE's own calls no more than through the native
monitor, TF-A's stand-in), a libteec call from Linux at most **1.05x**
native, and a stage-2 map (+ unmap) through the CIEE at most **1.5x** an
unchecked one. They are reported here and by `make bench`, never enforced:
the benchmark fails only if a run fails.

| figure | instructions per operation | ratio / note |
|---|---:|---|
"""

DOC_TAIL = """
## Where the cost goes

{analysis}

The libteec figures come from a whole Linux, whose background work (its
tick, kernel threads) shifts them by about 1% from run to run; the bare
figures do not move.

How the libteec gap was found and closed (2026-12-06). A libteec call
cost about 9.5 thousand instructions more in a VM than natively, with
either TEE, and so did a plain system call (`getppid()`: 9 900 against
500). A QEMU trace of the VM's call loop (`-d exec,nochain`, turned on
from the QEMU monitor after the warm-up, program counters mapped to
Linux's `/proc/kallsyms`) showed the time in `get_random_u16()`,
`extract_entropy()`, BLAKE2s and ChaCha: arm64 Linux draws a random
kernel-stack offset on every system call, and a VM's random number
generator was never seeded (no `/chosen/rng-seed`, no RNDR on the A57, no
virtio-rng), so every draw took the unseeded slow path. The hypervisor now
gives each Linux VM a fresh seed at every boot (`hyp/entropy.c`, from
QEMU's own seed), as QEMU gives a kernel natively: our TEE's libteec call
went from 14 995 to about 5 740 instructions, OP-TEE's from 28 348 to about
19 080. The same trace method on the null call found the CIEE's extra
work (arguments and reply copied twice, repeated checks, out-of-line
entry) and `ciee_tee_call_fast()` removed it: 954 -> 695 instructions;
inlining it into `VCPU_RUN` and loading the VM's stage 2 in the same
checked write that takes the TEE's away made it 666 (native 671). Secure
interrupts for TEEs (issue 10) first cost it 2 instructions (668): `struct
ciee_tee` grew to a size whose multiple the fast call computes with more
instructions. Aligned to 16 KiB, `&ciee_tees[partner]` is one shifted add,
and the call is 657 (the per-TEE state: 1 MiB for 64 TEEs). What the secure
interrupts add to `VCPU_RUN` (two loads before the fast call's loop, an
out-of-line `tee_first()` when something is due) is outside that loop.

## Targets

| target | result |
|---|---|
{targets}

## How to reproduce

```sh
make bench            # builds both gates, boots {boots} QEMU runs, prints the
                      # `bench ...` lines and rewrites this file
```

QEMU commands used (from `scripts/vtz_run.py`'s `qemu_command`):

{commands}
"""


def analysis(gates, vtz, native):
    """Bullet points splitting each figure into its parts, from the numbers."""
    out = []
    nat = native.get("guest")
    for gate in gates:
        g = vtz[gate]["guest"]
        out.append("- null-call vtz-%s: %.0f, the guest's %.0f-instruction loop included; the "
                   "call never reaches the hypervisor (the CIEE makes the guest's SMC into its "
                   "TEE and enters the guest again with the reply). trap-only, %.0f, is a trip "
                   "through the hypervisor instead, which includes the CIEE's copy of the vCPU "
                   "context in and out of CIEE memory (read once, written once)."
                   % (gate, g["null-call"], g["loop-only"], g["trap-only"]))
    if nat:
        out.append("- null-call native: %.0f = %.0f for the SMC to the monitor and back "
                   "(trap-only) + %.0f for the monitor's switch into the TEE at S-EL1 and "
                   "back." % (nat["null-call"], nat["trap-only"],
                              nat["null-call"] - nat["trap-only"]))
    else:
        out.append("- null-call native: not measured (%s)." % native["why"])
    for gate in gates:
        h = vtz[gate]["hyp"]
        extra = h["checked"]["pair"] - h["unchecked"]["pair"]
        gate_cost = 2 * h["gate-only"]
        out.append("- s2-map vtz-%s: %.0f more than unchecked per map+unmap; %.0f of them "
                   "are the channel itself (2 x gate-only: %s entry and exit), the other "
                   "%.0f the ownership check, the stage-2 map counts (issue 9), the SMM lock, argument checks and the "
                   "VMID-wide TLB flush with its checked VTTBR_EL2 writes." % (
                       gate, extra, gate_cost,
                       "the CIEE gate's" if gate == "ciee" else "the SMC's",
                       extra - gate_cost))
    return "\n".join(out)


def write_doc(path, rows, verdict_lines, runs, calls, pages, notes):
    commit = tool_version(["git", "rev-parse", "--short", "HEAD"])
    dirty = tool_version(["git", "status", "--porcelain", "--untracked-files=no"])
    if commit != "unknown" and dirty not in ("unknown", ""):
        commit += " (with uncommitted changes)"
    text = DOC_HEAD.format(date=datetime.date.today().isoformat(),
                           qemu=tool_version(["qemu-system-aarch64", "--version"]),
                           commit=commit, loop=LOOP_INSNS, calls=calls, pages=pages,
                           lcalls=LINUX_CALLS, lwarm=LINUX_WARMUP)
    for name, value, note in rows:
        text += "| %s | %s | %s |\n" % (name, "%.1f" % value if value is not None else "-", note)
    targets = []
    for v in verdict_lines:
        what, _, res = v.partition(": ")
        targets.append("| %s | %s |" % (what, res))
    commands = "\n".join("- %s: `%s`" % (name, " ".join(os.path.relpath(a, ROOT)
                                                         if os.path.exists(a) else a
                                                         for a in cmd))
                         for name, cmd in runs)
    text += DOC_TAIL.format(targets="\n".join(targets), boots=len(runs), commands=commands,
                            analysis=notes)
    with open(path, "w") as f:
        f.write(text)


def tee_runs(pool, builds, gates, vtz, native, args):
    """The TEE comparisons (GATE=ciee only): {(tee, "rev"|"linux"): dict(vtz,
    native, commands) or dict(why)}."""
    extra = {}
    if "ciee" not in gates or args.no_native:
        return extra
    build = builds["ciee"]
    g, n = vtz["ciee"]["guest"], native.get("guest")
    if n:
        extra[("vtz-tee", "rev")] = dict(vtz=g["revision-call"], native=n["revision-call"])
        if "yield-call" in g and "yield-call" in n:
            extra[("vtz-tee", "yield")] = dict(vtz=g["yield-call"], native=n["yield-call"])
    optee = args.optee if os.path.exists(args.optee) else None
    jobs = {}
    if optee:
        jobs[("optee", "rev", "vtz")] = pool.submit(run_vtz, build, args.timeout, args.verbose,
                                                    optee)
        jobs[("optee", "rev", "native")] = pool.submit(run_native, build, args.timeout,
                                                       args.verbose, optee)
    else:
        extra[("optee", "rev")] = dict(why="no OP-TEE OS image at %s" % args.optee)
    linux = not args.no_linux
    if linux:
        try:
            vtz_run.linux_files(build)
        except FileNotFoundError as e:
            linux = False
            extra[("vtz-tee", "linux")] = dict(why=str(e))
    if linux:
        for tee, image in (("vtz-tee", None), ("optee", optee)):
            if tee == "optee" and not optee:
                continue
            for home in ("vtz", "native"):
                jobs[(tee, "linux", home)] = pool.submit(
                    run_linux, build, home == "native", image, tee == "optee",
                    max(args.timeout, 600), args.verbose)
    for (tee, key, home), fut in jobs.items():
        res = fut.result()
        got = extra.setdefault((tee, key), {})
        if key == "rev":
            if "guest" not in res:
                extra[(tee, key)] = dict(why=res.get("why", "no figure"))
                continue
            got[home] = res["guest"]["revision-call"]
            # OP-TEE logs every refused message ("Bad arg address"): its
            # yield-call would measure its console, not the call.
            if tee != "optee" and "yield-call" in res["guest"]:
                y = extra.setdefault((tee, "yield"), {})
                y[home] = res["guest"]["yield-call"]
                y["%s-cmd" % home] = res["cmd"]
        else:
            got[home] = res["insns"]
        got["%s-cmd" % home] = res["cmd"]
    return extra


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-root", default="build",
                    help="directory holding ciee/ and el3/ images (default build)")
    ap.add_argument("--gate", action="append", choices=GATES,
                    help="measure only this gate (repeatable; default both); "
                         "docs are then not rewritten")
    ap.add_argument("--no-native", action="store_true", help="skip the native run")
    ap.add_argument("--doc", default=os.path.join(ROOT, "docs", "performance.md"),
                    help="file to rewrite with the results (default docs/performance.md)")
    ap.add_argument("--no-doc", action="store_true", help="do not rewrite the doc")
    ap.add_argument("--optee", default=os.path.join("build", "optee", "out", "core",
                                                    "tee-raw.bin"), metavar="IMAGE",
                    help="OP-TEE OS's image for its figures (default: make optee-os's; "
                         "skipped if missing)")
    ap.add_argument("--no-linux", action="store_true",
                    help="skip the Linux-level libteec figures")
    ap.add_argument("--no-memory", action="store_true",
                    help="skip the memory-per-pair run (sixteen-pairs; test_scale boots it)")
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("-v", "--verbose", action="store_true", help="show every console line")
    args = ap.parse_args()

    gates = tuple(g for g in GATES if not args.gate or g in args.gate)
    builds = {g: os.path.join(args.build_root, g) for g in gates}
    native_build = builds[gates[0]]
    print("bench conversion: -icount shift=%d => %d ns per instruction; CNTFRQ_EL0 = %d Hz "
          "=> %d ns per tick; instructions = ticks * %d / operations"
          % (ICOUNT_SHIFT, 2 ** ICOUNT_SHIFT, EXPECTED_CNTFRQ, 10 ** 9 // EXPECTED_CNTFRQ,
             10 ** 9 // EXPECTED_CNTFRQ // 2 ** ICOUNT_SHIFT), flush=True)
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
            futs = {g: pool.submit(run_vtz, builds[g], args.timeout, args.verbose)
                    for g in gates}
            nat_fut = None if args.no_native else pool.submit(
                run_native, native_build, args.timeout, args.verbose)
            vtz = {g: futs[g].result() for g in gates}
            native = nat_fut.result() if nat_fut else dict(why="skipped (--no-native)")
            extra = tee_runs(pool, builds, gates, vtz, native, args)
            mem = None if args.no_memory else run_memory(builds[gates[0]], args.timeout,
                                                          args.verbose)
    except (BenchError, ValueError, FileNotFoundError) as e:
        print("bench: FAILED: %s" % e, file=sys.stderr)
        return 1

    rows = figures(gates, vtz, native) + tee_figures(extra)
    for r in rows:
        print(line(*r))
    vl = verdicts(gates, vtz, native) + tee_verdicts(extra)
    if mem:
        mem_out, mem_verdict = memory_lines(mem)
        for m in mem_out:
            print(m)
        vl.append(mem_verdict)
    for v in vl:
        print("bench target: %s" % v)
    if not args.no_doc and not args.gate:
        runs = [("vtz-%s" % g, vtz[g]["cmd"]) for g in gates]
        if mem:
            runs.append(("memory per pair (sixteen-pairs)", mem["cmd"]))
        if "cmd" in native:
            runs.append(("native", native["cmd"]))
        for (tee, key), got in sorted(extra.items()):
            for home in ("vtz", "native"):
                if got and "%s-cmd" % home in got:
                    runs.append(("%s %s %s" % (key, tee, home), got["%s-cmd" % home]))
        write_doc(args.doc, rows, vl, runs, calls=vtz[gates[0]]["guest"]["calls"],
                  pages=vtz[gates[0]]["hyp"]["checked"]["pages"],
                  notes=analysis(gates, vtz, native))
        print("bench: results written to %s" % os.path.relpath(args.doc, os.getcwd()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
