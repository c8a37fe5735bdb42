; Malformed: CALLEX to address 0 (no native code there).
main:
	MOVIqw R1, 0
	CALL32EXa R1
	RET
