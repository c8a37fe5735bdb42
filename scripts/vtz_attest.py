#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Remote attestation on the host (docs/security.md, "Attestation"), with
Debian's python3-cryptography: export the device attestation public key,
and verify a report a TEE obtained (include/vtz/attest_abi.h).

A report is 256 bytes, little-endian:
  0 magic "vTZR" | 4 version u16 | 6 home u16 | 8 size u32 (256)
  12 security_version u32 | 16 nonce[32] | 48 monitor[32] | 80 ciee[32]
  112 hyp[32] | 144 tee[32] | 176 identity[16] | 192 signature r||s [64]
signature = ECDSA P-256 over SHA-256(bytes 0..191).

The attestation key is derived from the device root key (the file the
build made, build/device-root-key.bin): HKDF-SHA256(root key, no salt,
info "vTZ attestation key v1", 48 bytes) read as a big-endian c, then
d = (c mod (n - 1)) + 1 (FIPS 186-4 B.4.1), as the monitor derives it.

usage:
  vtz_attest.py export ROOT_KEY.bin OUT.pem     the attestation public key (PEM)
  vtz_attest.py --key PUB.pem --nonce HEX [--expect-tee HEX] [--expect-identity NAME]
                [--expect-home vtz-ciee|vtz-el3|native] [--min-version N] REPORT
      REPORT: the report in hex, or console output with its line
      ("vtz-client: attest report: HEX", split lines put back together),
      or - to read either from stdin.
      Prints what the report proves; exits 1 (with why) if it does not verify,
      2 on bad usage.
"""
import argparse
import hashlib
import hmac
import re
import struct
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

MAGIC = b"vTZR"
VERSION = 1
REPORT_LEN = 256
BODY_LEN = 192
NONCE_LEN = 32
KEY_INFO = b"vTZ attestation key v1"
SEED_LEN = 48
# The P-256 group order.
P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
HOMES = {1: "vtz-ciee", 2: "vtz-el3", 3: "native"}
FMT = "<4sHHII32s32s32s32s32s16s64s"
assert struct.calcsize(FMT) == REPORT_LEN


class ReportError(Exception):
    """A report that proves nothing, and why."""


def hkdf_sha256(ikm, info, length):
    """RFC 5869 with no salt, from Python's hmac."""
    prk = hmac.new(b"\0" * 32, ikm, hashlib.sha256).digest()
    out, t, i = b"", b"", 1
    while len(out) < length:
        t = hmac.new(prk, t + info + bytes([i]), hashlib.sha256).digest()
        out += t
        i += 1
    return out[:length]


def private_key(root_key):
    """The device attestation key of the device with this root key."""
    if len(root_key) != 32:
        raise ValueError("a device root key is 32 bytes, not %d" % len(root_key))
    c = int.from_bytes(hkdf_sha256(root_key, KEY_INFO, SEED_LEN), "big")
    return ec.derive_private_key(c % (P256_N - 1) + 1, ec.SECP256R1())


def public_pem(root_key):
    return private_key(root_key).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_public(path):
    with open(path, "rb") as f:
        key = serialization.load_pem_public_key(f.read())
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise ValueError("%s: not an ECDSA P-256 public key" % path)
    return key


def report_hex(text):
    """The report's hex digits from hex alone, or from console output with a
    "... attest report: HEX" line. A console that splits long lines (the
    hypervisor's virtual UART: every 160 characters, each piece with the
    VM's "[vmN] " prefix) is put back together: the lines after it with the
    same prefix that are hex only, until the report is whole (other lines
    of that console, the kernel's log for one, may come between them)."""
    lines = text.strip().splitlines()
    for i, line in enumerate(lines):
        at = line.find("attest report:")
        if at < 0:
            continue
        prefix = re.match(r"(\[[^\]]*\] )?", line).group(0)
        h = line[at + len("attest report:"):].strip()
        seen = 0
        for more in lines[i + 1:]:
            if len(h) >= 2 * REPORT_LEN or seen == 32:
                break
            if prefix and not more.startswith(prefix):
                continue
            seen += 1
            piece = more[len(prefix):].strip()
            # Other lines of the same console (the kernel's log, a daemon's)
            # may come between the pieces: only hex-only lines are pieces.
            if re.fullmatch(r"[0-9a-fA-F]+", piece):
                h += piece
        return h
    return "".join(text.split())


def report_bytes(text):
    """The report from hex, or from a console's "attest report:" line."""
    h = report_hex(text)
    if not h or not re.fullmatch(r"[0-9a-fA-F]+", h):
        raise ReportError("no hex report found in the input")
    if len(h) % 2:
        raise ReportError("the report's hex has an odd number of digits (%d)" % len(h))
    return bytes.fromhex(h)


def parse(report):
    """The report's fields (a dict), or ReportError for a malformed one."""
    if len(report) != REPORT_LEN:
        raise ReportError("a report is %d bytes, this one %d" % (REPORT_LEN, len(report)))
    (magic, version, home, size, secver, nonce, mon, ciee, hyp, tee, ident,
     sig) = struct.unpack(FMT, report)
    if magic != MAGIC:
        raise ReportError("not a vTZ attestation report (magic %r, expected %r)"
                          % (magic, MAGIC))
    if version != VERSION:
        raise ReportError("report version %d; this verifier knows %d" % (version, VERSION))
    if size != REPORT_LEN:
        raise ReportError("report says it is %d bytes, not %d" % (size, REPORT_LEN))
    if home not in HOMES:
        raise ReportError("unknown home %d" % home)
    return {"home": HOMES[home], "security_version": secver, "nonce": nonce,
            "monitor": mon, "ciee": ciee, "hyp": hyp, "tee": tee, "identity": ident,
            "signature": sig}


def identity_name(ident):
    """A VM identity as its name ('' for none); '?' for what is not a name."""
    name = ident.rstrip(b"\0")
    return "".join(chr(c) if 0x20 < c < 0x7f else "?" for c in name)


def verify(report, key, nonce):
    """Check a report against the attestation public key and the nonce we
    sent. Returns its fields; raises ReportError with the reason."""
    f = parse(report)
    sig = f["signature"]
    r, s = int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")
    if not (0 < r < P256_N and 0 < s < P256_N):
        raise ReportError("bad signature: r or s out of range")
    try:
        key.verify(utils.encode_dss_signature(r, s), report[:BODY_LEN],
                   ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise ReportError("bad signature: the report was altered, or signed by another "
                          "device's key than the one given") from None
    if f["nonce"] != nonce:
        raise ReportError("wrong nonce: the report answers %s, we asked %s (a replayed "
                          "or another client's report)" % (f["nonce"].hex(), nonce.hex()))
    return f


def describe(f):
    zero = b"\0" * 32
    lines = ["report verified: signed by the device attestation key, over our nonce",
             "  home:              %s" % f["home"],
             "  security version:  %d%s" % (f["security_version"],
                                           " (no signed images natively)"
                                           if f["home"] == "native" else
                                           " (the lower of the CIEE's and hypervisor's)"),
             "  monitor sha256:    %s" % f["monitor"].hex()]
    for what in ("ciee", "hyp"):
        v = f[what]
        lines.append("  %-18s %s" % ({"ciee": "CIEE sha256:", "hyp": "hypervisor sha256:"}
                                     [what], "none (native)" if v == zero else v.hex()))
    name = identity_name(f["identity"])
    lines += ["  TEE sha256:        %s" % f["tee"].hex(),
              "  VM identity:       %s" % (repr(name) if name else "none (native: no VM)")]
    return "\n".join(lines)


def hex_arg(what, text, length):
    try:
        b = bytes.fromhex(text)
    except ValueError:
        raise SystemExit("vtz_attest.py: %s must be hex, got %r" % (what, text))
    if len(b) != length:
        raise SystemExit("vtz_attest.py: %s must be %d bytes (%d hex digits), got %d bytes"
                         % (what, length, 2 * length, len(b)))
    return b


def main(argv):
    if argv[:1] == ["export"]:
        if len(argv) != 3:
            print(__doc__, file=sys.stderr)
            return 2
        with open(argv[1], "rb") as f:
            pem = public_pem(f.read())
        with open(argv[2], "wb") as f:
            f.write(pem)
        return 0
    ap = argparse.ArgumentParser(description="Verify a vTZ attestation report.")
    ap.add_argument("--key", required=True, help="the device attestation public key (PEM)")
    ap.add_argument("--nonce", required=True, help="the nonce sent, 64 hex digits")
    ap.add_argument("--expect-tee", help="the TEE image's SHA-256 it must report (hex)")
    ap.add_argument("--expect-identity", help="the VM name it must report ('' for none)")
    ap.add_argument("--expect-home", choices=sorted(HOMES.values()))
    ap.add_argument("--min-version", type=int, help="the lowest security version accepted")
    ap.add_argument("report", help="hex, a console line ending in it, or - for stdin")
    a = ap.parse_args(argv)
    nonce = hex_arg("--nonce", a.nonce, NONCE_LEN)
    try:
        key = load_public(a.key)
    except (OSError, ValueError) as e:
        print("vtz_attest.py: cannot use --key: %s" % e, file=sys.stderr)
        return 2
    try:
        text = sys.stdin.read() if a.report == "-" else a.report
        f = verify(report_bytes(text), key, nonce)
        if a.expect_tee is not None and f["tee"] != hex_arg("--expect-tee", a.expect_tee, 32):
            raise ReportError("TEE measurement %s, expected %s" % (f["tee"].hex(),
                                                                  a.expect_tee.lower()))
        if a.expect_identity is not None and identity_name(f["identity"]) != a.expect_identity:
            raise ReportError("VM identity %r, expected %r" % (identity_name(f["identity"]),
                                                               a.expect_identity))
        if a.expect_home is not None and f["home"] != a.expect_home:
            raise ReportError("home %s, expected %s" % (f["home"], a.expect_home))
        if a.min_version is not None and f["security_version"] < a.min_version:
            raise ReportError("security version %d, below the lowest accepted %d"
                              % (f["security_version"], a.min_version))
    except ReportError as e:
        print("vtz_attest.py: report REJECTED: %s" % e, file=sys.stderr)
        return 1
    print(describe(f))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
