; Conformance: data manipulation (NOT..EXTNDD), 32- and 64-bit forms,
; immediates, indirect operands. Prints one line per case.
main:
	MOVnw R1, @R0(+1,+16)
	CALL32 efi_init

	MOVIqq R1, 0xfffffffffffffffe
	MOVIqw R2, 3
	ADD64 R1, R2
	MOVqw R3, R1
	MOVRELq R1, s_add64
	CALL32 say

	MOVIqq R1, 0x12345678ffffffff
	MOVIqw R2, 2
	ADD32 R1, R2			; the upper half is cleared
	MOVqw R3, R1
	MOVRELq R1, s_add32
	CALL32 say

	MOVIqw R1, 5
	MOVIqw R2, 7
	SUB64 R1, R2
	MOVqw R3, R1
	MOVRELq R1, s_sub64
	CALL32 say

	MOVIqw R1, -3
	MOVIqw R2, 7
	MUL64 R1, R2
	MOVqw R3, R1
	MOVRELq R1, s_mul64
	CALL32 say

	MOVIqd R1, 0x10000
	MOVIqd R2, 0x10001
	MULU32 R1, R2
	MOVqw R3, R1
	MOVRELq R1, s_mulu32
	CALL32 say

	MOVIqw R1, -21
	MOVIqw R2, 4
	DIV64 R1, R2
	MOVqw R3, R1
	MOVRELq R1, s_div64
	CALL32 say

	MOVIqw R1, 100
	MOVIqw R2, 7
	DIVU64 R1, R2
	MOVqw R3, R1
	MOVRELq R1, s_divu64
	CALL32 say

	MOVIqw R1, -21
	MOVIqw R2, 4
	MOD64 R1, R2
	MOVqw R3, R1
	MOVRELq R1, s_mod64
	CALL32 say

	MOVIqd R1, 0xffffffff
	MOVIqw R2, 10
	MODU32 R1, R2
	MOVqw R3, R1
	MOVRELq R1, s_modu32
	CALL32 say

	MOVIqd R1, 0xff00ff00
	MOVIqd R2, 0x0ff00ff0
	AND64 R1, R2
	MOVqw R3, R1
	MOVRELq R1, s_and64
	CALL32 say

	MOVIqd R1, 0xff00ff00		; sign-extended to 64 bits by MOVIqd
	MOVIqd R2, 0x0ff00ff0
	OR64 R1, R2
	MOVqw R3, R1
	MOVRELq R1, s_or64
	CALL32 say

	MOVIqq R1, 0xffffffffff00ff00
	MOVIqd R2, 0x0ff00ff0
	XOR32 R1, R2
	MOVqw R3, R1
	MOVRELq R1, s_xor32
	CALL32 say

	MOVIqw R1, 1
	MOVIqw R2, 40
	SHL64 R1, R2
	MOVqw R3, R1
	MOVRELq R1, s_shl64
	CALL32 say

	MOVIqd R1, 0x80000000
	MOVIqw R2, 31
	SHR32 R1, R2
	MOVqw R3, R1
	MOVRELq R1, s_shr32
	CALL32 say

	MOVIqw R1, -256
	MOVIqw R2, 4
	ASHR64 R1, R2
	MOVqw R3, R1
	MOVRELq R1, s_ashr64
	CALL32 say

	MOVIqw R2, 0
	NOT32 R1, R2
	MOVqw R3, R1
	MOVRELq R1, s_not32
	CALL32 say

	MOVIqw R2, 5
	NEG64 R1, R2
	MOVqw R3, R1
	MOVRELq R1, s_neg64
	CALL32 say

	MOVIqw R2, 0x80
	EXTNDB64 R1, R2
	MOVqw R3, R1
	MOVRELq R1, s_extndb64
	CALL32 say

	MOVIqd R2, 0x8000
	EXTNDW32 R1, R2
	MOVqw R3, R1
	MOVRELq R1, s_extndw32
	CALL32 say

	MOVIqd R2, 0x80000000
	EXTNDD64 R1, R2
	MOVqw R3, R1
	MOVRELq R1, s_extndd64
	CALL32 say

	MOVIqw R1, 1000
	MOVIqw R2, 24
	ADD64 R1, R2(-4)		; R1 + (R2 - 4)
	MOVqw R3, R1
	MOVRELq R1, s_addimm
	CALL32 say

	; operands in memory: the value (+1,+0) past cell, and cell itself
	MOVRELq R4, cell
	MOVIqw R1, 7
	ADD64 R1, @R4(+1,+0)		; 7 + 0x20
	MOVqw R3, R1
	MOVRELq R1, s_addind
	CALL32 say
	MOVRELq R4, cell		; (say clobbers R4)
	MOVIqw R2, 0x11
	SUB32 @R4, R2			; cell: 0x100 - 0x11, 32 bits written
	MOVqw R3, @R4
	MOVRELq R1, s_submem
	CALL32 say

	MOVIqw R7, 0
	RET

	.align 8
cell:
	.quad 0xaaaaaaaa00000100
	.quad 0x20

s_add64:	.utf16 "ADD64     "
s_add32:	.utf16 "ADD32     "
s_sub64:	.utf16 "SUB64     "
s_mul64:	.utf16 "MUL64     "
s_mulu32:	.utf16 "MULU32    "
s_div64:	.utf16 "DIV64     "
s_divu64:	.utf16 "DIVU64    "
s_mod64:	.utf16 "MOD64     "
s_modu32:	.utf16 "MODU32    "
s_and64:	.utf16 "AND64     "
s_or64:		.utf16 "OR64      "
s_xor32:	.utf16 "XOR32     "
s_shl64:	.utf16 "SHL64     "
s_shr32:	.utf16 "SHR32     "
s_ashr64:	.utf16 "ASHR64    "
s_not32:	.utf16 "NOT32     "
s_neg64:	.utf16 "NEG64     "
s_extndb64:	.utf16 "EXTNDB64  "
s_extndw32:	.utf16 "EXTNDW32  "
s_extndd64:	.utf16 "EXTNDD64  "
s_addimm:	.utf16 "ADD64 imm "
s_addind:	.utf16 "ADD64 @R  "
s_submem:	.utf16 "SUB32 mem "
	.align 2

	.include "lib/efi.s"
