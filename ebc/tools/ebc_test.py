#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs every corpus image through the EBC VM on the host (ebc-run) and
compares what it printed, line by line, with ebc/corpus/NAME.expected;
then the differential: every well-formed image (one that returns an
EFI_STATUS) under Debian's OVMF in qemu-system-x86_64, whose EBC
interpreter is EDK2's, against our VM, line by line. (Malformed bytecode
is not sent to OVMF: EDK2's interpreter halts the whole firmware on it,
e.g. on a divide by zero, where ours stops only the image.)

usage: ebc/tools/ebc_test.py --run EBC_RUN --images DIR --corpus ebc/corpus
                             [--no-firmware]

The transcript of one run is the image's console output, then one line:
  status: 0x...           the image returned this EFI_STATUS
  stopped: REASON         the VM stopped the image (bad bytecode)
  rejected: REASON        the file is not a loadable EBC image
Malformed images (ebc/tools/mkbad.py) are made from corpus images here.
Prints: ebc corpus: N images, M match, K differ; then ends with
ebc differential: N images, M match, K differ.
"""
import argparse
import difflib
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ebc_fw  # noqa: E402
import mkbad  # noqa: E402

TIMEOUT = 20


def transcript(run, image):
    try:
        p = subprocess.run([run, image], capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return "timeout: no result in %d s\n" % TIMEOUT
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    if out and not out.endswith("\n"):
        out += "\n"
    m = re.search(r"returned EFI_STATUS (0x[0-9a-f]+|0)", err)
    if p.returncode == 0 and m:
        return out + "status: 0x%x\n" % int(m.group(1), 16)
    m = re.search(r"stopped: (.*) at image offset (0x[0-9a-f]+|0)", err)
    if p.returncode == 2 and m:
        return out + "stopped: %s at offset 0x%x\n" % (m.group(1), int(m.group(2), 16))
    m = re.search(r"not a loadable EBC image: (.*)", err)
    if p.returncode == 3 and m:
        return out + "rejected: %s\n" % m.group(1)
    return out + "error: exit %d: %s\n" % (p.returncode, err.strip())


def shell_status(t):
    """The UEFI Shell keeps an error status without its top bit (a SHELL_STATUS)."""
    def fix(m):
        return "status: 0x%x" % (int(m.group(1), 16) & ~(1 << 63))
    return re.sub(r"^status: (0x[0-9a-f]+)$", fix, t, flags=re.M)


def show_diff(a_name, a, b_name, b):
    for line in difflib.unified_diff(a.splitlines(), b.splitlines(), a_name, b_name,
                                     lineterm=""):
        print("          " + line)


def differential(run, images, kind):
    """Our VM against the firmware's, on every image that returns."""
    host = {}
    for image in images:
        t = transcript(run, image)
        if t.splitlines()[-1].startswith("status:"):
            host[os.path.splitext(os.path.basename(image))[0]] = t
    print("[test] EBC differential: %s (EDK2's EBC interpreter, qemu-system-x86_64) "
          "against our VM (ebc-run), %d images in one boot" % (kind.upper(), len(host)))
    fw, out = ebc_fw.run(kind, [os.path.join(os.path.dirname(images[0]), n + ".efi")
                                for n in sorted(host)])
    match = differ = 0
    for n in sorted(host):
        ours, theirs = shell_status(host[n]), fw[n]
        if ours == theirs:
            match += 1
            print("  ebc     %-24s same under %s" % (n, kind.upper()))
        else:
            differ += 1
            print("  ebc     %-24s DIFFERS:" % n)
            show_diff("ebc-run", ours, kind, theirs)
    if differ:
        print("          (the firmware's console: %d bytes, last lines below)" % len(out))
        for line in out.replace("\r", "").splitlines()[-15:]:
            print("          | " + line)
    print("ebc differential: %d images, %d match, %d differ" % (len(host), match, differ))
    return differ == 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True)
    ap.add_argument("--images", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--no-firmware", action="store_true")
    args = ap.parse_args()

    bad_dir = os.path.join(args.images, "malformed-pe")
    mkbad.make_all(os.path.join(args.images, "hello.efi"), bad_dir)
    images = sorted(os.path.join(args.images, f) for f in os.listdir(args.images)
                    if f.endswith(".efi"))
    images += sorted(os.path.join(bad_dir, f) for f in os.listdir(bad_dir))
    match = differ = 0
    for image in images:
        name = os.path.splitext(os.path.basename(image))[0]
        if os.path.dirname(image) == bad_dir:
            name = "pe-" + name
        exp_path = os.path.join(args.corpus, name + ".expected")
        got = transcript(args.run, image)
        try:
            with open(exp_path, encoding="utf-8") as f:
                want = f.read()
        except OSError:
            want = "(no %s)\n" % exp_path
        if got == want:
            match += 1
            print("  ebc     %-24s ok: %s" % (name, got.splitlines()[-1]))
        else:
            differ += 1
            print("  ebc     %-24s DIFFERS from %s:" % (name, exp_path))
            show_diff("expected", want, "ebc-run", got)
    print("ebc corpus: %d images, %d match, %d differ" % (len(images), match, differ))
    ok = differ == 0
    if args.no_firmware:
        return 0 if ok else 1
    if not ebc_fw.available("ovmf"):
        print("ebc_test: OVMF is not installed (Debian: %s; scripts/setup.sh installs it)"
              % ebc_fw.FIRMWARE["ovmf"]["package"])
        return 1
    corpus_images = [i for i in images if os.path.dirname(i) != bad_dir]
    ok = differential(args.run, corpus_images, "ovmf") and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
