#!/usr/bin/python3
"""Boot a vTZ scenario in QEMU and decide whether it succeeded.

Prints every console line as it comes. Exits 0 only if the machine
powered itself off and no line reported a FATAL error; exits 1 on a
FATAL report, 2 on a usage or set-up error, 124 on a timeout.
"""
import argparse
import hashlib
import importlib.util
import os
import re
import select
import struct
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vtz_evlog  # noqa: E402  (scripts/: the measured-boot log's reader)
import vtz_fwbundle  # noqa: E402  (scripts/: firmware bundles and flash files)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Where each image goes (include/vtz/platform.h).
CIEE_ADDR = 0x40100000
HYP_ADDR = 0x40400000
# Native TrustZone: the normal world's image, at a physical address above
# QEMU's DTB (monitor/monitor.h: NATIVE_NS_ENTRY).
NATIVE_GUEST_ADDR = 0x48000000
# The prefix the runner gives the secure UART's lines natively (the TEE's);
# under vTZ the monitor prefixes each guest TEE's lines with its name.
SECURE_UART_PREFIX = "[tee] "
VTZ_FLASH = "flash-vtz.bin"
# Flash mode (docs/security.md, "Firmware update"): a bundle staged for the
# hypervisor to carry to the monitor, and its descriptor
# (include/vtz/fw_mailbox.h: PLAT_FW_STAGE_BASE, PLAT_FW_DESC, struct fw_desc).
FW_STAGE_ADDR = 0x7e000000
FW_DESC_ADDR = FW_STAGE_ADDR + vtz_fwbundle.SLOT_SIZE
FW_DESC_MAGIC = b"vTZFWD01"
FW_DESC_SCRIBBLE = 1
# OP-TEE's own pseudo TA for its self tests (CFG_TEE_CORE_EMBED_INTERNAL_TESTS,
# on by default): a session from a Linux client needs no TA to load.
OPTEE_PTA_INVOKE_TESTS = "d96a5b40-c3e5-21e3-8794-1002a5d5c61b"
# Natively, a normal world that does not prefix its own lines (Linux) gets
# this one from the runner on UART0's lines that are not the monitor's.
NATIVE_NS_PREFIX = "[ns] "
MONITOR_PREFIX = "[mon] "
# Under vTZ a scenario is a VM configuration (vms/NAME.dts, or --vms FILE)
# and the runner's options: the hypervisor image, CPUs, whether a reset
# reboots, what the Linux VMs run (run: one vtz.run= per Linux VM) and
# what their command lines get appended (append). For native TrustZone,
# `native` names the flash image (monitor + TEE), `guest` the normal
# world's image, `linux` the native Linux's shape.
SCENARIOS = {
    "default": dict(vms="default.dts"),
    # One small VM, for firmware updates (--flash-file, --fw-bundle).
    "firmware": dict(vms="firmware.dts"),
    # One Linux VM that delivers an update itself (vtz-client fw-update).
    "firmware-linux": dict(vms="firmware-linux.dts"),
    "guest-fault": dict(vms="guest-fault.dts"),
    "guest-hang": dict(vms="guest-hang.dts"),
    # VMs created and destroyed at run time (vms/lifecycle.dts): one
    # restarted on every power-off while two others load their TEEs; driven
    # from the management console (--console) by test/system/test_lifecycle.py.
    "lifecycle": dict(vms="lifecycle.dts"),
    # The scale runs of issue 11, on a 2 GiB machine: 16 bare VMs each with
    # its own TEE on 4 CPUs; 8 Linux VMs each with its own TEE.
    "sixteen-pairs": dict(vms="sixteen-pairs.dts", mem="2G", smp=4),
    "eight-linux": dict(vms="eight-linux.dts", mem="2G", smp=4, append="loglevel=5"),
    # The attack suite: a hypervisor with attack hooks; spare CPUs for the
    # attacks that stop a CPU (cpu2, cpu3) and for the one that races the
    # CIEE from cpu0 while cpu4 runs a guest; a reset that reboots (the reset attack); the
    # TEE with test hooks (read-tee-fpsimd-after-exit has it fill its
    # FP/SIMD registers with a secret): vms/attacks.dts.
    "attacks": dict(vms="attacks.dts", hyp="hyp-attack.bin", smp=5, reboot=True),
    # The default scenario with a 100 us tick (hyp/preempt/tick.c; the
    # default hypervisor ticks every 1 ms): TEE calls are preempted many
    # times and resumed on either CPU (test/system/test_preempt.py).
    "preempt": dict(vms="default.dts", hyp="hyp-preempt.bin"),
    # The TEE with test hooks faults on request; later calls must fail.
    "tee-fault": dict(vms="tee-fault.dts"),
    # Native TrustZone, the baseline: the same TEE at S-EL1 behind the
    # monitor, no CIEE, no hypervisor; one CPU (the TEE has no CPU_ON entry).
    "native": dict(native="flash-native.bin", guest="guest-native.bin", smp=1),
    # The TEE with test hooks faults on request; later calls must fail.
    "native-tee-fault": dict(native="flash-native-tee-fault.bin",
                             guest="guest-native-tee-fault.bin", smp=1),
    # The OP-TEE SMC ABI and message protocol, as Linux's optee driver uses
    # them, against the built-in TAs: four VMs, each with its own TEE.
    "optee": dict(vms="optee.dts"),
    # The same client against the same TEE in its native home.
    "optee-native": dict(native="flash-native.bin", guest="guest-native-optee.bin", smp=1),
    # Real Linux (Debian's kernel, busybox, libteec, tee-supplicant; make
    # linux-guest): two VMs of 2 vCPUs, each with its own TEE, on 2 CPUs.
    "linux": dict(vms="linux.dts"),
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
    "attacks-linux": dict(vms="attacks-linux.dts", hyp="hyp-attack.bin", smp=6, reboot=True,
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
                          append="loglevel=5"),
    # The same attacks while the two Linux VMs run with unmodified OP-TEE
    # as their TEEs (run with --tee tee-raw.bin; the attack suite's own VMs
    # keep the test TEE): each opens sessions to OP-TEE's test pseudo TA
    # in rounds until the hypervisor types that the attacks are over.
    "attacks-linux-optee": dict(vms="attacks-linux.dts", hyp="hyp-attack.bin", smp=6,
                                reboot=True, needs_tee=True,
                                run=["vtz-client:uuid:%s,"
                                     "/etc/vtz/load-until-told.sh:100:500:%s"
                                     % (OPTEE_PTA_INVOKE_TESTS, OPTEE_PTA_INVOKE_TESTS)] * 2,
                                append="loglevel=5"),
}

TEE_HDR_MAGIC = 0x31494545545a5476


def has_vtz_header(image):
    """Whether a TEE image is ours: it starts with the vTZTEEI1 header
    (include/vtz/monitor_abi.h) that names its size."""
    with open(image, "rb") as f:
        head = f.read(16)
    return len(head) == 16 and struct.unpack_from("<Q", head, 8)[0] == TEE_HDR_MAGIC


# The command line of vms/linux.dts's VMs, and of the native Linux.
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


def machine_args(sc, mem=None, smp=None, numa=None):
    """QEMU's machine, CPU, CPUs and memory for a scenario (1 GiB unless it
    or `mem` says: vTZ uses up to 2 GiB; its CPUs unless `smp` says). With
    `numa` = N, N NUMA nodes: the RAM split evenly, CPUs in contiguous
    runs (node K takes CPUs K*smp/N ..), every distance between two nodes
    20 (QEMU then gives the firmware's ACPI tables an SRAT and a SLIT)."""
    cpus = int(smp or sc.get("smp", 2))
    mem = mem or sc.get("mem", "1G")
    args = ["-M", "virt,secure=on,virtualization=on,gic-version=3",
            "-cpu", "cortex-a57", "-smp", str(cpus), "-m", mem]
    if not numa:
        return args
    numa = int(numa)
    size = mem_bytes(mem)
    if numa < 1 or size % (numa << 20):
        raise ValueError("NUMA=%d: %s of RAM does not split into %d whole MiB nodes"
                         % (numa, mem, numa))
    for k in range(numa):
        args += ["-object", "memory-backend-ram,id=numa%d,size=%dM" % (k, size // numa >> 20)]
        first, end = k * cpus // numa, (k + 1) * cpus // numa
        node = "node,nodeid=%d,memdev=numa%d" % (k, k)
        if end > first:
            node += ",cpus=%d-%d" % (first, end - 1)
        args += ["-numa", node]
    for a in range(numa):
        for b in range(a + 1, numa):
            args += ["-numa", "dist,src=%d,dst=%d,val=20" % (a, b)]
    return args


# The hypervisor's VM pool (hyp/main.c, include/vtz/platform.h): from
# PLAT_VM_POOL_BASE to the Linux staging area, and with 2 GiB the second GiB.
POOL_FIRST_GIB = 0x7c000000 - 0x41000000


def mem_bytes(mem):
    """QEMU's -m value ("1G", "2048M", "2G") in bytes."""
    m = re.fullmatch(r"(\d+)([MG]?)", mem.strip().upper())
    if not m:
        raise ValueError("memory size %r: say e.g. 1G or 2G" % mem)
    return int(m.group(1)) << (30 if m.group(2) == "G" else 20)


def pool_bytes(mem):
    """The VM pool the hypervisor has on a machine with `mem` of RAM."""
    size = mem_bytes(mem)
    if size < 1 << 30:
        raise ValueError("memory %s: vTZ needs at least 1G" % mem)
    return POOL_FIRST_GIB + min(size, 2 << 30) - (1 << 30)


# The SPI a TEE raises for Linux's optee driver (include/vtz/platform.h:
# PLAT_TEE_NOTIF_INTID; OP-TEE's CFG_CORE_ASYNC_NOTIF_GIC_INTID here).
TEE_NOTIF_INTID = 219


def native_linux_dtb(build, sc, firmware, bootargs, initrd_size, optee_node):
    """The device tree Linux boots with natively, written in build; returns
    its path.

    Made on the host from QEMU's own tree for the very machine (QEMU's
    dumpdtb), edited with fdtput (device-tree-compiler, which setup.sh
    installs): QEMU omits what firmware at EL3 provides (with -bios it has
    no PSCI of its own), so this adds what TF-A and a boot loader would:
    /psci (1.0, method smc: the monitor's PSCI) and every CPU's
    enable-method "psci", /chosen's bootargs and initrd, and, for our TEE,
    /firmware/optee with its notification interrupt. A TrustZone OS that is not ours (OP-TEE) gets the tree
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
        # With the notification interrupt our TEE raises (OP-TEE's SPI on
        # this machine, written the way OP-TEE writes it into a tree with
        # no optee node: SPI, edge): Linux's driver takes it when the TEE
        # offers asynchronous notification.
        edits += [["-p", "-c", "/firmware/optee"],
                  ["-t", "s", "/firmware/optee", "compatible", "linaro,optee-tz"],
                  ["-t", "s", "/firmware/optee", "method", "smc"],
                  ["-t", "u", "/firmware/optee", "interrupts", "0",
                   str(TEE_NOTIF_INTID - 32), "1"]]
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
    """The kernel command line of a native scenario's Linux (vm0's under
    vTZ: vms/linux.dts's, with what vm_config() appends): LINUX_CMDLINE,
    which VM, what /init runs, whether it opens a shell."""
    line = LINUX_CMDLINE + " vtz.vm=%d" % i
    if run:
        line += " vtz.run=%s" % run
    if shell:
        line += " vtz.shell=1"
    return line


# ------------------------------------------------------ VM configurations
# A configuration (README.md, "VM configurations"; policy/vm_config.h) is
# compiled with dtc and checked with the hypervisor's own reader built for
# the host (vmcfg-check, made with the images), so a bad one is refused
# here, before QEMU starts, with the message the hypervisor would print.
# Each distinct file it names is staged with QEMU's loader in the staging
# areas, and the blob records where in its /loaded node:
#   /loaded/imgN { path = "AS THE CONFIG NAMES IT"; addr = /bits/ 64 <A>; size = /bits/ 64 <S>; }
# The blob goes to VM_CONFIG_ADDR (include/vtz/platform.h: PLAT_VM_CONFIG_*,
# PLAT_STAGE*), where the hypervisor reads it with the same reader.
VMS_DIR = os.path.join(ROOT, "vms")
VM_CONFIG_ADDR = 0x40a00000
VM_CONFIG_MAX = 0x10000
STAGE_AREAS = [(0x40800000, 0x200000), (0x40a10000, 0x5f0000), (0x7c000000, 0x2fc0000)]
# The old fixed slots, which the first file of each role takes: the attack
# suite's and the benchmark's extra VMs copy their images from there.
STAGE_SLOTS = {"tee": (0x40800000, 0x100000), "bare": (0x40900000, 0x100000),
               "linux": (0x7c000000, 0x2000000), "initramfs": (0x7e000000, 0xf00000)}
STAGE_ALIGN = 0x1000
BOOTARGS_MAX = 1024  # with its NUL (policy/vm_config.h: VMCFG_BOOTARGS_MAX)


def shown_path(path):
    """A path for messages: relative to the tree when inside it."""
    full = os.path.abspath(path)
    return os.path.relpath(full, ROOT) if full == ROOT or full.startswith(ROOT + os.sep) else path


def vmcfg_check(build, blob, shown, resolve=False, mem_avail=None):
    """vmcfg-check's listing of a compiled configuration: (vms, files,
    bootargs), where vms is [(name, kind, tee name or None)], files
    [(node, property, path)], bootargs {node: string}. A refusal raises
    ValueError naming the file, node and property."""
    tool = os.path.join(build, "vmcfg-check")
    if not os.path.exists(tool):
        raise FileNotFoundError("%s is missing: run `make` first" % tool)
    r = subprocess.run([tool] + (["--resolve"] if resolve else []) +
                       (["--mem-avail", str(mem_avail)] if mem_avail else []) + [blob],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode == 1:
        raise ValueError("%s: %s" % (shown, r.stderr.strip()))
    if r.returncode != 0:
        raise ValueError("vmcfg-check %s: %s" % (blob, r.stderr.strip()))
    vms, files, bootargs = [], [], {}
    for line in r.stdout.splitlines():
        f = line.split("\t")
        if f[0] == "vm":
            vms.append((f[1], f[2], None if f[5] == "-" else f[5]))
        elif f[0] == "file":
            files.append((f[1], f[2], "\t".join(f[5:])))
        elif f[0] == "bootargs":
            bootargs[f[1]] = "\t".join(f[2:])
    return vms, files, bootargs


def dtc_compile(src, out, shown):
    r = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-i", os.path.dirname(src),
                        "-o", out, src], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if r.returncode != 0:
        raise ValueError("%s: dtc refused it:\n%s" % (shown, r.stdout.strip()))


def find_file(path, config_dir, build):
    """A file a configuration names: absolute, or next to the configuration,
    or one the build made (in the build directory); None if none exists."""
    if os.path.isabs(path):
        return path if os.path.isfile(path) else None
    for d in (config_dir, build):
        full = os.path.join(d, path)
        if os.path.isfile(full):
            return os.path.abspath(full)
    return None


class Stager:
    """Places files in the staging areas, 4 KiB aligned: the first of each
    role at its old slot if it fits there, every other in the smallest free
    range that holds it."""

    def __init__(self):
        self.free = [list(a) for a in STAGE_AREAS]

    def take(self, base, size):
        for r in self.free:
            if r[0] <= base and base + size <= r[0] + r[1]:
                self.free.remove(r)
                if base > r[0]:
                    self.free.append([r[0], base - r[0]])
                if base + size < r[0] + r[1]:
                    self.free.append([base + size, r[0] + r[1] - base - size])
                return True
        return False

    def place(self, size, slot=None):
        size = (size + STAGE_ALIGN - 1) // STAGE_ALIGN * STAGE_ALIGN
        if slot and size <= slot[1] and self.take(slot[0], size):
            return slot[0]
        fits = sorted((r for r in self.free if r[1] >= size), key=lambda r: (r[1], r[0]))
        if not fits:
            return None
        base = fits[0][0]
        self.take(base, size)
        return base


def dts_string(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


def vm_config(build, config, sc, tee=None, files=None, linux_cmdlines=None, vm_runs=None,
              shell=False, mem=None, firmware_tables=None):
    """Compile, check and stage the VM configuration `config` (a .dts path)
    for a run: returns {path: address} for QEMU's loader, the blob
    included. `tee`: a path to a TEE image for every TEE, or, when there
    are Linux VMs, for theirs only. `files`: {file as the config names it:
    another, named the same way (e.g. a build product's name)}. Linux
    VMs' command lines get the scenario's append and run options, which
    Linux VM each is (vtz.vm=N), what it runs (vm_runs[N], vtz.run=),
    vtz.shell=1 with `shell`; `linux_cmdlines`
    replaces them whole. `firmware_tables` ("dt" or "acpi"): where the
    hypervisor learns the machine, as the root's firmware-tables."""
    src = os.path.abspath(config)
    shown = shown_path(config)
    mem_avail = pool_bytes(mem or sc.get("mem", "1G"))
    if not os.path.isfile(src):
        raise FileNotFoundError("%s: no such VM configuration" % shown)
    stem = "".join(c if c.isalnum() or c in "-_" else "_"
                   for c in os.path.splitext(os.path.basename(src))[0])
    # Its own scratch directory: callers build commands from several threads
    # (scripts/vtz_attacks.py boots the forbidden-instruction images at once).
    tmpdir = tempfile.mkdtemp(prefix="vms-%s-" % stem, dir=os.path.abspath(build))
    tmp = os.path.join(tmpdir, stem)
    try:
        dtc_compile(src, tmp + ".dtb", shown)
        vms, refs, bootargs = vmcfg_check(build, tmp + ".dtb", shown, mem_avail=mem_avail)
        nodes = subprocess.run(["fdtget", "-l", tmp + ".dtb", "/"], stdout=subprocess.PIPE,
                               text=True).stdout.split()
        if "loaded" in nodes:
            raise ValueError("%s: loaded: the runner's node (where it staged the files): "
                             "not for a configuration" % shown)
        edits = []
        # Overrides first: the files then staged are the ones the run uses.
        linux = [name for name, kind, _ in vms if kind == "linux"]
        for i, (node, prop, path) in enumerate(refs):
            new = (files or {}).get(path)
            if tee and prop == "image" and (not linux or node.split("/")[1] in linux):
                new = os.path.abspath(tee)
            if new is not None and new != path:
                refs[i] = (node, prop, new)
                edits.append((node, prop, new))
        edits += linux_bootargs(shown, sc, linux, bootargs, linux_cmdlines, vm_runs, shell)
        # Each distinct file once, the first of each role at its old slot.
        kinds = {name: kind for name, kind, _ in vms}
        wanted = {}
        for node, prop, path in refs:
            role = {"image": "tee", "initramfs": "initramfs"}.get(prop, kinds[node.split("/")[1]])
            where = node.lstrip("/")
            if path in wanted:
                continue
            full = find_file(path, os.path.dirname(src), build)
            if not full:
                raise ValueError("%s: %s: %s: %r: no such file (looked in %s and %s)"
                                 % (shown, where, prop, path, shown_path(os.path.dirname(src)),
                                    shown_path(build)))
            size = os.path.getsize(full)
            if not size:
                raise ValueError("%s: %s: %s: %s is empty" % (shown, where, prop, full))
            wanted[path] = [full, size, role, where, prop, None]
        stager, slots = Stager(), set()
        for w in wanted.values():
            if w[2] not in slots:
                slots.add(w[2])
                w[5] = stager.place(w[1], STAGE_SLOTS[w[2]])
        for w in wanted.values():
            if w[5] is None:
                w[5] = stager.place(w[1])
            if w[5] is None:
                raise ValueError("%s: %s: %s: %s (%d bytes): no staging space left for it "
                                 "(%d files; the areas hold %d MiB: %s)"
                                 % (shown, w[3], w[4], w[0], w[1], len(wanted),
                                    sum(a[1] for a in STAGE_AREAS) >> 20,
                                    ", ".join("0x%x+0x%x" % a for a in STAGE_AREAS)))
        # The final blob: the configuration with the edits and /loaded.
        text = ["/dts-v1/;", "/include/ %s" % dts_string(src)]
        text += ["&{%s} { %s = %s; };" % (node, prop, dts_string(value))
                 for node, prop, value in edits]
        text += ["/ {"]
        if firmware_tables:
            text += ["\tfirmware-tables = %s;" % dts_string(firmware_tables)]
        text += ["\tloaded {"]
        text += ["\t\timg%d { path = %s; addr = /bits/ 64 <0x%x>; size = /bits/ 64 <0x%x>; };"
                 % (i, dts_string(path), w[5], w[1]) for i, (path, w) in enumerate(wanted.items())]
        text += ["\t};", "};"]
        with open(tmp + ".dts", "w") as f:
            f.write("\n".join(text) + "\n")
        dtc_compile(tmp + ".dts", tmp + ".dtb", shown)
        vmcfg_check(build, tmp + ".dtb", shown, resolve=True, mem_avail=mem_avail)
        with open(tmp + ".dtb", "rb") as f:
            blob = f.read()
        if len(blob) > VM_CONFIG_MAX:
            raise ValueError("%s: %d bytes compiled: at most %d" % (shown, len(blob),
                                                                     VM_CONFIG_MAX))
        out = os.path.join(os.path.abspath(build), "vms-%s-%s.dtb"
                           % (stem, hashlib.sha256(blob).hexdigest()[:12]))
        os.replace(tmp + ".dtb", out)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    staged = {w[0]: w[5] for w in wanted.values()}
    staged[out] = VM_CONFIG_ADDR
    return staged


def linux_bootargs(shown, sc, linux, bootargs, linux_cmdlines, vm_runs, shell):
    """(node, "bootargs", line) for each Linux VM: see vm_config()."""
    if (vm_runs or shell) and not linux:
        raise ValueError("%s: --vm-run and --shell are for configurations with Linux VMs"
                         % shown)
    if vm_runs and len(vm_runs) > len(linux):
        raise ValueError("%d --vm-run for %d Linux VM(s)" % (len(vm_runs), len(linux)))
    edits = []
    for i, name in enumerate(linux):
        if linux_cmdlines is not None and i < len(linux_cmdlines):
            line = linux_cmdlines[i]
        else:
            own = sc.get("run") or []
            run = (vm_runs[i] if vm_runs and i < len(vm_runs)
                   else own[i] if i < len(own) else None)
            parts = [bootargs.get("/" + name), sc.get("append"), "vtz.vm=%d" % i,
                     "vtz.run=%s" % run if run else None, "vtz.shell=1" if shell else None]
            line = " ".join(p for p in parts if p)
        if len(line.encode()) >= BOOTARGS_MAX:
            raise ValueError("%s: %s: bootargs: %d bytes with the runner's options: at most "
                             "%d" % (shown, name, len(line.encode()), BOOTARGS_MAX - 1))
        edits.append(("/" + name, "bootargs", line))
    return edits


def scenario_config(scenario, vms=None):
    """The configuration a scenario runs: `vms` if given, else its own."""
    return vms or os.path.join(VMS_DIR, SCENARIOS[scenario]["vms"])


def qemu_command(build, scenario, gdb=False, icount=False, hyp=None, secure_uart=None,
                 linux_cmdlines=None, tee=None, vms=None, vm_runs=None, shell=False,
                 files=None, mem=None, flash_file=None, fw_bundle=None, fw_stop_at=0,
                 fw_scribble=False, smp=None, numa=None, firmware_tables=None):
    """The QEMU command line for a scenario, as a list. `hyp` names the
    hypervisor image in the build directory (the attack suite boots
    hyp-bad-*.bin in its place); by default the scenario's own. `vms`: a
    VM configuration (.dts) instead of the scenario's; `tee`, `files`,
    `linux_cmdlines`, `vm_runs`, `shell`: what vm_config() does with them.
    Natively, `tee` is the TEE the flash image carries (native_flash()),
    `linux_cmdlines[0]` the native Linux's command line.

    Native scenarios give the secure UART (UART1, the TEE's console) its
    own serial port, written to the file `secure_uart` (default
    BUILD/uart1.log); run() streams it instead, each line prefixed [tee].

    flash_file: flash mode, flash0 backed by that file (fw_flash_file()
    makes it if absent): the CIEE and hypervisor come from its active slot,
    not from the loader. fw_bundle: a bundle the hypervisor carries to the
    monitor at boot (fw_stage(); fw_stop_at, fw_scribble: its test knobs)."""
    if scenario not in SCENARIOS:
        raise ValueError("unknown scenario %r (known: %s)" % (scenario, ", ".join(SCENARIOS)))
    sc = SCENARIOS[scenario]
    if sc.get("needs_tee") and not tee:
        raise ValueError("scenario %r needs a TEE image for its Linux VMs (--tee IMAGE, e.g. "
                         "OP-TEE's tee-raw.bin from make optee-os)" % scenario)
    native = sc.get("native")
    linux = sc.get("linux")
    if native and vms:
        raise ValueError("scenario %r is native TrustZone: it runs no VM configuration"
                         % scenario)
    if native:
        # No CIEE, no hypervisor, no staging copy of the TEE: it is in flash.
        bios = native_flash(build, native, tee) if tee else native
        # Linux's files come with its device tree, made once -bios is known.
        images = {} if linux else {sc["guest"]: NATIVE_GUEST_ADDR}
    else:
        # The monitor and the device root key (monitor/mkflash.py).
        bios = VTZ_FLASH
        images = {"ciee.bin": CIEE_ADDR, hyp or sc.get("hyp", "hyp.bin"): HYP_ADDR}
    if numa and not mem and "mem" not in sc:
        mem = "2G"  # a GiB per node of two: the second GiB is vTZ's second pool
    cmd = ["qemu-system-aarch64"] + machine_args(sc, mem, smp, numa) + [
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
    if flash_file:
        if native:
            raise ValueError("--flash-file is for vTZ: native TrustZone has no firmware slots")
        cmd += ["-drive", "if=pflash,unit=0,format=raw,file=%s" % fw_flash_file(build, flash_file)]
        images = {n: a for n, a in images.items() if a not in (CIEE_ADDR, HYP_ADDR)}
    else:
        cmd += ["-bios", path]
    if native and linux:
        line = (linux_cmdlines or [linux_cmdline(sc, 0, (vm_runs or [None])[0], shell)])[0]
        images = native_linux_images(build, sc, line, tee or os.path.join(build, "tee.bin"),
                                     ["-bios", path])
    elif native and (vm_runs or shell):
        raise ValueError("--vm-run and --shell are for scenarios with Linux")
    if native and vm_runs and len(vm_runs) > 1:
        raise ValueError("%d --vm-run for 1 Linux" % len(vm_runs))
    if not native:
        images.update(vm_config(build, scenario_config(scenario, vms), sc, tee=tee, files=files,
                                linux_cmdlines=linux_cmdlines, vm_runs=vm_runs, shell=shell,
                                mem=mem, firmware_tables=firmware_tables))
    if fw_bundle:
        if not flash_file:
            raise ValueError("--fw-bundle needs --flash-file: the monitor writes updates there")
        fw_stage(build, images, fw_bundle, fw_stop_at, fw_scribble)
    for name, addr in images.items():
        path = os.path.join(build, name)
        if not os.path.exists(path):
            raise FileNotFoundError("%s is missing: run `make` first" % path)
        cmd += ["-device", "loader,file=%s,addr=0x%x,force-raw=on" % (path, addr)]
    if icount:
        cmd += ["-icount", "shift=0,align=off,sleep=off"]
    if gdb:
        cmd += ["-s", "-S"]
    return cmd


def fw_flash_file(build, path):
    """path, a flash0 file for flash mode; made if absent: the build's
    flash-vtz.bin with its ciee.bin and hyp.bin in slot A (never
    overwritten: it is the machine's flash, updates and counter included)."""
    if not os.path.exists(path):
        bios = open(os.path.join(build, VTZ_FLASH), "rb").read()
        bundle = vtz_fwbundle.bundle(open(os.path.join(build, "ciee.bin"), "rb").read(),
                                     open(os.path.join(build, "hyp.bin"), "rb").read())
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path + ".tmp", "wb") as f:
            f.write(vtz_fwbundle.flash(bios, bundle))
        os.rename(path + ".tmp", path)
        print("[run] new flash file %s: the build's CIEE and hypervisor in slot A"
              % shown_path(path), flush=True)
    return path


def fw_stage(build, images, bundle, stop_at=0, scribble=False):
    """Stage bundle (a path) and its descriptor for the hypervisor to carry
    to the monitor: adds them to images ({path: address})."""
    size = os.path.getsize(bundle)
    if not 0 < size <= vtz_fwbundle.SLOT_SIZE:
        raise ValueError("%s is %d bytes: a bundle is 1..%d" % (bundle, size,
                                                               vtz_fwbundle.SLOT_SIZE))
    end = FW_DESC_ADDR + 0x1000
    for name, addr in images.items():
        path = os.path.join(build, name)
        if os.path.exists(path) and addr < end and FW_STAGE_ADDR < addr + os.path.getsize(path):
            raise ValueError("--fw-bundle is staged at 0x%x-0x%x, where %s is: use it with a "
                             "configuration without a Linux VM" % (FW_STAGE_ADDR, end, name))
    # One descriptor per bundle: runs side by side (the tests) must not share one.
    desc = os.path.join(build, "fw-desc-%s.bin"
                        % hashlib.sha256(os.path.abspath(bundle).encode()).hexdigest()[:12])
    with open(desc, "wb") as f:
        f.write(FW_DESC_MAGIC + struct.pack("<QQQ", size, stop_at,
                                            FW_DESC_SCRIBBLE if scribble else 0))
    images[os.path.abspath(bundle)] = FW_STAGE_ADDR
    images[os.path.abspath(desc)] = FW_DESC_ADDR


def secure_uart_file(cmd):
    """Index in cmd of the second serial port's "file:PATH" (UART1), or None."""
    serials = [i + 1 for i, a in enumerate(cmd[:-1]) if a == "-serial"]
    if len(serials) >= 2 and cmd[serials[1]].startswith("file:"):
        return serials[1]
    return None


def parse_tee_input(spec):
    """--tee-input AFTER::TEXT: (AFTER, bytes of TEXT with Python escapes
    decoded, e.g. \\n, \\x14 for Ctrl-T)."""
    after, sep, text = spec.partition("::")
    if not sep or not after:
        raise ValueError("--tee-input %r: give AFTER::TEXT (a console line's text, then what "
                         "to type on the secure console once it appears)" % spec)
    return after, text.encode("latin-1", "backslashreplace").decode("unicode_escape").encode(
        "latin-1")


def run(cmd, timeout, echo=True, interactive=False, ns_prefix=None, tee_input=None):
    """Run QEMU, echo its output (unless echo is False), return (exit_status, lines).

    If cmd gives UART1 a file, that file is replaced by a pair of FIFOs
    (QEMU's pipe chardev): the runner reads what QEMU writes there as it
    comes (natively prefixed with SECURE_UART_PREFIX; under vTZ the
    monitor names each TEE's lines itself) and can type into it:
    tee_input, a list of (AFTER, bytes), types each bytes on the secure
    UART once a console line containing AFTER appeared (in order). With
    ns_prefix (a scenario's, see scenario_ns_prefix()), UART0's lines that
    are not the monitor's get it: natively Linux writes UART0 itself, with
    no prefix of its own."""
    tmpdir = None
    streams = {}  # fd -> [prefix, pending bytes]
    uart1_in = None
    pending_input = list(tee_input or [])
    i = secure_uart_file(cmd)
    if i is not None:
        tmpdir = tempfile.mkdtemp(prefix="vtz-uart1-")
        fifo = os.path.join(tmpdir, "uart1")
        os.mkfifo(fifo + ".out")
        os.mkfifo(fifo + ".in")
        # Read-write, so neither FIFO reads as closed, nor blocks QEMU's open.
        vtz = any(a.endswith("/" + VTZ_FLASH) for a in cmd)
        streams[os.open(fifo + ".out", os.O_RDWR | os.O_NONBLOCK)] = [
            "" if vtz else SECURE_UART_PREFIX, b""]
        uart1_in = os.open(fifo + ".in", os.O_RDWR | os.O_NONBLOCK)
        cmd = cmd[:i] + ["pipe:" + fifo] + cmd[i + 1:]
        if interactive:
            # The keyboard is the normal world's (UART0); the TEEs' is this FIFO.
            print("[run] to type to the TEEs (the secure console): `cat > %s.in` in another "
                  "terminal; Ctrl-T there moves on to the next TEE" % fifo, flush=True)
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
        # Typed on the secure console once its cue appeared (one per line, in order).
        if pending_input and uart1_in is not None and pending_input[0][0] in msg:
            os.write(uart1_in, pending_input.pop(0)[1])
        # The measured-boot log in hex: kept for --event-log, not shown.
        if echo and not vtz_evlog.CONSOLE_LINE.match(msg):
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
        if uart1_in is not None:
            os.close(uart1_in)
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
                    help="Linux VMs, linux-native: after its commands each VM's /init "
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
                    help="Linux VMs, linux-native: what the next Linux VM's /init runs (its "
                         "vtz.run=, e.g. 'vtz-client:ping,/etc/vtz/demo.sh'); once per VM")
    ap.add_argument("--vms", default=None, metavar="FILE.dts",
                    help="a VM configuration to run instead of the scenario's (README.md, "
                         "\"VM configurations\"); the scenario still gives the hypervisor image "
                         "and the CPUs")
    ap.add_argument("--file", action="append", default=None, metavar="NAME=OTHER",
                    help="run OTHER wherever the configuration names the file NAME (e.g. "
                         "guest.bin=guest-keys.bin); repeatable")
    ap.add_argument("--event-log", default=None, metavar="FILE",
                    help="save the monitor's measured-boot event log, which the hypervisor "
                         "prints at the end of a run (TCG format; scripts/vtz_evlog.py FILE "
                         "prints it)")
    ap.add_argument("--mem", default=None, metavar="SIZE",
                    help="the machine's RAM, 1G (default) or 2G: vTZ uses up to 2 GiB, the "
                         "second for more VMs")
    ap.add_argument("--flash-file", default=None, metavar="FILE",
                    help="flash mode: flash0 backed by FILE (64 MiB, made from this build if "
                         "absent), the CIEE and hypervisor booted from its active slot; it "
                         "keeps updates and the anti-rollback counter across runs")
    ap.add_argument("--fw-bundle", default=None, metavar="BUNDLE",
                    help="with --flash-file: a firmware bundle (make firmware-update) the "
                         "hypervisor carries to the monitor at boot")
    ap.add_argument("--fw-stop-at", type=lambda v: int(v, 0), default=0, metavar="BYTES",
                    help="tests: the hypervisor stops delivering after BYTES (a power cut)")
    ap.add_argument("--fw-scribble", action="store_true",
                    help="attack: the hypervisor rewrites each chunk after the monitor took it")
    ap.add_argument("--smp", default=None, type=int, metavar="N",
                    help="CPUs (default: the scenario's; vTZ runs on up to 8)")
    ap.add_argument("--numa", default=None, type=int, metavar="N",
                    help="N NUMA nodes: RAM and CPUs split evenly, distance 20 between nodes "
                         "(ACPI SRAT and SLIT)")
    ap.add_argument("--tee-input", action="append", default=None, metavar="AFTER::TEXT",
                    help="type TEXT on the secure console (the TEEs' UART) once a console "
                         "line containing AFTER appeared; Python escapes (\\n, \\x14 = "
                         "Ctrl-T: input to the next TEE); repeatable, in order")
    ap.add_argument("--firmware-tables", default=None, choices=("dt", "acpi"),
                    help="where the hypervisor learns the machine: QEMU's device tree (dt, "
                         "default) or the ACPI tables the monitor installs (acpi)")
    args = ap.parse_args()
    try:
        cmd = qemu_command(args.build, args.scenario, gdb=args.gdb, hyp=args.hyp,
                           tee=args.tee, vms=args.vms, vm_runs=args.vm_run, shell=args.shell,
                           mem=args.mem, flash_file=args.flash_file, fw_bundle=args.fw_bundle,
                           fw_stop_at=args.fw_stop_at, fw_scribble=args.fw_scribble,
                           smp=args.smp, numa=args.numa, firmware_tables=args.firmware_tables,
                           files=dict(f.split("=", 1) for f in args.file or []) or None)
    except (ValueError, FileNotFoundError) as e:
        print("[run] error: %s" % e, file=sys.stderr)
        return 2
    if args.print_command:
        print(" ".join(cmd))
        return 0
    print("[run] booting %s: %s" % ("%s (scenario '%s')" % (shown_path(args.vms), args.scenario)
                                    if args.vms else "scenario '%s'" % args.scenario,
                                    " ".join(cmd)), flush=True)
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
    try:
        tee_input = [parse_tee_input(t) for t in args.tee_input or []]
    except ValueError as e:
        print("[run] error: %s" % e, file=sys.stderr)
        return 2
    status, lines = run(cmd, 0 if args.shell else args.timeout,
                        interactive=args.shell or args.console,
                        ns_prefix=scenario_ns_prefix(args.scenario), tee_input=tee_input)
    if args.event_log:
        try:
            data = vtz_evlog.from_console(lines)
        except ValueError as e:
            print("[run] no event log saved: %s" % e, flush=True)
            return status or 1
        with open(args.event_log, "wb") as f:
            f.write(data)
        print("[run] event log: %d bytes in %s" % (len(data), args.event_log), flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
