"""scripts/vtz_evlog.py, without QEMU: a log laid out by hand as the TCG
PC Client PFP describes it (the monitor's is checked byte for byte by
test/unit/test_event_log.c and end to end by
test/system/test_measured_boot.py) is parsed and replayed; malformed ones
are refused; the console lines reassemble in order only."""
import hashlib
import os
import struct
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import vtz_evlog  # noqa: E402

SPEC = (struct.pack("<II", 0, 3) + b"\0" * 20 + struct.pack("<I", 33) + b"Spec ID Event03\0"
        + struct.pack("<IBBBBIHHB", 0, 0, 2, 2, 2, 1, 0x0B, 32, 0))


def event(pcr, etype, digest, data):
    return struct.pack("<IIIH", pcr, etype, 1, 0x0B) + digest + struct.pack("<I", len(data)) \
        + data


def test_parse_and_replay():
    a, b = hashlib.sha256(b"a").digest(), hashlib.sha256(b"b").digest()
    log = SPEC + event(0, 7, a, b"vTZ monitor\0") + event(0, 1, b, b"x\0") + \
        event(2, 1, a, b"vTZ TEE of VM vm0\0")
    spec, ev = vtz_evlog.parse(log)
    assert spec["version"] == "2.0" and len(ev) == 3
    pcrs = vtz_evlog.replay(ev)
    p0 = hashlib.sha256(hashlib.sha256(b"\0" * 32 + a).digest() + b).digest()
    assert pcrs == {0: p0, 2: hashlib.sha256(b"\0" * 32 + a).digest()}
    text = "\n".join(vtz_evlog.describe(log))
    assert "PCR2  EV_POST_CODE" in text and "vTZ TEE of VM vm0" in text
    assert "PCR0 replayed: " + p0.hex() in text


@pytest.mark.parametrize("bad", [
    SPEC[:31],                                     # no header
    SPEC.replace(b"Spec ID Event03", b"Spec ID Event02"),
    SPEC[:-5] + struct.pack("<HH", 0x04, 20) + b"\0",   # SHA-1 instead of SHA-256
    SPEC + event(0, 1, b"\1" * 32, b"x")[:49],     # truncated event
    SPEC + event(0, 1, b"\1" * 32, b"xyz")[:-1],   # data past the end
    SPEC + struct.pack("<IIIH", 0, 1, 2, 0x0B) + b"\0" * 40,  # two digests
])
def test_malformed_logs_are_refused(bad):
    with pytest.raises(ValueError):
        vtz_evlog.parse(bad)


def test_console_lines_in_order_only():
    log = SPEC + event(1, 1, b"\2" * 32, b"cfg\0")
    lines = ["[hyp] event log %05x: %s" % (i, log[i:i + 32].hex()) for i in range(0, len(log), 32)]
    assert vtz_evlog.from_console(["[mon] x"] + lines + ["[hyp] other"]) == log
    with pytest.raises(ValueError):
        vtz_evlog.from_console(lines[1:])
    with pytest.raises(ValueError):
        vtz_evlog.from_console(["[vm0] nothing"])
