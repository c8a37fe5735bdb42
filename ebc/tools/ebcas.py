#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""ebcas: an assembler for EFI Byte Code (EBC) that writes PE32+ images of
machine type 0x0EBC (a UEFI application) with a .reloc section.

usage: ebc/tools/ebcas.py SOURCE.s -o IMAGE.efi [--subsystem app|bs-driver]

No open EBC compiler exists; this is how the corpus (ebc/corpus/) is made.
Mnemonics are the UEFI specification's, with every size spelled out:

    ADD64 R1, R2            ADD32 R1, @R2(+1,+8)     SUB64 R1, R2(-4)
    CMP64ulte R1, R2        CMPI32weq @R1(+0,+8), 7  CMPI64dugte R1, 100000
    MOVqw R1, @R0(+1,+16)   MOVbd @R2(+0,+3), R1     MOVqq R1, @R2(+0,+8)
    MOVnw R1, @R1(+5,+24)   MOVsnw R1, R2(-8)        MOVIqq R1, label
    MOVIdw @R2, -1          MOVInw R1, (+2,+8)       MOVRELq R1, label
    JMP8cs label  JMP32 label  JMP32cc R1(+4)  JMP64 label  JMP32 @R1(+0,+8)
    CALL32 label  CALL32EX @R1(+1,+0)  CALL64EXa 0x1234  RET
    PUSHn R1  POPn R1  PUSH64 R1(+1)  POP32 @R1  LOADSP FLAGS, R1
    STORESP R1, IP  BREAK 1

Operands: Rn direct; Rn(imm) direct plus a signed 16/32-bit immediate (for
MOV/MOVn: a natural index (+n,+c)); @Rn indirect; @Rn(+n,+c) indirect with
a natural index (n natural units, c bytes; one sign for both). A label
where an address is wanted: relative instructions (JMP8/JMP32/CALL32/
MOVREL) get the offset from the next instruction; MOVIqq and .quad get
the absolute address, fixed up by a DIR64 relocation.

Directives: .entry LABEL, .align N, .byte/.word/.long/.quad V,...,
.rel32 LABEL (LABEL's offset from the end of the field, for BREAK 5),
.utf16 "text" (UCS-2, NUL-terminated; \\n becomes \\r\\n), .include "file".
Comments start with ';' or '#'.
"""
import argparse
import os
import re
import struct
import sys


class AsmError(Exception):
    pass


REG = re.compile(r"^(@?)R([0-7])(?:\((.*)\))?$", re.I)
NATIDX = re.compile(r"^([+-]?)\s*(\d+|0x[0-9a-f]+)\s*,\s*([+-]?)\s*(\d+|0x[0-9a-f]+)$", re.I)

ALU = {"NOT": 0x0a, "NEG": 0x0b, "ADD": 0x0c, "SUB": 0x0d, "MUL": 0x0e, "MULU": 0x0f,
       "DIV": 0x10, "DIVU": 0x11, "MOD": 0x12, "MODU": 0x13, "AND": 0x14, "OR": 0x15,
       "XOR": 0x16, "SHL": 0x17, "SHR": 0x18, "ASHR": 0x19, "EXTNDB": 0x1a, "EXTNDW": 0x1b,
       "EXTNDD": 0x1c}
CMPS = {"EQ": 0, "LTE": 1, "GTE": 2, "ULTE": 3, "UGTE": 4}
MOVS = {"BW": (0x1d, 2), "WW": (0x1e, 2), "DW": (0x1f, 2), "QW": (0x20, 2),
        "BD": (0x21, 4), "WD": (0x22, 4), "DD": (0x23, 4), "QD": (0x24, 4),
        "QQ": (0x28, 8), "NW": (0x32, 2), "ND": (0x33, 4), "SNW": (0x25, 2),
        "SND": (0x26, 4)}
SIZES = {"B": 1, "W": 2, "D": 4, "Q": 8}


def num(text):
    try:
        return int(text.replace("_", ""), 0)
    except ValueError:
        raise AsmError("not a number: %r" % text)


def natural_index(n, c, bits, neg=False):
    """Encodes (n natural units, c bytes) as a natural index of BITS bits."""
    if n < 0 or c < 0:
        raise AsmError("natural index parts must be non-negative (use one sign)")
    unit = bits // 8
    w = 0
    while n >= (1 << (w * unit)):
        w += 1
    if w > 7 or w * unit > bits - 4:
        raise AsmError("natural units %d do not fit a %d-bit index" % (n, bits))
    a = w * unit
    if c >= (1 << (bits - 4 - a)):
        raise AsmError("constant %d does not fit a %d-bit index with %d natural units"
                       % (c, bits, n))
    return (1 << (bits - 1) if neg else 0) | w << (bits - 4) | c << a | n


class Operand:
    def __init__(self, text):
        m = REG.match(text.strip())
        if not m:
            raise AsmError("expected a register operand, got %r" % text)
        self.ind = m.group(1) == "@"
        self.reg = int(m.group(2))
        self.arg = m.group(3)

    def index(self, bits):
        """The operand's (+n,+c) as a natural index, or None."""
        if self.arg is None:
            return None
        m = NATIDX.match(self.arg.strip())
        if not m:
            raise AsmError("expected a natural index (+n,+c), got (%s)" % self.arg)
        neg = "-" in (m.group(1), m.group(3))
        if m.group(1) != m.group(3) and "+" not in (m.group(1), m.group(3)) and \
                "" not in (m.group(1), m.group(3)):
            raise AsmError("one sign for both parts of (%s)" % self.arg)
        return natural_index(num(m.group(2)), num(m.group(4)), bits, neg)

    def imm(self):
        if self.arg is None:
            return None
        return num(self.arg)

    def data(self, bits):
        """Index when indirect, signed immediate when direct."""
        if self.arg is None:
            return None
        if self.ind:
            return self.index(bits)
        v = self.imm()
        lim = 1 << (bits - 1)
        if not -lim <= v < lim:
            raise AsmError("immediate %d does not fit %d bits" % (v, bits))
        return v & ((1 << bits) - 1)


def split_operands(text):
    out, depth, cur = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def le(v, size):
    return (v & ((1 << (8 * size)) - 1)).to_bytes(size, "little")


class Assembler:
    def __init__(self):
        self.labels = {}
        self.items = []   # (offset, line, mnemonic, operands, size)
        self.entry = None

    # ---------------------------------------------------------- parsing
    def read(self, path, seen=()):
        if path in seen:
            raise AsmError("%s includes itself" % path)
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        for no, raw in enumerate(lines, 1):
            where = "%s:%d" % (path, no)
            line = re.split(r"[;#]", raw, maxsplit=1)[0] if '"' not in raw else \
                self._strip_comment(raw)
            line = line.strip()
            while True:
                m = re.match(r"^([A-Za-z_.$][\w.$]*):\s*(.*)$", line)
                if not m:
                    break
                self.items.append((where, "label", m.group(1)))
                line = m.group(2).strip()
            if not line:
                continue
            if line.lower().startswith(".include"):
                inc = line.split(None, 1)[1].strip().strip('"')
                self.read(os.path.join(os.path.dirname(path), inc), seen + (path,))
                continue
            parts = line.split(None, 1)
            self.items.append((where, parts[0], parts[1] if len(parts) > 1 else ""))

    @staticmethod
    def _strip_comment(raw):
        out, q = "", False
        for ch in raw:
            if ch == '"':
                q = not q
            if not q and ch in ";#":
                break
            out += ch
        return out

    # ---------------------------------------------------------- encoding
    def value(self, text, pc):
        """A number, or a label's address (an absolute image offset)."""
        text = text.strip()
        if re.match(r"^[A-Za-z_.$][\w.$]*$", text):
            if self.pass_no == 2 and text not in self.labels:
                raise AsmError("undefined label %r" % text)
            return self.labels.get(text, pc), True
        return num(text), False

    def encode(self, mn, ops_text, pc):
        """Returns (bytes, [offsets of DIR64 fix-ups within them])."""
        M = mn.upper()
        ops = split_operands(ops_text)

        def want(n):
            if len(ops) != n:
                raise AsmError("%s takes %d operand(s), got %d" % (mn, n, len(ops)))

        # Directives
        if M == ".ENTRY":
            want(1)
            self.entry = ops[0]
            return b"", []
        if M == ".ALIGN":
            want(1)
            a = num(ops[0])
            return b"\0" * ((-pc) % a), []
        if M in (".BYTE", ".WORD", ".LONG", ".QUAD"):
            size = {".BYTE": 1, ".WORD": 2, ".LONG": 4, ".QUAD": 8}[M]
            out, fix = b"", []
            for o in ops:
                v, is_label = self.value(o, pc)
                if is_label:
                    if size != 8:
                        raise AsmError("a label's address needs .quad")
                    fix.append(len(out))
                out += le(v, size)
            return out, fix
        if M == ".REL32":
            # BREAK 5's operand: LABEL's offset from the end of this field.
            want(1)
            v, is_label = self.value(ops[0], pc)
            if not is_label:
                raise AsmError(".rel32 wants a label")
            return le(v - (pc + 4), 4), []
        if M == ".UTF16":
            m = re.match(r'^"(.*)"$', ops_text.strip())
            if not m:
                raise AsmError(".utf16 wants a quoted string")
            s = m.group(1).encode().decode("unicode_escape").replace("\n", "\r\n")
            return s.encode("utf-16-le") + b"\0\0", []
        if pc & 1:
            raise AsmError("instruction at an odd offset (add .align 2)")
        if M == "RET":
            want(0)
            return bytes([0x04, 0x00]), []
        if M == "BREAK":
            want(1)
            return bytes([0x00, num(ops[0]) & 0xff]), []
        m = re.match(r"^(LOADSP|STORESP)$", M)
        if m:
            want(2)
            if M == "LOADSP":
                if ops[0].upper() != "FLAGS":
                    raise AsmError("LOADSP loads FLAGS only")
                return bytes([0x29, Operand(ops[1]).reg << 4]), []
            ded = {"FLAGS": 0, "IP": 1}.get(ops[1].upper())
            if ded is None:
                raise AsmError("STORESP reads FLAGS or IP")
            return bytes([0x2a, ded << 4 | Operand(ops[0]).reg]), []
        m = re.match(r"^(PUSH|POP)(32|64|N)$", M)
        if m:
            want(1)
            o = Operand(ops[0])
            op = {"PUSH": 0x2b, "POP": 0x2c}[m.group(1)]
            if m.group(2) == "N":
                op += 0x0a
            elif m.group(2) == "64":
                op |= 0x40
            d = o.data(16)
            b1 = (8 if o.ind else 0) | o.reg
            if d is None:
                return bytes([op, b1]), []
            return bytes([op | 0x80, b1]) + le(d, 2), []
        m = re.match(r"^(" + "|".join(ALU) + r")(32|64)$", M)
        if m:
            want(2)
            return self.two_op(ALU[m.group(1)], m.group(2) == "64", ops), []
        m = re.match(r"^CMP(32|64)(EQ|LTE|GTE|ULTE|UGTE)$", M)
        if m:
            want(2)
            if Operand(ops[0]).ind or Operand(ops[0]).arg:
                raise AsmError("CMP's operand 1 is a register")
            return self.two_op(0x05 + CMPS[m.group(2)], m.group(1) == "64", ops), []
        m = re.match(r"^CMPI(32|64)(W|D)(EQ|LTE|GTE|ULTE|UGTE)$", M)
        if m:
            want(2)
            o = Operand(ops[0])
            isz = 2 if m.group(2) == "W" else 4
            op = (0x2d + CMPS[m.group(3)]) | (0x40 if m.group(1) == "64" else 0) | \
                (0x80 if isz == 4 else 0)
            idx = o.index(16) if o.ind else None
            if o.arg is not None and not o.ind:
                raise AsmError("CMPI: an index needs operand 1 indirect")
            b1 = (0x10 if idx is not None else 0) | (8 if o.ind else 0) | o.reg
            imm = num(ops[1])
            out = bytes([op, b1]) + (le(idx, 2) if idx is not None else b"") + le(imm, isz)
            return out, []
        m = re.match(r"^MOV(BW|WW|DW|QW|BD|WD|DD|QD|QQ|NW|ND|SNW|SND)$", M)
        if m:
            want(2)
            op, isz = MOVS[m.group(1)]
            o1, o2 = Operand(ops[0]), Operand(ops[1])
            bits = isz * 8
            i1 = o1.index(bits)
            if i1 is not None and not o1.ind:
                raise AsmError("an index on operand 1 needs it indirect")
            if o2.arg is not None and m.group(1).startswith("SN") and not o2.ind:
                i2 = o2.data(bits)
            else:
                i2 = o2.index(bits)
            b0 = op | (0x80 if i1 is not None else 0) | (0x40 if i2 is not None else 0)
            b1 = (0x80 if o2.ind else 0) | o2.reg << 4 | (8 if o1.ind else 0) | o1.reg
            out = bytes([b0, b1])
            if i1 is not None:
                out += le(i1, isz)
            if i2 is not None:
                out += le(i2, isz)
            return out, []
        m = re.match(r"^MOVI([BWDQ])([WDQ])$", M)
        if m:
            want(2)
            o = Operand(ops[0])
            dsz = SIZES[m.group(2)]
            v, is_label = self.value(ops[1], pc)
            if is_label and dsz != 8:
                raise AsmError("a label's address needs MOVIqq")
            return self.movi_like(0x37, o, dsz, v, {"B": 0, "W": 1, "D": 2, "Q": 3}[
                m.group(1)] << 4, fix=is_label)
        m = re.match(r"^MOVIN([WDQ])$", M)
        if m:
            want(2)
            o = Operand(ops[0])
            dsz = SIZES[m.group(1)]
            mm = NATIDX.match(ops[1].strip().strip("()"))
            if not mm:
                raise AsmError("MOVIn wants (+n,+c)")
            neg = "-" in (mm.group(1), mm.group(3))
            return self.movi_like(0x38, o, dsz, natural_index(num(mm.group(2)), num(
                mm.group(4)), dsz * 8, neg), 0)
        m = re.match(r"^MOVREL([WDQ])$", M)
        if m:
            want(2)
            o = Operand(ops[0])
            dsz = SIZES[m.group(1)]
            v, is_label = self.value(ops[1], pc)
            size = 2 + (2 if o.arg is not None else 0) + dsz
            rel = v - (pc + size) if is_label else v
            return self.movi_like(0x39, o, dsz, rel, 0)
        m = re.match(r"^JMP8(CS|CC)?$", M)
        if m:
            want(1)
            v, is_label = self.value(ops[0], pc)
            off = (v - (pc + 2)) if is_label else v * 2
            if off % 2 or not -256 <= off < 256:
                raise AsmError("JMP8 target out of reach (%d bytes)" % off)
            b0 = 0x02 | ({"CS": 0xc0, "CC": 0x80}.get(m.group(1), 0))
            return bytes([b0, (off // 2) & 0xff]), []
        m = re.match(r"^(JMP|CALL)(32|64)(EX)?(A)?(CS|CC)?$", M)
        if m:
            want(1)
            kind, width, ex, absolute, cond = m.groups()
            if kind == "JMP" and ex:
                raise AsmError("JMP has no EX form")
            if kind == "CALL" and cond:
                raise AsmError("CALL is not conditional")
            b0 = 0x01 if kind == "JMP" else 0x03
            b1 = 0x20 if ex else 0
            if cond:
                b1 |= 0x80 | (0x40 if cond == "CS" else 0)
            text = ops[0]
            if width == "64":
                v, is_label = self.value(text, pc)
                rel = False
                if is_label and kind == "JMP" and not absolute:
                    v -= pc + 10
                    rel = True
                fix = [2] if is_label and not rel else []
                return bytes([b0 | 0xc0, b1 | (0x10 if rel else 0)]) + le(v, 8), fix
            if REG.match(text.strip()):
                o = Operand(text)
                d = o.data(32)
                b1 |= (8 if o.ind else 0) | o.reg | (0 if absolute else 0x10)
                if d is None:
                    return bytes([b0, b1]), []
                return bytes([b0 | 0x80, b1]) + le(d, 4), []
            v, is_label = self.value(text, pc)
            if not is_label:
                raise AsmError("%s with a number: use a register or the 64-bit form" % mn)
            if absolute:
                raise AsmError("a 32-bit absolute address of a label is not relocatable")
            return bytes([b0 | 0x80, b1 | 0x10]) + le(v - (pc + 6), 4), []
        raise AsmError("unknown mnemonic %r" % mn)

    def two_op(self, op, is64, ops):
        o1, o2 = Operand(ops[0]), Operand(ops[1])
        if o1.arg is not None:
            raise AsmError("operand 1 takes no index here")
        d = o2.data(16)
        b0 = op | (0x40 if is64 else 0) | (0x80 if d is not None else 0)
        b1 = (0x80 if o2.ind else 0) | o2.reg << 4 | (8 if o1.ind else 0) | o1.reg
        return bytes([b0, b1]) + (le(d, 2) if d is not None else b"")

    def movi_like(self, op, o, dsz, v, extra, fix=False):
        idx = o.index(16)
        if idx is not None and not o.ind:
            raise AsmError("an index on operand 1 needs it indirect")
        lim = 1 << (8 * dsz)
        if not -(lim >> 1) <= v < lim:
            raise AsmError("value %d does not fit %d bytes" % (v, dsz))
        b0 = op | {2: 0x40, 4: 0x80, 8: 0xc0}[dsz]
        b1 = (0x40 if idx is not None else 0) | extra | (8 if o.ind else 0) | o.reg
        out = bytes([b0, b1]) + (le(idx, 2) if idx is not None else b"")
        fixes = [len(out)] if fix else []
        return out + le(v, dsz), fixes

    def assemble(self):
        """Two passes: sizes and labels, then the bytes."""
        for self.pass_no in (1, 2):
            pc, code, fixups = 0, b"", []
            for where, mn, text in self.items:
                try:
                    if mn == "label":
                        if self.pass_no == 1:
                            if text in self.labels:
                                raise AsmError("label %r defined twice" % text)
                            self.labels[text] = pc
                        continue
                    out, fix = self.encode(mn, text, pc)
                except AsmError as e:
                    raise AsmError("%s: %s" % (where, e))
                fixups += [pc + f for f in fix]
                code += out
                pc += len(out)
        return code, fixups


# ------------------------------------------------------------- PE32+ writer
SECT_ALIGN = 0x1000
FILE_ALIGN = 0x200
IMAGE_BASE = 0x10000000


def align(v, a):
    return (v + a - 1) // a * a


def relocs(fixups, text_rva):
    """The .reloc section: one block per 4 KiB page, DIR64 entries."""
    out = b""
    pages = {}
    for f in sorted(fixups):
        rva = text_rva + f
        pages.setdefault(rva & ~0xfff, []).append(rva & 0xfff)
    for page, offs in sorted(pages.items()):
        entries = [(10 << 12) | o for o in offs]
        if len(entries) % 2:
            entries.append(0)  # IMAGE_REL_BASED_ABSOLUTE: padding
        out += struct.pack("<II", page, 8 + 2 * len(entries))
        out += b"".join(struct.pack("<H", e) for e in entries)
    return out


def pe_image(code, fixups, entry, subsystem):
    text_rva = SECT_ALIGN
    text_raw = align(len(code), FILE_ALIGN)
    # Absolute addresses in the code assume the image at IMAGE_BASE.
    code = bytearray(code)
    for f in fixups:
        v = int.from_bytes(code[f:f + 8], "little") + IMAGE_BASE + text_rva
        code[f:f + 8] = v.to_bytes(8, "little")
    rel = relocs(fixups, text_rva)
    if not rel:
        # An empty block keeps the image relocatable: the loader finds a table.
        rel = struct.pack("<II", 0, 8)
    reloc_rva = text_rva + align(len(code), SECT_ALIGN)
    reloc_raw = align(len(rel), FILE_ALIGN)
    size_of_image = reloc_rva + align(len(rel), SECT_ALIGN)
    headers = FILE_ALIGN

    dos = b"MZ" + b"\0" * 58 + struct.pack("<I", 0x40)
    coff = struct.pack("<HHIIIHH", 0x0ebc, 2, 0, 0, 0, 240, 0x020e | 0x20)
    opt = struct.pack("<HBBIIIII", 0x20b, 1, 0, text_raw, reloc_raw, 0, text_rva + entry,
                      text_rva)
    opt += struct.pack("<QIIHHHHHHIIIIHHQQQQII", IMAGE_BASE, SECT_ALIGN, FILE_ALIGN,
                       0, 0, 0, 0, 0, 0, 0, size_of_image, headers, 0, subsystem, 0,
                       0x100000, 0x1000, 0x100000, 0x1000, 0, 16)
    dirs = [(0, 0)] * 16
    dirs[5] = (reloc_rva, len(rel))
    opt += b"".join(struct.pack("<II", *d) for d in dirs)
    sect = struct.pack("<8sIIIIIIHHI", b".text", len(code), text_rva, text_raw, headers,
                       0, 0, 0, 0, 0xe0000020)
    sect += struct.pack("<8sIIIIIIHHI", b".reloc", len(rel), reloc_rva, reloc_raw,
                        headers + text_raw, 0, 0, 0, 0, 0x42000040)
    hdr = dos + b"PE\0\0" + coff + opt + sect
    assert len(hdr) <= headers
    return (hdr.ljust(headers, b"\0") + bytes(code).ljust(text_raw, b"\0")
            + rel.ljust(reloc_raw, b"\0"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--subsystem", choices=("app", "bs-driver"), default="app")
    args = ap.parse_args()
    asm = Assembler()
    try:
        asm.read(args.source)
        code, fixups = asm.assemble()
        entry = asm.entry or "main"
        if entry not in asm.labels:
            raise AsmError("%s: no entry point: define %r or use .entry" % (args.source, entry))
    except (AsmError, OSError) as e:
        print("ebcas: %s" % e, file=sys.stderr)
        return 1
    image = pe_image(code, fixups, asm.labels[entry], 10 if args.subsystem == "app" else 11)
    with open(args.output, "wb") as f:
        f.write(image)
    return 0


if __name__ == "__main__":
    sys.exit(main())
