#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Dumps QEMU's ACPI fw_cfg files for the unit tests of policy/acpi*.c.

usage: scripts/acpi_dump.py [OUT_DIR]     (default test/data/acpi)

Builds test/data/acpi/dumper.c (a -bios image that prints fw_cfg's
etc/acpi/rsdp, etc/acpi/tables and etc/table-loader in hex on UART0), boots
it in each machine shape below, and writes OUT_DIR/SHAPE/NAME.bin for each
file. QEMU pads the tables and the loader script with zeros (to 128 KiB and
3 KiB); the padding is cut off and the fw_cfg size kept in OUT_DIR/SHAPE/sizes,
so the committed data stays small and the tests can restore it. The data is
QEMU 7.2's output: re-run this script when the QEMU we run on changes.
"""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CROSS = os.environ.get("CROSS", "aarch64-linux-gnu-")
MACHINE = ["qemu-system-aarch64", "-M", "virt,secure=on,virtualization=on,gic-version=3",
           "-cpu", "cortex-a57", "-display", "none", "-nic", "none", "-monitor", "none",
           "-serial", "stdio"]
NUMA2 = ["-object", "memory-backend-ram,id=m0,size=1G",
         "-object", "memory-backend-ram,id=m1,size=1G",
         "-numa", "node,nodeid=0,cpus=0-1,memdev=m0",
         "-numa", "node,nodeid=1,cpus=2-3,memdev=m1"]
SHAPES = {
    "smp1": ["-smp", "1", "-m", "1G"],
    "smp2": ["-smp", "2", "-m", "1G"],
    "smp4": ["-smp", "4", "-m", "2G"],
    # SRAT only: two nodes, no distances given, so no SLIT.
    "numa2-nodist": ["-smp", "4", "-m", "2G"] + NUMA2,
    # SRAT and SLIT.
    "numa2": ["-smp", "4", "-m", "2G"] + NUMA2 + ["-numa", "dist,src=0,dst=1,val=20"],
}


def build(tmp):
    elf, binary = os.path.join(tmp, "dumper.elf"), os.path.join(tmp, "dumper.bin")
    subprocess.run([CROSS + "gcc", "-O2", "-ffreestanding", "-fno-toplevel-reorder",
                    "-nostdlib", "-static", "-mgeneral-regs-only", "-mstrict-align",
                    "-fno-pie", "-no-pie", "-Wl,--build-id=none", "-Wl,-Ttext=0",
                    "-Wl,-e,_start", "-Wall", "-Wextra", "-Werror",
                    os.path.join(ROOT, "test/data/acpi/dumper.c"), "-o", elf], check=True)
    subprocess.run([CROSS + "objcopy", "-O", "binary", elf, binary], check=True)
    return binary


def dump(binary, args):
    """Returns {fw_cfg name: bytes} as the dumper printed it."""
    proc = subprocess.Popen(MACHINE + ["-bios", binary] + args, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    files, cur = {}, None
    try:
        for line in proc.stdout:
            line = line.strip()
            if line == "DONE":
                break
            if line.startswith("FILE "):
                _, name, size = line.split()
                cur = files[name] = {"size": int(size, 16), "data": bytearray()}
            elif cur is not None:
                cur["data"] += bytes.fromhex(line)
        else:
            sys.exit("acpi_dump: QEMU stopped before DONE: %s" % proc.stderr.read())
    finally:
        proc.kill()
        proc.wait()
    for name, f in files.items():
        if len(f["data"]) != f["size"]:
            sys.exit("acpi_dump: %s: %d bytes printed, fw_cfg says %d"
                     % (name, len(f["data"]), f["size"]))
    return files


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "test/data/acpi")
    with tempfile.TemporaryDirectory() as tmp:
        binary = build(tmp)
        for shape, args in SHAPES.items():
            files = dump(binary, args)
            if set(files) != {"etc/acpi/rsdp", "etc/acpi/tables", "etc/table-loader"}:
                sys.exit("acpi_dump: %s: fw_cfg files %s" % (shape, sorted(files)))
            d = os.path.join(out, shape)
            os.makedirs(d, exist_ok=True)
            sizes = []
            for name in sorted(files):
                base = name.split("/")[-1]
                data = bytes(files[name]["data"]).rstrip(b"\0")
                with open(os.path.join(d, base + ".bin"), "wb") as f:
                    f.write(data)
                sizes.append("%s %d\n" % (name, files[name]["size"]))
            with open(os.path.join(d, "sizes"), "w") as f:
                f.writelines(sizes)
            print("acpi_dump: %s: %s" % (shape, ", ".join(
                "%s %d/%d" % (n, len(files[n]["data"].rstrip(b"\0")), files[n]["size"])
                for n in sorted(files))))


if __name__ == "__main__":
    main()
