"""System tests: boot the walking skeleton in QEMU and read every console."""
import re
import subprocess

import pytest

from conftest import BUILD, ROOT, find, run_to_end

# Who may speak: the monitor, the CIEE, the hypervisor, each VM and each TEE.
PREFIX = re.compile(r"^\[(mon|ciee|hyp|run|vm\d+|tee\d+)\] ")


@pytest.fixture(scope="module")
def default_run():
    return run_to_end("default")


def test_default_scenario_exits_zero(default_run):
    status, lines = default_run
    assert status == 0, "\n".join(lines)
    assert lines[-1] == "[run] ok: clean power-off"
    # The hypervisor's last word: what became of the VMs of vms/default.dts.
    hyp = [l for l in lines if l.startswith("[hyp] ")]
    assert hyp[-1] == "[hyp] vms: 4 started, 4 stopped cleanly, 0 failed", hyp[-3:]


def test_every_layer_speaks_in_boot_order(default_run):
    _, lines = default_run
    order = [
        find(lines, r"^\[mon\] vTZ monitor at EL3"),
        find(lines, r"^\[mon\] hypervisor text 0x40400000-0x[0-9a-f]+ scanned: no forbidden"),
        find(lines, r"^\[mon\] CIEE at 0x40100000, hypervisor at 0x40400000"),
        find(lines, r"^\[ciee\] EL2 locked"),
        find(lines, r"^\[hyp\] vTZ hypervisor \(untrusted\) at EL2, MMU on"),
        find(lines, r"^\[hyp\] memory: 0x40000000-0x7fffffff \(1024 MiB\)"),
        find(lines, r"^\[hyp\] tee0: guest TEE of vm0"),
        find(lines, r"^\[tee0\] vTZ TEE kernel: initialised"),
        find(lines, r"^\[hyp\] tee0: booted, vector table registered"),
        find(lines, r"^\[vm0\] bare-metal guest at EL1"),
        find(lines, r"^\[vm0\] powering off"),
        find(lines, r"^\[mon\] system off"),
    ]
    assert order == sorted(order), "layers spoke out of order:\n" + "\n".join(lines)


def test_hypervisor_stage1_built_before_it_runs(default_run):
    _, lines = default_run
    # By the CIEE (GATE=ciee) or the monitor (GATE=el3), before EL2 is locked.
    i = find(lines, r"^\[(ciee|mon)\] EL2 stage 1 for the hypervisor: .*CIEE data, tables and "
                    r"ownership unmapped, WXN on")
    assert i < find(lines, r"^\[ciee\] EL2 locked") < find(lines, r"^\[hyp\] ")


def test_every_line_is_prefixed(default_run):
    _, lines = default_run
    body = [l for l in lines if not l.startswith("[run] booting")]
    bad = [l for l in body if not PREFIX.match(l)]
    assert not bad, "unprefixed console lines: %r" % bad


def test_round_trip_reply_computed_by_the_tee(default_run):
    _, lines = default_run
    # The TEE saw the guest's arguments...
    find(lines, r"^\[tee0\] ping #\d+ on cpu0: 0x1234, 0x5678$")
    # ...and the guest got the TEE's reply in its registers.
    i = find(lines, r"^\[vm0\] round trip ok: TEE replied 0x1234 \+ 0x5678 = 0x68ac "
                    r"\(xor 0x444c, call #\d+, TEE cpu0\)$")
    j = find(lines, r"^\[vm0\] round trip ok: TEE replied 0xdeadbeef00 \+ 0x1100ff = "
                    r"0xdeadcfefff")
    assert i < j
    find(lines, r"^\[vm0\] TEE UID 384fb3e0-e7f811e3-af630002-a5d5c51b$")


def test_secondary_cpu_started_at_trusted_entry(default_run):
    _, lines = default_run
    i = find(lines, r"^\[mon\] CPU_ON cpu1: starting at the CIEE warm entry "
                    r"\(requested entry 0x[0-9a-f]+ passed as an argument\)")
    j = find(lines, r"^\[hyp\] cpu1 online at the trusted secondary entry \(MMU on")
    k = find(lines, r"^\[hyp\] 2 of 2 CPUs online$")
    assert i < j < k


def test_clean_shutdown_through_psci(default_run):
    _, lines = default_run
    i = find(lines, r"^\[hyp\] vm0: PSCI SYSTEM_OFF$")
    j = find(lines, r"^\[mon\] PSCI SYSTEM_OFF$")
    k = find(lines, r"^\[mon\] system off$")
    assert i < j < k
    assert not [l for l in lines if "FATAL" in l]


def test_guest_fault_is_reported_and_fails_the_run():
    status, lines = run_to_end("guest-fault")
    assert status == 1, "\n".join(lines)
    # No memory there: the hypervisor injects the external abort the machine
    # would raise, and the guest's own handler reports it and powers off.
    h = find(lines, r"^\[hyp\] vm0 vCPU 0: read at IPA 0x20000000 \(PC 0x4000[0-9a-f]+\): "
                    r"neither its memory nor a device; external abort injected$")
    i = find(lines, r"^\[vm0\] FATAL: unexpected exception at EL1: .*ESR=0x96000010 "
                    r"ELR=0x4000[0-9a-f]+ FAR=0x20000000")
    assert h < i < find(lines, r"^\[mon\] system off$")
    assert not [l for l in lines if "must never appear" in l]
    assert lines[-1] == "[run] FAILED: a FATAL error was reported"


def test_hang_is_caught_by_the_timeout():
    status, lines = run_to_end("guest-hang", timeout=5)
    assert status == 124, "\n".join(lines)
    # Four hanging VMs on two CPUs: the first two to reach their loop keep
    # the CPUs, so which VMs got to print first is up to the scheduler.
    find(lines, r"^\[vm\d\] hang guest: spinning forever$")
    find(lines, r"^\[run\] TIMEOUT: no power-off after 5 s")


def test_monitor_refuses_to_boot_without_a_hypervisor():
    import vtz_run
    cmd = vtz_run.qemu_command(BUILD, "default")
    i = [n for n, a in enumerate(cmd) if "hyp.bin" in a][0]
    del cmd[i - 1:i + 1]
    status, lines = vtz_run.run(cmd, timeout=30)
    assert status == 1
    find(lines, r"^\[mon\] FATAL: no hypervisor image at 0x40400000 \(load hyp.bin there")
    assert not [l for l in lines if l.startswith("[hyp]")]


def test_unknown_scenario_is_a_clear_error():
    r = subprocess.run(["/usr/bin/python3", "scripts/vtz_run.py", "--build", BUILD,
                        "--scenario", "nope"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 2
    assert "unknown scenario 'nope'" in r.stderr


# ---- the default scenario: four VMs, each with its own TEE, on two CPUs ----

def test_four_vms_each_with_its_own_tee(default_run):
    _, lines = default_run
    for i in range(4):
        find(lines, r"^\[hyp\] vm%d: guest VM, 2 vCPUs, 16 MiB RAM at IPA 0x40000000" % i)
        find(lines, r"^\[hyp\] tee%d: guest TEE of vm%d, 15 MiB RAM at IPA 0xe100000" % (i, i))
        find(lines, r"^\[tee%d\] vTZ TEE kernel: initialised" % i)
        find(lines, r"^\[tee%d\] vTZ TEE kernel: cpu1 on$" % i)
        find(lines, r"^\[hyp\] tee%d: booted, vector table registered with the CIEE "
                    r"\(2 vCPUs\)$" % i)
        find(lines, r"^\[vm%d\] round trip ok: TEE replied 0x1234 \+ 0x5678 = 0x68ac" % i)
        find(lines, r"^\[vm%d\] 200 calls to my TEE, every reply mine$" % i)
        find(lines, r"^\[hyp\] vm%d: PSCI SYSTEM_OFF$" % i)


def test_each_vm_keeps_its_own_secret_in_its_own_tee(default_run):
    _, lines = default_run
    secrets = {}
    for i in range(4):
        hits = [l for l in lines if re.match(r"^\[vm%d\] my secret .* slot 0 " % i, l)]
        # Stored, read back, and read back again after 200 more calls.
        assert len(hits) == 2, hits
        m = re.match(r"^\[vm%d\] my secret (0x[0-9a-f]+) is in my TEE, and slot 0 there is "
                     r"mine$" % i, hits[0])
        assert m and hits[0] == hits[1]
        secrets[i] = m.group(1)
    # Four different secrets in the same slot of four TEEs: each TEE's store is its own.
    assert len(set(secrets.values())) == 4, secrets


def test_no_vm_can_read_its_own_tee(default_run):
    """Guarantee 2, from inside the guest: with its secret stored in its TEE,
    each VM reads where its TEE's memory is (secure RAM's address, and the
    TEE's physical address, which the hypervisor tells it) and gets an
    external abort each time, the same ESR as natively (test_native.py)."""
    _, lines = default_run
    for i in range(4):
        pa = re.search(r"PA (0x[0-9a-f]+)\)$",
                       lines[find(lines, r"^\[hyp\] tee%d: guest TEE of vm%d" % (i, i))]).group(1)
        stored = find(lines, r"^\[vm%d\] my secret .* slot 0 " % i)
        a = find(lines, r"^\[vm%d\] my TEE's memory at 0xe100000 \(secure RAM\): out of my "
                        r"reach \(external abort, ESR 0x96000010\)$" % i)
        b = find(lines, r"^\[vm%d\] my TEE's memory at %s \(its physical address\): out of my "
                        r"reach \(external abort, ESR 0x96000010\)$" % (i, pa))
        assert stored < a < b
        find(lines, r"^\[hyp\] vm%d vCPU 0: read at IPA %s .*external abort injected$"
             % (i, hex(int(pa, 16))))


def test_each_vcpu_calls_its_own_tee_vcpu(default_run):
    """vCPU 1 of every VM calls its TEE on the TEE vCPU with index 1 (the
    TEE says which CPU answered), while vCPU 0 makes its own calls; what
    vCPU 1 stored, vCPU 0 reads back from the same TEE."""
    _, lines = default_run
    for i in range(4):
        start = find(lines, r"^\[vm%d\] started vCPU 1 \(PSCI CPU_ON\)$" % i)
        find(lines, r"^\[vm%d\] vCPU 1: up, calling my TEE" % i)
        find(lines, r"^\[tee%d\] ping #\d+ on cpu1: 0x1111, 0x2222$" % i)
        find(lines, r"^\[vm%d\] vCPU 1: round trip ok: TEE replied 0x1111 \+ 0x2222 = 0x3333 "
                    r"\(xor 0x3333, call #\d+, TEE cpu1\)$" % i)
        find(lines, r"^\[vm%d\] vCPU 1: 200 calls to my TEE, every reply mine$" % i)
        slot1 = [l for l in lines if re.match(r"^\[vm%d\] my secret 0x5ec2e701%02x42 is in my "
                                               r"TEE, and slot 1 there is mine$" % (i, i), l)]
        # Stored by vCPU 1, read back by it and then by vCPU 0.
        assert len(slot1) == 2, slot1
        # Both vCPUs' calls were in flight at once: vCPU 1 started before
        # vCPU 0's burst ended.
        assert start < find(lines, r"^\[vm%d\] 200 calls to my TEE, every reply mine$" % i)
        line = lines[find(lines, r"^\[hyp\] vm%d: powered off; " % i)]
        assert line.endswith("(2 of 2 vCPUs ran)"), line


def test_vms_share_both_cpus_and_migrate(default_run):
    _, lines = default_run
    for i in range(4):
        line = lines[find(lines, r"^\[hyp\] vm%d: powered off; " % i)]
        m = re.search(r"(\d+) exits on cpu0, (\d+) on cpu1, moved between CPUs (\d+) times", line)
        assert m, line
        cpu0, cpu1, moves = map(int, m.groups())
        assert cpu0 > 0 and cpu1 > 0 and moves > 0, line


def test_calls_of_different_vms_interleave(default_run):
    _, lines = default_run
    first = {i: find(lines, r"^\[vm%d\] bare-metal guest" % i) for i in range(4)}
    last = {i: find(lines, r"^\[vm%d\] powering off" % i) for i in range(4)}
    # Every VM starts before any VM finishes: they ran side by side.
    assert max(first.values()) < min(last.values()), (first, last)
