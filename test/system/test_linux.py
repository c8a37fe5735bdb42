"""Real Linux guests under vTZ (scenario linux, issue 5): Debian's arm64
cloud kernel with its stock tee.ko/optee.ko, busybox, Debian's libteec and
tee-supplicant, and our vtz-client, in two VMs of two vCPUs, each VM with
its own TEE, on two CPUs. Needs `make linux-guest` (make test builds it)."""
import os
import re

import pytest

from conftest import BUILD, find, GATE_INDEPENDENT

import vtz_run

# With GATE=el3, Linux VMs are tested under the attack suite
# (test_attacks.py: two Linux VMs load their TEEs while every attack runs);
# what these tests add (the driver, libteec, load, FP/SIMD, lifecycle) goes
# through the CIEE's world switch and the hypervisor, the same in both gates.
pytestmark = GATE_INDEPENDENT

TIMEOUT = 200


def boot(*vm_runs):
    """Boot the linux scenario; vm_runs: what each VM's /init runs (vtz.run=),
    or none for the default demo. Returns (exit status, console lines)."""
    try:
        kernel, _ = vtz_run.linux_files(BUILD)
    except FileNotFoundError as e:
        pytest.fail("%s (make test builds it with `make linux-guest`)" % e)
    lines = None
    if vm_runs:
        lines = [vtz_run.LINUX_CMDLINE + " vtz.vm=%d vtz.run=%s" % (i, r)
                 for i, r in enumerate(vm_runs)]
    cmd = vtz_run.qemu_command(BUILD, "linux", linux_cmdlines=lines)
    return vtz_run.run(cmd, TIMEOUT, echo=False)


def vm(lines, i):
    return [l for l in lines if l.startswith("[vm%d] " % i)]


def boot_ids(lines, i):
    """The kernel's random boot ids of VM i, one per boot, in order."""
    return re.findall(r"^\[vm%d\] \[linux\] init: .*, boot id ([0-9a-f-]{36})$" % i,
                      "\n".join(lines), re.M)


@pytest.fixture(scope="module")
def demo():
    return boot()


# The sizes real clients use (issue 10): shared memory from
# TEEC_AllocateSharedMemory and registered, 64 KiB to 4 MiB, every byte and
# the sum checked; 64 sessions at once, and the 65th refused cleanly.
SIZES = ("vtz-client:alloc-mem:65536,vtz-client:echo-mem:65536,"
         "vtz-client:echo-mem:1048576,vtz-client:echo-mem:4194304,"
         "vtz-client:alloc-mem:4194304,vtz-client:sessions:64,vtz-client:sessions:65,"
         "vtz-client:ping")

# What a user of the TEE does: store a secret, read it back, keep calling
# under load (two processes at once, so both vCPUs call their TEE vCPUs),
# and hit the errors a client must report clearly. vm1 first looks for vm0's
# secret under the same key, after vm0 stored it: vm0 stores first thing,
# vm1 looks only after its load, FP check and client-sized buffers, so even
# on a loaded host (vm1 booting well ahead of vm0) it looks after the store.
# vm0 also has its TEE raise two asynchronous notifications (issue 10).
NOTIFY = "vtz-client:notify,vtz-client:notify,grep:optee_notification:/proc/interrupts"
VM0 = ("vtz-client:put:secret:vm0-only,vtz-client:get:secret,/etc/vtz/load.sh:2000,"
       "/etc/vtz/fpcheck.sh:500,"
       "vtz-client:get:secret,vtz-client:get:secret:4,"
       "vtz-client:uuid:01234567-89ab-cdef-0123-456789abcdef," + NOTIFY)
VM1 = ("/etc/vtz/load.sh:2000,/etc/vtz/fpcheck.sh:500," + SIZES +
       ",vtz-client:get:secret,vtz-client:put:secret:vm1-own,vtz-client:get:secret")


@pytest.fixture(scope="module")
def workload():
    return boot(VM0, VM1)


def test_both_vms_boot_linux_and_power_off_cleanly(demo):
    status, lines = demo
    assert status == 0, "\n".join(lines)
    for i in range(2):
        find(lines, r"^\[hyp\] vm%d: Linux VM, 2 vCPUs, 128 MiB RAM" % i)
        find(lines, r"^\[hyp\] tee%d: booted, vector table registered with the CIEE "
                    r"\(2 vCPUs\)$" % i)
        find(lines, r"^\[vm%d\] \[ +[\d.]+\] Linux version 6\.1\." % i)
        find(lines, r"^\[vm%d\] \[ +[\d.]+\] smp: Brought up 1 node, 2 CPUs$" % i)
        find(lines, r"^\[vm%d\] \[linux\] init: kernel 6\.1\.\S+, 2 CPUs, boot id [0-9a-f-]{36}$" % i)
        # Seeded at boot from the device tree (hyp/entropy.c), as natively.
        find(lines, r"^\[vm%d\] \[ +0\.000000\] random: crng init done$" % i)
        find(lines, r"^\[hyp\] vm%d: PSCI SYSTEM_OFF$" % i)
        line = lines[find(lines, r"^\[hyp\] vm%d: powered off; " % i)]
        assert line.endswith("(2 of 2 vCPUs ran)"), line
    assert lines[-1] == "[run] ok: clean power-off"
    assert not [l for l in lines if "FATAL" in l or "Oops" in l or "BUG:" in l]
    # Each VM's generator has its own seed.
    assert boot_ids(lines, 0)[0] != boot_ids(lines, 1)[0]


def test_the_stock_optee_driver_probes(demo):
    _, lines = demo
    for i in range(2):
        find(lines, r"^\[vm%d\] \[linux\] insmod tee\.ko: ok$" % i)
        find(lines, r"^\[vm%d\] \[linux\] insmod optee\.ko: ok$" % i)
        find(lines, r"^\[vm%d\] \[ +[\d.]+\] optee: revision 0\.4$" % i)
        find(lines, r"^\[vm%d\] \[ +[\d.]+\] optee: Asynchronous notifications enabled$" % i)
        find(lines, r"^\[vm%d\] \[ +[\d.]+\] optee: dynamic shared memory is enabled$" % i)
        find(lines, r"^\[vm%d\] \[ +[\d.]+\] optee: initialized driver$" % i)
        find(lines, r"^\[vm%d\] \[linux\] /dev/tee0: present$" % i)
        find(lines, r"^\[vm%d\] \[linux\] /dev/teepriv0: present$" % i)
        find(lines, r"^\[vm%d\] \[linux\] tee-supplicant: started$" % i)


def test_libteec_calls_reach_every_ta(demo):
    _, lines = demo
    for i in range(2):
        out = vm(lines, i)
        find(out, r"vtz-client: ping: ok \(0x1234 \+ 0x5678 = 0x68ac\)$")
        # A registered buffer spanning several (non-contiguous) pages.
        find(out, r"vtz-client: echo-mem 12388: ok \(sum 0x1816b2, copy matches, input "
                  r"spans 4 pages\)$")
        # The RPC path: the TA leaves for the normal world and is resumed.
        find(out, r"vtz-client: yield 3: ok \(3 resumes\)$")
        find(out, r"vtz-client: put secret: ok$")
        find(out, r"vtz-client: get secret: kept in my own TEE$")
        find(out, r"vtz-client: mac 0: [0-9a-f]{64}$")
        find(out, r"vtz-client: loop 200: ok \(200 calls in ")
        find(out, r"\[linux\] run /etc/vtz/demo\.sh: exit 0$")
        find(out, r"vtz-linux: done \(1 commands, 0 failed\)$")


def test_one_vms_secret_is_not_the_others(workload):
    status, lines = workload
    assert status == 0, "\n".join(lines)
    put0 = find(lines, r"^\[vm0\] vtz-client: put secret: ok$")
    miss1 = find(lines, r"^\[vm1\] vtz-client: error: get secret: not found "
                        r"\(TEEC_ERROR_ITEM_NOT_FOUND\)$")
    assert put0 < miss1, "vm1 looked before vm0 stored: not a test of isolation"
    got0 = [l for l in vm(lines, 0) if "vtz-client: get secret: " in l]
    got1 = [l for l in vm(lines, 1) if "vtz-client: get secret: " in l and "error" not in l]
    assert got0 == ["[vm0] vtz-client: get secret: vm0-only"] * 2, got0
    assert got1 == ["[vm1] vtz-client: get secret: vm1-own"], got1


def test_calls_keep_working_under_load(workload):
    """Two processes per VM call at once (both vCPUs, both TEE vCPUs) while
    the tick preempts TEE calls and vCPUs move between the CPUs."""
    _, lines = workload
    for i in range(2):
        loops = [l for l in vm(lines, i) if re.search(r"vtz-client: loop 2000: ok", l)]
        assert len(loops) == 2, loops
        find(lines, r"^\[vm%d\] load: ok \(2 x 2000 calls\)$" % i)
        m = re.search(r"moved between CPUs (\d+) times",
                      lines[find(lines, r"^\[hyp\] vm%d: powered off; " % i)])
        assert int(m.group(1)) > 0
        m = re.match(r"^\[hyp\] tee%d: preempted (\d+) times mid-call, resumed every time" % i,
                     lines[find(lines, r"^\[hyp\] tee%d: preempted " % i)])
        assert m and int(m.group(1)) > 0, "no TEE call was preempted"


def test_fpsimd_registers_survive_vcpu_switches(workload):
    """User space keeps live NEON state; four checkers (two per VM) fill and
    check all 32 vector registers while vCPUs move across the CPUs."""
    _, lines = workload
    for i in range(2):
        out = vm(lines, i)
        for seed in (1, 2):
            find(out, r"vtz-fpcheck %d: 500 rounds, 0 registers changed$" % seed)
        find(out, r"fpcheck: ok$")


def test_tee_notification_reaches_its_own_vm_only(workload):
    """Our TEE raises OP-TEE's asynchronous notification (SPI 219, an
    ISPENDR write the CIEE answers in its GIC view): the hypervisor injects
    it into vm0's vGIC, Linux's driver takes it and runs the bottom half in
    the TEE; vm1, whose TEE raised nothing, gets none."""
    _, lines = workload
    out = vm(lines, 0)
    find(out, r"vtz-client: notify: ok \(0 bottom halves before\)$")
    # The first one's bottom half ran before the second call.
    find(out, r"vtz-client: notify: ok \([1-9]\d* bottom halves before\)$")
    irq = out[find(out, r"^\[vm0\] +\d+: .* GICv3 219 Edge +optee_notification$")]
    assert sum(int(n) for n in irq.split()[2:-4]) >= 2, irq
    find(lines, r"^\[hyp\] vm0: 2 interrupts raised by tee0 injected, 0 dropped$")
    assert not any(re.match(r"^\[hyp\] vm1: .* interrupts raised by", l) for l in lines)


def test_client_errors_are_clear(workload):
    _, lines = workload
    out = vm(lines, 0)
    find(out, r"vtz-client: error: get secret: buffer too small \(TEEC_ERROR_SHORT_BUFFER, "
              r"needs 8 bytes\)$")
    find(out, r"\[linux\] run vtz-client get secret 4: exit 6$")
    find(out, r"vtz-client: error: uuid 01234567-89ab-cdef-0123-456789abcdef: bad UUID "
              r"\(TEEC_OpenSession: 0xffff0008 TEEC_ERROR_ITEM_NOT_FOUND, origin TEE\)$")
    find(out, r"\[linux\] run vtz-client uuid 01234567-89ab-cdef-0123-456789abcdef: exit 4$")


def test_client_sized_buffers_and_64_sessions(workload):
    """Sizes that failed before (a 64 KiB allocated buffer: OUT_OF_MEMORY, a
    1 MiB registered one: GENERIC, a ninth session) work, checked end to
    end; the 65th session is refused with a clear error and exit code, and
    the TEE goes on serving."""
    _, lines = workload
    out = vm(lines, 1)
    for cmd, size, pages in (("alloc-mem", 65536, 16), ("echo-mem", 65536, 17),
                             ("echo-mem", 1048576, 257), ("echo-mem", 4194304, 1025),
                             ("alloc-mem", 4194304, 1024)):
        want = sum((i * 7 + 3 + (i >> 12)) & 255 for i in range(size))
        find(out, r"vtz-client: %s %d: ok \(sum 0x%x, copy matches, input spans %d pages\)$"
             % (cmd, size, want, pages))
        find(out, r"\[linux\] run vtz-client %s %d: exit 0$" % (cmd, size))
    find(out, r"vtz-client: sessions 64: ok \(64 open at once, each answered\)$")
    find(out, r"vtz-client: error: sessions 65: session 65 refused, 64 open "
              r"\(TEEC_OpenSession: 0xffff000c TEEC_ERROR_OUT_OF_MEMORY, origin TEE\): "
              r"TEE session table full$")
    find(out, r"\[linux\] run vtz-client sessions 65: exit 4$")
    # All 64 were closed: a new session opens.
    last = [l for l in out if "vtz-client: ping: ok" in l]
    assert last and out.index(last[-1]) > find(out, r"run vtz-client sessions 65: exit 4$")
    find(out, r"vtz-linux: done \(13 commands, 2 failed\)$")


@pytest.mark.parametrize("how", ["kernel-crash", "forced-system-off"])
def test_one_vm_dying_does_not_disturb_the_other(how):
    """vm0 stores a secret, then dies (its kernel crashes, or it forces PSCI
    SYSTEM_OFF), while vm1 is under load: vm1 and its TEE go on to the end."""
    end = "/etc/vtz/crash.sh" if how == "kernel-crash" else "poweroff:-f"
    status, lines = boot("vtz-client:put:secret:doomed," + end,
                         "/etc/vtz/load.sh:5000,/etc/vtz/load.sh:5000,/etc/vtz/load.sh:5000,"
                         "vtz-client:put:secret:alive,vtz-client:get:secret")
    assert status == 0, "\n".join(lines)
    if how == "kernel-crash":
        find(lines, r"^\[vm0\] \[ +[\d.]+\] Kernel panic - not syncing: sysrq triggered crash")
        gone = find(lines, r"^\[hyp\] vm0: PSCI SYSTEM_RESET: rebooting it, with its TEE reset$")
        # panic=-1 resets the VM: it boots again and powers off.
        find(lines, r"^\[hyp\] vm0: rebooting \(boot 2\); its TEE was reset$")
        find(lines, r"^\[vm0\] crash: boot 2, after the crash$")
    else:
        gone = find(lines, r"^\[hyp\] vm0: PSCI SYSTEM_OFF$")
    # vm1 was still calling its TEE when vm0 died (the last of its three loads).
    loads = [i for i, l in enumerate(lines) if l == "[vm1] load: ok (2 x 5000 calls)"]
    assert len(loads) == 3 and gone < loads[-1], (gone, loads)
    find(lines, r"^\[vm1\] vtz-client: get secret: alive$")
    find(lines, r"^\[vm1\] vtz-linux: done \(5 commands, 0 failed\)$")
    find(lines, r"^\[hyp\] vm1: PSCI SYSTEM_OFF$")
    assert not [l for l in lines if l.startswith("[vm1]") and ("Oops" in l or "BUG:" in l)]


def test_a_person_types_into_each_vms_console():
    """make run SCENARIO=linux VM_SHELL=1: a shell on each VM's console; what
    is typed goes to vm0, Ctrl-] 1 sends it to vm1; both VMs power off when
    their shells exit."""
    import pexpect
    from conftest import ROOT
    try:
        vtz_run.linux_files(BUILD)
    except FileNotFoundError as e:
        pytest.fail(str(e))
    c = pexpect.spawn("/usr/bin/python3",
                      [os.path.join(ROOT, "scripts", "vtz_run.py"), "--build", BUILD,
                       "--scenario", "linux", "--shell", "--vm-run", "vtz-client:ping",
                       "--vm-run", "vtz-client:ping"],
                      cwd=ROOT, encoding="utf-8", codec_errors="replace", timeout=TIMEOUT)
    try:
        c.expect(r"\[hyp\] console input goes to vm0 \(Ctrl-\] then a digit")
        for _ in range(2):
            c.expect(r"\[vm\d\] Enter 'help' for a list of built-in commands")
        c.send("echo typed-$((6*7))\r")
        c.expect(r"\[vm0\] typed-42")
        c.send("\x1d1")
        c.expect(r"\[hyp\] console input goes to vm1")
        c.send("vtz-client get nothing; echo rc=$?\r")
        c.expect(r"\[vm1\] vtz-client: error: get nothing: not found")
        c.expect(r"\[vm1\] rc=1")
        c.send("exit\r")
        c.expect(r"\[hyp\] vm1: PSCI SYSTEM_OFF")
        c.send("\x1d0")
        c.expect(r"\[hyp\] console input goes to vm0")
        c.send("exit\r")
        c.expect(r"\[run\] ok: clean power-off")
    finally:
        c.close(force=True)


def test_a_vm_reset_reboots_it_with_its_tee_reset():
    """PSCI SYSTEM_RESET from vm0 (reboot -f) boots it again (vtz.boot=2), its
    TEE entered at its system_reset vector first: boot 1's item is gone, the
    TEE answers; vm1, under load meanwhile, keeps its own item."""
    status, lines = boot("/etc/vtz/reboot-test.sh",
                         "vtz-client:put:k:v,/etc/vtz/load.sh:3000,vtz-client:get:k")
    assert status == 0, "\n".join(lines)
    order = [
        find(lines, r"^\[vm0\] vtz-client: get before-reset: from boot 1$"),
        find(lines, r"^\[hyp\] vm0: PSCI SYSTEM_RESET: rebooting it, with its TEE reset$"),
        find(lines, r"^\[hyp\] vm0: rebooting \(boot 2\); its TEE was reset$"),
        find(lines, r"^\[vm0\] \[ +[\d.]+\] Kernel command line: .* vtz\.boot=2$"),
        find(lines, r"^\[vm0\] vtz-client: error: get before-reset: not found "
                    r"\(TEEC_ERROR_ITEM_NOT_FOUND\)$"),
        find(lines, r"^\[vm0\] reboot-test: ok \(TEE reset, and working\)$"),
    ]
    assert order == sorted(order), order
    # The TEE's console is the secure UART, a stream of its own (the runner
    # merges it as it comes), so its line is not ordered against the others.
    find(lines, r"^\[tee0\] vTZ TEE kernel: system reset: sessions, shared buffers and "
                r"stored items dropped$")
    assert not [l for l in lines if l.startswith("[tee1] ") and "system reset" in l]
    find(lines, r"^\[vm1\] vtz-client: get k: v$")
    find(lines, r"^\[vm1\] vtz-linux: done \(3 commands, 0 failed\)$")
    # A fresh seed at every boot of a VM (hyp/entropy.c), never another's.
    ids = boot_ids(lines, 0)
    assert len(ids) == 2 and ids[0] != ids[1], ids
    assert boot_ids(lines, 1)[0] not in ids
