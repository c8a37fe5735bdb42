"""scripts/vtz_fwbundle.py, without QEMU: a bundle keeps both signed images
where its header says, with one security version; the metadata record is
the monitor's (include/vtz/fw_update.h; CRC-32 as policy/fw_update.c
computes it, test/unit/test_fw_update.c); a flash file names slot A at
the bundle's version; the next version is one above the counter."""
import os
import struct
import sys

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import vtz_fwbundle  # noqa: E402
import vtz_sign  # noqa: E402

OFF = 0x28


def signed(version, key, size=0x1800):
    data = bytearray(os.urandom(size - 0x100))
    struct.pack_into("<Q", data, OFF, size)
    return vtz_sign.sign(bytes(data), key, OFF, version)


@pytest.fixture(scope="module")
def key():
    return ec.generate_private_key(ec.SECP256R1())


def test_bundle_layout(key):
    ciee, hyp = signed(3, key), signed(3, key, 0x2345)
    b = vtz_fwbundle.bundle(ciee, hyp)
    magic, size, co, cs, ho, hs, res = struct.unpack_from(vtz_fwbundle.BUNDLE_HDR, b)
    assert b[:8] == b"vTZFWB01" and size == len(b) and res == 0
    assert co % 0x1000 == 0 and ho % 0x1000 == 0 and co >= 32 and co + cs <= ho
    assert vtz_fwbundle.unbundle(b) == (ciee, hyp)
    assert vtz_fwbundle.version(b) == 3


def test_bundle_versions_must_agree(key):
    with pytest.raises(ValueError, match="different versions"):
        vtz_fwbundle.version(vtz_fwbundle.bundle(signed(2, key), signed(3, key)))


def test_meta_record():
    rec = vtz_fwbundle.meta(7, 1, 4)
    assert len(rec) == 32 and rec[:8] == b"vTZFWM01"
    assert vtz_fwbundle.parse_meta(rec) == (7, 1, 4)
    # Any changed byte the CRC covers, or the CRC itself: not a record.
    for i in (8, 12, 16, 24):
        torn = bytearray(rec)
        torn[i] ^= 1
        assert vtz_fwbundle.parse_meta(bytes(torn)) is None


def test_flash_and_next_version(key):
    b = vtz_fwbundle.bundle(signed(5, key), signed(5, key))
    img = vtz_fwbundle.flash(b"\x11" * 0x1000, b)
    assert len(img) == vtz_fwbundle.FLASH_SIZE
    assert vtz_fwbundle.parse_meta(img[0x1000000:0x1000020]) == (1, 0, 5)
    assert img[0x2000000:0x2000000 + len(b)] == b
    assert vtz_fwbundle.counter(img) == 5
    # A newer record in the other copy decides.
    img = bytearray(img)
    img[0x1040000:0x1040020] = vtz_fwbundle.meta(2, 1, 6)
    assert vtz_fwbundle.counter(bytes(img)) == 6
