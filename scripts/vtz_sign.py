#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The owner's signing key and signed boot images (docs/security.md,
"Signed images"), with Debian's python3-cryptography.

An image signed here is the image's own bytes, padded with zeros to the
size its header names (the 64-bit word at --size-offset), followed by
MCUboot's TLV area (mcuboot boot/bootutil/include/bootutil/image.h, the
same type numbers and magics):

  protected info {0x6908, total} | SEC_CNT (0x50, u32 security version)
  info {0x6907, total} | SHA256 (0x10) | PUBKEY (0x02) | ECDSA_SIG (0x22)

SHA256 covers the padded image and the protected area; ECDSA_SIG is the
DER ECDSA-P256 signature of that digest; PUBKEY is the signer's key as a
DER SubjectPublicKeyInfo, whose SHA-256 the flash holds (MCUboot's
hardware-key mode). The monitor checks the same layout with
policy/signed_image.c; parse() below is the host's copy of that check.

usage:
  vtz_sign.py keygen KEY.pem                    make a P-256 key if KEY.pem is absent
  vtz_sign.py export KEY.pem OUT.pem            the public key (PEM) of KEY.pem
  vtz_sign.py keyhash [--out F] KEY.pem         SHA-256 of its public key (hex, or to F)
  vtz_sign.py sign --key KEY.pem --size-offset N [--security-counter V] IN OUT
  vtz_sign.py show --size-offset N IMAGE [--key-hash HEX]  parse and verify; exit 1 if bad
"""
import argparse
import hashlib
import os
import struct
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

PROT_MAGIC = 0x6908
INFO_MAGIC = 0x6907
TLV_PUBKEY = 0x02
TLV_SHA256 = 0x10
TLV_ECDSA_SIG = 0x22
TLV_SEC_CNT = 0x50
PUBKEY_LEN = 91


def load_key(path):
    with open(path, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ValueError("%s: not an ECDSA P-256 private key" % path)
    return key


def spki(public_key):
    """The DER SubjectPublicKeyInfo the PUBKEY TLV carries (91 bytes)."""
    return public_key.public_bytes(serialization.Encoding.DER,
                                   serialization.PublicFormat.SubjectPublicKeyInfo)


def key_hash(key):
    """SHA-256 of the public key's DER SubjectPublicKeyInfo: what the flash holds."""
    return hashlib.sha256(spki(key.public_key())).digest()


def keygen(path):
    """Write a new P-256 private key (PKCS#8 PEM, mode 0600) unless one is there."""
    if os.path.exists(path):
        return False
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    os.rename(tmp, path)
    return True


def tlv(kind, value):
    return struct.pack("<HH", kind, len(value)) + value


def area(magic, tlvs):
    body = b"".join(tlvs)
    return struct.pack("<HH", magic, 4 + len(body)) + body


def padded(image, size_offset):
    """The image padded with zeros to the size its header names."""
    size = struct.unpack_from("<Q", image, size_offset)[0]
    if not len(image) <= size <= 0x1000000:
        raise ValueError("header says %d bytes at +0x%x, the file has %d"
                         % (size, size_offset, len(image)))
    return image + b"\0" * (size - len(image))


def sign(image, key, size_offset, security_counter=1, sig_key=None):
    """The signed image: padded image + protected area + unprotected area.
    sig_key: sign with another key than the one whose PUBKEY is carried
    (tests only: a forged signature)."""
    body = padded(image, size_offset) + area(PROT_MAGIC, [tlv(TLV_SEC_CNT, struct.pack(
        "<I", security_counter))])
    digest = hashlib.sha256(body).digest()
    sig = (sig_key or key).sign(digest, ec.ECDSA(utils.Prehashed(hashes.SHA256())))
    return body + area(INFO_MAGIC, [tlv(TLV_SHA256, digest),
                                    tlv(TLV_PUBKEY, spki(key.public_key())),
                                    tlv(TLV_ECDSA_SIG, sig)])


def walk(data, start, magic, name):
    if len(data) < start + 4:
        raise ValueError("no %s area at 0x%x" % (name, start))
    m, tot = struct.unpack_from("<HH", data, start)
    if m != magic or tot < 4 or start + tot > len(data):
        raise ValueError("bad %s area at 0x%x (magic 0x%04x, size %d)" % (name, start, m, tot))
    out, off = {}, start + 4
    while off < start + tot:
        if start + tot - off < 4:
            raise ValueError("truncated TLV at 0x%x" % off)
        kind, ln = struct.unpack_from("<HH", data, off)
        if off + 4 + ln > start + tot:
            raise ValueError("truncated TLV 0x%x at 0x%x" % (kind, off))
        if kind in out:
            raise ValueError("TLV 0x%x twice" % kind)
        out[kind] = data[off + 4:off + 4 + ln]
        off += 4 + ln
    return out, start + tot


def parse(data, size_offset):
    """(image size, signed size, protected TLVs, unprotected TLVs) of a
    signed image; ValueError if its layout is bad."""
    size = struct.unpack_from("<Q", data, size_offset)[0]
    if not 0 < size <= len(data):
        raise ValueError("image size %d in its header: beyond the file" % size)
    prot, u = walk(data, size, PROT_MAGIC, "protected TLV")
    unprot, _ = walk(data, u, INFO_MAGIC, "TLV")
    for kind, where in ((TLV_SEC_CNT, prot), (TLV_SHA256, unprot), (TLV_PUBKEY, unprot),
                        (TLV_ECDSA_SIG, unprot)):
        if kind not in where:
            raise ValueError("no TLV 0x%x" % kind)
    return size, u, prot, unprot


def verify(data, size_offset, want_key_hash=None):
    """Check a signed image as the monitor does; return (digest, security
    counter, key hash). ValueError naming what is wrong."""
    _, u, prot, unprot = parse(data, size_offset)
    digest = hashlib.sha256(data[:u]).digest()
    if digest != unprot[TLV_SHA256]:
        raise ValueError("SHA-256 mismatch: the image was altered")
    khash = hashlib.sha256(unprot[TLV_PUBKEY]).digest()
    if want_key_hash is not None and khash != want_key_hash:
        raise ValueError("signed by another key (key hash %s)" % khash.hex())
    pub = serialization.load_der_public_key(unprot[TLV_PUBKEY])
    try:
        pub.verify(unprot[TLV_ECDSA_SIG], digest, ec.ECDSA(utils.Prehashed(hashes.SHA256())))
    except InvalidSignature:
        raise ValueError("the signature does not verify")
    return digest, struct.unpack("<I", prot[TLV_SEC_CNT])[0], khash


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("keygen")
    p.add_argument("key")
    p = sub.add_parser("export")
    p.add_argument("key")
    p.add_argument("out")
    p = sub.add_parser("keyhash")
    p.add_argument("--out", help="write the 32 bytes there (only if they differ)")
    p.add_argument("key")
    p = sub.add_parser("sign")
    p.add_argument("--key", required=True)
    p.add_argument("--size-offset", type=lambda s: int(s, 0), required=True)
    p.add_argument("--security-counter", type=int, default=1)
    p.add_argument("input")
    p.add_argument("out")
    p = sub.add_parser("show")
    p.add_argument("--size-offset", type=lambda s: int(s, 0), required=True)
    p.add_argument("--key-hash")
    p.add_argument("image")
    args = ap.parse_args()
    try:
        if args.cmd == "keygen":
            if keygen(args.key):
                print("  KEYGEN  %s (ECDSA P-256, the owner's image signing key)" % args.key)
        elif args.cmd == "export":
            pem = load_key(args.key).public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            with open(args.out, "wb") as f:
                f.write(pem)
        elif args.cmd == "keyhash":
            h = key_hash(load_key(args.key))
            if not args.out:
                print(h.hex())
            elif not os.path.exists(args.out) or open(args.out, "rb").read() != h:
                with open(args.out, "wb") as f:
                    f.write(h)
        elif args.cmd == "sign":
            with open(args.input, "rb") as f:
                image = f.read()
            out = sign(image, load_key(args.key), args.size_offset, args.security_counter)
            with open(args.out + ".tmp", "wb") as f:
                f.write(out)
            os.rename(args.out + ".tmp", args.out)
        else:
            with open(args.image, "rb") as f:
                data = f.read()
            want = bytes.fromhex(args.key_hash) if args.key_hash else None
            digest, sec, khash = verify(data, args.size_offset, want)
            print("%s: signed, sha256 %s, security counter %d, key hash %s"
                  % (args.image, digest.hex(), sec, khash.hex()))
    except (ValueError, OSError, struct.error) as e:
        sys.exit("vtz_sign: %s: %s" % (args.cmd, e))


if __name__ == "__main__":
    main()
