"""Attack suite, boot-time scan: the monitor refuses to boot a hypervisor
image that contains an instruction only the CIEE may execute (vtz.md
section 5). Each hyp-bad-<name>.bin is the normal hypervisor plus one such
instruction (hyp/attack/forbidden.S, built by hyp/build.mk)."""
import concurrent.futures
import os
import re
import struct
import subprocess

import pytest

from conftest import BUILD, OWNER_KEY, ROOT
import vtz_sign  # scripts/, on the path through conftest

HYP_BASE = 0x40400000
HYP_SIZE = 0x00400000
HDR_TEXT_SIZE_OFFSET = 0x10  # include/vtz/image.h

# image suffix -> the instruction the monitor must name
BAD = {
    "ttbr0": "MSR TTBR0_EL2",
    "tcr": "MSR TCR_EL2",
    "sctlr": "MSR SCTLR_EL2",
    "mair": "MSR MAIR_EL2",
    "vbar": "MSR VBAR_EL2",
    "hcr": "MSR HCR_EL2",
    "vttbr": "MSR VTTBR_EL2",
    "vtcr": "MSR VTCR_EL2",
    "mdcr": "MSR MDCR_EL2",
    "dcisw": "DC ISW",
}

REFUSAL = re.compile(
    r"^\[mon\] FATAL: hypervisor image refused: forbidden instruction (?P<name>[A-Z0-9_ ]+) "
    r"\(0x(?P<word>[0-9a-f]{8})\) at 0x(?P<addr>[0-9a-f]+) \(offset 0x(?P<off>[0-9a-f]+)\); "
    r"the hypervisor must ask the CIEE instead$")


def boot(hyp, timeout=30, build=BUILD):
    """Boot the default scenario with `hyp` as the hypervisor image through
    scripts/vtz_run.py; return (exit status, output lines)."""
    r = subprocess.run(
        ["/usr/bin/python3", os.path.join(ROOT, "scripts", "vtz_run.py"), "--build", build,
         "--hyp", hyp, "--timeout", str(timeout)],
        cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        errors="replace", timeout=timeout + 30)
    return r.returncode, [l.rstrip("\r") for l in r.stdout.split("\n") if l.strip()]


@pytest.fixture(scope="module")
def runs():
    """Every bad image and the good one, booted in parallel (~0.3 s each)."""
    names = ["hyp.bin"] + ["hyp-bad-%s.bin" % b for b in BAD]
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(names)) as pool:
        return dict(zip(names, pool.map(boot, names)))


def text_of(image):
    """(text size from the header, the image bytes) of a built hypervisor image."""
    with open(os.path.join(BUILD, image), "rb") as f:
        data = f.read()
    return struct.unpack_from("<Q", data, HDR_TEXT_SIZE_OFFSET)[0], data


def blocked(lines, bad):
    """Check one refused boot; return the attack-suite line for it."""
    out = "\n".join(lines)
    refusals = [m for m in map(REFUSAL.match, lines) if m]
    assert len(refusals) == 1, "no (single) refusal line in:\n" + out
    m = refusals[0]
    assert m["name"] == BAD[bad], out
    addr, off, word = int(m["addr"], 16), int(m["off"], 16), int(m["word"], 16)
    text, data = text_of("hyp-bad-%s.bin" % bad)
    # Inside the text the CIEE would map executable, and really that word.
    assert HYP_BASE <= addr < HYP_BASE + text and off == addr - HYP_BASE, out
    assert struct.unpack_from("<I", data, off)[0] == word, out
    # The image never ran: no CIEE line, no hypervisor line; clean power-off.
    assert not [l for l in lines if l.startswith(("[ciee]", "[hyp]"))], out
    assert "[mon] system off" in lines, out
    assert not [l for l in lines if l.startswith("[mon] CIEE at")], out
    return "attack forbidden-%s: blocked (monitor instruction scan: %s at 0x%x)" % (
        bad, m["name"], addr)


@pytest.mark.parametrize("bad", sorted(BAD))
def test_bad_hypervisor_image_is_refused(runs, bad):
    status, lines = runs["hyp-bad-%s.bin" % bad]
    assert status == 1, "\n".join(lines)
    print(blocked(lines, bad))
    assert lines[-1] == "[run] FAILED: a FATAL error was reported"


def test_attack_suite_summary(runs, capsys):
    """One readable line per attack, shown even under `pytest -q`."""
    report = []
    for bad in BAD:
        status, lines = runs["hyp-bad-%s.bin" % bad]
        try:
            assert status == 1
            report.append(blocked(lines, bad))
        except AssertionError:
            report.append("attack forbidden-%s: NOT BLOCKED (status %d)" % (bad, status))
    with capsys.disabled():
        print("\n" + "\n".join(report))
    assert not [r for r in report if "NOT BLOCKED" in r]


def test_good_hypervisor_is_scanned_and_boots(runs):
    status, lines = runs["hyp.bin"]
    assert status == 0, "\n".join(lines)
    text, _ = text_of("hyp.bin")
    assert 0 < text <= HYP_SIZE and text % 4096 == 0
    want = "[mon] hypervisor text 0x%x-0x%x scanned: no forbidden instruction" % (
        HYP_BASE, HYP_BASE + text - 1)
    assert want in lines, "\n".join(lines)
    # The scan happens before the monitor enters the CIEE.
    i = lines.index(want)
    j = [n for n, l in enumerate(lines) if l.startswith("[mon] CIEE at 0x40100000")][0]
    k = [n for n, l in enumerate(lines) if l.startswith("[ciee]")][0]
    assert i < j < k


def test_missing_bad_image_is_a_clear_error():
    status, lines = boot("hyp-bad-nope.bin")
    assert status == 2


@pytest.mark.parametrize("text", [0, 0x1000 + 4, HYP_SIZE + 0x1000, 1 << 63])
def test_bad_text_size_in_header_is_refused(tmp_path, text):
    """The scan range comes from the header: a size the CIEE could not map
    page by page inside the region is refused before any scan, even in an
    image the owner signed (it is signed again here, with the owner's key,
    so the signature check passes and the size check is what refuses)."""
    for name in ("flash-vtz.bin", "ciee.bin", "tee.bin", "guest.bin", "vmcfg-check"):
        os.symlink(os.path.join(BUILD, name), str(tmp_path / name))
    _, data = text_of("hyp.unsigned.bin")
    data = bytearray(data)
    struct.pack_into("<Q", data, HDR_TEXT_SIZE_OFFSET, text)
    signed = vtz_sign.sign(bytes(data), vtz_sign.load_key(OWNER_KEY), 0x28)
    (tmp_path / "hyp-badsize.bin").write_bytes(signed)
    status, lines = boot("hyp-badsize.bin", build=str(tmp_path))
    assert status == 1, "\n".join(lines)
    assert ("[mon] FATAL: hypervisor image refused: text size 0x%x in its header is not a "
            "nonzero multiple of 4 KiB within its 0x%x-byte region" % (text, HYP_SIZE)) in lines
    assert not [l for l in lines if l.startswith(("[ciee]", "[hyp]"))], "\n".join(lines)
