; Conformance: the MOV family with natural indexing (MOVbw..MOVqq, MOVn,
; MOVsn), MOVI widths, MOVIn and MOVREL.
main:
	MOVnw R1, @R0(+1,+16)
	CALL32 efi_init

	MOVRELq R4, table
	MOVbw R1, @R4(+0,+1)		; byte 1: bits beyond the move cleared
	MOVqw R3, R1
	MOVRELq R1, s_movbw
	CALL32 say

	MOVRELq R4, table
	MOVww R1, @R4(+0,+2)
	MOVqw R3, R1
	MOVRELq R1, s_movww
	CALL32 say

	MOVRELq R4, table
	MOVdd R1, @R4(+1,+0)		; one natural unit in: 8 bytes on a 64-bit machine
	MOVqw R3, R1
	MOVRELq R1, s_movdd
	CALL32 say

	MOVRELq R4, table
	MOVqq R1, @R4(+2,+0)
	MOVqw R3, R1
	MOVRELq R1, s_movqq
	CALL32 say

	MOVRELq R4, table
	MOVnw R1, @R4(+1,+8)		; 8 + 8 = 16
	MOVqw R3, R1
	MOVRELq R1, s_movnw
	CALL32 say

	MOVRELq R4, table
	MOVqw R2, R4(+2,+0)		; a direct operand plus a natural index
	SUB64 R2, R4
	MOVqw R3, R2
	MOVRELq R1, s_movidx
	CALL32 say

	MOVRELq R4, table
	MOVsnw R2, R4(-3)		; a direct operand plus a plain immediate
	SUB64 R2, R4
	MOVqw R3, R2
	MOVRELq R1, s_movsnw
	CALL32 say

	MOVRELq R4, table
	MOVsnd R1, @R4(+3,+0)
	MOVqw R3, R1
	MOVRELq R1, s_movsnd
	CALL32 say

	; stores: a byte, a word and a natural into scratch, read back as one quad
	MOVRELq R4, scratch
	MOVIqw R2, 0x1234
	MOVbw @R4, R2
	MOVww @R4(+0,+2), R2
	MOVIqq R2, 0x7766554433221100
	MOVnw @R4(+0,+8), R2
	MOVdw @R4(+0,+4), R2
	MOVqw R3, @R4
	MOVRELq R1, s_store
	CALL32 say

	MOVIqq R1, 0x5555555555555555
	MOVIbw R1, -1
	MOVqw R3, R1
	MOVRELq R1, s_movibw
	CALL32 say

	MOVIwd R1, 0x12345		; a 32-bit immediate, a 16-bit move
	MOVqw R3, R1
	MOVRELq R1, s_moviww
	CALL32 say

	MOVIqd R1, -2
	MOVqw R3, R1
	MOVRELq R1, s_moviqd
	CALL32 say

	MOVRELq R4, scratch
	MOVIdw @R4(+1,+0), -3
	MOVqw R3, @R4(+1,+0)
	MOVRELq R1, s_movimem
	CALL32 say

	MOVInw R1, (+2,+8)
	MOVqw R3, R1
	MOVRELq R1, s_movinw
	CALL32 say

	MOVInd R1, (-1,-4)
	MOVqw R3, R1
	MOVRELq R1, s_movind
	CALL32 say

	MOVRELq R1, table
	MOVIqq R2, table		; absolute, relocated by the loader
	SUB64 R2, R1
	MOVqw R3, R2
	MOVRELq R1, s_movrel
	CALL32 say

	MOVIqw R7, 0
	RET

	.align 8
table:
	.quad 0x8877665544332211
	.quad 0x1111111122222222
	.quad 0x0123456789abcdef
	.quad 0xfffffffffffffff0
scratch:
	.quad 0
	.quad 0

s_movbw:	.utf16 "MOVbw     "
s_movww:	.utf16 "MOVww     "
s_movdd:	.utf16 "MOVdd     "
s_movqq:	.utf16 "MOVqq     "
s_movnw:	.utf16 "MOVnw     "
s_movidx:	.utf16 "MOVqw idx "
s_movsnw:	.utf16 "MOVsnw    "
s_movsnd:	.utf16 "MOVsnd    "
s_store:	.utf16 "stores    "
s_movibw:	.utf16 "MOVIbw    "
s_moviww:	.utf16 "MOVIww    "
s_moviqd:	.utf16 "MOVIqd    "
s_movimem:	.utf16 "MOVIdw @R "
s_movinw:	.utf16 "MOVInw    "
s_movind:	.utf16 "MOVInd    "
s_movrel:	.utf16 "MOVIqq-REL"
	.align 2

	.include "lib/efi.s"
