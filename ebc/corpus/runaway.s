; Malformed: control reaches zeroed memory, which decodes as BREAK 0.
main:
	JMP8 zeros
zeros:
	.quad 0
