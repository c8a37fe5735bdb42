; Boot services from EBC through CALLEX: AllocatePool, SetMem, CopyMem,
; FreePool, LocateProtocol (of a GUID nobody installs). Returns the last
; EFI_STATUS, EFI_NOT_FOUND, as its own.
main:
	MOVnw R1, @R0(+1,+16)
	CALL32 efi_init

	MOVRELq R4, buf_ptr		; AllocatePool(EfiBootServicesData, 64, &buf_ptr)
	PUSHn R4
	MOVIqw R1, 64
	PUSHn R1
	MOVIqw R1, 4
	PUSHn R1
	CALL32 bs_fn
	CALL32EXa @R2(+5,+24)
	POPn R1
	POPn R1
	POPn R1
	MOVqw R3, R7
	MOVRELq R1, s_alloc
	CALL32 say

	MOVIqw R1, 0x5a			; SetMem(buf, 64, 0x5a)
	PUSHn R1
	MOVIqw R1, 64
	PUSHn R1
	CALL32 buf
	PUSHn R1
	CALL32 bs_fn
	CALL32EXa @R2(+42,+24)
	POPn R1
	POPn R1
	POPn R1

	MOVIqw R1, 8			; CopyMem(buf + 8, pattern, 8)
	PUSHn R1
	MOVRELq R1, pattern
	PUSHn R1
	CALL32 buf
	MOVIqw R2, 8
	ADD64 R1, R2
	PUSHn R1
	CALL32 bs_fn
	CALL32EXa @R2(+41,+24)
	POPn R1
	POPn R1
	POPn R1

	CALL32 buf
	MOVqw R3, @R1
	MOVRELq R1, s_setmem
	CALL32 say
	CALL32 buf
	MOVqw R3, @R1(+1,+0)
	MOVRELq R1, s_copymem
	CALL32 say

	CALL32 buf			; FreePool(buf)
	PUSHn R1
	CALL32 bs_fn
	CALL32EXa @R2(+6,+24)
	POPn R1
	MOVqw R3, R7
	MOVRELq R1, s_free
	CALL32 say

	MOVRELq R1, iface		; LocateProtocol(&guid, NULL, &iface)
	PUSHn R1
	MOVIqw R1, 0
	PUSHn R1
	MOVRELq R1, guid
	PUSHn R1
	CALL32 bs_fn
	CALL32EXa @R2(+37,+24)
	POPn R1
	POPn R1
	POPn R1
	PUSHn R7
	MOVqw R3, R7
	MOVRELq R1, s_locate
	CALL32 say
	POPn R7
	RET

; bs_fn: R2 = BootServices
bs_fn:
	MOVRELq R2, g_bs
	MOVnw R2, @R2
	RET

; buf: R1 = the pool buffer
buf:
	MOVRELq R1, buf_ptr
	MOVnw R1, @R1
	RET

	.align 8
buf_ptr:
	.quad 0
iface:
	.quad 0
pattern:
	.quad 0x0123456789abcdef
guid:					; 3bd4a4e4-0b04-4bb6-9a4b-5c1c02ef35a1: nobody's
	.long 0x3bd4a4e4
	.word 0x0b04, 0x4bb6
	.byte 0x9a, 0x4b, 0x5c, 0x1c, 0x02, 0xef, 0x35, 0xa1

s_alloc:	.utf16 "AllocatePool   "
s_setmem:	.utf16 "SetMem         "
s_copymem:	.utf16 "CopyMem        "
s_free:		.utf16 "FreePool       "
s_locate:	.utf16 "LocateProtocol "
	.align 2

	.include "lib/efi.s"
