"""ebc/tools/ebcas.py, the EBC assembler, without running anything: the
encodings of each instruction form (the same bytes the VM's unit tests
run), natural indexes (the UEFI specification's own example), label
arithmetic, refusals with the line they come from, and the PE32+ image
it writes (machine 0x0EBC, PE32+, a .reloc block per fix-up page)."""
import os
import struct
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "ebc", "tools"))
import ebcas  # noqa: E402


def asm(text, tmp_path):
    src = tmp_path / "t.s"
    src.write_text(text)
    a = ebcas.Assembler()
    a.read(str(src))
    return a.assemble(), a


def code(text, tmp_path):
    (c, _), _ = asm(text, tmp_path)
    return c


def test_natural_index_spec_example():
    # 0xA048: sign, w = 2 (4 natural bits), c = 4, n = 8
    assert ebcas.natural_index(8, 4, 16, neg=True) == 0xa048
    assert ebcas.natural_index(0, 4095, 16) == 0x0fff
    assert ebcas.natural_index(1, 16, 16) == 0x1041
    with pytest.raises(ebcas.AsmError):
        ebcas.natural_index(0, 4096, 16)
    with pytest.raises(ebcas.AsmError):
        ebcas.natural_index(1 << 13, 0, 16)


@pytest.mark.parametrize("line,want", [
    ("RET", "0400"),
    ("BREAK 5", "0005"),
    ("ADD64 R1, R2", "4c21"),
    ("ADD32 R1, @R2(+1,+8)", "8ca12110"),
    ("SUB64 R1, R2(-4)", "cd21fcff"),
    ("CMP64ulte R1, R2", "4821"),
    ("CMPI32dugte @R2(+2,+0), 0x7fffffff", "b11a0210ffffff7f"),
    ("CMPI64weq R1, -2", "6d01feff"),
    ("MOVqw R1, @R0(+1,+16)", "60814110"),
    ("MOVbd @R2(+1,+0), R1", "a11a01000010"),
    ("MOVqq R1, @R2(+2,+8)", "68a10208000000000010"),
    ("MOVsnw R5, R2(-16)", "6525f0ff"),
    ("MOVIbw R1, -1", "7701ffff"),
    ("MOVIqq R1, 0x1122334455667788", "f7318877665544332211"),
    ("MOVInw R5, (+2,+8)", "78052210"),
    ("PUSHn R1", "3501"),
    ("POP32 R4(+16)", "ac041000"),
    ("PUSH64 @R2(+0,+4)", "eb0a0400"),
    ("LOADSP FLAGS, R1", "2910"),
    ("STORESP R3, IP", "2a13"),
    ("CALL32EXa @R2(+1,+0)", "832a01000010"),
    ("CALL64EXa 0x1234", "c3203412000000000000"),
    ("JMP32cs R1(+4)", "81d104000000"),
])
def test_encodings(line, want, tmp_path):
    assert code("main:\n\t%s\n" % line, tmp_path).hex() == want


def test_labels(tmp_path):
    c = code("main:\n\tJMP8cs end\n\tJMP32 main\n\tCALL32 end\n\tMOVRELw R1, end\n"
             "end:\n\tRET\n", tmp_path)
    # JMP8cs +8 words; JMP32 back to 0 from 8; CALL32 to 18 from 14; MOVREL to 18 from 18
    assert c.hex() == "c208" + "8110f8ffffff" + "831004000000" + "79010000" + "0400"


def test_absolute_label_is_relocated(tmp_path):
    (c, fix), a = asm("main:\n\tMOVIqq R1, data\n\tRET\ndata:\n\t.quad main, data\n",
                      tmp_path)
    assert fix == [2, 12, 20]
    assert struct.unpack_from("<Q", c, 2)[0] == a.labels["data"]


def test_rel32_and_utf16(tmp_path):
    c = code("main:\n\tRET\nslot:\n\t.rel32 main\n\t.utf16 \"A\\n\"\n", tmp_path)
    assert struct.unpack_from("<i", c, 2)[0] == -6
    assert c[6:].decode("utf-16-le") == "A\r\n\0"


@pytest.mark.parametrize("text,msg", [
    ("main:\n\tJMP8 nowhere\n", "undefined label"),
    ("main:\n\tFROB R1\n", "unknown mnemonic"),
    ("main:\n\tMOVIww R1, 0x12345\n", "does not fit"),
    ("main:\n\tMOVqw R1(+1,+0), R2\n", "needs it indirect"),
    ("main:\n\t.byte 1\n\tRET\n", "odd offset"),
    ("main:\nmain:\n\tRET\n", "defined twice"),
    ("main:\n\tADD64 R1\n", "takes 2 operand"),
])
def test_errors_name_the_line(text, msg, tmp_path):
    with pytest.raises(ebcas.AsmError) as e:
        asm(text, tmp_path)
    assert msg in str(e.value) and "t.s:" in str(e.value)


def test_pe_image():
    img = ebcas.pe_image(b"\x04\x00" + bytes(6) + bytes(8), [8], 0, 10)
    pe = struct.unpack_from("<I", img, 0x3c)[0]
    assert img[:2] == b"MZ" and img[pe:pe + 4] == b"PE\0\0"
    machine, nsec = struct.unpack_from("<HH", img, pe + 4)
    assert (machine, nsec) == (0x0ebc, 2)
    opt = pe + 24
    assert struct.unpack_from("<H", img, opt)[0] == 0x20b
    assert struct.unpack_from("<H", img, opt + 68)[0] == 10
    base = struct.unpack_from("<Q", img, opt + 24)[0]
    reloc_rva, reloc_size = struct.unpack_from("<II", img, opt + 112 + 40)
    assert reloc_size == 12
    # the absolute value in .text was linked for base + its RVA
    text_raw = struct.unpack_from("<I", img, opt + 240 + 20)[0]
    assert struct.unpack_from("<Q", img, text_raw + 8)[0] == base + 0x1000
    reloc_raw = struct.unpack_from("<I", img, opt + 240 + 40 + 20)[0]
    page, size, e0, e1 = struct.unpack_from("<IIHH", img, reloc_raw)
    assert (page, size, e0 >> 12, e0 & 0xfff, e1) == (0x1000, 12, 10, 8, 0)
