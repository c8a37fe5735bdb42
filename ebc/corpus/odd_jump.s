; Malformed: a relative jump to an odd address.
main:
	MOVIqw R1, 1
	JMP32 R1
	RET
