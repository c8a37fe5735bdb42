"""System tests: native TrustZone, the baseline. The same TEE image runs at
S-EL1 behind the EL3 monitor (its opteed dispatcher), no CIEE, no hypervisor.

Lines of the TEE (secure UART, its own stream) and of the normal world
(UART0, with the monitor) are only ordered within each stream, so the
order checks below stay inside one stream."""
import os
import re
import subprocess

import pytest

from conftest import BUILD, NATIVE_ONCE, find, run_to_end

PREFIXES = ("[mon] ", "[tee] ", "[ns] ", "[run] ")
FLASH_TEE_OFFSET = 0x100000


@pytest.fixture(scope="module")
def native_run():
    return run_to_end("native")


def stream(lines, *prefixes):
    return [l for l in lines if l.startswith(prefixes)]


def symbol(elf, name):
    out = subprocess.run(["aarch64-linux-gnu-nm", os.path.join(BUILD, elf)],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        addr, _, sym = line.split()
        if sym == name:
            return int(addr, 16)
    pytest.fail("no symbol %s in %s" % (name, elf))


@NATIVE_ONCE
def test_native_scenario_exits_zero(native_run):
    status, lines = native_run
    assert status == 0, "\n".join(lines)
    assert lines[-1] == "[run] ok: clean power-off"
    assert not [l for l in lines if "FATAL" in l]


@NATIVE_ONCE
def test_flash_carries_the_very_same_tee_image():
    flash = open(os.path.join(BUILD, "flash-native.bin"), "rb").read()
    mon = open(os.path.join(BUILD, "monitor-native.bin"), "rb").read()
    tee = open(os.path.join(BUILD, "tee.bin"), "rb").read()
    assert flash[:len(mon)] == mon
    # Byte for byte the image the hypervisor loads as a guest TEE.
    assert flash[FLASH_TEE_OFFSET:] == tee


@NATIVE_ONCE
def test_no_ciee_no_hypervisor_on_the_command_line():
    import vtz_run
    cmd = vtz_run.qemu_command(BUILD, "native")
    joined = " ".join(cmd)
    assert "-bios %s" % os.path.join(BUILD, "flash-native.bin") in joined
    assert "guest-native.bin,addr=0x48000000" in joined
    for image in ("ciee.bin", "hyp.bin", "tee.bin", "monitor.bin"):
        assert "/" + image not in joined
    # The secure UART has its own serial port.
    assert cmd.count("-serial") == 2


@NATIVE_ONCE
def test_monitor_boots_the_tee_at_sel1_then_the_normal_world(native_run):
    _, lines = native_run
    mon = stream(lines, "[mon] ", "[ns] ")
    order = [
        find(mon, r"^\[mon\] vTZ monitor at EL3: .*native TrustZone \(TEE at S-EL1, no CIEE, "
                  r"no hypervisor\)$"),
        find(mon, r"^\[mon\] TEE image: \d+ bytes from flash 0x100000 copied to secure RAM "
                  r"0xe100000; entering it at S-EL1$"),
        find(mon, r"^\[mon\] TEE initialised at S-EL1: ENTRY_DONE, vector table at 0x[0-9a-f]+$"),
        find(mon, r"^\[mon\] entering the normal world at NS-EL1 at 0x48000000"),
        find(mon, r"^\[ns\] bare-metal guest at EL1: calling my TEE$"),
        find(mon, r"^\[ns\] powering off \(PSCI SYSTEM_OFF\)$"),
        find(mon, r"^\[mon\] PSCI SYSTEM_OFF$"),
        find(mon, r"^\[mon\] system off$"),
    ]
    assert order == sorted(order), "out of order:\n" + "\n".join(mon)
    find(lines, r"^\[tee\] vTZ TEE kernel: initialised, registering vectors$")
    assert not stream(lines, "[ciee] ", "[hyp] ", "[vm0] ", "[tee0] ")


@NATIVE_ONCE
def test_entry_done_registers_the_tees_own_vector_table(native_run):
    _, lines = native_run
    m = re.search(r"vector table at (0x[0-9a-f]+)$",
                  lines[find(lines, r"^\[mon\] TEE initialised at S-EL1: ENTRY_DONE")])
    assert int(m.group(1), 16) == symbol("tee.elf", "tee_vector_table")


@NATIVE_ONCE
def test_normal_world_cannot_read_the_tee(native_run):
    """Natively, the hardware stops a non-secure read of secure RAM with an
    external abort: the same ESR the hypervisor injects under vTZ."""
    _, lines = native_run
    find(lines, r"^\[ns\] my TEE's memory at 0xe100000 \(secure RAM\): out of my reach "
                r"\(external abort, ESR 0x96000010\)$")


@NATIVE_ONCE
def test_round_trip_reply_computed_by_the_tee(native_run):
    _, lines = native_run
    tee = stream(lines, "[tee] ")
    i = find(tee, r"^\[tee\] ping #\d+ on cpu0: 0x1234, 0x5678$")
    j = find(tee, r"^\[tee\] ping #\d+ on cpu0: 0xdeadbeef00, 0x1100ff$")
    assert i < j
    ns = stream(lines, "[ns] ")
    order = [
        find(ns, r"^\[ns\] TEE UID 384fb3e0-e7f811e3-af630002-a5d5c51b$"),
        find(ns, r"^\[ns\] round trip ok: TEE replied 0x1234 \+ 0x5678 = 0x68ac "
                 r"\(xor 0x444c, call #\d+, TEE cpu0\)$"),
        find(ns, r"^\[ns\] round trip ok: TEE replied 0xdeadbeef00 \+ 0x1100ff = "
                 r"0xdeadcfefff \(xor 0xdeadafefff, call #\d+, TEE cpu0\)$"),
        find(ns, r"^\[ns\] SMCCC version 0x10001$"),
    ]
    assert order == sorted(order)


@NATIVE_ONCE
def test_every_line_is_prefixed(native_run):
    _, lines = native_run
    body = [l for l in lines if not l.startswith("[run] booting")]
    bad = [l for l in body if not l.startswith(PREFIXES)]
    assert not bad, "unprefixed console lines: %r" % bad


@NATIVE_ONCE
def test_monitor_refuses_a_flash_without_a_tee():
    import vtz_run
    cmd = vtz_run.qemu_command(BUILD, "native")
    cmd[cmd.index("-bios") + 1] = os.path.join(BUILD, "monitor-native.bin")
    status, lines = vtz_run.run(cmd, timeout=30, echo=False)
    assert status == 1, "\n".join(lines)
    find(lines, r"^\[mon\] FATAL: no TEE image in flash at 0x100000 \(boot with -bios "
                r"flash-native.bin")
    assert not stream(lines, "[tee] ", "[ns] ")


@NATIVE_ONCE
def test_call_after_the_tee_died_fails_instead_of_hanging():
    status, lines = run_to_end("native-tee-fault", timeout=30)
    # The TEE's own FATAL report fails the run; a hang would be 124.
    assert status == 1, "\n".join(lines)
    find(lines, r"^\[tee\] test hook: faulting on purpose$")
    find(lines, r"^\[tee\] FATAL: unexpected exception in the TEE: ESR=0x96")
    mon = stream(lines, "[mon] ", "[ns] ")
    order = [
        find(mon, r"^\[ns\] ping before the fault: x0=0x0$"),
        find(mon, r"^\[mon\] TEE stopped: it reported itself dead with TEESMC_VTZ_TEE_DEAD "
                  r"\(x0=0xbe00dead EC=0x17 "),
        find(mon, r"^\[mon\] trusted-OS call 0xb200f0fe failed: the TEE was stopped$"),
        find(mon, r"^\[ns\] faulting call: x0=0xffffffff$"),
        find(mon, r"^\[ns\] ping after the fault: x0=0xffffffff$"),
        find(mon, r"^\[ns\] call after the TEE died failed with UNKNOWN_FUNCTION, as it must$"),
        find(mon, r"^\[mon\] system off$"),
    ]
    assert order == sorted(order), "out of order:\n" + "\n".join(mon)
    assert lines[-1] == "[run] FAILED: a FATAL error was reported"


def test_same_tee_death_under_the_ciee():
    """The other home: the CIEE stops the TEE on the same SMC (ciee/tee.c)."""
    status, lines = run_to_end("tee-fault", timeout=30)
    assert status == 1, "\n".join(lines)
    # Of four VMs, only vm1 breaks its TEE (tee1); the CIEE stops that TEE alone.
    find(lines, r"^\[tee1\] FATAL: unexpected exception in the TEE: ESR=0x96")
    i = find(lines, r"^\[ciee\] TEE vm\d+ stopped: unexpected SMC from the TEE \(vCPU 0: EC=0x17 ")
    j = find(lines, r"^\[vm1\] call after the TEE died failed with UNKNOWN_FUNCTION, as it must$")
    assert i < j
    assert len([l for l in lines if re.match(r"^\[ciee\] TEE vm\d+ stopped", l)]) == 1
    assert not [l for l in lines if re.match(r"^\[tee[023]\] FATAL", l)]
    # The other VMs went on using their own TEEs, before and after the death.
    for vm in (0, 2, 3):
        find(lines, r"^\[vm%d\] 2000 calls while another VM's TEE died: my TEE and my "
                    r"secret are fine$" % vm)
    find(lines, r"^\[mon\] system off$")
