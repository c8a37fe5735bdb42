"""System tests: the hypervisor's tick preempts TEEs mid-call and the CIEE
resumes them transparently (docs/architecture.md, "Interrupts and
preemption").

The 'preempt' scenario is the default one (four VMs, each with its own TEE,
on two CPUs; every guest checks every reply) with a 100 us tick instead of
the default 1 ms (hyp/preempt/tick.c). A TEE call the tick interrupts gives
its CPU back: the VM stays in its call and whichever CPU picks it next
resumes the TEE. The hypervisor counts, per TEE, preemptions, resumes and
resumes on the other CPU, and prints them at the end."""
import re

import pytest

from conftest import run_to_end

TEES = 4
PREEMPTED = re.compile(r"^\[hyp\] (tee\d): preempted (\d+) times mid-call, resumed every time "
                       r"\((\d+) times on another CPU\)$")
TICK = re.compile(r"^\[hyp\] tick every (\d+) us: (\d+) interrupts on cpu0, (\d+) on cpu1")


@pytest.fixture(scope="module")
def preempt_run():
    return run_to_end("preempt")


@pytest.fixture(scope="module")
def default_run():
    return run_to_end("default")


def preemptions(lines):
    """{tee: (preempted, resumed on the other CPU)}, from the final report."""
    found = {}
    for line in lines:
        m = PREEMPTED.match(line)
        if m:
            found[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    return found


def tick(lines):
    for line in lines:
        m = TICK.match(line)
        if m:
            return tuple(int(g) for g in m.groups())
    pytest.fail("no tick report in:\n" + "\n".join(lines))


def check_every_call_returned_right(lines):
    """The guests check every reply; any wrong one fails them loudly."""
    text = "\n".join(lines)
    for i in range(TEES):
        vm = "[vm%d] " % i
        assert (vm + "round trip ok: TEE replied 0x1234 + 0x5678 = 0x68ac") in text, text
        assert (vm + "round trip ok: TEE replied 0xdeadbeef00 + 0x1100ff = 0xdeadcfefff") in text
        assert (vm + "200 calls to my TEE, every reply mine") in text, text
        for slot in (0, 1):  # vCPU 0's and vCPU 1's
            secrets = [l for l in lines if l.startswith(vm + "my secret ")
                       and ("slot %d " % slot) in l]
            assert len(secrets) == 2 and secrets[0] == secrets[1], secrets
        assert (vm + "vCPU 1: 200 calls to my TEE, every reply mine") in text, text
        assert ("[hyp] vm%d: PSCI SYSTEM_OFF" % i) in lines, text
    # (The hypervisor's closing tally says "stopped cleanly": not an error.)
    bad = [l for l in lines if ("FATAL" in l or " failed: " in l or "stopped" in l
                                or "refused" in l) and not l.startswith("[hyp] vms: ")]
    assert "[hyp] vms: %d started, %d stopped cleanly, 0 failed" % (TEES, TEES) in lines
    assert not bad, bad


def test_preempt_scenario_exits_zero(preempt_run):
    status, lines = preempt_run
    assert status == 0, "\n".join(lines)
    assert lines[-1] == "[run] ok: clean power-off"


def test_tee_calls_are_preempted_and_resumed(preempt_run):
    _, lines = preempt_run
    found = preemptions(lines)
    # Every TEE reports, and every preemption was resumed ("every time").
    assert sorted(found) == ["tee%d" % i for i in range(TEES)], "\n".join(lines)
    total = sum(p for p, _ in found.values())
    assert total > 0, found
    # The scheduler ran something else in between: resumes happen on the
    # CPU that picks the VM next, not only where the interrupt came.
    assert sum(e for _, e in found.values()) > 0, found


def test_every_call_still_returns_the_right_reply(preempt_run):
    _, lines = preempt_run
    check_every_call_returned_right(lines)


def test_tick_runs_on_both_cpus(preempt_run):
    _, lines = preempt_run
    period, cpu0, cpu1 = tick(lines)
    assert period == 100
    assert cpu0 > 0 and cpu1 > 0


def test_default_scenario_ticks_every_millisecond(default_run):
    status, lines = default_run
    assert status == 0, "\n".join(lines)
    period, cpu0, cpu1 = tick(lines)
    assert period == 1000 and cpu0 + cpu1 > 0
    # Preemptions there are fewer (and may be few): each one is resumed.
    assert sorted(preemptions(lines)) == ["tee%d" % i for i in range(TEES)], "\n".join(lines)
    check_every_call_returned_right(lines)
