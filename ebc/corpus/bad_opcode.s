; Malformed: an undefined opcode (0x27) as the first instruction.
main:
	.byte 0x27, 0x00
	RET
