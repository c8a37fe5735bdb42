#!/usr/bin/python3
"""Boot a vTZ scenario in QEMU and decide whether it succeeded.

Prints every console line as it comes. Exits 0 only if the machine
powered itself off and no line reported a FATAL error; exits 1 on a
FATAL report, 2 on a usage or set-up error, 124 on a timeout.
"""
import argparse
import importlib.util
import os
import select
import struct
import shutil
import subprocess
import sys
import tempfile
import time

# Where each image goes (include/vtz/platform.h).
LAYOUT = {
    "ciee.bin": 0x40100000,
    "hyp.bin": 0x40400000,
    "tee.bin": 0x40800000,
}
GUEST_ADDR = 0x40900000
# Native TrustZone: the normal world's image, at a physical address above
# QEMU's DTB (monitor/monitor.h: NATIVE_NS_ENTRY).
NATIVE_GUEST_ADDR = 0x48000000
# The prefix the runner gives the secure UART's lines natively (the TEE's);
# under vTZ the monitor prefixes each guest TEE's lines with its name.
SECURE_UART_PREFIX = "[tee] "
VTZ_FLASH = "flash-vtz.bin"
# OP-TEE's own pseudo TA for its self tests (CFG_TEE_CORE_EMBED_INTERNAL_TESTS,
# on by default): a session from a Linux client needs no TA to load.
OPTEE_PTA_INVOKE_TESTS = "d96a5b40-c3e5-21e3-8794-1002a5d5c61b"
# Natively, a normal world that does not prefix its own lines (Linux) gets
# this one from the runner on UART0's lines that are not the monitor's.
NATIVE_NS_PREFIX = "[ns] "
MONITOR_PREFIX = "[mon] "
# scenario -> guest image, hypervisor image, CPUs, whether a reset reboots;
# for native TrustZone, `native` names the flash image (monitor + TEE).
SCENARIOS = {
    "default": dict(guest="guest.bin"),
    "guest-fault": dict(guest="guest-fault.bin"),
    "guest-hang": dict(guest="guest-hang.bin"),
    # The attack suite: a hypervisor with attack hooks; spare CPUs for the
    # attacks that stop a CPU (cpu2, cpu3) and for the one that races the
    # CIEE from cpu0 while cpu4 runs a guest; a reset that reboots (the reset attack); the
    # TEE with test hooks (read-tee-fpsimd-after-exit has it fill its
    # FP/SIMD registers with a secret).
    "attacks": dict(guest="guest.bin", hyp="hyp-attack.bin", tee="tee-test.bin", smp=5,
                    reboot=True),
    # The default scenario with a 100 us tick (hyp/preempt/tick.c; the
    # default hypervisor ticks every 1 ms): TEE calls are preempted many
    # times and resumed on either CPU (test/system/test_preempt.py).
    "preempt": dict(guest="guest.bin", hyp="hyp-preempt.bin"),
    # The TEE with test hooks faults on request; later calls must fail.
    "tee-fault": dict(guest="guest-tee-fault.bin", tee="tee-test.bin"),
    # Native TrustZone, the baseline: the same TEE at S-EL1 behind the
    # monitor, no CIEE, no hypervisor; one CPU (the TEE has no CPU_ON entry).
    "native": dict(native="flash-native.bin", guest="guest-native.bin", smp=1),
    # The TEE with test hooks faults on request; later calls must fail.
    "native-tee-fault": dict(native="flash-native-tee-fault.bin",
                             guest="guest-native-tee-fault.bin", smp=1),
    # The OP-TEE SMC ABI and message protocol, as Linux's optee driver uses
    # them, against the built-in TAs: four VMs, each with its own TEE.
    "optee": dict(guest="guest-optee.bin"),
    # The same client against the same TEE in its native home.
    "optee-native": dict(native="flash-native.bin", guest="guest-native-optee.bin", smp=1),
    # Real Linux (Debian's kernel, busybox, libteec, tee-supplicant; make
    # linux-guest): two VMs of 2 vCPUs, each with its own TEE, on 2 CPUs.
    "linux": dict(linux=dict(vms=2, vcpus=2, ram_mib=128)),
    # The same Linux (the same Image and initramfs, the same command line as
    # vm0's) in the native home: at NS-EL1 on the monitor, on 2 CPUs, the
    # TEE at S-EL1, no CIEE, no hypervisor. The runner gives it a device
    # tree made from QEMU's own (native_linux_dtb()).
    "linux-native": dict(native="flash-native.bin", smp=2, ns_prefix=NATIVE_NS_PREFIX,
                         linux=dict(vms=1, vcpus=2)),
    # The attack suite (as `attacks`, with a sixth CPU) while two Linux VMs,
    # each with its own TEE, run a libteec workload on that CPU
    # (hyp/attack/attacks.c, linux_guests_start()); each VM stores its own
    # secret under the same key and must read back its own.
    "attacks-linux": dict(guest="guest.bin", hyp="hyp-attack.bin", tee="tee-test.bin", smp=6,
                          reboot=True,
                          linux=dict(vms=2, vcpus=2, ram_mib=128,
                                     # Calls keep going for the whole attack run, however
                                     # long: rounds of load until the hypervisor types a
                                     # line into each guest's console after its attacks.
                                     run=["vtz-client:put:secret:lx%d-own," % i
                                          + "/etc/vtz/load-until-told.sh:1000,"
                                          + "vtz-client:get:secret" for i in range(2)],
                                     # Kernel messages below warnings not printed: each
                                     # character is two traps to the hypervisor, and the
                                     # boot is most of this scenario's time. Warnings,
                                     # Oopses, panics still print; init's and the client's
                                     # lines too.
                                     append="loglevel=5")),
    # The same attacks while the two Linux VMs run with unmodified OP-TEE
    # as their TEEs (run with --tee tee-raw.bin; the attack suite's own VMs
    # keep the test TEE): each opens sessions to OP-TEE's test pseudo TA
    # in rounds until the hypervisor types that the attacks are over.
    "attacks-linux-optee": dict(guest="guest.bin", hyp="hyp-attack.bin", tee="tee-test.bin",
                                smp=6, reboot=True, needs_tee=True,
                                linux=dict(vms=2, vcpus=2, ram_mib=128,
                                           run=["vtz-client:uuid:%s,"
                                                "/etc/vtz/load-until-told.sh:100:500:%s"
                                                % (OPTEE_PTA_INVOKE_TESTS,
                                                   OPTEE_PTA_INVOKE_TESTS)] * 2,
                                           append="loglevel=5")),
}

# Linux guests: QEMU's loader stages the kernel Image, the initramfs and a
# manifest (hyp/linux.c, struct linux_manifest) where the hypervisor
# copies them from (include/vtz/platform.h: PLAT_LINUX_*).
# A TEE image without our vTZTEEI1 header (OP-TEE's tee-raw.bin) goes with
# a descriptor that gives its size (include/vtz/platform.h:
# PLAT_TEE_IMAGE_DESC); the hypervisor hands that size to the CIEE, which
# measures exactly those bytes.
TEE_STAGE_ADDR = 0x40800000
TEE_STAGE_MAX = 0x00100000
TEE_DESC_ADDR = TEE_STAGE_ADDR + TEE_STAGE_MAX - 0x1000
TEE_DESC_MAGIC = 0x314c45455a547476
TEE_HDR_MAGIC = 0x31494545545a5476


def has_vtz_header(image):
    """Whether a TEE image is ours: it starts with the vTZTEEI1 header
    (include/vtz/monitor_abi.h) that names its size."""
    with open(image, "rb") as f:
        head = f.read(16)
    return len(head) == 16 and struct.unpack_from("<Q", head, 8)[0] == TEE_HDR_MAGIC


def tee_descriptor(build, image):
    """For a header-less TEE image: the path of its descriptor (written in
    build), else None."""
    size = os.path.getsize(image)
    if has_vtz_header(image):
        return None
    if not size or size > TEE_DESC_ADDR - TEE_STAGE_ADDR:
        raise ValueError("TEE image %s: %d bytes; at most %d fit the staging area"
                         % (image, size, TEE_DESC_ADDR - TEE_STAGE_ADDR))
    path = os.path.join(build, "tee-image-desc.bin")
    with open(path, "wb") as f:
        f.write(struct.pack("<QQ", TEE_DESC_MAGIC, size))
    return path


LINUX_KERNEL_ADDR = 0x7c000000
LINUX_INITRD_ADDR = 0x7e000000
LINUX_MANIFEST_ADDR = 0x7ef00000
LINUX_KERNEL_MAX = 0x02000000
LINUX_INITRD_MAX = 0x00f00000
LINUX_MANIFEST_MAGIC = 0x31304c4e5a547476
# The Linux VMs' own TEE image (include/vtz/platform.h: PLAT_LINUX_TEE_IMAGE).
LINUX_TEE_ADDR = 0x7ef01000
LINUX_TEE_MAX = 0x7f000000 - LINUX_TEE_ADDR
LINUX_MAX_VMS = 4
LINUX_CMDLINE_MAX = 512
LINUX_CMDLINE = "console=ttyAMA0 earlycon=pl011,0x9000000 panic=-1"


def linux_files(build):
    """The Linux guest's kernel and initramfs (make linux-guest), by path."""
    linux = os.path.join(os.path.dirname(os.path.abspath(build)), "linux")
    kernel = os.path.join(linux, "Image")
    initrd = os.path.join(linux, "initramfs.cpio.gz")
    for path in (kernel, initrd):
        if not os.path.exists(path):
            raise FileNotFoundError("%s is missing: run `make linux-guest` first" % path)
    return kernel, initrd


def linux_manifest(kernel, initrd, vms, vcpus, ram_mib, cmdlines, tee=None):
    """The manifest's bytes: sizes, VM shape, the size of the Linux VMs' own
    TEE image (0: none, they take the common one), one kernel command line
    per VM."""
    ks, isz = os.path.getsize(kernel), os.path.getsize(initrd)
    if ks > LINUX_KERNEL_MAX or isz > LINUX_INITRD_MAX:
        raise ValueError("kernel (%d bytes) or initramfs (%d bytes) too large for the staging "
                         "area (%d, %d)" % (ks, isz, LINUX_KERNEL_MAX, LINUX_INITRD_MAX))
    tsz = os.path.getsize(tee) if tee else 0
    if tsz > LINUX_TEE_MAX:
        raise ValueError("TEE image %s: %d bytes; at most %d fit beside the Linux manifest"
                         % (tee, tsz, LINUX_TEE_MAX))
    out = struct.pack("<7Q", LINUX_MANIFEST_MAGIC, ks, isz, vms, vcpus, ram_mib, tsz)
    for i in range(LINUX_MAX_VMS):
        line = cmdlines[i] if i < len(cmdlines) else ""
        raw = line.encode()
        if len(raw) >= LINUX_CMDLINE_MAX:
            raise ValueError("kernel command line of vm%d too long: %r" % (i, line))
        out += raw.ljust(LINUX_CMDLINE_MAX, b"\0")
    return out


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def native_flash(build, flash, tee):
    """A native flash image like build/flash (its monitor, its key) that
    carries the TEE image at path tee instead (monitor/mkflash.py, pack());
    written in build, returns its path. The monitor measures exactly the
    image's bytes, its size being the flash record's (the file's)."""
    spec = importlib.util.spec_from_file_location("mkflash",
                                                  os.path.join(ROOT, "monitor", "mkflash.py"))
    mkflash = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mkflash)
    path = os.path.join(build, flash)
    if not os.path.exists(path):
        raise FileNotFoundError("%s is missing: run `make` first" % path)
    with open(path, "rb") as f:
        key = mkflash.key_of(f.read())
    with open(os.path.join(build, "monitor-native.bin"), "rb") as f:
        mon = f.read()
    with open(tee, "rb") as f:
        img = mkflash.pack(mon, key, f.read())
    name = os.path.splitext(os.path.basename(tee))[0]
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
    out = os.path.abspath(os.path.join(build, "flash-native-with-%s.bin" % name))
    with open(out, "wb") as f:
        f.write(img)
    return out


# The native Linux home (scenario linux-native), in the normal world's RAM:
# QEMU's own DTB at 0x40000000 (1 MiB), then the one the runner makes at
# NATIVE_DTB_ADDR (monitor/monitor.h: NATIVE_NS_DTB; 1 MiB, which OP-TEE
# may fill when it adds its nodes), the kernel Image where the monitor
# enters the normal world (NATIVE_NS_ENTRY, 2 MiB aligned as arm64's
# booting.rst asks), the initramfs above the kernel's BSS.
NATIVE_DTB_ADDR = 0x40100000
NATIVE_DTB_MAX = 0x00100000
NATIVE_KERNEL_ADDR = NATIVE_GUEST_ADDR
NATIVE_INITRD_ADDR = 0x50000000
NATIVE_RAM_END = 0x80000000
LINUX_IMAGE_MAGIC = 0x644d5241  # "ARM\x64" at offset 56 of an arm64 Image
LINUX_BOOTARGS_MAX = 2048       # arm64's COMMAND_LINE_SIZE


def machine_args(sc):
    """QEMU's machine, CPU, CPUs and memory for a scenario (1 GiB unless it
    says: vTZ uses up to 2 GiB)."""
    return ["-M", "virt,secure=on,virtualization=on,gic-version=3",
            "-cpu", "cortex-a57", "-smp", str(sc.get("smp", 2)), "-m", sc.get("mem", "1G")]


def native_linux_dtb(build, sc, firmware, bootargs, initrd_size, optee_node):
    """The device tree Linux boots with natively, written in build; returns
    its path.

    Made on the host from QEMU's own tree for the very machine (QEMU's
    dumpdtb), edited with fdtput (device-tree-compiler, which setup.sh
    installs): QEMU omits what firmware at EL3 provides (with -bios it has
    no PSCI of its own), so this adds what TF-A and a boot loader would:
    /psci (1.0, method smc: the monitor's PSCI) and every CPU's
    enable-method "psci", /chosen's bootargs and initrd, and, for our TEE,
    /firmware/optee. A TrustZone OS that is not ours (OP-TEE) gets the tree
    in x2 and adds its own node and reserved memory, as behind TF-A. Everything else is QEMU's: the
    machine's memory (the secure RAM is separate, at 0x0e000000, and
    marked disabled), GIC, timer, UART, RTC, PCIe, virtio-mmio."""
    out = os.path.abspath(os.path.join(build, "linux-native.dtb"))
    dump = subprocess.run(["qemu-system-aarch64"] + machine_args(sc) + firmware +
                          ["-machine", "dumpdtb=" + out, "-display", "none", "-nic", "none",
                           "-serial", "none", "-monitor", "none"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if dump.returncode != 0 or not os.path.exists(out):
        raise ValueError("QEMU could not dump its device tree: %s" % dump.stdout.strip())
    cpus = subprocess.run(["fdtget", "-l", out, "/cpus"], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    if cpus.returncode != 0:
        raise ValueError("fdtget -l /cpus: %s" % cpus.stdout.strip())
    edits = [["-t", "s", "/cpus/" + n, "enable-method", "psci"]
             for n in cpus.stdout.split() if n.startswith("cpu@")]
    edits += [
        ["-c", "/psci"],
        ["-t", "s", "/psci", "compatible", "arm,psci-1.0", "arm,psci-0.2"],
        ["-t", "s", "/psci", "method", "smc"],
        ["-t", "s", "/chosen", "bootargs", bootargs],
        ["-t", "x", "/chosen", "linux,initrd-start", "0", "%x" % NATIVE_INITRD_ADDR],
        ["-t", "x", "/chosen", "linux,initrd-end", "0", "%x" % (NATIVE_INITRD_ADDR + initrd_size)],
    ]
    if optee_node:
        edits += [["-p", "-c", "/firmware/optee"],
                  ["-t", "s", "/firmware/optee", "compatible", "linaro,optee-tz"],
                  ["-t", "s", "/firmware/optee", "method", "smc"]]
    for e in edits:
        r = subprocess.run(["fdtput", out] + e, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            raise ValueError("fdtput %s: %s" % (" ".join(e), r.stdout.strip()))
    with open(out, "rb") as f:
        head = f.read(8)
    if struct.unpack(">I", head[4:8])[0] > NATIVE_DTB_MAX:
        raise ValueError("%s: more than %d bytes" % (out, NATIVE_DTB_MAX))
    return out


def native_linux_images(build, sc, cmdline, tee_image, firmware):
    """{path: address} of what QEMU's loader stages for Linux natively: its
    device tree, the kernel Image, the initramfs (make linux-guest).
    firmware: QEMU's -bios option as the run will have it (the machine QEMU
    describes depends on it: with firmware it has an ACPI GED instead of
    the non-secure GPIO)."""
    kernel, initrd = linux_files(build)
    with open(kernel, "rb") as f:
        head = f.read(64)
    if len(head) < 64 or struct.unpack_from("<I", head, 56)[0] != LINUX_IMAGE_MAGIC:
        raise ValueError("%s is not an arm64 Linux Image" % kernel)
    # The kernel's memory, BSS included (booting.rst: image_size), must end
    # below the initramfs; the initramfs within RAM.
    image_size = struct.unpack_from("<Q", head, 16)[0] or os.path.getsize(kernel)
    isz = os.path.getsize(initrd)
    if NATIVE_KERNEL_ADDR + image_size > NATIVE_INITRD_ADDR or \
       NATIVE_INITRD_ADDR + isz > NATIVE_RAM_END:
        raise ValueError("kernel (%d bytes with its BSS) or initramfs (%d bytes) too large for "
                         "0x%x-0x%x, 0x%x-0x%x" % (image_size, isz, NATIVE_KERNEL_ADDR,
                                                  NATIVE_INITRD_ADDR, NATIVE_INITRD_ADDR,
                                                  NATIVE_RAM_END))
    # What the hypervisor appends for a VM's first boot (hyp/linux.c counts
    # boots from 1), so the command line is vm0's to the byte. A native
    # reset is the machine's: the run stops (-no-reboot).
    bootargs = cmdline + " vtz.boot=1"
    if len(bootargs.encode()) >= LINUX_BOOTARGS_MAX:
        raise ValueError("kernel command line too long: %r" % bootargs)
    dtb = native_linux_dtb(build, sc, firmware, bootargs, isz, has_vtz_header(tee_image))
    return {dtb: NATIVE_DTB_ADDR, kernel: NATIVE_KERNEL_ADDR, initrd: NATIVE_INITRD_ADDR}


def linux_cmdline(sc, i, run=None, shell=False):
    """The kernel command line of a scenario's VM i (natively, of its one
    Linux): LINUX_CMDLINE, the scenario's extra options, which VM, what
    /init runs, whether it opens a shell."""
    linux = sc["linux"]
    line = LINUX_CMDLINE + (" " + linux["append"] if linux.get("append") else "")
    line += " vtz.vm=%d" % i
    if run is None and linux.get("run"):
        run = linux["run"][i]
    if run:
        line += " vtz.run=%s" % run
    if shell:
        line += " vtz.shell=1"
    return line


def qemu_command(build, scenario, gdb=False, icount=False, hyp=None, secure_uart=None,
                 linux_cmdlines=None, tee=None):
    """The QEMU command line for a scenario, as a list. `hyp` names the
    hypervisor image in the build directory (the attack suite boots
    hyp-bad-*.bin in its place); by default the scenario's own. `tee` is a
    path to a TEE image (such as OP-TEE's tee-raw.bin) for every VM instead
    of the scenario's, or in scenarios with Linux VMs for those VMs only;
    natively, the TEE the flash image carries (native_flash()).

    Native scenarios give the secure UART (UART1, the TEE's console) its
    own serial port, written to the file `secure_uart` (default
    BUILD/uart1.log); run() streams it instead, each line prefixed [tee]."""
    if scenario not in SCENARIOS:
        raise ValueError("unknown scenario %r (known: %s)" % (scenario, ", ".join(SCENARIOS)))
    sc = SCENARIOS[scenario]
    if sc.get("needs_tee") and not tee:
        raise ValueError("scenario %r needs a TEE image for its Linux VMs (--tee IMAGE, e.g. "
                         "OP-TEE's tee-raw.bin from make optee-os)" % scenario)
    native = sc.get("native")
    linux = sc.get("linux")
    if native:
        # No CIEE, no hypervisor, no staging copy of the TEE: it is in flash.
        bios = native_flash(build, native, tee) if tee else native
        # Linux's files come with its device tree, made once -bios is known.
        images = {} if linux else {sc["guest"]: NATIVE_GUEST_ADDR}
    else:
        # The monitor and the device root key (monitor/mkflash.py).
        bios = VTZ_FLASH
        hyp = hyp or sc.get("hyp", "hyp.bin")
        swap = {"hyp.bin": hyp, "tee.bin": sc.get("tee", "tee.bin")}
        images = {swap.get(name, name): addr for name, addr in LAYOUT.items()}
        if tee and not linux:
            del images[swap["tee.bin"]]
            images[os.path.abspath(tee)] = TEE_STAGE_ADDR
            desc = tee_descriptor(build, tee)
            if desc:
                images[os.path.abspath(desc)] = TEE_DESC_ADDR
        # Scenario linux has no bare guest: the Linux files are staged below.
        if sc.get("guest"):
            images[sc["guest"]] = GUEST_ADDR
    cmd = ["qemu-system-aarch64"] + machine_args(sc) + [
        "-nographic",
        # No network: the default NIC needs an option ROM (ipxe-qemu) that a
        # fresh Debian machine, installing without recommends, lacks.
        "-nic", "none",
    ]
    # UART0 stays on stdio (with QEMU's monitor muxed in, as by default);
    # UART1 is secure-only and needs a serial port of its own: the native
    # TEE's console, or under vTZ every guest TEE's, which the monitor
    # prints there with each TEE's name (monitor/tee_console.c).
    cmd += ["-serial", "mon:stdio", "-serial",
            "file:" + (secure_uart or os.path.join(build, "uart1.log"))]
    if not sc.get("reboot"):
        cmd.append("-no-reboot")
    path = os.path.join(build, bios)
    if not os.path.exists(path):
        raise FileNotFoundError("%s is missing: run `make` first" % path)
    cmd += ["-bios", path]
    if native and linux:
        line = (linux_cmdlines or [linux_cmdline(sc, 0)])[0]
        images = native_linux_images(build, sc, line, tee or os.path.join(build, "tee.bin"),
                                     ["-bios", path])
    for name, addr in images.items():
        path = os.path.join(build, name)
        if not os.path.exists(path):
            raise FileNotFoundError("%s is missing: run `make` first" % path)
        cmd += ["-device", "loader,file=%s,addr=0x%x,force-raw=on" % (path, addr)]
    if linux and not native:
        kernel, initrd = linux_files(build)
        lines = linux_cmdlines or [linux_cmdline(sc, i) for i in range(linux["vms"])]
        manifest = os.path.join(build, "linux-manifest-%s.bin" % scenario)
        with open(manifest, "wb") as f:
            f.write(linux_manifest(kernel, initrd, linux["vms"], linux["vcpus"],
                                   linux["ram_mib"], lines, tee))
        staged = [(kernel, LINUX_KERNEL_ADDR), (initrd, LINUX_INITRD_ADDR),
                  (manifest, LINUX_MANIFEST_ADDR)]
        # With Linux VMs, `tee` is theirs; a scenario's bare VMs keep its own.
        if tee:
            staged.append((os.path.abspath(tee), LINUX_TEE_ADDR))
        for path, addr in staged:
            cmd += ["-device", "loader,file=%s,addr=0x%x,force-raw=on" % (path, addr)]
    if icount:
        cmd += ["-icount", "shift=0,align=off,sleep=off"]
    if gdb:
        cmd += ["-s", "-S"]
    return cmd


def secure_uart_file(cmd):
    """Index in cmd of the second serial port's "file:PATH" (UART1), or None."""
    serials = [i + 1 for i, a in enumerate(cmd[:-1]) if a == "-serial"]
    if len(serials) >= 2 and cmd[serials[1]].startswith("file:"):
        return serials[1]
    return None


def run(cmd, timeout, echo=True, interactive=False, ns_prefix=None):
    """Run QEMU, echo its output (unless echo is False), return (exit_status, lines).

    If cmd gives UART1 a file (native scenarios), that file is replaced by
    a FIFO the runner reads as QEMU writes it: its lines are shown as they
    come, prefixed with SECURE_UART_PREFIX. With ns_prefix (a scenario's,
    see scenario_ns_prefix()), UART0's lines that are not the monitor's
    get it: natively Linux writes UART0 itself, with no prefix of its
    own."""
    tmpdir = None
    streams = {}  # fd -> [prefix, pending bytes]
    i = secure_uart_file(cmd)
    if i is not None:
        tmpdir = tempfile.mkdtemp(prefix="vtz-uart1-")
        fifo = os.path.join(tmpdir, "uart1")
        os.mkfifo(fifo)
        # Read-write, so the FIFO never reads as closed before QEMU opens it.
        vtz = any(a.endswith("/" + VTZ_FLASH) for a in cmd)
        streams[os.open(fifo, os.O_RDWR | os.O_NONBLOCK)] = ["" if vtz else SECURE_UART_PREFIX,
                                                             b""]
        cmd = cmd[:i] + ["file:" + fifo] + cmd[i + 1:]
    # Interactive: QEMU reads the terminal (it puts it in raw mode, so our
    # lines need their carriage return); the hypervisor routes what is typed
    # to one VM at a time (Ctrl-] and a digit switches).
    proc = subprocess.Popen(cmd, stdin=None if interactive else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    eol = "\r" if interactive and sys.stdin.isatty() else ""
    streams[proc.stdout.fileno()] = ["", b""]
    deadline = time.monotonic() + timeout
    lines = []
    fatal = False

    def say(msg):
        lines.append(msg)
        if echo:
            print(msg + eol, flush=True)

    def take(fd, chunk, final=False):
        nonlocal fatal
        st = streams[fd]
        st[1] += chunk
        while b"\n" in st[1] or (final and st[1]):
            raw, _, st[1] = st[1].partition(b"\n")
            line = st[0] + raw.decode("utf-8", "replace").rstrip("\r")
            if ns_prefix and fd == out_fd and not line.startswith(MONITOR_PREFIX):
                line = ns_prefix + line
            say(line)
            if "FATAL" in line:
                fatal = True

    def drain(fd):
        """Whatever a secure-UART FIFO still holds, without blocking."""
        while True:
            try:
                chunk = os.read(fd, 4096)
            except BlockingIOError:
                return
            if not chunk:
                return
            take(fd, chunk)

    def close_streams():
        for fd in list(streams):
            if fd != proc.stdout.fileno():
                drain(fd)
                take(fd, b"", final=True)
                os.close(fd)
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)

    out_fd = proc.stdout.fileno()
    while True:
        left = deadline - time.monotonic() if timeout else 3600
        if left <= 0:
            proc.kill()
            proc.wait()
            close_streams()
            say("[run] TIMEOUT: no power-off after %d s; QEMU killed" % timeout)
            return 124, lines
        ready, _, _ = select.select(list(streams), [], [], min(left, 0.5))
        eof = False
        # The secure UART first: its lines were written before this batch's
        # normal-world reaction to them, as far as one read can tell.
        for fd in sorted(ready, key=lambda fd: fd == out_fd):
            if fd != out_fd:
                drain(fd)
                continue
            chunk = os.read(fd, 4096)
            if not chunk:
                eof = True
            else:
                take(fd, chunk)
        if eof or (not ready and proc.poll() is not None):
            break
    proc.wait()
    take(out_fd, b"", final=True)
    close_streams()
    if fatal:
        say("[run] FAILED: a FATAL error was reported")
        return 1, lines
    if proc.returncode != 0:
        say("[run] FAILED: QEMU exited with status %d" % proc.returncode)
        return 1, lines
    if not any("system off" in l for l in lines if l.startswith("[mon]")):
        say("[run] FAILED: QEMU stopped without the monitor powering off")
        return 1, lines
    say("[run] ok: clean power-off")
    return 0, lines


def scenario_ns_prefix(scenario):
    """The prefix run() gives a scenario's normal-world lines, or None."""
    return SCENARIOS.get(scenario, {}).get("ns_prefix")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build/ciee", help="images of one gate (default build/ciee)")
    ap.add_argument("--scenario", default="default")
    ap.add_argument("--hyp", default=None, metavar="IMAGE",
                    help="hypervisor image in the build directory (default: the scenario's)")
    ap.add_argument("--timeout", type=int, default=int(os.environ.get("VTZ_TIMEOUT", "60")))
    ap.add_argument("--gdb", action="store_true", help="start QEMU halted, gdb server on :1234")
    ap.add_argument("--print-command", action="store_true")
    ap.add_argument("--shell", action="store_true",
                    help="scenarios linux, linux-native: after its commands each VM's /init "
                         "opens a shell on its console; what you type goes to vm0 (Ctrl-] 1: "
                         "to vm1; natively straight to the one Linux); no timeout")
    ap.add_argument("--console", action="store_true",
                    help="pass what is typed to the machine's UART, with the timeout kept: "
                         "the hypervisor's management console (Ctrl-] v) and the Linux VMs' "
                         "input, for scripts and tests")
    ap.add_argument("--tee", default=None, metavar="IMAGE",
                    help="every VM's TEE image, or natively the TEE the flash carries (a path, "
                         "e.g. OP-TEE's tee-raw.bin: make TEE=optee); default: the scenario's, "
                         "built from tee/")
    ap.add_argument("--vm-run", action="append", default=None, metavar="CMDS",
                    help="scenarios linux, linux-native: what the next VM's /init runs (its "
                         "vtz.run=, e.g. 'vtz-client:ping,/etc/vtz/demo.sh'); once per VM")
    args = ap.parse_args()
    cmdlines = None
    if args.vm_run or args.shell:
        sc = SCENARIOS.get(args.scenario, {})
        if not sc.get("linux"):
            print("[run] error: --vm-run and --shell are for the Linux scenarios",
                  file=sys.stderr)
            return 2
        runs = args.vm_run or []
        if len(runs) > sc["linux"]["vms"]:
            print("[run] error: %d --vm-run for %d Linux VM(s)" % (len(runs), sc["linux"]["vms"]),
                  file=sys.stderr)
            return 2
        cmdlines = [linux_cmdline(sc, i, runs[i] if i < len(runs) else None, args.shell)
                    for i in range(sc["linux"]["vms"])]
    try:
        cmd = qemu_command(args.build, args.scenario, gdb=args.gdb, hyp=args.hyp,
                           linux_cmdlines=cmdlines, tee=args.tee)
    except (ValueError, FileNotFoundError) as e:
        print("[run] error: %s" % e, file=sys.stderr)
        return 2
    if args.print_command:
        print(" ".join(cmd))
        return 0
    print("[run] booting scenario '%s': %s" % (args.scenario, " ".join(cmd)), flush=True)
    if args.gdb:
        native = SCENARIOS[args.scenario].get("native")
        elfs = " ".join("-ex 'add-symbol-file %s'" % os.path.join(args.build, e)
                        for e in (("tee.elf",) if native else ("ciee.elf", "hyp.elf", "tee.elf")))
        print("[run] QEMU is halted with a gdb server on :1234; in another terminal:\n"
              "[run]   gdb-multiarch %s %s -ex 'target remote :1234'\n"
              "[run] (quit QEMU with Ctrl-A x)"
              % (os.path.join(args.build, "monitor-native.elf" if native else "monitor.elf"),
                 elfs), flush=True)
        i = secure_uart_file(cmd)
        if i is not None:
            print("[run] the TEE's console (secure UART1) goes to %s" % cmd[i][len("file:"):],
                  flush=True)
        return subprocess.call(cmd)
    status, _ = run(cmd, 0 if args.shell else args.timeout,
                    interactive=args.shell or args.console,
                    ns_prefix=scenario_ns_prefix(args.scenario))
    return status


if __name__ == "__main__":
    sys.exit(main())
