/* SPDX-License-Identifier: MIT */
#include <arch/sysreg.h>
#include <lib/console.h>
#include <lib/exc_report.h>

const char *esr_ec_name(unsigned int ec)
{
	switch (ec) {
	case EC_UNKNOWN: return "unknown reason";
	case EC_WFX: return "WFI/WFE";
	case EC_FP_ASIMD: return "FP/SIMD access";
	case EC_ILLEGAL: return "illegal execution state";
	case EC_SVC64: return "SVC";
	case EC_HVC64: return "HVC";
	case EC_SMC64: return "SMC";
	case EC_SYS64: return "MSR/MRS/system instruction";
	case EC_IABT_LOW: return "instruction abort from lower EL";
	case EC_IABT_CUR: return "instruction abort from current EL";
	case EC_PC_ALIGN: return "PC alignment fault";
	case EC_DABT_LOW: return "data abort from lower EL";
	case EC_DABT_CUR: return "data abort from current EL";
	case EC_SP_ALIGN: return "SP alignment fault";
	case EC_SERROR: return "SError";
	case EC_BRK64: return "BRK";
	default: return "other";
	}
}

void report_exception(const char *where, uint64_t esr, uint64_t elr, uint64_t far,
		      uint64_t spsr)
{
	unsigned int ec = (esr >> ESR_EC_SHIFT) & ESR_EC_MASK;

	con_printf("FATAL: unexpected exception %s: EC=0x%02x (%s) ESR=0x%08llx "
		   "ELR=0x%llx FAR=0x%llx SPSR=0x%llx\n",
		   where, ec, esr_ec_name(ec), (unsigned long long)esr,
		   (unsigned long long)elr, (unsigned long long)far,
		   (unsigned long long)spsr);
}
