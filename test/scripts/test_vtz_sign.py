"""scripts/vtz_sign.py, the owner's key and the signed-image trailer, and
monitor/mkflash.py's owner key hash, without QEMU: what the build signs
verifies, and every change to it is caught by the host's own check (the
monitor's is tested by test/unit/test_signed_image.c and
test/system/test_signed_boot.py)."""
import hashlib
import importlib.util
import os
import struct
import sys

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import vtz_sign  # noqa: E402

OFF = 0x28


def mkflash():
    spec = importlib.util.spec_from_file_location("mkflash",
                                                  os.path.join(ROOT, "monitor", "mkflash.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def image(size=0x300, file_len=0x2f0):
    """An image whose header (at OFF) names `size`; the file is shorter (bss-less tail)."""
    data = bytearray(os.urandom(file_len))
    struct.pack_into("<Q", data, OFF, size)
    return bytes(data)


@pytest.fixture(scope="module")
def key():
    return ec.generate_private_key(ec.SECP256R1())


def test_keygen_makes_a_p256_key_once(tmp_path):
    path = str(tmp_path / "k" / "owner-key.pem")
    assert vtz_sign.keygen(path)
    assert os.stat(path).st_mode & 0o777 == 0o600
    first = open(path, "rb").read()
    assert not vtz_sign.keygen(path)  # never overwrites an owner's key
    assert open(path, "rb").read() == first
    assert len(vtz_sign.key_hash(vtz_sign.load_key(path))) == 32


def test_signed_layout(key):
    img = image()
    out = vtz_sign.sign(img, key, OFF, security_counter=7)
    size, signed, prot, unprot = vtz_sign.parse(out, OFF)
    assert size == 0x300 and out[:len(img)] == img and out[len(img):size] == b"\0" * 0x10
    assert struct.unpack_from("<HH", out, size) == (0x6908, 12)
    assert prot == {0x50: struct.pack("<I", 7)}
    assert sorted(unprot) == [0x02, 0x10, 0x22] and len(unprot[0x02]) == 91
    digest, sec, khash = vtz_sign.verify(out, OFF, vtz_sign.key_hash(key))
    assert digest == hashlib.sha256(out[:signed]).digest() == unprot[0x10] and sec == 7
    assert khash == vtz_sign.key_hash(key)


def test_every_change_is_caught(key):
    out = vtz_sign.sign(image(), key, OFF)
    _, signed, _, _ = vtz_sign.parse(out, OFF)
    for at in (0, OFF + 1, 0x2ff, signed - 1):  # image, header, padding, SEC_CNT
        bad = bytearray(out)
        bad[at] ^= 1
        with pytest.raises(ValueError):
            vtz_sign.verify(bytes(bad), OFF)
    with pytest.raises(ValueError, match="another key"):
        vtz_sign.verify(out, OFF, b"\0" * 32)
    other = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(ValueError, match="does not verify"):
        vtz_sign.verify(vtz_sign.sign(image(), key, OFF, sig_key=other), OFF)
    with pytest.raises(ValueError):
        vtz_sign.parse(out[:-1], OFF)


def test_image_longer_than_its_header_is_refused(key):
    with pytest.raises(ValueError, match="header says"):
        vtz_sign.sign(image(size=0x100), key, OFF)


def test_flash_carries_the_owner_key_hash(key):
    mk = mkflash()
    h = vtz_sign.key_hash(key)
    flash = mk.pack(b"\x01" * 64, b"\x02" * 32, owner_hash=h)
    assert mk.owner_hash_of(flash) == h and mk.key_of(flash) == b"\x02" * 32
    with pytest.raises(ValueError):
        mk.owner_hash_of(mk.pack(b"\x01" * 64, b"\x02" * 32))
    with pytest.raises(ValueError):
        mk.pack(b"", b"\x02" * 32, owner_hash=b"\0" * 31)
