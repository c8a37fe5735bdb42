#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Firmware bundles and flash files for flash-booted vTZ (docs/security.md,
"Firmware update"; the layout is include/vtz/fw_update.h's).

A bundle is a 32-byte header (magic "vTZFWB01", u32 size, u32 ciee_off,
ciee_size, hyp_off, hyp_size, reserved) followed by the signed CIEE and
the signed hypervisor (scripts/vtz_sign.py), each 4 KiB aligned. A flash
file is QEMU's flash0 (64 MiB): the -bios image (monitor, keys) at 0,
then a bundle in slot A and a metadata record naming it.

usage:
  vtz_fwbundle.py bundle CIEE_BIN HYP_BIN OUT        pack a bundle
  vtz_fwbundle.py flash BIOS_BIN BUNDLE OUT          a 64 MiB flash file, slot A active
  vtz_fwbundle.py show FLASH                         the metadata and each slot
  vtz_fwbundle.py next-version FLASH HYP_BIN         one above FLASH's anti-rollback
                                                     counter (HYP_BIN's version if no FLASH)
"""
import argparse
import os
import struct
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vtz_sign  # noqa: E402

FLASH_SIZE = 0x04000000
SECTOR = 0x40000
META = (0x01000000, 0x01040000)
SLOTS = (0x02000000, 0x02800000)
SLOT_SIZE = 0x00800000
META_MAGIC = struct.unpack("<Q", b"vTZFWM01")[0]
BUNDLE_MAGIC = struct.unpack("<Q", b"vTZFWB01")[0]
BUNDLE_HDR = "<QIIIIII"
ALIGN = 0x1000
SIZE_OFFSET = 0x28  # CIEE_LOAD_SIZE_OFFSET, HYP_HDR_LOAD_SIZE_OFFSET


def align(n):
    return (n + ALIGN - 1) // ALIGN * ALIGN


def bundle(ciee, hyp):
    """The bundle's bytes: header, CIEE at 4 KiB, hypervisor after it."""
    ciee_off = ALIGN
    hyp_off = align(ciee_off + len(ciee))
    size = hyp_off + len(hyp)
    if size > SLOT_SIZE:
        raise ValueError("the bundle is %d bytes, more than a %d-byte slot" % (size, SLOT_SIZE))
    hdr = struct.pack(BUNDLE_HDR, BUNDLE_MAGIC, size, ciee_off, len(ciee), hyp_off, len(hyp), 0)
    out = bytearray(hdr.ljust(ciee_off, b"\0"))
    out += ciee
    out += b"\0" * (hyp_off - len(out))
    out += hyp
    return bytes(out)


def unbundle(data):
    """(ciee, hyp) bytes of a bundle; ValueError if its header is bad."""
    magic, size, co, cs, ho, hs, _ = struct.unpack_from(BUNDLE_HDR, data)
    if magic != BUNDLE_MAGIC or size > len(data) or co + cs > size or ho + hs > size:
        raise ValueError("not a firmware bundle (or a truncated one)")
    return data[co:co + cs], data[ho:ho + hs]


def version(data):
    """The bundle's security version (its images' SEC_CNT; ValueError if they differ)."""
    vs = set()
    for img in unbundle(data):
        _, _, prot, _ = vtz_sign.parse(img, SIZE_OFFSET)
        vs.add(struct.unpack("<I", prot[vtz_sign.TLV_SEC_CNT])[0])
    if len(vs) != 1:
        raise ValueError("the bundle's images carry different versions: %s" % sorted(vs))
    return vs.pop()


def meta(seq, slot, counter):
    """A metadata record (struct fw_meta): 32 bytes."""
    body = struct.pack("<QIIII", META_MAGIC, seq, slot, counter, 0)
    return body + struct.pack("<II", zlib.crc32(body), 0)


def parse_meta(rec):
    """(seq, slot, counter) of a valid record, else None."""
    magic, seq, slot, counter, res, crc, pad = struct.unpack("<QIIIIII", rec[:32])
    if magic != META_MAGIC or crc != zlib.crc32(rec[:24]) or slot > 1 or res or pad:
        return None
    return seq, slot, counter


def flash(bios, bndl):
    """A flash0 image: bios at 0, bndl in slot A, metadata copy 0 naming it."""
    if len(bios) > META[0]:
        raise ValueError("the -bios image is %d bytes: it overlaps the metadata" % len(bios))
    img = bytearray(b"\xff" * FLASH_SIZE)
    img[:len(bios)] = bios
    img[SLOTS[0]:SLOTS[0] + len(bndl)] = bndl
    img[META[0]:META[0] + 32] = meta(1, 0, version(bndl))
    return bytes(img)


def counter(img):
    """The anti-rollback counter of a flash image's deciding metadata copy (None: none)."""
    ms = [m for m in (parse_meta(img[o:o + 32]) for o in META) if m]
    return max(ms)[2] if ms else None


def show(img):
    for i, off in enumerate(META):
        m = parse_meta(img[off:off + 32])
        print("metadata copy %d: %s" % (i, "seq %d, slot %s, counter %d"
                                         % (m[0], "AB"[m[1]], m[2]) if m else "invalid/erased"))
    for i, off in enumerate(SLOTS):
        try:
            print("slot %s: bundle, security version %d" % ("AB"[i], version(img[off:off + SLOT_SIZE])))
        except (ValueError, struct.error) as e:
            print("slot %s: %s" % ("AB"[i], e))


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("bundle")
    p.add_argument("ciee")
    p.add_argument("hyp")
    p.add_argument("out")
    p = sub.add_parser("flash")
    p.add_argument("bios")
    p.add_argument("bundle")
    p.add_argument("out")
    p = sub.add_parser("show")
    p.add_argument("flash")
    p = sub.add_parser("next-version")
    p.add_argument("flash")
    p.add_argument("hyp")
    args = ap.parse_args()
    try:
        if args.cmd == "bundle":
            out = bundle(open(args.ciee, "rb").read(), open(args.hyp, "rb").read())
            version(out)
        elif args.cmd == "flash":
            out = flash(open(args.bios, "rb").read(), open(args.bundle, "rb").read())
        elif args.cmd == "next-version":
            c = counter(open(args.flash, "rb").read()) if os.path.exists(args.flash) else None
            if c is None:
                _, _, prot, _ = vtz_sign.parse(open(args.hyp, "rb").read(), SIZE_OFFSET)
                c = struct.unpack("<I", prot[vtz_sign.TLV_SEC_CNT])[0]
            print(c + 1)
            return
        else:
            show(open(args.flash, "rb").read())
            return
        with open(args.out + ".tmp", "wb") as f:
            f.write(out)
        os.rename(args.out + ".tmp", args.out)
    except (ValueError, OSError, struct.error) as e:
        sys.exit("vtz_fwbundle: %s: %s" % (args.cmd, e))


if __name__ == "__main__":
    main()
