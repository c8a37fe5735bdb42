; Helpers shared by the corpus programs (included with .include).
; Their own convention, not the EBC calling convention: argument in R1,
; R1..R6 and R7 may be clobbered, R0 is kept.

; efi_init: R1 = the SystemTable the entry point received.
efi_init:
	MOVRELq R2, g_conout
	MOVnw R3, @R1(+5,+24)		; SystemTable->ConOut
	MOVnw @R2, R3
	MOVRELq R2, g_bs
	MOVnw R3, @R1(+9,+24)		; SystemTable->BootServices
	MOVnw @R2, R3
	RET

; print: R1 = a NUL-terminated UCS-2 string.
print:
	MOVRELq R2, g_conout
	MOVnw R2, @R2
	PUSHn R1			; String
	PUSHn R2			; This
	CALL32EXa @R2(+1,+0)		; ConOut->OutputString(This, String)
	POPn R2
	POPn R1
	RET

; print_hex: R1 = a 64-bit value, printed as 16 hex digits and a newline.
print_hex:
	MOVRELq R2, g_hexbuf
	MOVqw R4, R2(+0,+30)		; the last digit
	MOVIqw R6, 16
hex_loop:
	MOVqw R3, R1
	MOVIqw R5, 15
	AND64 R3, R5
	MOVIqw R5, 48			; '0'
	CMPI64wulte R3, 9
	JMP8cs hex_add
	MOVIqw R5, 87			; 'a' - 10
hex_add:
	ADD64 R3, R5
	MOVww @R4, R3
	MOVIqw R5, 2
	SUB64 R4, R5
	MOVIqw R5, 4
	SHR64 R1, R5
	MOVIqw R5, 1
	SUB64 R6, R5
	CMPI64weq R6, 0
	JMP8cc hex_loop
	MOVqw R1, R2
	CALL32 print
	RET

; say: print the string at R1, then the value in R3 in hex.
say:
	PUSHn R3
	CALL32 print
	POPn R1
	CALL32 print_hex
	RET

	.align 8
g_conout:
	.quad 0
g_bs:
	.quad 0
g_hexbuf:
	.utf16 "0000000000000000\n"
	.align 2
