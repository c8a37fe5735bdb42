#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes a small seed corpus for one libFuzzer target (mk/fuzz.mk).

usage: test/fuzz/seeds.py fuzz_NAME OUT_DIR

Seeds are a starting point only: the fuzzer finds the rest. Each layout is
the one described at the top of test/fuzz/fuzz_NAME.c.
"""
import os
import struct
import sys


def u32s(*w):
    return struct.pack("<%dI" % len(w), *w)


def u64s(*v):
    return struct.pack("<%dQ" % len(v), *v)


def insn_scan():
    msr = lambda op1, crn, crm, op2: (0xd5100000 | 1 << 19 | op1 << 16 | crn << 12
                                      | crm << 8 | op2 << 5)
    forbidden = [msr(4, 2, 0, 0), msr(4, 2, 0, 2), msr(4, 1, 0, 0), msr(4, 10, 2, 0),
                 msr(4, 12, 0, 0), msr(4, 1, 1, 0), msr(4, 2, 1, 0), msr(4, 2, 1, 2),
                 msr(4, 1, 1, 1), 0xd5087640]
    allowed = [0xd503201f,              # nop
               0xd53c1100,              # mrs x0, hcr_el2
               0xd5181000,              # msr sctlr_el1, x0
               0xd508761f,              # dc ivac-like neighbour (op2 = 0)
               0xd65f03c0]              # ret
    yield "forbidden", u32s(*[w | rt for w in forbidden for rt in (0, 5, 31)])
    yield "allowed", u32s(*allowed)
    yield "mixed", u32s(*allowed, forbidden[4] | 3, *allowed, forbidden[9] | 31)


def smc_class():
    fids = [0x80000000, 0x80000001, 0x84000000, 0xc4000003, 0x8400001f, 0x84000020,
            0xb2000000, 0xbf00ffff, 0x32000004, 0x3f000000, 0x31000000, 0x04000000,
            0x86000000, 0x80010000, 0x1_84000000]
    yield "known", u64s(*fids)


def op(*b):
    return bytes(b)


def pgtable():
    # kind | blocks << 3 | perms << 4 | device << 7; region byte; va, pa, count, spare
    rw, rx, r = 3 << 4, 5 << 4, 1 << 4
    for cfg in range(4):
        seq = bytes([cfg])
        seq += op(0 | rw, 0 << 5, 0, 0, 0, 0, 4, 0)              # map 16K RW at 0
        seq += op(0 | 8 | rw, 1 << 5, 0, 2, 0, 0x80, 2, 0)     # map 2x2M blocks
        seq += op(5, 0, 1, 0, 0, 0, 0, 0)                      # lookup
        seq += op(0 | rx, 0, 8, 0, 8, 0, 1, 0)                 # map 4K RX
        seq += op(3, 0, 1, 0, 0, 0, 2, 0)                      # unmap part
        seq += op(3, 1 << 5, 0, 2, 0, 0, 1, 0)                 # unmap half a block
        seq += op(0 | 8 | r, 2 | 2 << 5, 0, 0, 0, 0x40, 1, 0)  # 1G block at 1G
        seq += op(2, 0, 0x10, 0, 0x10, 0, 1, 0) + u64s(0x00400000000004c4)  # raw attrs
        yield "config%d" % cfg, seq


def ownership():
    # kind, first page (+4), size byte, perms, owner, vm, tee, raw
    vm0, vm1, tee0, pt = 3, 3 | 1 << 3, 4, 5
    seq = bytes([0, 15, 0])                     # base 0x40000000, 16 pages, FREE
    seq += op(0, 4, 4, 0, vm0, 0, 0, 0)         # donate 4 pages to VM 0
    seq += op(0, 8, 2, 0, tee0, 0, 0, 0)        # donate 2 pages to TEE 0
    seq += op(0, 10, 1, 0, pt, 0, 0, 0)         # a page-table page
    seq += op(4, 4, 4, 7, 0, 0, 0, 0)           # VM 0 maps its own RWX
    seq += op(4, 4, 6, 3, 0, 1, 0, 0)           # VM 1 tries VM 0's and TEE 0's
    seq += op(5, 4, 6, 3, 0, 0, 0, 0)           # TEE 0 maps its VM's and its own
    seq += op(6, 2, 8, 3, 0, 0, 0, 0)           # hypervisor maps across a TEE page
    seq += op(1, 8, 2, 0, tee0, 0, 0, 0)        # reclaim the TEE's pages
    seq += op(1, 4, 4 | 0x80, 0, vm0, 0, 0, 0)  # reclaim without scrub
    seq += op(2, 12, 2, 0, 2, 0, 0, 0)          # set hypervisor text
    seq += op(3, 12, 2, 0, 2, 0, 0, 0)          # get / all
    seq += op(7, 4, 2, 8, 0, 0, 0, 0)           # own_init on scratch
    yield "sequence", seq
    yield "top", bytes([2, 63, 1]) + op(0, 66, 4, 0, vm1, 0, 0, 0) + \
        op(4, 70, 0x40, 1, 0, 1, 0, 0) + u64s(0xfffffffffffff000)
    # Aliases: a VM page mapped twice, reclaim refused until both are unmapped.
    seq = bytes([0, 15, 1])                     # base 0x40000000, 16 pages, HYP
    seq += op(0, 4, 4, 0, vm0, 0, 0, 0)         # donate 4 pages to VM 0
    seq += op(8, 5, 1, 0, 0, 0, 0, 0)           # map page 1 ...
    seq += op(8, 5, 1, 0, 0, 0, 0, 0)           # ... at a second IPA
    seq += op(1, 4, 4, 0, vm0, 0, 0, 0)         # reclaim: refused, still mapped
    seq += op(9, 5, 1, 0, 0, 0, 0, 0)           # unmap one
    seq += op(1, 5, 1, 0, vm0, 0, 0, 0)         # still refused
    seq += op(9, 5, 1, 0, 0, 0, 0, 0)           # unmap the other
    seq += op(9, 5, 1, 0, 0, 0, 0, 0)           # one put too many: refused
    seq += op(8, 6, 1, 0x11, 0, 0, 0, 0)        # a count at its limit - 1, then full
    seq += op(8, 6, 1, 0, 0, 0, 0, 0)           # over the limit: refused
    seq += op(1, 4, 4, 0, vm0, 0, 0, 0)         # reclaim: refused (page 2)
    seq += op(1, 4, 2, 0, vm0, 0, 0, 0)         # pages 0-1: fine
    seq += op(10, 4, 1, 0, 0, 3, 0, 0xff)       # hypervisor buffer across pages
    seq += op(11, 0, 0, 1, 0, 0, 0, 0)          # track with too little storage
    seq += op(11, 0, 0, 0, 0, 0, 0, 0)          # track again: counts back to zero
    yield "aliases", seq


RAM_BASE = 0x40000000
PG = 4096
ECHO_UUID = bytes([0x7e, 0xe0, 0xec, 0x40, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 1])


def optee_msg():
    """fuzz_optee_msg: byte 0 = calls - 1, bytes 1..4 = where each message
    is (RAM_BASE - 8 + d * 264), the rest the normal world's RAM. Driver-like
    sequences: register a page list, open a session, echo through a
    registered buffer big enough to be streamed, and a small copied one."""
    def at(d):
        return d * 264 - 8

    def msg(cmd, session, func, params):
        hdr = u32s(cmd, func, session, 0, 0, 0, 0, len(params))
        return hdr + b"".join(u64s(a, x, y, z) for a, x, y, z in params)

    def place(ram, off, blob):
        ram[off:off + len(blob)] = blob

    opened = msg(0, 0, 0, [(0x101,) + struct.unpack("<QQ", ECHO_UUID) + (0,),
                           (0x101, 0, 0, 0)])
    for name, size, out_pages in (("streamed", 3 * PG - 100, 3), ("copied", 3000, 1)):
        ram = bytearray(2 * PG + 8 * 4)
        ram[0] = 3
        ram[1:5] = bytes([1, 2, 3, 4])
        # REGISTER_SHM: tmem output | NONCONTIG, list at page 1, offset 100.
        place(ram, at(1), msg(4, 0, 0, [(0x20a, RAM_BASE + PG + 100, size, 0xc0ffee)]))
        place(ram, PG, u64s(*(RAM_BASE + p * PG for p in (3, 4, 5))))
        place(ram, at(2), opened)
        # ECHO_MEM: rmem in (the whole buffer), tmem out at page 8, value out.
        place(ram, at(3), msg(1, 1, 2, [(5, 0, size, 0xc0ffee),
                                        (0xa, RAM_BASE + 8 * PG, out_pages * PG, 0),
                                        (2, 0, 0, 0)]))
        place(ram, at(4), msg(5, 0, 0, [(5, 0, 0, 0xc0ffee)]))
        yield name, bytes(ram)


def signed_image():
    """A well-formed trailer (layout: policy/signed_image.h), and cut short."""
    def tlv(kind, value):
        return struct.pack("<HH", kind, len(value)) + value

    def area(magic, body):
        return struct.pack("<HH", magic, 4 + len(body)) + body
    spki = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200") + b"\4" + \
        b"\x11" * 64
    img = b"\xaa" * 48
    blob = img + area(0x6908, tlv(0x50, u32s(1))) + area(
        0x6907, tlv(0x10, b"\x22" * 32) + tlv(0x02, spki) + tlv(0x22, b"\x30" * 70))
    yield "good", struct.pack("<H", len(img)) + blob
    yield "truncated", struct.pack("<H", len(img)) + blob[:-10]
    yield "unsigned", struct.pack("<H", len(img)) + img + b"\0" * 64


def ebc_vm():
    """Header: R1..R7 and a data seed (8 bytes each), then EBC code."""
    head = u64s(*range(1, 8), 0x1122334455667788)
    movi = lambda r, v: bytes([0xf7, 0x30 | r]) + struct.pack("<Q", v)
    ret = bytes([0x04, 0x00])
    yield "arith", head + movi(1, 7) + movi(2, 5) + bytes([0x4c, 0x21, 0x4e, 0x21, 0x52, 0x21]) \
        + bytes([0x20, 0x17]) + ret
    # R1 = 3; loop: CMPI64weq R1, 0; JMP8cs out; SUB64 R1, R2 + 1; JMP8 back
    yield "loop", head + movi(1, 3) + movi(2, 0) + bytes(
        [0x6d, 0x01, 0, 0, 0xc2, 0x04, 0xcd, 0x21, 1, 0, 0x02, 0xfa, 0x82, 0x01]) + ret
    # PUSHn R1; CALLEX64 0x1000; POPn R1; MOVnw R2, @R0(+0,+16); BREAK 1; RET
    yield "callex", head + bytes([0x35, 0x01, 0xc3, 0x20]) + u64s(0x1000) + bytes(
        [0x36, 0x01, 0x72, 0x82, 0x10, 0x00, 0x00, 0x01]) + ret
    yield "movs", head + bytes([0x5d, 0x9a, 0x08, 0x00, 0x68, 0xa1]) + u64s(0x1000000000000802) \
        + bytes([0x65, 0x23, 0xf0, 0xff, 0x79, 0x07, 0x10, 0x00, 0xf8, 0x0a]) + u64s(0x20) + ret


def ebc_pe():
    """Small EBC images from the assembler (ebc/tools/ebcas.py)."""
    import os
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "..", "..", "ebc", "tools"))
    import ebcas
    ret = bytes([0x04, 0x00])
    movi_abs = bytes([0xf7, 0x31]) + struct.pack("<Q", 0)
    yield "ret", ebcas.pe_image(ret, [], 0, 10)
    yield "reloc", ebcas.pe_image(movi_abs + ret + bytes(6) + struct.pack("<Q", 0), [2, 18], 0,
                                  10)


def fw_update():
    """Two metadata copies, a bundle header, then staging calls (layout:
    fuzz_fw_update.c): a whole update, and one torn in every part."""
    import zlib

    def meta(seq, slot, counter):
        body = struct.pack("<QIIII", 0x31304D57465A5476, seq, slot, counter, 0)
        return body + struct.pack("<II", zlib.crc32(body), 0)
    hdr = struct.pack("<QIIIIII", 0x31304257465A5476, 0x20000, 0x1000, 0xc000, 0xd000,
                      0x13000, 0)
    calls = struct.pack("<BQQ", 0, 0x1800, 0) + struct.pack("<BQQ", 1, 0, 0x1000) + \
        struct.pack("<BQQ", 1, 0x1000, 0x800) + struct.pack("<BQQ", 2, 0, 0) + \
        struct.pack("<BQQ", 3, 0, 0)
    yield "update", meta(1, 0, 1) + meta(2, 1, 2) + hdr + calls
    yield "torn", meta(1, 0, 1) + meta(2, 1, 2)[:20] + b"\xff" * 12 + hdr[:24] + b"\xff" * 8 + \
        calls[:40]


ACPI_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "acpi")


def acpi_shapes():
    """QEMU's fw_cfg files per shape (test/data/acpi, scripts/acpi_dump.py), padded back."""
    for shape in sorted(os.listdir(ACPI_DATA)):
        d = os.path.join(ACPI_DATA, shape)
        if not os.path.isdir(d):
            continue
        files = {}
        with open(os.path.join(d, "sizes")) as f:
            for line in f:
                name, size = line.split()
                data = open(os.path.join(d, name.split("/")[-1] + ".bin"), "rb").read()
                # Padded back to their fw_cfg size, except the tables' 120 KiB zero tail.
                files[name] = data + b"\0" * ((int(size) if "tables" not in name else 0)
                                               - len(data))
        yield shape, files


def acpi_loader():
    """Layout of fuzz_acpi_loader.c: script, RSDP file, tables file."""
    for shape, f in acpi_shapes():
        script = f["etc/table-loader"]
        rsdp = f["etc/acpi/rsdp"]
        yield shape, struct.pack("<H", len(script)) + script + struct.pack(
            "<H", len(rsdp)) + rsdp + f["etc/acpi/tables"]


def acpi():
    """Layout of fuzz_acpi.c: the files linked in place, as the loader would."""
    base = 0x48000000
    for shape, f in acpi_shapes():
        rsdp, tables = bytearray(f["etc/acpi/rsdp"]), bytearray(f["etc/acpi/tables"])
        t_at = (len(rsdp) + 63) & ~63
        files = {"etc/acpi/rsdp": (rsdp, 0), "etc/acpi/tables": (tables, t_at)}
        script = f["etc/table-loader"]
        for i in range(0, len(script) - 127, 128):
            c = script[i:i + 128]
            cmd = struct.unpack_from("<I", c)[0]
            name = lambda o: c[o:o + 56].split(b"\0")[0].decode()
            if cmd == 2:
                dst, src = files[name(4)][0], files[name(60)][1]
                off, size = struct.unpack_from("<IB", c, 116)
                v = int.from_bytes(dst[off:off + size], "little") + base + src
                dst[off:off + size] = v.to_bytes(size, "little")
            elif cmd == 3:
                data = files[name(4)][0]
                off, start, length = struct.unpack_from("<III", c, 60)
                data[off] = (data[off] - sum(data[start:start + length])) & 0xff
        win = bytes(rsdp) + b"\0" * (t_at - len(rsdp)) + bytes(tables)
        yield shape, u32s(0) + win


def tee_gic():
    """fuzz_tee_gic: OP-TEE's set-up of its console interrupt (INTID 40
    secure group 1, enabled), the UART's line high, then the CIEE's round."""
    def step(op, off, v, cpu=0):
        return bytes([op]) + struct.pack("<IQB", off, v, cpu)
    w4 = 2 << 6  # a 4-byte distributor write
    base = bytes([2]) + step(w4, 0x84, 0xfffffeff) + step(w4, 0xd04, 0x100) + \
        step(w4, 0x104, 0x100) + step(4, 0, 340)
    yield "uart1", base + step(6, 0, 0) + step(6, 0, 2) + step(6, 0, 1)
    yield "self-raise", base + step(w4, 0x204, 0x100) + step(6, 0, 0, 1)


def main():
    name, out = sys.argv[1], sys.argv[2]
    gen = {"fuzz_insn_scan": insn_scan, "fuzz_smc_class": smc_class,
           "fuzz_pgtable": pgtable, "fuzz_ownership": ownership,
           "fuzz_optee_msg": optee_msg, "fuzz_signed_image": signed_image,
           "fuzz_ebc_vm": ebc_vm, "fuzz_ebc_pe": ebc_pe,
           "fuzz_fw_update": fw_update,
           "fuzz_acpi": acpi, "fuzz_acpi_loader": acpi_loader,
           "fuzz_tee_gic": tee_gic}.get(name)
    if gen is None:
        return  # no seeds: the fuzzer starts from nothing
    for seed, blob in gen():
        with open("%s/%s" % (out, seed), "wb") as f:
            f.write(blob)


if __name__ == "__main__":
    main()
