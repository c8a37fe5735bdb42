"""scripts/vtz_attest.py without QEMU: the attestation key it derives
from a root key, and its verdict on reports signed here the way the
monitor signs them (test/system/test_attest.py checks real ones). Every
malformed, altered, replayed or foreign report is rejected with its
reason."""
import hashlib
import os
import struct
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import vtz_attest  # noqa: E402

ROOT_KEY = bytes(range(32))
NONCE = bytes(range(0x40, 0x60))


def report(key=None, nonce=NONCE, magic=b"vTZR", version=1, home=1, size=256,
           identity=b"vm0"):
    """A report as monitor/attest.c makes it, signed with key (default: the
    attestation key of ROOT_KEY)."""
    key = key or vtz_attest.private_key(ROOT_KEY)
    body = struct.pack("<4sHHII", magic, version, home, size, 7) + nonce
    for i in range(4):
        body += hashlib.sha256(b"image %d" % i).digest()
    body += identity.ljust(16, b"\0")
    assert len(body) == 192
    r, s = utils.decode_dss_signature(key.sign(body, ec.ECDSA(hashes.SHA256())))
    return body + r.to_bytes(32, "big") + s.to_bytes(32, "big")


def pub():
    return vtz_attest.private_key(ROOT_KEY).public_key()


def test_key_derivation_is_fips_186_4_b41_over_hkdf():
    c = int.from_bytes(vtz_attest.hkdf_sha256(ROOT_KEY, b"vTZ attestation key v1", 48), "big")
    d = vtz_attest.private_key(ROOT_KEY).private_numbers().private_value
    assert d == c % (vtz_attest.P256_N - 1) + 1
    assert vtz_attest.private_key(ROOT_KEY).private_numbers() == \
        vtz_attest.private_key(ROOT_KEY).private_numbers()
    assert vtz_attest.private_key(bytes(32)).private_numbers().private_value != d
    with pytest.raises(ValueError):
        vtz_attest.private_key(b"short")


def test_export_writes_the_public_key(tmp_path):
    rk, out = tmp_path / "root.bin", tmp_path / "pub.pem"
    rk.write_bytes(ROOT_KEY)
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "vtz_attest.py"), "export",
                    str(rk), str(out)], check=True)
    key = serialization.load_pem_public_key(out.read_bytes())
    assert key.public_numbers() == pub().public_numbers()


def test_a_good_report_verifies_and_says_what_it_proves():
    f = vtz_attest.verify(report(), pub(), NONCE)
    assert f["home"] == "vtz-ciee" and f["security_version"] == 7
    assert f["tee"] == hashlib.sha256(b"image 3").digest()
    text = vtz_attest.describe(f)
    assert "VM identity:       'vm0'" in text and "security version:  7" in text
    native = vtz_attest.describe(vtz_attest.verify(report(home=3, identity=b""), pub(), NONCE))
    assert "none (native: no VM)" in native


def test_every_flipped_bit_is_rejected():
    good = report()
    for i in range(len(good)):
        for bit in (0x01,):
            bad = bytearray(good)
            bad[i] ^= bit
            with pytest.raises(vtz_attest.ReportError):
                vtz_attest.verify(bytes(bad), pub(), NONCE)


@pytest.mark.parametrize("kwargs, why", [
    ({"magic": b"vTZX"}, "not a vTZ attestation report"),
    ({"version": 2}, "report version 2"),
    ({"size": 255}, "says it is 255 bytes"),
    ({"home": 9}, "unknown home 9"),
    ({"nonce": bytes(32)}, "wrong nonce"),
    ({"key": ec.generate_private_key(ec.SECP256R1())}, "bad signature"),
])
def test_bad_reports_are_rejected_with_the_reason(kwargs, why):
    with pytest.raises(vtz_attest.ReportError, match=why):
        vtz_attest.verify(report(**kwargs), pub(), NONCE)


def test_lengths_and_hex():
    with pytest.raises(vtz_attest.ReportError, match="256 bytes, this one 255"):
        vtz_attest.verify(report()[:-1], pub(), NONCE)
    with pytest.raises(vtz_attest.ReportError, match="no hex report"):
        vtz_attest.report_bytes("vtz-client: attest report: xyz")
    with pytest.raises(vtz_attest.ReportError, match="odd number"):
        vtz_attest.report_bytes("abc")


def test_a_report_split_by_the_console_is_put_back_together():
    good = report()
    h = good.hex()
    lines = ["[vm0] vtz-client: attest report: " + h[:133]]
    rest = h[133:]
    while rest:
        lines.append("[vm1] something else")
        lines.append("[vm0] " + rest[:160])
        rest = rest[160:]
    lines.append("[vm0] [linux] run vtz-client attest ...: exit 0")
    assert vtz_attest.report_bytes("\n".join(lines)) == good
    assert vtz_attest.report_bytes(h) == good


def test_the_command_line_exit_codes(tmp_path):
    pem = tmp_path / "pub.pem"
    pem.write_bytes(pub().public_bytes(serialization.Encoding.PEM,
                                       serialization.PublicFormat.SubjectPublicKeyInfo))
    script = os.path.join(ROOT, "scripts", "vtz_attest.py")

    def run(*args):
        p = subprocess.run([sys.executable, script, "--key", str(pem)] + list(args),
                           capture_output=True, text=True)
        return p.returncode, p.stdout + p.stderr

    assert run("--nonce", NONCE.hex(), report().hex())[0] == 0
    status, out = run("--nonce", NONCE.hex(), "--expect-identity", "vm1", report().hex())
    assert status == 1 and "VM identity 'vm0', expected 'vm1'" in out
    status, out = run("--nonce", NONCE.hex(), "--min-version", "8", report().hex())
    assert status == 1 and "security version 7, below the lowest accepted 8" in out
    status, out = run("--nonce", "00", report().hex())
    assert status != 0 and "--nonce must be 32 bytes" in out
