"""VMs destroyed, started and restarted at run time from the hypervisor's
management console (Ctrl-] v, hyp/mgmt.c), the other VMs running or
done: the CIEE tears each VM and its TEE down (VM_DESTROY), the new
instance reuses the ids and memory and runs its own image and TEE."""
import os
import re
import sys

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("VTZ_BUILD", os.path.join(ROOT, "build", "ciee"))


def spawn(scenario="default"):
    cmd = [sys.executable, os.path.join(ROOT, "scripts", "vtz_run.py"), "--build", BUILD,
           "--scenario", scenario, "--console", "--timeout", "120"]
    p = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8", codec_errors="replace", timeout=90)
    return p


def command(p, line, done):
    p.send(line + "\r")
    p.expect(done)
    return p.match


def test_destroy_start_restart_from_the_console():
    p = spawn()
    # Typed at once: it waits in the UART until the hypervisor's first look,
    # before the (short-lived) guests can power off.
    p.expect(r"\[run\] booting")
    p.send("\x1dv")
    p.expect(r"vtz> management console")
    m = command(p, "list", r"vtz> (\d+) MiB of VM memory free")
    free_running = int(m.group(1))
    # vm3 mid-run (its TEE calls in flight or between them): torn down by the CIEE.
    command(p, "destroy vm3", r"vtz> destroy vm3: (done|failed)")
    # (While the console is open the machine stays up, however short the guests.)
    assert p.match.group(1) == "done"
    before = p.before
    assert re.search(r"VM vm(\d+) and its TEE vm(\d+) destroyed: \d+ pages zeroed and given "
                     r"back, \d+ table pages freed", before), before
    assert "vm3 destroyed with tee3: 31 MiB back in the pool" in before, before
    m = command(p, "list", r"vtz> (\d+) MiB of VM memory free")
    assert int(m.group(1)) == free_running + 32  # 16 + 15 MiB in 2 MiB chunks
    assert re.search(r"vtz> vm3\s+destroyed", p.before), p.before
    # Unknown names and commands are refused with a reason.
    command(p, "destroy vm9", r"vtz> no VM named 'vm9'")
    command(p, "frobnicate vm0", r"vtz> unknown command 'frobnicate'")
    # A new vm3 on the same ids and memory: its TEE boots and answers it.
    command(p, "start vm3", r"vtz> start vm3: (done|failed)")
    assert p.match.group(1) == "done"
    p.expect(r"\[vm3\] my secret 0x[0-9a-f]+ is in my TEE, and slot 0 there is mine")
    command(p, "restart vm2", r"vtz> restart vm2: (done|failed)")
    assert p.match.group(1) == "done"
    p.send("\x1d")
    p.expect(r"vms: (\d+) started, (\d+) stopped cleanly, (\d+) failed")
    started, clean, failed = (int(g) for g in p.match.groups())
    assert (started, clean, failed) == (6, 6, 0), p.match.group(0)
    p.expect(r"\[run\] ok: clean power-off")
    p.expect(pexpect.EOF)



CYCLES = 100


def test_hundred_create_destroy_cycles_while_two_others_load():
    """vms/lifecycle.dts: cyc powers off and is destroyed and created again
    (on-poweroff = "restart") 100 times; each new cyc checks that its RAM
    and its TEE's store hold nothing (the previous one filled both), while
    load1 and load2 call their TEEs all along. Then all three are destroyed
    from the console, load2 in the middle of a TEE call: the VM pool and the
    CIEE's table pages are back where they were before any VM existed."""
    p = spawn("lifecycle")
    p.expect(r"\[run\] booting")
    p.send("\x1dv")
    p.expect(r"\((\d+) table pages\); RAM up to")
    tables_boot = int(p.match.group(1))
    p.expect(r"VM pool: (\d+) MiB free")
    pool = int(p.match.group(1))
    loads = {"load1": 0, "load2": 0}
    cycles = 0
    while cycles < CYCLES:
        i = p.expect([r"\[cyc\] cycle: nothing of an earlier VM",
                      r"\[(load[12])\] load: \d+ calls to my TEE, every reply mine",
                      r"FATAL[^\r\n]*"])
        if i == 0:
            cycles += 1
        elif i == 1:
            loads[p.match.group(1)] += 1
        else:
            raise AssertionError(p.match.group(0))
    # The load went on all along, each VM answered by its own TEE.
    assert loads["load1"] >= 2 and loads["load2"] >= 2, loads
    command(p, "list", r"vtz> (\d+) MiB of VM memory free")
    assert re.search(r"vtz> load1\s+running", p.before), p.before
    starts = int(re.search(r"vtz> cyc .*?(\d+)\r*$", p.before, re.M).group(1))
    assert starts > CYCLES, p.before
    # load2 makes long TEE calls, preempted by the tick: destroyed in the
    # middle of one (tried again on the rare turn it was between two).
    for attempt in range(10):
        command(p, "destroy load2", r"vtz> destroy load2: (done|failed)")
        assert p.match.group(1) == "done", p.before
        if "load2: destroying it with 1 TEE call in flight" in p.before:
            break
        command(p, "start load2", r"vtz> start load2: (done|failed)")
        p.expect(r"\[load2\] load: \d+ calls to my TEE, every reply mine")
    else:
        raise AssertionError("load2 was never destroyed in the middle of a TEE call")
    for name in ("load1", "cyc"):
        command(p, "destroy " + name, r"vtz> destroy %s: (done|failed)" % name)
        assert p.match.group(1) == "done", p.before
    tables_end = int(re.findall(r"table pages freed \((\d+) in use\)", p.before)[-1])
    assert tables_end == tables_boot, (tables_end, tables_boot)
    m = command(p, "list", r"vtz> (\d+) MiB of VM memory free")
    assert int(m.group(1)) == pool, (m.group(1), pool)
    p.send("\x1d")
    p.expect(r"vms: (\d+) started, (\d+) stopped cleanly, (\d+) failed")
    started, clean, failed = (int(g) for g in p.match.groups())
    assert failed == 0 and started == clean and started >= CYCLES + 2, p.match.group(0)
    p.expect(r"\[run\] ok: clean power-off")
    p.expect(pexpect.EOF)
