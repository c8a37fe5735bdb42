#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs every corpus image through the EBC VM on the host (ebc-run) and
compares what it printed, line by line, with ebc/corpus/NAME.expected.

usage: ebc/tools/ebc_test.py --run EBC_RUN --images DIR --corpus ebc/corpus

The transcript of one run is the image's console output, then one line:
  status: 0x...           the image returned this EFI_STATUS
  stopped: REASON         the VM stopped the image (bad bytecode)
  rejected: REASON        the file is not a loadable EBC image
Malformed images (ebc/tools/mkbad.py) are made from corpus images here.
Ends with: ebc corpus: N images, M match, K differ.
"""
import argparse
import difflib
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True)
    ap.add_argument("--images", required=True)
    ap.add_argument("--corpus", required=True)
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
            for line in difflib.unified_diff(want.splitlines(), got.splitlines(),
                                             "expected", "ebc-run", lineterm=""):
                print("          " + line)
    print("ebc corpus: %d images, %d match, %d differ" % (len(images), match, differ))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
