#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs every corpus image through the EBC VM on the host (ebc-run) and
compares what it printed, line by line, with ebc/corpus/NAME.expected;
then the differential: every well-formed image (one that returns an
EFI_STATUS) under Debian's OVMF in qemu-system-x86_64, whose EBC
interpreter is EDK2's, and under Debian's AAVMF in qemu-system-aarch64
with our driver loaded, line by line; and every malformed one under
AAVMF, where our driver must stop it with its reason and let the firmware
go on. (Malformed bytecode is not sent to OVMF: EDK2's interpreter halts
the whole firmware on it, e.g. on a divide by zero.) One boot per
firmware, each bounded (ebc/tools/ebc_fw.py).

usage: ebc/tools/ebc_test.py --run EBC_RUN --images DIR --corpus ebc/corpus
                             --driver ebcvm.efi [--no-firmware]

The transcript of one run is the image's console output, then one line:
  status: 0x...           the image returned this EFI_STATUS
  stopped: REASON         the VM stopped the image (bad bytecode)
  rejected: REASON        the file is not a loadable EBC image
Malformed images (ebc/tools/mkbad.py) are made from corpus images here.
Prints: ebc corpus: N images, M match, K differ; then ends with
ebc differential: N images, M match, K differ.
"""
import argparse
import concurrent.futures
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


STOPPED = re.compile(r"^EBC VM: image at 0x[0-9A-Fa-f]+ stopped: (.*) at image offset "
                     r"0x([0-9A-Fa-f]+) \(.*\)$", re.M)


def driver_form(t):
    """Our driver's message for a stopped image, in ebc-run's transcript form."""
    m = STOPPED.search(t)
    if not m:
        return t
    return t[:m.start()] + "stopped: %s at offset 0x%x" % (m.group(1), int(m.group(2), 16)) + \
        t[m.end():]


def differential(run, images, driver, corpus):
    """
    Every image that returns: OVMF (EDK2's interpreter) against AAVMF with
    our driver, line by line. Every image our VM stops: AAVMF with our
    driver against its expected transcript (OVMF would hang on it).
    """
    host = {os.path.splitext(os.path.basename(i))[0]: transcript(run, i) for i in images}
    good = sorted(n for n, t in host.items() if t.splitlines()[-1].startswith("status:"))
    bad = sorted(n for n in host if n not in good)
    folder = os.path.dirname(images[0])
    print("[test] EBC differential: OVMF (x86-64, EDK2's EBC interpreter) against AAVMF "
          "(arm64) with our driver, %d images; then %d malformed ones on AAVMF" %
          (len(good), len(bad)))
    # The two boots at once: each is one QEMU process, mostly one core.
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        f_ovmf = pool.submit(ebc_fw.run, "ovmf",
                             [os.path.join(folder, n + ".efi") for n in good])
        f_aavmf = pool.submit(ebc_fw.run, "aavmf",
                              [os.path.join(folder, n + ".efi") for n in good + bad],
                              driver=driver)
        ovmf, ovmf_out = f_ovmf.result()
        aavmf, aavmf_out = f_aavmf.result()
    match = differ = 0
    for n in good:
        if ovmf[n] == aavmf[n] and not ovmf[n].startswith("no result"):
            match += 1
            print("  ebc     %-24s same under OVMF and AAVMF: %s" % (n, ovmf[n].splitlines()[-1]))
        else:
            differ += 1
            print("  ebc     %-24s DIFFERS:" % n)
            show_diff("OVMF", ovmf[n], "AAVMF", aavmf[n])
    bad_ok = 0
    for n in bad:
        want = open(os.path.join(corpus, n + ".expected"), encoding="utf-8").read()
        # The shell's status after our driver stopped the image: EFI_ABORTED.
        want += "status: 0x15\n"
        got = driver_form(aavmf[n])
        if got == want:
            bad_ok += 1
            print("  ebc     %-24s stopped on AAVMF, firmware went on: %s" % (
                n, want.splitlines()[0]))
        else:
            differ += 1
            print("  ebc     %-24s DIFFERS on AAVMF:" % n)
            show_diff("expected", want, "AAVMF", got)
    if differ:
        for name, out in (("OVMF", ovmf_out), ("AAVMF", aavmf_out)):
            print("          (%s console, last lines)" % name)
            for line in out.replace("\r", "").splitlines()[-12:]:
                print("          | " + line)
    print("ebc differential: %d images, %d match, %d differ" % (
        len(good) + len(bad), match + bad_ok, differ))
    return differ == 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True)
    ap.add_argument("--images", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--driver", help="the EBC driver for AAVMF (ebcvm.efi)")
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
    for kind in ("ovmf", "aavmf"):
        if not ebc_fw.available(kind):
            print("ebc_test: %s is not installed (Debian: %s; scripts/setup.sh installs it)"
                  % (kind.upper(), ebc_fw.FIRMWARE[kind]["package"]))
            return 1
    corpus_images = [i for i in images if os.path.dirname(i) != bad_dir]
    ok = differential(args.run, corpus_images, args.driver, args.corpus) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
