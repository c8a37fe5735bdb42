; Conformance: the VM stack (PUSH/POP 32/64/n, with immediates and
; indexes), CALL (relative, absolute, 64-bit) and RET, recursion with the
; EBC calling convention, LOADSP/STORESP, BREAK 1 (VM version), BREAK 5
; (a thunk for an EBC function) and CALLEX through that thunk.
main:
	MOVnw R1, @R0(+1,+16)
	CALL32 efi_init

	MOVIqq R1, 0x1122334480000001
	PUSH64 R1
	PUSH32 R1
	POP32 R2			; sign-extended: 0xffffffff80000001
	POP64 R3
	SUB64 R3, R2
	MOVRELq R1, s_pushpop
	CALL32 say

	MOVIqw R1, 40
	PUSHn R1(+2)			; 42
	POPn R3(+100)			; 142
	MOVRELq R1, s_pushimm
	CALL32 say

	MOVRELq R4, cell
	PUSH64 @R4(+0,+8)		; the second quad of cell
	POP64 @R4			; into the first
	MOVqw R3, @R4
	MOVRELq R1, s_pushind
	CALL32 say

	; factorial(12) by recursion, the argument on the stack
	MOVIqw R1, 12
	PUSHn R1
	CALL32 fact
	POPn R1
	MOVqw R3, R7
	MOVRELq R1, s_fact
	CALL32 say

	; sum3(1, 2, 3) called three ways: relative, absolute, CALL64
	MOVIqw R1, 3
	PUSHn R1
	MOVIqw R1, 2
	PUSHn R1
	MOVIqw R1, 1
	PUSHn R1
	MOVIqw R3, 0
	CALL32 sum3
	ADD64 R3, R7
	MOVIqq R1, sum3
	CALL32a R1
	ADD64 R3, R7
	CALL64a sum3
	ADD64 R3, R7
	POPn R1
	POPn R1
	POPn R1
	MOVRELq R1, s_calls
	CALL32 say

	; Flags: set C, read it back; the IP STORESP reports
	CMPI64weq R0, 0			; clear C
	MOVIqw R1, 1
	LOADSP FLAGS, R1		; set C
	STORESP R3, FLAGS
	MOVRELq R1, s_flags
	CALL32 say
	STORESP R3, IP
here:
	MOVRELq R1, here
	SUB64 R3, R1			; 0: IP is the next instruction's address
	MOVRELq R1, s_ip
	CALL32 say

	BREAK 1
	MOVqw R3, R7
	MOVRELq R1, s_version
	CALL32 say

	; BREAK 5: make sum3 callable as native code, then CALLEX it
	MOVRELq R7, thunk_slot
	BREAK 5
	MOVIqw R1, 30
	PUSHn R1
	MOVIqw R1, 20
	PUSHn R1
	MOVIqw R1, 10
	PUSHn R1
	MOVRELq R4, thunk_slot
	CALL32EXa @R4
	POPn R1
	POPn R1
	POPn R1
	MOVqw R3, R7
	MOVRELq R1, s_thunk
	CALL32 say

	MOVIqw R7, 0
	RET

; fact(n): n <= 1 ? 1 : n * fact(n - 1)
fact:
	MOVnw R1, @R0(+0,+16)
	CMPI64wlte R1, 1
	JMP8cs fact_one
	PUSHn R1
	MOVIqw R2, 1
	SUB64 R1, R2
	PUSHn R1
	CALL32 fact
	POPn R1
	POPn R1
	MULU64 R7, R1
	RET
fact_one:
	MOVIqw R7, 1
	RET

; sum3(a, b, c) = a + 10 b + 100 c
sum3:
	MOVnw R7, @R0(+0,+16)
	MOVnw R1, @R0(+1,+16)
	MOVIqw R2, 10
	MULU64 R1, R2
	ADD64 R7, R1
	MOVnw R1, @R0(+2,+16)
	MOVIqw R2, 100
	MULU64 R1, R2
	ADD64 R7, R1
	RET

	.align 8
cell:
	.quad 0
	.quad 0x0badc0ffee
thunk_slot:			; BREAK 5 replaces this with the thunk's address
	.rel32 sum3
	.long 0

s_pushpop:	.utf16 "PUSH/POP 32/64 "
s_pushimm:	.utf16 "PUSHn/POPn imm "
s_pushind:	.utf16 "PUSH/POP @R    "
s_fact:		.utf16 "fact(12)       "
s_calls:	.utf16 "CALL x3        "
s_flags:	.utf16 "LOADSP/STORESP "
s_ip:		.utf16 "STORESP IP     "
s_version:	.utf16 "BREAK 1        "
s_thunk:	.utf16 "BREAK 5+CALLEX "
	.align 2

	.include "lib/efi.s"
