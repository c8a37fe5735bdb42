; Conformance: CMP and CMPI (every condition, 32 and 64 bits, direct,
; indirect, immediate) shown as bit masks of Flags.C, then every JMP form.
main:
	MOVnw R1, @R0(+1,+16)
	CALL32 efi_init

	MOVIqw R1, -1
	MOVIqw R2, 1
	CALL32 cmp_all
	MOVRELq R1, s_case1
	CALL32 say

	MOVIqq R1, 0x100000000
	MOVIqw R2, 1
	CALL32 cmp_all
	MOVRELq R1, s_case2
	CALL32 say

	MOVIqw R1, 7
	MOVIqw R2, 7
	CALL32 cmp_all
	MOVRELq R1, s_case3
	CALL32 say

	MOVIqd R1, 0x80000000
	MOVIqq R1, 0x80000000
	MOVIqd R2, 0x7fffffff
	CALL32 cmp_all
	MOVRELq R1, s_case4
	CALL32 say

	; CMPI: R1 = -5 against immediates; then memory operands
	MOVIqw R3, 0
	MOVIqw R1, -5
	CMPI64weq R1, -5
	CALL32 cbit
	CMPI64wlte R1, -6
	CALL32 cbit
	CMPI64dgte R1, -100000
	CALL32 cbit
	CMPI32wulte R1, 5
	CALL32 cbit
	CMPI64wugte R1, 5
	CALL32 cbit
	MOVRELq R4, cells
	CMPI32deq @R4(+0,+8), 0x12345678
	CALL32 cbit
	CMPI64wlte @R4, 0
	CALL32 cbit
	MOVIqq R1, 0xaaaaaaaa12345678
	CMP32eq R1, @R4(+0,+8)
	CALL32 cbit
	MOVIqw R1, 9
	MOVIqw R2, 7
	CMP64eq R1, R2(+2)
	CALL32 cbit
	MOVRELq R1, s_cmpi
	CALL32 say

	; jumps: R3 counts the ones that went where they should
	MOVIqw R3, 0
	MOVIqw R5, 1
	JMP8 j1
	BREAK 0
j1:	ADD64 R3, R5
	CMPI64weq R3, 1			; C set
	JMP8cs j2
	BREAK 0
j2:	ADD64 R3, R5
	JMP8cc j_bad			; not taken: C is still set
	ADD64 R3, R5
	JMP32 j3			; relative, 32-bit
	BREAK 0
j3:	ADD64 R3, R5
	MOVIqq R1, j4
	JMP32a R1			; absolute through a register
	BREAK 0
j4:	ADD64 R3, R5
	MOVIqw R1, 4
	JMP32 R1			; relative through a register: skips the BREAK
	BREAK 0
	BREAK 0
	ADD64 R3, R5
	MOVRELq R4, jtab
	JMP32a @R4			; absolute, the address read from memory
	BREAK 0
j5:	ADD64 R3, R5
	JMP64 j6			; relative, 64-bit
	BREAK 0
j6:	ADD64 R3, R5
	JMP64a j7			; absolute, 64-bit (relocated)
	BREAK 0
j7:	ADD64 R3, R5
	CMPI64weq R3, 0			; C clear
	JMP32cs j_bad
	JMP64cs j_bad
	JMP32cc j8
	BREAK 0
j8:	ADD64 R3, R5
	MOVIqw R1, 5			; a backward loop, five rounds
loop:	ADD64 R3, R5
	SUB64 R1, R5
	CMPI64weq R1, 0
	JMP8cc loop
	MOVRELq R1, s_jumps
	CALL32 say
	MOVIqw R7, 0
	RET
j_bad:
	BREAK 0

; cmp_all: the five CMP64 then the five CMP32 conditions of R1 against R2,
; one bit each, into R3.
cmp_all:
	MOVIqw R3, 0
	CMP64eq R1, R2
	CALL32 cbit
	CMP64lte R1, R2
	CALL32 cbit
	CMP64gte R1, R2
	CALL32 cbit
	CMP64ulte R1, R2
	CALL32 cbit
	CMP64ugte R1, R2
	CALL32 cbit
	CMP32eq R1, R2
	CALL32 cbit
	CMP32lte R1, R2
	CALL32 cbit
	CMP32gte R1, R2
	CALL32 cbit
	CMP32ulte R1, R2
	CALL32 cbit
	CMP32ugte R1, R2
	CALL32 cbit
	RET

; cbit: R3 = R3 << 1 | Flags.C
cbit:
	STORESP R6, FLAGS
	MOVIqw R5, 1
	AND64 R6, R5
	SHL64 R3, R5
	OR64 R3, R6
	RET

	.align 8
cells:
	.quad 0xffffffffffffffff
	.quad 0x12345678
jtab:
	.quad j5

s_case1:	.utf16 "CMP -1,1         "
s_case2:	.utf16 "CMP 2^32,1       "
s_case3:	.utf16 "CMP 7,7          "
s_case4:	.utf16 "CMP 2^31,2^31-1  "
s_cmpi:		.utf16 "CMPI, CMP forms  "
s_jumps:	.utf16 "jumps taken      "
	.align 2

	.include "lib/efi.s"
