; HelloWorld: prints through ConOut->OutputString and returns EFI_SUCCESS.
main:
	MOVnw R1, @R0(+1,+16)		; the second argument: SystemTable
	CALL32 efi_init
	MOVRELq R1, hello
	CALL32 print
	MOVIqw R7, 0			; EFI_SUCCESS
	RET

hello:
	.utf16 "Hello, world! (EBC)\n"
	.align 2

	.include "lib/efi.s"
