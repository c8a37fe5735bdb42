#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs EBC images under real UEFI firmware in QEMU: Debian's OVMF (x86-64,
which has EDK2's EBC interpreter) or AAVMF (arm64; an EBC driver of ours
loaded first, with --driver). All images run in one boot from a FAT
directory whose startup.nsh runs each and prints its EFI_STATUS; the boot
is bounded by a timeout. Returns one transcript per image, in the format
of ebc/tools/ebc_test.py (console lines, then "status: 0x...").

usage: ebc/tools/ebc_fw.py {ovmf|aavmf} [--driver EBC.efi] IMAGE.efi...
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

FIRMWARE = {
    "ovmf": dict(
        qemu="qemu-system-x86_64",
        code="/usr/share/OVMF/OVMF_CODE_4M.fd", vars="/usr/share/OVMF/OVMF_VARS_4M.fd",
        args=["-machine", "q35", "-m", "256"], package="ovmf qemu-system-x86"),
    "aavmf": dict(
        qemu="qemu-system-aarch64",
        code="/usr/share/AAVMF/AAVMF_CODE.fd", vars="/usr/share/AAVMF/AAVMF_VARS.fd",
        args=["-machine", "virt", "-cpu", "cortex-a57", "-m", "256"],
        package="qemu-efi-aarch64 qemu-system-arm"),
}
TIMEOUT = 120
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]")


def available(kind):
    fw = FIRMWARE[kind]
    return shutil.which(fw["qemu"]) and os.path.exists(fw["code"]) and \
        os.path.exists(fw["vars"])


def startup_nsh(names, driver):
    lines = ["@echo -off", "fs0:"]
    if driver:
        lines += ["load %s" % driver]
    for n in names:
        lines += ['echo "=== begin %s"' % n, "%s.efi" % n, 'echo "=== status %lasterror%"']
    lines += ['echo "=== end"', "reset -s"]
    return "\r\n".join(lines) + "\r\n"


def parse(out, names):
    """Splits the serial console at our markers."""
    text = ANSI.sub("", out.replace("\r", ""))
    res = {}
    for n in names:
        m = re.search(r"=== begin %s\n(.*?)=== status (\S+)\n" % re.escape(n), text, re.S)
        if not m:
            res[n] = "no result (firmware output ended before this image finished)\n"
            continue
        try:
            status = "status: 0x%x\n" % int(m.group(2), 16)
        except ValueError:
            status = "status: %s\n" % m.group(2)
        res[n] = m.group(1) + status
    return res


def run(kind, images, driver=None, timeout=TIMEOUT):
    """Returns ({image name: transcript}, the whole console output)."""
    fw = FIRMWARE[kind]
    with tempfile.TemporaryDirectory(prefix="ebc-%s-" % kind) as tmp:
        fat = os.path.join(tmp, "fat")
        os.makedirs(fat)
        names = []
        for img in images:
            n = os.path.splitext(os.path.basename(img))[0]
            shutil.copy(img, os.path.join(fat, n + ".efi"))
            names.append(n)
        drv = None
        if driver:
            drv = os.path.basename(driver)
            shutil.copy(driver, os.path.join(fat, drv))
        with open(os.path.join(fat, "startup.nsh"), "w") as f:
            f.write(startup_nsh(names, drv))
        vars_copy = os.path.join(tmp, "vars.fd")
        shutil.copy(fw["vars"], vars_copy)
        cmd = [fw["qemu"]] + fw["args"] + [
            "-nographic", "-no-reboot", "-net", "none",
            "-drive", "if=pflash,format=raw,readonly=on,file=" + fw["code"],
            "-drive", "if=pflash,format=raw,file=" + vars_copy,
            "-drive", "file=fat:rw:%s,format=raw,media=disk" % fat]
        if kind == "aavmf":
            # The virt machine has no disk controller of its own: a virtio disk.
            cmd[-2:] = ["-drive", "file=fat:rw:%s,format=raw,if=none,id=fat" % fat,
                        "-device", "virtio-blk-device,drive=fat"]
        try:
            p = subprocess.run(cmd, capture_output=True, timeout=timeout,
                               stdin=subprocess.DEVNULL)
            out = p.stdout.decode("utf-8", "replace")
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode("utf-8", "replace")
            out += "\n[ebc_fw] %s boot stopped after %d s\n" % (kind, timeout)
    return parse(out, names), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("firmware", choices=sorted(FIRMWARE))
    ap.add_argument("--driver")
    ap.add_argument("images", nargs="+")
    args = ap.parse_args()
    if not available(args.firmware):
        print("ebc_fw: %s is not installed (Debian: %s)" % (
            args.firmware, FIRMWARE[args.firmware]["package"]), file=sys.stderr)
        return 1
    res, _ = run(args.firmware, args.images, args.driver)
    for n, t in res.items():
        print("=== %s\n%s" % (n, t), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
