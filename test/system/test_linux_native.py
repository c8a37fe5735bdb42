"""The Linux guest in the native home (scenario linux-native, issue 10): the
same kernel Image, initramfs and command line as a vTZ VM's, at NS-EL1
directly on the EL3 monitor, on 2 CPUs, the TEE at S-EL1 (ours, or OP-TEE
OS unmodified with --tee), no CIEE and no hypervisor. Linux's device tree
is QEMU's own with what firmware adds (scripts/vtz_run.py,
native_linux_dtb()). Needs `make linux-guest` (make test builds it); the
OP-TEE test needs `make optee-os`.

Linux's lines reach UART0 with no prefix of their own: the runner gives
them "[ns] ". Lines of the TEE ("[tee] ", the secure UART) are ordered
only among themselves."""
import hashlib
import hmac
import os
import re
import struct

import pytest

from conftest import BUILD, NATIVE_ONCE, find

import test_keys as keys
import vtz_run

pytestmark = NATIVE_ONCE

TIMEOUT = 200
OPTEE_OS_BIN = os.path.join(os.path.dirname(BUILD), "optee", "out", "core", "tee-raw.bin")

# What a user of the TEE does, as vm0 does in test_linux.py: the demo (every
# TA), a secret put and read back, calls under load from two processes at
# once (one per CPU, so both CPUs enter the TEE), FP/SIMD state checked
# across those calls, and the secret read again after all that.
# Then two asynchronous notifications from the TEE (issue 10), as vm0's.
RUN = ("/etc/vtz/demo.sh,vtz-client:put:secret:native-own,vtz-client:get:secret,"
       "/etc/vtz/load.sh:2000,/etc/vtz/fpcheck.sh:500,vtz-client:get:secret,"
       "vtz-client:notify,vtz-client:notify,grep:optee_notification:/proc/interrupts")


def boot(run, tee=None, tee_input=None):
    """Boot linux-native with /init running `run`; tee: a TEE image path
    (the flash carries it) or None for ours; tee_input: what to type on
    the secure console, and after which line (vtz_run.run()). Returns
    (status, lines)."""
    try:
        vtz_run.linux_files(BUILD)
    except FileNotFoundError as e:
        pytest.fail("%s (make test builds it with `make linux-guest`)" % e)
    sc = vtz_run.SCENARIOS["linux-native"]
    cmd = vtz_run.qemu_command(BUILD, "linux-native", tee=tee,
                               linux_cmdlines=[vtz_run.linux_cmdline(sc, 0, run)])
    return vtz_run.run(cmd, TIMEOUT, echo=False,
                       ns_prefix=vtz_run.scenario_ns_prefix("linux-native"),
                       tee_input=tee_input)


@pytest.fixture(scope="module")
def ours():
    return boot(RUN)


def ns(lines):
    return [l for l in lines if l.startswith("[ns] ")]


def test_linux_boots_on_two_cpus_at_ns_el1_and_powers_off_cleanly(ours):
    status, lines = ours
    assert status == 0, "\n".join(lines)
    find(lines, r"^\[mon\] TEE initialised at S-EL1: ENTRY_DONE, vector table at 0x[0-9a-f]+$")
    find(lines, r"^\[mon\] entering the normal world at NS-EL1 at 0x48000000 with its device "
                r"tree at 0x40100000 ")
    find(lines, r"^\[ns\] \[ +[\d.]+\] Linux version 6\.1\.")
    find(lines, r"^\[ns\] \[ +[\d.]+\] psci: PSCIv1\.1 detected in firmware\.$")
    # The same command line as vm0's first boot under vTZ.
    find(lines, r"^\[ns\] \[ +[\d.]+\] Kernel command line: %s vtz\.vm=0 vtz\.run=\S+ "
                r"vtz\.boot=1$" % vtz_run.LINUX_CMDLINE.replace(".", r"\."))
    # CPU 1 through PSCI CPU_ON: the TEE's cpu_on first, then Linux.
    on = find(lines, r"^\[mon\] CPU_ON cpu1: the TEE's cpu_on first, then the normal world at "
                     r"0x[0-9a-f]+ \(NS-EL1\)$")
    done = find(lines, r"^\[mon\] TEE on cpu1 at S-EL1: ON_DONE$")
    booted = find(lines, r"^\[ns\] \[ +[\d.]+\] CPU1: Booted secondary processor 0x0*1 ")
    assert on < done < booted
    find(lines, r"^\[tee\] vTZ TEE kernel: cpu1 on$")
    find(lines, r"^\[ns\] \[ +[\d.]+\] smp: Brought up 1 node, 2 CPUs$")
    find(lines, r"^\[ns\] \[ +[\d.]+\] CPU: All CPU\(s\) started at EL1$")
    find(lines, r"^\[ns\] \[linux\] init: kernel 6\.1\.\S+, 2 CPUs, boot id [0-9a-f-]{36}$")
    find(lines, r"^\[ns\] vtz-linux: done \(9 commands, 0 failed\)$")
    off = find(lines, r"^\[mon\] PSCI SYSTEM_OFF$")
    assert lines[off + 1] == "[mon] system off", lines[off:]
    assert lines[-1] == "[run] ok: clean power-off"
    assert not [l for l in lines if "FATAL" in l or "Oops" in l or "BUG:" in l
                or "TEE stopped" in l]


def test_the_stock_optee_driver_probes_our_tee(ours):
    _, lines = ours
    find(lines, r"^\[ns\] \[linux\] insmod tee\.ko: ok$")
    find(lines, r"^\[ns\] \[linux\] insmod optee\.ko: ok$")
    find(lines, r"^\[ns\] \[ +[\d.]+\] optee: revision 0\.4$")
    find(lines, r"^\[ns\] \[ +[\d.]+\] optee: Asynchronous notifications enabled$")
    find(lines, r"^\[ns\] \[ +[\d.]+\] optee: dynamic shared memory is enabled$")
    find(lines, r"^\[ns\] \[ +[\d.]+\] optee: initialized driver$")
    find(lines, r"^\[ns\] \[linux\] /dev/tee0: present$")
    find(lines, r"^\[ns\] \[linux\] /dev/teepriv0: present$")
    find(lines, r"^\[ns\] \[linux\] tee-supplicant: started$")


def test_libteec_calls_reach_every_ta(ours):
    _, lines = ours
    out = ns(lines)
    find(out, r"vtz-client: ping: ok \(0x1234 \+ 0x5678 = 0x68ac\)$")
    find(out, r"vtz-client: echo-mem 12388: ok \(sum 0x1816b2, copy matches, input "
              r"spans 4 pages\)$")
    find(out, r"vtz-client: yield 3: ok \(3 resumes\)$")
    find(out, r"\[linux\] run /etc/vtz/demo\.sh: exit 0$")


def test_a_secret_is_kept_and_read_back(ours):
    _, lines = ours
    out = ns(lines)
    put = find(out, r"^\[ns\] vtz-client: put secret: ok$")
    got = [i for i, l in enumerate(out) if l == "[ns] vtz-client: get secret: native-own"]
    # Read back at once, and again after the load and the FP check.
    assert len(got) == 2 and put < got[0], got
    find(out, r"\[linux\] run vtz-client get secret: exit 0$")


def test_calls_under_load_from_both_cpus(ours):
    _, lines = ours
    out = ns(lines)
    loops = [l for l in out if "vtz-client: loop 2000: ok" in l]
    assert len(loops) == 2, loops
    find(out, r"^\[ns\] load: ok \(2 x 2000 calls\)$")
    find(out, r"\[linux\] run /etc/vtz/load\.sh 2000: exit 0$")
    # FP/SIMD registers survive the world switches (two checkers at once).
    for seed in (1, 2):
        find(out, r"vtz-fpcheck %d: 500 rounds, 0 registers changed$" % seed)
    find(out, r"\[linux\] run /etc/vtz/fpcheck\.sh 500: exit 0$")


def test_tee_notification_reaches_linux_through_the_real_gic(ours):
    """Our TEE at S-EL1 raises SPI 219 with a secure write of the real
    GICD_ISPENDR (the monitor leaves every SPI non-secure group 1, as TF-A
    does): the GIC delivers it to Linux, whose driver runs the bottom half."""
    _, lines = ours
    out = ns(lines)
    find(out, r"vtz-client: notify: ok \(0 bottom halves before\)$")
    find(out, r"vtz-client: notify: ok \([1-9]\d* bottom halves before\)$")
    irq = out[find(out, r"^\[ns\] +\d+: .* GICv3 219 Edge +optee_notification$")]
    assert sum(int(n) for n in irq.split()[2:-4]) >= 2, irq


def test_the_key_ta_tag_is_the_native_tees_key(ours):
    """Our TEE is measured over the same bytes in both homes; natively it has
    no VM (its key's identity is 16 zero bytes), so its key TA gives
    HMAC-SHA256 under HKDF-Expand(the TEE's key, "vTZ key TA" || 0), the
    TEE's key derived from this build's root key, tee.bin's SHA-256 and that
    empty identity (a vTZ VM's TEE: its VM's name instead, test_keys)."""
    _, lines = ours
    root = open(keys.ROOT_KEY, "rb").read()
    tee_key = keys.tee_key(keys.image("tee.bin"))
    k = keys.hkdf_expand(tee_key, b"vTZ key TA" + struct.pack("<Q", 0), 32)
    want = hmac.new(k, b"hello", hashlib.sha256).hexdigest()
    find(lines, r"^\[ns\] vtz-client: mac 0: %s$" % want)
    text = "\n".join(lines)
    assert tee_key.hex() not in text and root.hex() not in text


def test_linux_gets_psci_optee_and_its_initramfs_in_its_device_tree():
    """The tree the runner makes (for our TEE): QEMU's, plus firmware's."""
    import subprocess
    try:
        vtz_run.linux_files(BUILD)
    except FileNotFoundError as e:
        pytest.fail("%s (make test builds it with `make linux-guest`)" % e)
    cmd = vtz_run.qemu_command(BUILD, "linux-native")
    dtb = os.path.join(BUILD, "linux-native.dtb")
    assert "loader,file=%s,addr=0x40100000,force-raw=on" % dtb in " ".join(cmd)

    def get(path, prop, *opt):
        return subprocess.run(["fdtget"] + list(opt) + [dtb, path, prop], check=True,
                              capture_output=True, text=True).stdout.split()

    assert get("/psci", "compatible") == ["arm,psci-1.0", "arm,psci-0.2"]
    assert get("/psci", "method") == ["smc"]
    assert get("/cpus/cpu@0", "enable-method") == get("/cpus/cpu@1", "enable-method") == ["psci"]
    assert get("/firmware/optee", "compatible") == ["linaro,optee-tz"]
    assert get("/firmware/optee", "method") == ["smc"]
    # SPI 219 (OP-TEE's notification on this machine), edge: as OP-TEE writes it.
    assert get("/firmware/optee", "interrupts") == ["0", "187", "1"]
    assert get("/chosen", "linux,initrd-start", "-tx") == ["0", "50000000"]
    end = 0x50000000 + os.path.getsize(vtz_run.linux_files(BUILD)[1])
    assert get("/chosen", "linux,initrd-end", "-tx") == ["0", "%x" % end]
    # The machine's memory, as QEMU describes it: all of the normal world's RAM.
    assert get("/memory@40000000", "reg", "-tx") == ["0", "40000000", "0", "40000000"]


def test_a_person_types_into_its_console():
    """make run SCENARIO=linux-native VM_SHELL=1: a shell on Linux's console,
    what is typed goes straight to it (no hypervisor between); it powers
    the machine off when the shell exits."""
    import pexpect
    from conftest import ROOT
    try:
        vtz_run.linux_files(BUILD)
    except FileNotFoundError as e:
        pytest.fail(str(e))
    c = pexpect.spawn("/usr/bin/python3",
                      [os.path.join(ROOT, "scripts", "vtz_run.py"), "--build", BUILD,
                       "--scenario", "linux-native", "--shell", "--vm-run", "vtz-client:ping"],
                      cwd=ROOT, encoding="utf-8", codec_errors="replace", timeout=TIMEOUT)
    try:
        c.expect(r"\[ns\] vtz-client: ping: ok")
        c.expect(r"\[ns\] Enter 'help' for a list of built-in commands")
        c.send("echo typed-$((6*7))\r")
        c.expect(r"\[ns\] typed-42")
        c.send("vtz-client get nothing; echo rc=$?\r")
        c.expect(r"\[ns\] vtz-client: error: get nothing: not found")
        c.expect(r"\[ns\] rc=1")
        c.send("exit\r")
        c.expect(r"\[mon\] PSCI SYSTEM_OFF")
        c.expect(r"\[run\] ok: clean power-off")
    finally:
        c.close(force=True)


def test_optee_os_unmodified_probes_natively():
    """OP-TEE OS 4.9.0 as built by `make optee-os`, carried in the flash
    image (header-less: measured at its flash record's size), entered per
    opteed with the device tree in x2, which it extends with its own
    /firmware/optee node and reserved memory: Linux's stock driver probes
    it, tee-supplicant serves it (a session to a TA it does not have goes
    to tee-supplicant to load it, and fails cleanly), on 2 CPUs. A byte
    typed on the secure UART (its console, which it owns natively) reaches
    it as its console's secure interrupt, which the monitor hands to its
    fiq_entry while Linux runs, as TF-A's opteed does; it raises its
    notification, so Linux's count of SPI 219 goes up."""
    if not os.path.exists(OPTEE_OS_BIN):
        pytest.skip("%s is missing: OP-TEE OS is not built (make optee-os)" % OPTEE_OS_BIN)
    status, lines = boot("vtz-client:ping,ls:/proc/device-tree/reserved-memory,"
                         "grep:optee_notification:/proc/interrupts,sleep:3,"
                         "grep:optee_notification:/proc/interrupts", tee=OPTEE_OS_BIN,
                         tee_input=[("[linux] run sleep 3", b"n\r")])
    assert status == 0, "\n".join(lines)
    size = os.path.getsize(OPTEE_OS_BIN)
    find(lines, r"^\[mon\] TEE measured: sha256 %s \(%d bytes at 0xe100000\)$"
         % (hashlib.sha256(open(OPTEE_OS_BIN, "rb").read()).hexdigest(), size))
    find(lines, r"^\[tee\] I/TC: Non-secure external DT found$")
    find(lines, r"^\[tee\] I/TC: Primary CPU switching to normal world boot$")
    find(lines, r"^\[mon\] TEE initialised at S-EL1: ENTRY_DONE, vector table at 0x[0-9a-f]+$")
    find(lines, r"^\[tee\] I/TC: Secondary CPU 1 switching to normal world boot$")
    find(lines, r"^\[mon\] TEE on cpu1 at S-EL1: ON_DONE$")
    find(lines, r"^\[ns\] \[ +[\d.]+\] smp: Brought up 1 node, 2 CPUs$")
    find(lines, r"^\[ns\] \[linux\] insmod optee\.ko: ok$")
    find(lines, r"^\[ns\] \[ +[\d.]+\] optee: revision 4\.9\b")
    # Built with CFG_CORE_ASYNC_NOTIF=y: it added SPI 219 to its own node,
    # and the driver took it; its console's interrupt raises it.
    find(lines, r"^\[tee\] I/TC: Asynchronous notifications are enabled$")
    find(lines, r"^\[ns\] \[ +[\d.]+\] optee: Asynchronous notifications enabled$")
    counts = [sum(map(int, m.group(1).split())) for m in (
        re.match(r"^\[ns\] +\d+:((?: +\d+)+) +GICv3 219 Edge +optee_notification$", l)
        for l in lines) if m]
    assert len(counts) == 2 and counts[1] > counts[0], \
        "OP-TEE raised no notification for the byte typed to it: %s" % counts
    find(lines, r"^\[ns\] \[ +[\d.]+\] optee: initialized driver$")
    find(lines, r"^\[ns\] \[linux\] /dev/tee0: present$")
    find(lines, r"^\[ns\] \[linux\] tee-supplicant: started$")
    find(lines, r"^\[ns\] vtz-client: error: echo TA: bad UUID \(TEEC_OpenSession: 0xffff0008 "
                r"TEEC_ERROR_ITEM_NOT_FOUND, origin TEE\)$")
    # OP-TEE marked its memory in the tree Linux booted with (the runner's
    # tree has no /reserved-memory, and no /firmware/optee for OP-TEE).
    out = "\n".join(ns(lines))
    assert "optee_core@e100000" in out and "optee_shm@42000000" in out, out
    assert lines[-1] == "[run] ok: clean power-off"
    assert not [l for l in lines if "FATAL" in l or "Oops" in l or "BUG:" in l
                or "TEE stopped" in l]
    # The flash carried exactly that image, after the native monitor.
    flash = open(os.path.join(BUILD, "flash-native-with-tee-raw.bin"), "rb").read()
    assert flash[0x100000:] == open(OPTEE_OS_BIN, "rb").read()
    assert struct.unpack_from("<Q", flash, 0xff008)[0] == size
