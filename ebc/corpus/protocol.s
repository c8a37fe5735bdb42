; Boot services with an EBC protocol: installs an interface whose function
; is EBC code made native-callable by BREAK 5, finds it again with
; LocateProtocol, calls it through the firmware's pointer with CALLEX (so
; native code calls back into the VM), uninstalls it; then returns the
; status of FreePool(NULL), EFI_INVALID_PARAMETER.
main:
	MOVnw R1, @R0(+1,+16)
	CALL32 efi_init

	MOVRELq R7, iface		; iface.fn = a thunk for sum3
	BREAK 5

	MOVRELq R1, iface		; InstallProtocolInterface(&handle, &guid, NATIVE, &iface)
	PUSHn R1
	MOVIqw R1, 0
	PUSHn R1
	MOVRELq R1, guid
	PUSHn R1
	MOVRELq R1, handle
	PUSHn R1
	CALL32 bs_fn
	CALL32EXa @R2(+13,+24)
	POPn R1
	POPn R1
	POPn R1
	POPn R1
	MOVqw R3, R7
	MOVRELq R1, s_install
	CALL32 say

	MOVRELq R1, found		; LocateProtocol(&guid, NULL, &found)
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
	MOVqw R3, R7
	MOVRELq R1, s_locate
	CALL32 say

	MOVRELq R4, found		; found->fn(5, 6, 7), a native call into EBC
	MOVnw R4, @R4
	MOVIqw R1, 7
	PUSHn R1
	MOVIqw R1, 6
	PUSHn R1
	MOVIqw R1, 5
	PUSHn R1
	CALL32EXa @R4
	POPn R1
	POPn R1
	POPn R1
	MOVqw R3, R7
	MOVRELq R1, s_call
	CALL32 say

	MOVRELq R1, iface		; UninstallProtocolInterface(handle, &guid, &iface)
	PUSHn R1
	MOVRELq R1, guid
	PUSHn R1
	MOVRELq R1, handle
	MOVnw R1, @R1
	PUSHn R1
	CALL32 bs_fn
	CALL32EXa @R2(+15,+24)
	POPn R1
	POPn R1
	POPn R1
	MOVqw R3, R7
	MOVRELq R1, s_uninstall
	CALL32 say

	MOVIqw R1, 0			; FreePool(NULL)
	PUSHn R1
	CALL32 bs_fn
	CALL32EXa @R2(+6,+24)
	POPn R1
	PUSHn R7
	MOVqw R3, R7
	MOVRELq R1, s_free
	CALL32 say
	POPn R7
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

bs_fn:
	MOVRELq R2, g_bs
	MOVnw R2, @R2
	RET

	.align 8
iface:				; the protocol's interface: one function pointer
	.rel32 sum3
	.long 0
handle:
	.quad 0
found:
	.quad 0
guid:				; 6f2b4c8e-1d3a-4e5f-8a9b-0c1d2e3f4a5b: ours
	.long 0x6f2b4c8e
	.word 0x1d3a, 0x4e5f
	.byte 0x8a, 0x9b, 0x0c, 0x1d, 0x2e, 0x3f, 0x4a, 0x5b

s_install:	.utf16 "InstallProtocol   "
s_locate:	.utf16 "LocateProtocol    "
s_call:		.utf16 "call via protocol "
s_uninstall:	.utf16 "UninstallProtocol "
s_free:		.utf16 "FreePool(NULL)    "
	.align 2

	.include "lib/efi.s"
