#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Makes malformed PE images from a good EBC image, one per way a loader
must refuse a file (ebc/pe.c's checks): each must be rejected with its
own clear reason, never loaded or run.

usage: ebc/tools/mkbad.py GOOD.efi OUT_DIR
"""
import os
import struct
import sys


def variants(good):
    pe = struct.unpack_from("<I", good, 0x3c)[0]
    opt = pe + 24
    yield "truncated", good[:0x30]
    yield "no-mz", b"ZM" + good[2:]
    b = bytearray(good)
    struct.pack_into("<I", b, 0x3c, len(good) + 16)
    yield "bad-lfanew", bytes(b)
    b = bytearray(good)
    b[pe:pe + 4] = b"PX\0\0"
    yield "no-pe", bytes(b)
    b = bytearray(good)
    struct.pack_into("<H", b, pe + 4, 0xaa64)  # an AArch64 image, not EBC
    yield "not-ebc", bytes(b)
    b = bytearray(good)
    struct.pack_into("<H", b, opt, 0x10b)  # PE32, not PE32+
    yield "pe32", bytes(b)
    b = bytearray(good)
    struct.pack_into("<I", b, opt + 56, 0x7fffffff)  # SizeOfImage
    yield "huge", bytes(b)
    b = bytearray(good)
    sect = opt + struct.unpack_from("<H", good, pe + 20)[0]
    struct.pack_into("<I", b, sect + 20, len(good) + 0x1000)  # .text's file offset
    yield "bad-section", bytes(b)
    b = bytearray(good)
    struct.pack_into("<I", b, opt + 16, 0x7ffff000)  # entry point
    yield "bad-entry", bytes(b)
    b = bytearray(good)
    struct.pack_into("<II", b, opt + 112 + 5 * 8, 0, 0)  # no relocation directory
    yield "no-reloc", bytes(b)
    b = bytearray(good)
    reloc_rva, _ = struct.unpack_from("<II", good, opt + 112 + 5 * 8)
    # .reloc is the second section; find its raw offset to corrupt the block size
    raw = struct.unpack_from("<I", good, sect + 40 + 20)[0]
    struct.pack_into("<I", b, raw + 4, 3)
    yield "bad-reloc", bytes(b)


def make_all(good_path, out_dir):
    with open(good_path, "rb") as f:
        good = f.read()
    os.makedirs(out_dir, exist_ok=True)
    for name, blob in variants(good):
        with open(os.path.join(out_dir, name + ".efi"), "wb") as f:
            f.write(blob)


if __name__ == "__main__":
    make_all(sys.argv[1], sys.argv[2])
