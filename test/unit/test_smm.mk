# The CIEE's secure-memory-mapping code as the images build it, on arch/fake.
test_smm_SRCS := smm/vm.c smm/mmu.c ciee/lifecycle.c policy/pgtable.c policy/ownership.c \
	arch/fake/fake_phys.c arch/fake/fake_sysreg.c
