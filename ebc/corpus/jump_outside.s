; Malformed: a jump far outside the image.
main:
	JMP64a 0x1234567800
