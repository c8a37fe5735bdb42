#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Pack a secure flash image (QEMU's -bios, flash0): MONITOR at 0, the
device root key (include/vtz/monitor_abi.h) at 0xfe000, the hash of the
owner's image-signing public key at 0xfe040 (vTZ: the monitor runs only a
CIEE and hypervisor signed by that key), and for native TrustZone the
TEE's header (struct native_tee_hdr, monitor/monitor.h) at 0xff000 and the
TEE at 0x100000.

usage: mkflash.py --key KEY_FILE [--owner-key-hash HASH_FILE] OUT MONITOR_BIN [TEE_BIN]
(scripts/vtz_run.py --tee uses pack() to put another TEE in a native flash.)
"""
import argparse
import struct
import sys

KEY_OFFSET = 0x000FE000    # ROOT_KEY_FLASH_OFFSET
KEY_MAGIC = 0x313059454B5A5476  # ROOT_KEY_MAGIC, "vTZKEY01"
KEY_LEN = 32               # ROOT_KEY_LEN
OWNER_OFFSET = 0x000FE040  # OWNER_KEY_HASH_FLASH_OFFSET
OWNER_MAGIC = 0x31304E574F5A5476  # OWNER_KEY_HASH_MAGIC, "vTZOWN01"
OWNER_LEN = 32             # OWNER_KEY_HASH_LEN: SHA-256 of the DER public key
HDR_OFFSET = 0x000FF000    # NATIVE_TEE_FLASH_HDR
TEE_OFFSET = 0x00100000    # NATIVE_TEE_FLASH_BASE
TEE_MAX = 0x00F00000       # NATIVE_TEE_SIZE: its secure RAM region
FLASH_SIZE = 0x04000000    # QEMU virt flash0
MAGIC = 0x31304545545A5476  # NATIVE_TEE_MAGIC, "vTZTEE01"


def pack(mon, key, tee=None, owner_hash=None):
    """The flash image's bytes from the monitor's, the key's, the owner key
    hash (vTZ) and, for native TrustZone, the TEE's; ValueError if one does
    not fit."""
    if len(key) != KEY_LEN:
        raise ValueError("a key is %d bytes, not %d" % (len(key), KEY_LEN))
    if owner_hash is not None and len(owner_hash) != OWNER_LEN:
        raise ValueError("an owner key hash is %d bytes, not %d" % (len(owner_hash), OWNER_LEN))
    if len(mon) > KEY_OFFSET:
        raise ValueError("the monitor is %d bytes, more than the 0x%x before the key"
                         % (len(mon), KEY_OFFSET))
    img = bytearray(mon)
    img += b"\0" * (KEY_OFFSET - len(img))
    img += struct.pack("<Q", KEY_MAGIC) + key
    if owner_hash is not None:
        img += b"\0" * (OWNER_OFFSET - len(img))
        img += struct.pack("<Q", OWNER_MAGIC) + owner_hash
    if tee is not None:
        if not tee or len(tee) > TEE_MAX or TEE_OFFSET + len(tee) > FLASH_SIZE:
            raise ValueError("the TEE is %d bytes: not 1..0x%x" % (len(tee), TEE_MAX))
        img += b"\0" * (HDR_OFFSET - len(img))
        img += struct.pack("<QQ", MAGIC, len(tee))
        img += b"\0" * (TEE_OFFSET - len(img))
        img += tee
    return bytes(img)


def key_of(flash):
    """The device root key a flash image carries (ValueError if none)."""
    if struct.unpack_from("<Q", flash, KEY_OFFSET)[0] != KEY_MAGIC:
        raise ValueError("no device root key at 0x%x" % KEY_OFFSET)
    return flash[KEY_OFFSET + 8:KEY_OFFSET + 8 + KEY_LEN]


def owner_hash_of(flash):
    """The owner key hash a flash image carries (ValueError if none)."""
    if (len(flash) < OWNER_OFFSET + 8 + OWNER_LEN
            or struct.unpack_from("<Q", flash, OWNER_OFFSET)[0] != OWNER_MAGIC):
        raise ValueError("no owner key hash at 0x%x" % OWNER_OFFSET)
    return flash[OWNER_OFFSET + 8:OWNER_OFFSET + 8 + OWNER_LEN]


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("--key", required=True)
    ap.add_argument("--owner-key-hash")
    ap.add_argument("out")
    ap.add_argument("monitor")
    ap.add_argument("tee", nargs="?")
    args = ap.parse_args()
    mon = open(args.monitor, "rb").read()
    key = open(args.key, "rb").read()
    tee = open(args.tee, "rb").read() if args.tee else None
    owner = open(args.owner_key_hash, "rb").read() if args.owner_key_hash else None
    try:
        img = pack(mon, key, tee, owner)
    except ValueError as e:
        sys.exit("mkflash: %s (%s)" % (e, " ".join(f for f in (args.monitor, args.key, args.tee)
                                                   if f)))
    with open(args.out, "wb") as f:
        f.write(img)


if __name__ == "__main__":
    main()
