; Malformed: MOVI with the reserved immediate size 0.
main:
	.byte 0x37, 0x01, 0x00, 0x00
	RET
