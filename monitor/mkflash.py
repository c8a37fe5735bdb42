#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Pack the native TrustZone flash image: MONITOR at 0, the TEE's header
(struct native_tee_hdr, monitor/monitor.h) at 0xff000, TEE at 0x100000.

usage: mkflash.py OUT MONITOR_BIN TEE_BIN
"""
import struct
import sys

HDR_OFFSET = 0x000FF000    # NATIVE_TEE_FLASH_HDR
TEE_OFFSET = 0x00100000    # NATIVE_TEE_FLASH_BASE
TEE_MAX = 0x00F00000       # NATIVE_TEE_SIZE: its secure RAM region
FLASH_SIZE = 0x04000000    # QEMU virt flash0
MAGIC = 0x31304545545A5476  # NATIVE_TEE_MAGIC, "vTZTEE01"


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    out, mon_path, tee_path = sys.argv[1:]
    mon = open(mon_path, "rb").read()
    tee = open(tee_path, "rb").read()
    if len(mon) > HDR_OFFSET:
        sys.exit("mkflash: %s is %d bytes, more than the 0x%x before the TEE header"
                 % (mon_path, len(mon), HDR_OFFSET))
    if not tee or len(tee) > TEE_MAX or TEE_OFFSET + len(tee) > FLASH_SIZE:
        sys.exit("mkflash: %s is %d bytes: not 1..0x%x" % (tee_path, len(tee), TEE_MAX))
    img = bytearray(mon)
    img += b"\0" * (HDR_OFFSET - len(img))
    img += struct.pack("<QQ", MAGIC, len(tee))
    img += b"\0" * (TEE_OFFSET - len(img))
    img += tee
    with open(out, "wb") as f:
        f.write(img)


if __name__ == "__main__":
    main()
