; Malformed: a divide by zero (0x1000: MOVIqw, 0x1004: MOVIqw, 0x1008: DIVU64).
main:
	MOVIqw R1, 10
	MOVIqw R2, 0
	DIVU64 R1, R2
	RET
