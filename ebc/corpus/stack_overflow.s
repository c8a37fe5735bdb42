; Malformed: endless recursion exhausts the VM stack.
main:
	CALL32 main
