/* SPDX-License-Identifier: MIT */
/*
 * The attack suite (built into hyp-attack.bin only). The hypervisor is
 * assumed fully compromised: each attack tries, from hypervisor code, to
 * reach a TEE's memory, a translation table, the CIEE or the monitor, and
 * reports what happened:
 *   attack NAME: blocked (MECHANISM)   or   attack NAME: SUCCEEDED (...)
 * The verdict comes from the effect (did the read see the secret, did the
 * CPU come back from the CIEE), never from the attack choosing to stop; the
 * mechanism named is what was observed (a fault's syndrome, a CIEE or
 * monitor error code, a CPU halted by the gate check).
 */
#include <stdarg.h>
#include <string.h>

#include <arch/sysreg.h>
#include <lib/console.h>
#include <lib/fmt.h>
#include <policy/fdt_info.h>
#include <vtz/attest_abi.h>
#include <vtz/ciee_abi.h>
#include <vtz/monitor_abi.h>
#include <vtz/optee_abi.h>
#include <vtz/fw_update.h>
#include <vtz/platform.h>
#include <vtz/smccc.h>
#include <vtz/tee_input.h>

#include "../hyp.h"
#include "attack.h"

#define PATTERN 0x5ec2e7c0ffee5ec2UL
#define PERSIST_MAGIC 0x70657273697374UL /* "persist" */
/* Survives a reset: beyond the image, not zeroed by us, not reloaded by QEMU. */
#define PERSIST_ADDR (PLAT_HYP_BASE + PLAT_HYP_SIZE - PAGE_SIZE_4K)
#define PAGE_SIZE_4K 0x1000UL
#define SCRATCH_IPA 0x0f000000UL /* unused IPA in a TEE's space */
#define FOREIGN_IPA 0x50000000UL /* unused IPA in a VM's space */

/* Who enforces memory mapping in this build (GATE=ciee or GATE=el3). */
#ifdef GATE_el3
#define SMM_BY "the monitor at EL3"
#else
#define SMM_BY "the CIEE"
#endif

#define CTX_CPU_ON_PROBE 0xa11
#define CTX_JUMP_PAST_GATE 0xa12
#define CTX_JUMP_SENSITIVE 0xa13
/* Not an attack CPU: hyp_secondary_main() runs the scheduler there. */
#define CTX_LINUX_SCHED 0x11e

struct persist {
	uint64_t magic;
	uint64_t tried, blocked, succeeded;
	uint64_t tee_page;
};

static unsigned int tried, blocked, succeeded;

/* Two-CPU check of TLB invalidation (see smm_two_cpu_check()). */
#define XCPU_ROUNDS 64
#define XCPU_IPA(r) (xcpu_ipa + (uint64_t)(r) * PAGE_SIZE_4K)
static volatile uint64_t xcpu_go, xcpu_page, xcpu_step, xcpu_err, xcpu_ipa;

/*
 * Fresh IPAs for TEE pages, in rising order: a TEE that has been measured
 * takes a page of its own only at an IPA above every one it ever had
 * (CIEE_ERR_TEE_FROZEN), so no attack may reuse one.
 */
static uint64_t next_scratch_ipa = SCRATCH_IPA;

static uint64_t scratch_ipas(unsigned int pages)
{
	uint64_t ipa = next_scratch_ipa;

	next_scratch_ipa += (uint64_t)pages * PAGE_SIZE_4K;
	return ipa;
}

/* Secondary CPUs report here. */
static volatile uint64_t attacker_entry_ran;
static volatile uint64_t cpu_on_reported, cpu_on_sctlr, cpu_on_requested;
static volatile uint64_t jumped[PLAT_MAX_CPUS], came_back[PLAT_MAX_CPUS];

/* A page-aligned buffer the attacker fills with code (it is hypervisor data). */
static uint32_t code_buf[1024] __attribute__((aligned(4096)));

int hyp_jump_with_regs(uint64_t addr, uint64_t value);
long hyp_gate_capture(uint64_t regs[31], uint64_t call, uint64_t a1, uint64_t a2, uint64_t a3);
int hyp_probe_eret(uint64_t pc);
void hyp_fp_fill(uint64_t pattern, uint64_t fpsr, uint64_t fpcr);
void hyp_fp_dump(uint64_t out[66]);
/* r[0..10] go in x1..x11, as ciee_monitor_smc (ciee/monitor_call.S) loads them. */
#define MONITOR_CALL_ARGS 11
int64_t hyp_branch_to_smc(uint64_t site, uint64_t fid, uint64_t r[MONITOR_CALL_ARGS]);

void verdict(const char *name, bool was_blocked, const char *fmt, ...)
{
	char why[320];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	tried++;
	if (was_blocked)
		blocked++;
	else
		succeeded++;
	con_printf("attack %s: %s (%s)\n", name, was_blocked ? "blocked" : "SUCCEEDED", why);
}

/* An attack that could not be set up is not a verdict: the runner fails it. */
void not_run(const char *name, const char *why)
{
	con_printf("attack %s: NOT RUN (%s)\n", name, why);
}

static const char *fault_text(char *buf, size_t n)
{
	const struct probe_fault *f = &hyp_probe_last[this_cpu_index()];

	fmt_snprintf(buf, n, "EC=0x%02llx FAR=0x%llx", (unsigned long long)(f->esr >> 26),
		     (unsigned long long)f->far);
	return buf;
}

/* Read a TEE page: only a fault (or zeroes) counts as blocked. */
static void attack_read_tee_page(struct vm *tee)
{
	uint64_t v = 0;
	char f[64];

	if (hyp_probe_read(tee->ram_pa, &v))
		verdict("read-tee-page", true, "data abort at EL2, %s: TEE page not in the "
			"hypervisor's stage 1", fault_text(f, sizeof(f)));
	else
		verdict("read-tee-page", false, "read 0x%llx from TEE memory",
			(unsigned long long)v);
}

static void attack_map_tee_into_hyp(struct vm *tee)
{
	long r = ciee_call(CIEE_CALL_HYP_MAP, tee->ram_pa, PAGE_SIZE_4K,
			   CIEE_MAP_R | CIEE_MAP_W, 0, 0);
	uint64_t v = 0;
	char f[64];

	if (!hyp_probe_read(tee->ram_pa, &v))
		verdict("map-tee-into-hyp-stage1", false, SMM_BY " returned %ld; TEE page readable",
			r);
	else
		verdict("map-tee-into-hyp-stage1", true, SMM_BY " refused: %s; access still faults, %s",
			ciee_strerror(r), fault_text(f, sizeof(f)));
}

static void attack_map_tee_into_vm(const char *name, struct vm *vm, struct vm *tee)
{
	long r = ciee_call(CIEE_CALL_S2_MAP, vm->id, FOREIGN_IPA, tee->ram_pa, PAGE_SIZE_4K,
			   CIEE_MAP_R | CIEE_MAP_W);

	verdict(name, r < 0, SMM_BY " %s: %s", r < 0 ? "refused" : "accepted", ciee_strerror(r));
}

static void attack_write_protected(const char *name, uint64_t addr, const char *what)
{
	uint64_t v = 0;
	char f[64];

	if (!hyp_probe_read(addr, &v)) {
		verdict(name, false, "%s readable at 0x%llx", what, (unsigned long long)addr);
		return;
	}
	if (!hyp_probe_write(addr, v ^ 0x3))
		verdict(name, false, "%s written at 0x%llx", what, (unsigned long long)addr);
	else
		verdict(name, true, "data abort at EL2, %s: %s not mapped for the hypervisor",
			fault_text(f, sizeof(f)), what);
}

/*
 * flash0 holds the firmware slots, their metadata and the anti-rollback
 * counter (include/vtz/fw_update.h): ask for it in the hypervisor's stage
 * 1, then write the metadata copy and read the counter's flash anyway.
 * The CIEE maps only devices that cannot master the bus, and QEMU's
 * flash0 answers secure accesses only, so a mapping would not help either.
 */
static void attack_write_flash0(void)
{
	long r = ciee_call(CIEE_CALL_HYP_MAP, FW_META0_OFFSET, FW_FLASH_SECTOR,
			   CIEE_MAP_R | CIEE_MAP_W, 0, 0);
	int wfault = hyp_probe_write(FW_META0_OFFSET, 0);
	uint64_t v = 0;
	int rfault = hyp_probe_read(FW_META0_OFFSET, &v);
	char f[64];

	verdict("write-flash0-firmware-metadata", r < 0 && wfault && rfault,
		SMM_BY " %s mapping flash0: %s; a write %s, a read %s (%s)",
		r < 0 ? "refused" : "ACCEPTED", ciee_strerror(r),
		wfault ? "faulted" : "WENT THROUGH", rfault ? "faulted" : "WORKED",
		fault_text(f, sizeof(f)));
}

/*
 * What is typed on the secure console is for a TEE alone (docs/security.md,
 * "Secure interrupts"): read it, or type into a TEE ourselves. The bytes
 * sit in the monitor's ring in CIEE memory until the CIEE hands them out:
 * write a byte and move the monitor's counter there; read the secure UART
 * where it arrives, after asking the CIEE to map it for us. Blocked only if
 * every access faults and the mapping is refused.
 */
static void attack_type_into_tee_console(void)
{
	uint64_t head = PLAT_TEE_INPUT_BASE + __builtin_offsetof(struct tee_input_ring, head);
	uint64_t buf = PLAT_TEE_INPUT_BASE + __builtin_offsetof(struct tee_input_ring, buf);
	int wbuf = hyp_probe_write(buf, 'n');
	int whead = hyp_probe_write(head, 1);
	long r = ciee_call(CIEE_CALL_HYP_MAP, PLAT_UART1_BASE, PAGE_SIZE_4K,
			   CIEE_MAP_R | CIEE_MAP_W, 0, 0);
	uint64_t v = 0;
	int rdr = hyp_probe_read(PLAT_UART1_BASE, &v);
	char f[64];

	verdict("type-into-tee-console", wbuf && whead && r < 0 && rdr,
		"a byte into the input ring: %s; its counter: %s; " SMM_BY " %s mapping the "
		"secure UART: %s; a read of its data register %s (%s)",
		wbuf ? "faulted" : "WRITTEN", whead ? "faulted" : "WRITTEN",
		r < 0 ? "refused" : "ACCEPTED", ciee_strerror(r), rdr ? "faulted" : "WORKED",
		fault_text(f, sizeof(f)));
}

/*
 * The firmware's ACPI tables (monitor/acpi.c): the CIEE reads the SRAT
 * there as ground truth, so the hypervisor must not change them. Write
 * the RSDP's page, ask the CIEE to map it writable, give it to a VM (whose
 * stage 2 could then write it): blocked only if every write faults, both
 * calls are refused and the page still reads as before.
 */
static void attack_tamper_acpi_tables(struct vm *vm1)
{
	uint64_t before = 0, after = 0;
	long rmap, rdonate;
	int w1, w2;

	if (hyp_probe_read(PLAT_ACPI_BASE, &before)) {
		verdict("tamper-acpi-tables", false, "the ACPI tables at 0x%lx are not readable: "
			"the hypervisor cannot use them", PLAT_ACPI_BASE);
		return;
	}
	w1 = hyp_probe_write(PLAT_ACPI_BASE, before ^ 0xff);
	rmap = ciee_call(CIEE_CALL_HYP_MAP, PLAT_ACPI_BASE, PAGE_SIZE_4K, CIEE_MAP_R | CIEE_MAP_W,
			 0, 0);
	w2 = hyp_probe_write(PLAT_ACPI_BASE, before ^ 0xff);
	rdonate = ciee_call(CIEE_CALL_DONATE, vm1->id, PLAT_ACPI_BASE, PAGE_SIZE_4K, 0, 0);
	hyp_probe_read(PLAT_ACPI_BASE, &after);
	verdict("tamper-acpi-tables", w1 && w2 && rmap < 0 && rdonate < 0 && after == before,
		"RSDP page: write %s; HYP_MAP RW: %s; write %s; DONATE: %s; %s",
		w1 ? "faulted" : "went through", rmap < 0 ? ciee_strerror(rmap) : "accepted",
		w2 ? "faulted" : "went through", rdonate < 0 ? ciee_strerror(rdonate) : "accepted",
		after == before ? "unchanged" : "CHANGED");
}

/* Make code at run time and run it: DC ISW after a real CIEE update. */
static void attack_dc_isw(struct vm *vm1)
{
	uint64_t pa = mem_alloc(PAGE_SIZE_4K);
	long r1 = pa ? ciee_call(CIEE_CALL_DONATE, vm1->id, pa, PAGE_SIZE_4K, 0, 0) : -1;
	long r2 = r1 ? r1 : ciee_call(CIEE_CALL_S2_MAP, vm1->id, FOREIGN_IPA, pa, PAGE_SIZE_4K,
				      CIEE_MAP_R | CIEE_MAP_W);
	char f[64];

	code_buf[0] = 0xd5087640; /* dc isw, x0 */
	code_buf[1] = 0xd65f03c0; /* ret */
	dsb(ish);
	if (r1 || r2) {
		not_run("dc-isw-after-ciee-update", "the CIEE update it needs failed");
		return;
	}
	if (!hyp_probe_call((uint64_t)code_buf, 0))
		verdict("dc-isw-after-ciee-update", false, "DC ISW ran from hypervisor data");
	else
		verdict("dc-isw-after-ciee-update", true, "instruction abort at EL2, %s: "
			"hypervisor data is never executable (W^X, WXN), and the image scan "
			"refuses DC ISW in its text", fault_text(f, sizeof(f)));
}

/* A page with a known secret, given to the TEE and mapped there. */
static uint64_t give_tee_secret_page(struct vm *tee, uint64_t ipa)
{
	uint64_t pa = mem_alloc(PAGE_SIZE_4K);
	uint64_t *p = (uint64_t *)pa;
	unsigned int i;

	if (!pa)
		return 0;
	for (i = 0; i < PAGE_SIZE_4K / 8; i++)
		p[i] = PATTERN ^ i;
	dsb(ish);
	if (ciee_call(CIEE_CALL_DONATE, tee->id, pa, PAGE_SIZE_4K, 0, 0) ||
	    ciee_call(CIEE_CALL_S2_MAP, tee->id, ipa, pa, PAGE_SIZE_4K, CIEE_MAP_R | CIEE_MAP_W))
		return 0;
	return pa;
}

static bool page_has_secret(uint64_t pa, uint64_t *first)
{
	const uint64_t *p = (const uint64_t *)pa;
	unsigned int i;
	bool any = false;

	*first = p[0];
	for (i = 0; i < PAGE_SIZE_4K / 8; i++)
		any |= p[i] == (PATTERN ^ i);
	return any;
}

static void attack_reclaim_and_read(struct vm *tee)
{
	uint64_t ipa = scratch_ipas(1), pa = give_tee_secret_page(tee, ipa), v;
	long r;

	if (!pa) {
		verdict("reclaim-tee-page-and-read", false, "set-up failed: could not give the TEE "
			"a page");
		return;
	}
	r = ciee_call(CIEE_CALL_RECLAIM, tee->id, ipa, PAGE_SIZE_4K, 0, 0);
	if (r != CIEE_OK) {
		verdict("reclaim-tee-page-and-read", false, "set-up failed: reclaim refused: %s",
			ciee_strerror(r));
		return;
	}
	if (hyp_probe_read(pa, &v)) {
		verdict("reclaim-tee-page-and-read", false, "reclaimed page not readable");
		return;
	}
	verdict("reclaim-tee-page-and-read", !page_has_secret(pa, &v),
		"page read back after reclaim: first word 0x%llx%s", (unsigned long long)v,
		page_has_secret(pa, &v) ? ", the TEE's secret" : ", zeroed by " SMM_BY);
}

static void attack_smc_outside_list(void)
{
	static const uint32_t fids[] = {
		0x82000010, /* SiP service */
		0x83000000, /* OEM service */
		0xb2000000, /* trusted-OS fast call, straight to the monitor */
		0xc5000000, /* standard hypervisor service */
		0xc2000101, /* measure a TEE: the CIEE's only (CIEE mode) */
		0xc2000102, /* a TEE's key: the CIEE's only (CIEE mode) */
		0xc2000103, /* a TEE's console line: the CIEE's only (CIEE mode) */
	};
	unsigned int i, refused = 0;

	for (i = 0; i < sizeof(fids) / sizeof(fids[0]); i++)
		if ((int64_t)hyp_smc(fids[i], 0, 0, 0) == SMCCC_NOT_SUPPORTED)
			refused++;
	verdict("smc-outside-allow-list", refused == 7, "monitor answered NOT_SUPPORTED to %u "
		"of 7 function IDs outside its list (3 of them the CIEE's own)", refused);
}

/*
 * The TEE key service, asked by the hypervisor: straight with its own
 * SMC, and by branching to the CIEE's own call site (found through the
 * CIEE header, like any reader of the image could), so the SMC's address
 * is exactly the one the monitor accepts. Both run in hypervisor mode
 * (EL2 MMU on): the monitor must refuse both as "not the CIEE". Blocked
 * only if neither returned a key (x0 = 0).
 */
/* The CIEE's monitor call site, found through its image header; 0 if not. */
static uint64_t ciee_call_site(void)
{
	uint64_t off, word;

	if (hyp_probe_read(PLAT_CIEE_BASE + CIEE_MONITOR_SMC_OFFSET, &off) ||
	    off % 4 || off >= PLAT_CIEE_SIZE ||
	    hyp_probe_read(PLAT_CIEE_BASE + (off & ~7UL), &word) ||
	    (uint32_t)(word >> (off & 4 ? 32 : 0)) != 0xd4000003U)
		return 0;
	return PLAT_CIEE_BASE + off;
}

static void attack_tee_key_from_hypervisor(void)
{
	uint64_t site, r[MONITOR_CALL_ARGS] = { PATTERN, PATTERN, PATTERN, PATTERN };
	int64_t direct, via_site;

	direct = (int64_t)hyp_smc(VTZ_SMC_MON_TEE_KEY, PATTERN, PATTERN, PATTERN);
	site = ciee_call_site();
	if (!site) {
		not_run("tee-key-from-hypervisor", "CIEE call site not found through its header");
		return;
	}
	via_site = hyp_branch_to_smc(site, VTZ_SMC_MON_TEE_KEY, r);
	verdict("tee-key-from-hypervisor", direct != 0 && via_site != 0,
		"own SMC: monitor answered %lld%s; the CIEE's smc at 0x%llx run in hypervisor "
		"mode: %lld%s", (long long)direct,
		direct == SMCCC_NOT_SUPPORTED ? " (NOT_SUPPORTED)" : "",
		(unsigned long long)site, (long long)via_site,
		via_site == SMCCC_NOT_SUPPORTED ? " (NOT_SUPPORTED: not the CIEE)" : "");
}

/* An SMC with x11 set too: where VTZ_SMC_MON_ATTEST writes its report. */
static int64_t smc_x11(uint64_t fid, uint64_t a1, uint64_t a11)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x11 __asm__("x11") = a11;

	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x11)
			 :
			 : "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x12", "x13",
			   "x14", "x15", "x16", "x17", "memory");
	return (int64_t)x0;
}

/*
 * A page of the hypervisor's own data in the VM pool (where a TEE's pages
 * come from, so the monitor's own range check alone would not refuse it),
 * for reports it should never get.
 */
static uint64_t *attest_bait;

static bool bait_intact(void)
{
	unsigned int i;

	for (i = 0; i < PAGE_SIZE_4K / 8; i++)
		if (attest_bait[i] != PATTERN)
			return false;
	return true;
}

/*
 * A signed report on the hypervisor's say-so: a measurement, identity and
 * nonce of its choosing, into its own page, asked of the monitor's CIEE
 * service straight with its own SMC and by branching to the CIEE's own
 * call site. Both run in hypervisor mode: the monitor must refuse both as
 * "not the CIEE". Blocked only if neither answered 0 and no report
 * reached the page.
 */
static void attack_attest_from_hypervisor(void)
{
	uint64_t site, r[MONITOR_CALL_ARGS];
	int64_t direct, via_site;
	unsigned int i;

	attest_bait = (uint64_t *)mem_alloc(PAGE_SIZE_4K);
	if (!attest_bait) {
		not_run("attest-from-hypervisor", "no page for the report");
		return;
	}
	for (i = 0; i < PAGE_SIZE_4K / 8; i++)
		attest_bait[i] = PATTERN;
	for (i = 0; i < MONITOR_CALL_ARGS; i++)
		r[i] = PATTERN;
	r[MONITOR_CALL_ARGS - 1] = (uint64_t)attest_bait;
	dsb(ish);
	direct = smc_x11(VTZ_SMC_MON_ATTEST, PATTERN, (uint64_t)attest_bait);
	site = ciee_call_site();
	if (!site) {
		not_run("attest-from-hypervisor", "CIEE call site not found through its header");
		return;
	}
	via_site = hyp_branch_to_smc(site, VTZ_SMC_MON_ATTEST, r);
	verdict("attest-from-hypervisor", direct != 0 && via_site != 0 && bait_intact(),
		"own SMC: monitor answered %lld%s; the CIEE's smc at 0x%llx run in hypervisor "
		"mode: %lld%s; its page %s", (long long)direct,
		direct == SMCCC_NOT_SUPPORTED ? " (NOT_SUPPORTED)" : "",
		(unsigned long long)site, (long long)via_site,
		via_site == SMCCC_NOT_SUPPORTED ? " (NOT_SUPPORTED: not the CIEE)" : "",
		bait_intact() ? "untouched" : "HOLDS A REPORT");
}

static bool wait_for(volatile uint64_t *flag)
{
	unsigned long i;

	for (i = 0; i < 200000000UL && !*flag; i++)
		__asm__ volatile("yield");
	return *flag != 0;
}

static void attacker_entry(void)
{
	attacker_entry_ran = 1;
	for (;;)
		wfe();
}

static void attack_cpu_on(const struct fdt_info *info)
{
	int64_t r;

	if (info->n_cpus < 2) {
		not_run("cpu-on-arbitrary-entry", "needs a second CPU");
		return;
	}
	r = (int64_t)hyp_smc(PSCI_CPU_ON_AARCH64, info->cpu_mpidr[1], (uint64_t)attacker_entry,
			     CTX_CPU_ON_PROBE);
	if (r != PSCI_RET_SUCCESS || !wait_for(&cpu_on_reported)) {
		verdict("cpu-on-arbitrary-entry", attacker_entry_ran == 0 && r != PSCI_RET_SUCCESS,
			"CPU_ON returned %lld, attacker entry %s", (long long)r,
			attacker_entry_ran ? "ran" : "did not run");
		return;
	}
	verdict("cpu-on-arbitrary-entry",
		!attacker_entry_ran && cpu_on_requested == (uint64_t)attacker_entry &&
			(cpu_on_sctlr & SCTLR_M) && (cpu_on_sctlr & SCTLR_WXN),
		"cpu1 started at the trusted entry with MMU and WXN on (SCTLR_EL2=0x%llx); "
		"the requested entry 0x%llx arrived as data and %s",
		(unsigned long long)cpu_on_sctlr, (unsigned long long)cpu_on_requested,
		attacker_entry_ran ? "RAN" : "was never jumped to");
}

/* Where the CIEE gate's SCTLR_EL2 write is: decode the branch at the gate slot. */
static uint64_t find_insn(uint64_t from, unsigned int max, uint32_t mask, uint32_t match)
{
	unsigned int i;

	for (i = 0; i < max; i++) {
		uint64_t w;

		if (hyp_probe_read(from + 4 * i, &w))
			return 0;
		if (((uint32_t)w & mask) == match)
			return from + 4 * i;
	}
	return 0;
}

static uint64_t ciee_gate_address(void)
{
	uint32_t insn = *(volatile uint32_t *)(PLAT_CIEE_BASE + CIEE_GATE_OFFSET);
	int64_t imm = (int64_t)((uint64_t)(insn & 0x3ffffff) << 38) >> 36;

	return PLAT_CIEE_BASE + CIEE_GATE_OFFSET + imm;
}

static void destructive_attack(const char *name, const struct fdt_info *info, unsigned int cpu,
			       uint64_t ctx)
{
	long status = 0;
	unsigned long i;
	int64_t r;

	if (info->n_cpus <= cpu) {
		not_run(name, "needs 4 CPUs (run with -smp 4)");
		return;
	}
	r = (int64_t)hyp_smc(PSCI_CPU_ON_AARCH64, info->cpu_mpidr[cpu], PLAT_HYP_BASE + 4, ctx);
	if (r != PSCI_RET_SUCCESS || !wait_for(&jumped[cpu])) {
		not_run(name, "the CPU it needs did not start");
		return;
	}
	for (i = 0; i < 2000000UL && !came_back[cpu]; i++) {
		status = ciee_call(CIEE_CALL_CPU_STATUS, cpu, 0, 0, 0, 0);
		if (status != CIEE_CPU_OK)
			break;
	}
	if (came_back[cpu])
		verdict(name, false, "cpu%u came back from inside the CIEE", cpu);
	else if (status == CIEE_CPU_HALTED_BAD_ENTRY)
		verdict(name, true, "CIEE mode check failed on cpu%u: CPU halted, nothing after "
			"the entry point ran", cpu);
	else
		verdict(name, false, "cpu%u neither returned nor was halted by the CIEE (status "
			"%ld)", cpu, status);
}

/*
 * cpu1's half of the two-CPU check: for each page cpu0 has just read (so
 * its TLB holds the translation), give it to the TEE, wait for cpu0 to try
 * it, then reclaim it. Step numbers order the two CPUs.
 */
static struct vm *xcpu_tee;

static void xcpu_wait(uint64_t step)
{
	while (__atomic_load_n(&xcpu_step, __ATOMIC_ACQUIRE) != step)
		__asm__ volatile("yield");
}

static void xcpu_worker(void)
{
	unsigned int r;

	while (!__atomic_load_n(&xcpu_go, __ATOMIC_ACQUIRE))
		wfe();
	for (r = 0; r < XCPU_ROUNDS; r++) {
		xcpu_wait(4 * r + 1); /* cpu0 has read the page */
		/* A fresh IPA each round: a measured TEE gets each of its IPAs once. */
		if (ciee_call(CIEE_CALL_DONATE, xcpu_tee->id, xcpu_page, PAGE_SIZE_4K, 0, 0) ||
		    ciee_call(CIEE_CALL_S2_MAP, xcpu_tee->id, XCPU_IPA(r), xcpu_page, PAGE_SIZE_4K,
			      CIEE_MAP_R | CIEE_MAP_W))
			xcpu_err++;
		__atomic_store_n(&xcpu_step, 4 * r + 2, __ATOMIC_RELEASE);
		xcpu_wait(4 * r + 3); /* cpu0 has tried the page again */
		if (ciee_call(CIEE_CALL_RECLAIM, xcpu_tee->id, XCPU_IPA(r), PAGE_SIZE_4K, 0, 0))
			xcpu_err++;
		__atomic_store_n(&xcpu_step, 4 * r + 4, __ATOMIC_RELEASE);
	}
}

/*
 * Memory mapping with two CPUs: the TLB invalidation must reach the other
 * CPU. cpu0 reads a page (caching its translation), cpu1 gives the page to
 * a TEE, cpu0 must then fault on it; after cpu1 reclaims it, cpu0 reads
 * zeroes. A local-only invalidation would leave cpu0 a stale entry.
 */
static void smm_two_cpu_check(struct vm *tee)
{
	uint64_t chunk = mem_alloc(PAGE_SIZE_4K), v;
	unsigned int r, stale = 0, unscrubbed = 0;
	char f[64];

	if (!chunk || !cpu_on_reported) {
		not_run("two-cpu-tlb-shootdown", "needs cpu1 and memory");
		return;
	}
	xcpu_tee = tee;
	xcpu_ipa = scratch_ipas(XCPU_ROUNDS);
	xcpu_step = 0;
	__atomic_store_n(&xcpu_go, 1, __ATOMIC_RELEASE);
	sev();
	for (r = 0; r < XCPU_ROUNDS; r++) {
		uint64_t page = chunk + (r % 256) * PAGE_SIZE_4K;

		*(volatile uint64_t *)page = PATTERN ^ r; /* warm this CPU's TLB */
		xcpu_page = page;
		__atomic_store_n(&xcpu_step, 4 * r + 1, __ATOMIC_RELEASE);
		xcpu_wait(4 * r + 2);
		if (!hyp_probe_read(page, &v))
			stale++;
		__atomic_store_n(&xcpu_step, 4 * r + 3, __ATOMIC_RELEASE);
		xcpu_wait(4 * r + 4);
		if (hyp_probe_read(page, &v) || v != 0)
			unscrubbed++;
	}
	verdict("two-cpu-tlb-shootdown", !stale && !unscrubbed && !xcpu_err,
		"%u rounds: %u stale reads by cpu0 of pages cpu1 gave a TEE (%s), "
		"%u not zeroed, %llu refused",
		XCPU_ROUNDS, stale, fault_text(f, sizeof(f)), unscrubbed,
		(unsigned long long)xcpu_err);
}

/* ---- secure world switching (issue 4) ------------------------------ */

#define HVC_STUB 0xd4000002U /* hvc #0 */

/* Run vm's vCPU 0 until its next trusted-OS SMC; false if it stops first. */
static bool run_to_tee_smc(struct vm *vm)
{
	unsigned int guard;

	for (guard = 0; guard < 100000; guard++) {
		long r = ciee_call(CIEE_CALL_VCPU_RUN, vm->id, (unsigned long)&vm->vcpus[0].ctx, 0, 0, 0);
		uint64_t ec = vm->vcpus[0].ctx.esr >> 26;

		if (r != CIEE_EXIT_GUEST_TRAP)
			return false;
		if (ec == 0x17 && ((vm->vcpus[0].ctx.x[0] >> 24) & 0x3f) >= 50)
			return true;
		if (ec == 0x24) { /* its console, emulated as the run loop does */
			uint64_t esr = vm->vcpus[0].ctx.esr;
			unsigned int srt = (esr >> 16) & 0x1f;
			bool wr = esr & (1U << 6);
			uint64_t v = vuart_access(&vm->vcpus[0].uart, vm->vcpus[0].ctx.far & 0xfff, wr,
						  srt == 31 ? 0 : vm->vcpus[0].ctx.x[srt]);

			if (!wr && srt != 31)
				vm->vcpus[0].ctx.x[srt] = v;
			vm->vcpus[0].ctx.pc += 4;
			continue;
		}
		if (ec == 0x17) {
			vm->vcpus[0].ctx.x[0] = SMCCC_VERSION_1_1;
			vm->vcpus[0].ctx.pc += 4;
			continue;
		}
		return false;
	}
	return false;
}

static bool in_tee_memory(uint64_t v, const struct vm *tee)
{
	return (v >= tee->ram_ipa && v < tee->ram_ipa + tee->ram_size) ||
	       (v >= tee->ram_pa && v < tee->ram_pa + tee->ram_size);
}

static void attack_enter_tee_arbitrary_pc(struct vm *tee_new, struct vm *tee0)
{
	static struct ciee_mmio mmio;
	long r1 = ciee_call(CIEE_CALL_TEE_BOOT, tee_new->id, (unsigned long)&mmio,
			    VTZ_TEE_ENTRY_IPA + 0x100, 0, 0);
	long r2 = ciee_call(CIEE_CALL_TEE_BOOT, tee0->id, (unsigned long)&mmio, VTZ_TEE_ENTRY_IPA,
			    0, 0);
	/* A second vCPU: before the TEE registered its vectors, and elsewhere. */
	long r3 = ciee_call(CIEE_CALL_TEE_BOOT, tee_new->id, (unsigned long)&mmio,
			    VTZ_TEE_ENTRY_IPA, 1, 0);
	long r4 = ciee_call(CIEE_CALL_TEE_BOOT, tee0->id, (unsigned long)&mmio,
			    VTZ_TEE_ENTRY_IPA + 0x100, 1, 0);
	int faulted = hyp_probe_eret(VTZ_TEE_ENTRY_IPA + 0x100);
	char f[64];

	verdict("enter-tee-at-arbitrary-pc",
		r1 == CIEE_ERR_BAD_ENTRY && r2 == CIEE_ERR_TEE_STATE && faulted,
		"first entry elsewhere: %s; a booted TEE again: %s; ERET by the hypervisor "
		"itself: %s (%s, no TEE stage 2 loaded)",
		ciee_strerror(r1), ciee_strerror(r2), faulted ? "faulted" : "RAN",
		fault_text(f, sizeof(f)));
	/* A TEE's other vCPUs start only at its cpu_on vector, once it has one. */
	verdict("start-tee-vcpu-at-arbitrary-pc", r3 == CIEE_ERR_TEE_STATE && r4 == CIEE_ERR_BAD_ENTRY,
		"vCPU 1 before vCPU 0 registered its vectors: %s; vCPU 1 elsewhere: %s",
		ciee_strerror(r3), ciee_strerror(r4));
}

static void attack_resume_altered(struct vm *tee0)
{
	static struct ciee_mmio mmio;
	long r = ciee_call(CIEE_CALL_TEE_RESUME, tee0->id, (unsigned long)&mmio, 0, 0, 0);
	int faulted = hyp_probe_write(PLAT_SMM_STATE_BASE + 0x1000, 0x41414141);

	verdict("resume-tee-with-altered-registers", r == CIEE_ERR_TEE_STATE && faulted,
		"resume without a pending stop: %s; its saved registers (CIEE data) %s",
		ciee_strerror(r), faulted ? "not writable: data abort" : "WRITTEN");
}

/* After a real TEE call: none of the TEE's state may be left in registers. */
static void attack_read_tee_registers(struct vm *vm, struct vm *tee)
{
	static struct ciee_mmio mmio;
	uint64_t regs[31], el1[6], el2[3];
	unsigned int i, leaks = 0;
	long r;

	if (!run_to_tee_smc(vm)) {
		not_run("read-tee-registers-after-exit", "the VM made no TEE call");
		return;
	}
	r = hyp_gate_capture(regs, CIEE_CALL_TEE_CALL, vm->id, 0, (uint64_t)&mmio);
	el1[0] = read_sysreg(vbar_el1);
	el1[1] = read_sysreg(sp_el1);
	el1[2] = read_sysreg(elr_el1);
	el1[3] = read_sysreg(tpidr_el1);
	el1[4] = read_sysreg(sctlr_el1);
	el1[5] = read_sysreg(far_el1);
	/* And the EL2 exit registers, which the hypervisor can read too. */
	el2[0] = read_sysreg(elr_el2);
	el2[1] = read_sysreg(far_el2);
	el2[2] = read_sysreg(spsr_el2);
	for (i = 1; i < 31; i++)
		leaks += in_tee_memory(regs[i], tee);
	for (i = 0; i < 6; i++)
		leaks += in_tee_memory(el1[i], tee);
	for (i = 0; i < 2; i++)
		leaks += in_tee_memory(el2[i], tee);
	leaks += el2[2] != 0; /* the TEE's PSTATE: flags and mode */
	verdict("read-tee-registers-after-exit", r == CIEE_EXIT_TEE_DONE && leaks == 0,
		"after a TEE call (%s): %u of 30 general, 6 EL1 and 3 EL2 exit registers hold "
		"TEE state; VBAR_EL1=0x%llx ELR_EL2=0x%llx", ciee_strerror(r), leaks,
		(unsigned long long)el1[0], (unsigned long long)el2[0]);
	vm->vcpus[0].ctx.pc += 4;
}

/* vmB (no TEE) traps on a TEE call; nobody else's TEE may serve it. */
static void attack_route_to_other_tee(struct vm *vm_b, struct vm *vm_a, struct vm *vm0)
{
	static struct ciee_mmio mmio;
	long r1, r2, r3;

	if (!run_to_tee_smc(vm_b)) {
		not_run("route-vm-smc-to-another-tee", "the VM made no TEE call");
		return;
	}
	r1 = ciee_call(CIEE_CALL_TEE_CALL, vm_a->id, 0, (unsigned long)&mmio, 0, 0);
	r2 = ciee_call(CIEE_CALL_TEE_CALL, vm0->id, 0, (unsigned long)&mmio, 0, 0);
	r3 = ciee_call(CIEE_CALL_TEE_CALL, vm_b->id, 0, (unsigned long)&mmio, 0, 0);
	verdict("route-vm-smc-to-another-tee",
		r1 == CIEE_ERR_NO_CALL && r2 == CIEE_ERR_NO_CALL && r3 == CIEE_ERR_BAD_KIND,
		"%s's call via %s: %s; via vm0: %s; as its own: %s", vm_b->name, vm_a->name,
		ciee_strerror(r1), ciee_strerror(r2), ciee_strerror(r3));
}

/*
 * A TEE call whose MMIO reads the hypervisor answers with hostile values
 * and a tampered descriptor, then the reply offered to other vCPUs: the
 * reply must still be right (no other TEE register was touched) and reach
 * only the vCPU that asked.
 */
static void attack_mmio_and_reply(struct vm *vm, struct vm *tee, struct vm *other)
{
	static struct ciee_mmio mmio;
	struct vcpu_ctx probe;
	uint64_t stub_ipa = vm->ram_ipa + vm->ram_size - PAGE_SIZE_4K;
	uint64_t a, b;
	unsigned int reads = 0, i;
	bool elsewhere = false, right;
	long r;

	if (!run_to_tee_smc(vm) || vm->vcpus[0].ctx.x[0] != VTZ_SMC_TEE_PING) {
		not_run("mmio-read-into-other-register", "the VM made no PING call");
		not_run("return-reply-to-another-vcpu", "the VM made no PING call");
		return;
	}
	a = vm->vcpus[0].ctx.x[1];
	b = vm->vcpus[0].ctx.x[2];
	r = ciee_call(CIEE_CALL_TEE_CALL, vm->id, 0, (unsigned long)&mmio, 0, 0);
	while (r == CIEE_EXIT_TEE_MMIO) {
		if (!mmio.is_write) {
			mmio.value = ~0x20ULL; /* every bit but TXFF: keeps the TEE printing */
			reads++;
		}
		mmio.is_write = !mmio.is_write;
		mmio.size = 8;
		mmio.ipa = 0;
		r = ciee_call(CIEE_CALL_TEE_RESUME, tee->id, (unsigned long)&mmio, 0, 0, 0);
	}
	/* A stub the guest side executes: hvc, so we see x0..x3 as delivered. */
	*(volatile uint32_t *)(vm->ram_pa + vm->ram_size - PAGE_SIZE_4K) = HVC_STUB;
	*(volatile uint32_t *)(other->ram_pa + other->ram_size - PAGE_SIZE_4K) = HVC_STUB;
	dsb(ish);
	/* Another vCPU of the same VM, and another VM, run first. */
	memset(&probe, 0, sizeof(probe));
	probe.pc = stub_ipa;
	probe.pstate = SPSR_EL1H | SPSR_DAIF_MASKED;
	probe.el1.sctlr = vm->vcpus[0].ctx.el1.sctlr;
	for (i = 0; i < 4; i++)
		probe.x[i] = 0xbad0 + i;
	ciee_call(CIEE_CALL_VCPU_RUN, vm->id, (unsigned long)&probe, 1, 0, 0);
	for (i = 0; i < 4; i++)
		elsewhere |= probe.x[i] != 0xbad0 + i;
	probe.pc = other->ram_ipa + other->ram_size - PAGE_SIZE_4K;
	for (i = 0; i < 4; i++)
		probe.x[i] = 0xbad0 + i;
	ciee_call(CIEE_CALL_VCPU_RUN, other->id, (unsigned long)&probe, 0, 0, 0);
	for (i = 0; i < 4; i++)
		elsewhere |= probe.x[i] != 0xbad0 + i;
	/* Then the vCPU that asked: it must get the right answer. */
	vm->vcpus[0].ctx.pc = stub_ipa;
	ciee_call(CIEE_CALL_VCPU_RUN, vm->id, (unsigned long)&vm->vcpus[0].ctx, 0, 0, 0);
	right = vm->vcpus[0].ctx.x[0] == OPTEE_SMC_RETURN_OK && vm->vcpus[0].ctx.x[1] == a + b &&
		vm->vcpus[0].ctx.x[2] == (a ^ b);
	verdict("mmio-read-into-other-register", r == CIEE_EXIT_TEE_DONE && right && reads > 0,
		"%u hostile MMIO reads and tampered descriptors during the call: reply %s "
		"(x1=0x%llx for 0x%llx+0x%llx)", reads, right ? "still right" : "CORRUPTED",
		(unsigned long long)vm->vcpus[0].ctx.x[1], (unsigned long long)a, (unsigned long long)b);
	verdict("return-reply-to-another-vcpu", !elsewhere && right,
		"another vCPU of %s and %s ran first: reply %s; the vCPU that asked got it %s",
		vm->name, other->name, elsewhere ? "DELIVERED THERE" : "not delivered",
		right ? "intact" : "wrong");
}

/* ---- FP/SIMD state across a TEE call ------------------------------- */

#define SMC_STUB 0xd4000003U /* smc #0 */
#define FP_WORDS 66          /* q0..q31 as 64 halves, FPSR, FPCR (hyp_fp_dump) */
#define FP_SECRET 0x7ee5ec2e7f9a0000UL
#define FP_HYP_PATTERN 0xbadc0ffee0dd0000UL
#define FP_HYP_FPSR 0x12UL       /* DZC, IXC: unlike anything the TEE's hook sets */
#define FP_HYP_FPCR 0x00800000UL /* RMode = towards minus infinity */

#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* How many halves of q0..q31 hold the TEE's secret (qN = s + N, ~(s + N)). */
static unsigned int fp_secret_halves(const uint64_t *fp)
{
	unsigned int i, n = 0;

	for (i = 0; i < 64; i++)
		n += fp[i] - FP_SECRET < 32 || ~fp[i] - FP_SECRET < 32;
	return n;
}

static unsigned int fp_changed(const uint64_t *fp, const uint64_t *mine)
{
	unsigned int i, n = 0;

	for (i = 0; i < FP_WORDS; i++)
		n += fp[i] != mine[i];
	return n;
}

/*
 * The hypervisor fills its FP/SIMD registers, has vm's vCPU 2 make the
 * TEE's TEST_FP call (the TEE loads a secret into every FP/SIMD register,
 * then prints, stopping for MMIO with the secret live), and reads every
 * FP/SIMD register at each stop and after the call: it must find its own
 * values each time, never the TEE's. The TEE must still get its own state
 * back after each stop (it checks and answers x1 = registers lost).
 */
static void attack_read_tee_fpsimd(struct vm *vm, struct vm *tee)
{
	static struct vcpu_ctx v;
	static struct ciee_mmio mmio;
	static uint64_t mine[FP_WORDS], seen[FP_WORDS];
	uint64_t stub_ipa = vm->ram_ipa + vm->ram_size - PAGE_SIZE_4K + 0x100;
	volatile uint32_t *stub = (volatile uint32_t *)(vm->ram_pa + vm->ram_size -
							 PAGE_SIZE_4K + 0x100);
	unsigned int stops = 0, secret = 0, changed = 0;
	bool ok;
	long r;

	stub[0] = SMC_STUB;
	stub[1] = HVC_STUB;
	dsb(ish);
	memset(&v, 0, sizeof(v));
	v.pc = stub_ipa;
	v.pstate = SPSR_EL1H | SPSR_DAIF_MASKED;
	v.el1.sctlr = vm->vcpus[0].ctx.el1.sctlr;
	v.x[0] = VTZ_SMC_TEE_TEST_FP;
	v.x[1] = FP_SECRET;
	hyp_fp_fill(FP_HYP_PATTERN, FP_HYP_FPSR, FP_HYP_FPCR);
	hyp_fp_dump(mine);
	r = ciee_call(CIEE_CALL_VCPU_RUN, vm->id, (unsigned long)&v, 2, 0, 0);
	if (r != CIEE_EXIT_GUEST_TRAP || v.esr >> 26 != 0x17) {
		not_run("read-tee-fpsimd-after-exit", "the VM's SMC stub did not trap");
		return;
	}
	r = ciee_call(CIEE_CALL_TEE_CALL, vm->id, 2, (unsigned long)&mmio, 0, 0);
	for (;;) {
		hyp_fp_dump(seen);
		secret = MAX(secret, fp_secret_halves(seen));
		changed = MAX(changed, fp_changed(seen, mine));
		if (r != CIEE_EXIT_TEE_MMIO)
			break;
		stops++;
		if ((mmio.ipa & ~0xfffUL) == TEE_UART_IPA)
			mmio.value = vuart_access(&tee->vcpus[2].uart, mmio.ipa & 0xfff, mmio.is_write,
						  mmio.value);
		else
			mmio.value = 0;
		r = ciee_call(CIEE_CALL_TEE_RESUME, tee->id, (unsigned long)&mmio, 2, 0, 0);
	}
	if (r != CIEE_EXIT_TEE_DONE) {
		verdict("read-tee-fpsimd-after-exit", false, "the TEE call failed (%s) with "
			"%u register halves holding its secret", ciee_strerror(r), secret);
		return;
	}
	/* The reply reaches the vCPU at its hvc, after the smc. */
	v.pc += 4;
	ciee_call(CIEE_CALL_VCPU_RUN, vm->id, (unsigned long)&v, 2, 0, 0);
	ok = v.x[0] == OPTEE_SMC_RETURN_OK;
	verdict("read-tee-fpsimd-after-exit", ok && stops > 0 && secret == 0 && changed == 0,
		"%u MMIO stops and the return, at worst: %u of 64 q halves held the TEE's "
		"secret, %u of %u FP/SIMD values were not the hypervisor's; reply "
		"x0=0x%llx, TEE lost %llu of its %u", stops, secret, changed, FP_WORDS,
		(unsigned long long)v.x[0], (unsigned long long)v.x[1], FP_WORDS);
}

/* ---- preemption (issue 4): a TEE stopped by an interrupt --------- */

#define FORGED_VALUE 0x4141414141414141UL
#define PREEMPT_ROUNDS 32

/*
 * A PING call (a, b) that the tick preempts, handled by a hostile
 * hypervisor. The tick is due at once and never taken, so it stays pending
 * and every resume is preempted again at once. Every resume carries a
 * forged MMIO read value and descriptor (a preempted TEE was not stopped
 * on an access: nothing may be written into it, nor its PC advanced);
 * after every stop the hypervisor looks for the TEE in the registers the
 * gate left and in ELR_EL2/SPSR_EL2; while it is preempted a second
 * call (the vCPU's SMC again), and once the call is over another
 * TEE_RESUME, must be refused.
 * The reply (a + b, a ^ b) must still be right.
 */
static void attack_resume_preempted(struct vm *vm, struct vm *tee)
{
	static struct vcpu_ctx v;
	static struct ciee_mmio mmio;
	uint64_t regs[31], a = 0x1234500000UL, b = 0x6789aUL;
	uint64_t stub_ipa = vm->ram_ipa + vm->ram_size - PAGE_SIZE_4K + 0x200;
	volatile uint32_t *stub = (volatile uint32_t *)(vm->ram_pa + vm->ram_size -
							 PAGE_SIZE_4K + 0x200);
	unsigned int preempted = 0, leaks = 0, stops = 0, i;
	long r, again = CIEE_OK, late;
	bool right;

	stub[0] = SMC_STUB;
	stub[1] = HVC_STUB;
	dsb(ish);
	memset(&v, 0, sizeof(v));
	v.pc = stub_ipa;
	v.pstate = SPSR_EL1H | SPSR_DAIF_MASKED;
	v.el1.sctlr = vm->vcpus[0].ctx.el1.sctlr;
	v.x[0] = VTZ_SMC_TEE_PING;
	v.x[1] = a;
	v.x[2] = b;
	r = ciee_call(CIEE_CALL_VCPU_RUN, vm->id, (unsigned long)&v, 3, 0, 0);
	if (r != CIEE_EXIT_GUEST_TRAP || v.esr >> 26 != 0x17) {
		not_run("resume-preempted-tee-with-forged-state", "the VM's SMC stub did not trap");
		return;
	}
	/* The tick, due now; with interrupts masked here, it stays pending. */
	write_sysreg(cnthp_tval_el2, 0);
	write_sysreg(cnthp_ctl_el2, 1);
	isb();
	r = hyp_gate_capture(regs, CIEE_CALL_TEE_CALL, vm->id, 3, (uint64_t)&mmio);
	while (r == CIEE_EXIT_TEE_PREEMPTED && preempted < PREEMPT_ROUNDS) {
		preempted++;
		for (i = 1; i < 31; i++)
			leaks += in_tee_memory(regs[i], tee);
		leaks += in_tee_memory(read_sysreg(elr_el2), tee) + (read_sysreg(spsr_el2) != 0);
		if (preempted == 1) {
			/* The tick off for a moment: the vCPU's SMC again, a second call. */
			write_sysreg(cnthp_ctl_el2, 0);
			isb();
			again = ciee_call(CIEE_CALL_VCPU_RUN, vm->id, (unsigned long)&v, 3, 0, 0);
			if (again == CIEE_EXIT_GUEST_TRAP)
				again = ciee_call(CIEE_CALL_TEE_CALL, vm->id, 3,
						  (unsigned long)&mmio, 0, 0);
			write_sysreg(cnthp_ctl_el2, 1);
			isb();
		}
		mmio.ipa = TEE_UART_IPA;
		mmio.value = FORGED_VALUE;
		mmio.size = 8;
		mmio.is_write = 0;
		r = hyp_gate_capture(regs, CIEE_CALL_TEE_RESUME, tee->id, (uint64_t)&mmio, 3);
	}
	/* The tick off: its level drops, nothing is left to take. */
	write_sysreg(cnthp_ctl_el2, 0);
	isb();
	while (r == CIEE_EXIT_TEE_MMIO || r == CIEE_EXIT_TEE_PREEMPTED) {
		if (r == CIEE_EXIT_TEE_MMIO) {
			stops++;
			mmio.value = (mmio.ipa & ~0xfffUL) == TEE_UART_IPA
					     ? vuart_access(&tee->vcpus[3].uart, mmio.ipa & 0xfff,
							    mmio.is_write, mmio.value)
					     : 0;
		}
		r = ciee_call(CIEE_CALL_TEE_RESUME, tee->id, (unsigned long)&mmio, 3, 0, 0);
	}
	late = ciee_call(CIEE_CALL_TEE_RESUME, tee->id, (unsigned long)&mmio, 3, 0, 0);
	/* The reply reaches the vCPU at its hvc, after the smc. */
	v.pc += 4;
	ciee_call(CIEE_CALL_VCPU_RUN, vm->id, (unsigned long)&v, 3, 0, 0);
	right = r == CIEE_EXIT_TEE_DONE && v.x[0] == OPTEE_SMC_RETURN_OK && v.x[1] == a + b &&
		v.x[2] == (a ^ b);
	verdict("resume-preempted-tee-with-forged-state",
		preempted > 0 && stops > 0 && right && leaks == 0 && again == CIEE_ERR_TEE_STATE &&
			late == CIEE_ERR_TEE_STATE,
		"%u preemptions, forged reads each; %u MMIO stops; reply %s; TEE in %u regs; "
		"call while preempted: %s; late resume: %s",
		preempted, stops, right ? "right" : "CORRUPTED", leaks, ciee_strerror(again),
		ciee_strerror(late));
}

/* ---- DMA: devices that write physical memory past every table -------- */

#define FW_CFG_DMA_REG (PLAT_FW_CFG_BASE + 0x10)  /* 64-bit, big-endian */
#define FW_CFG_DMA_SIGNATURE 0x51454d5520434647UL /* "QEMU CFG", read from it */
#define FW_CFG_DMA_CTL_ERROR 0x01U
#define FW_CFG_DMA_CTL_READ 0x02U
#define FW_CFG_DMA_CTL_SELECT 0x08U
#define FW_CFG_SIGNATURE_KEY 0x0000U /* its item: the 4 bytes "QEMU" */
#define FW_CFG_QEMU 0x554d4551U      /* "QEMU" as a little-endian word */
#define DMA_STUB_OFFSET 0x300UL

/* QEMU's FWCfgDmaAccess (docs/specs/fw_cfg.txt): every field big-endian. */
struct fw_cfg_dma {
	uint32_t control;
	uint32_t length;
	uint64_t address;
};

static struct fw_cfg_dma dma_desc __attribute__((aligned(64)));
static uint64_t dma_own[PAGE_SIZE_4K / 8] __attribute__((aligned(4096)));

/*
 * Have fw_cfg copy its signature item ("QEMU") to physical address dst,
 * the way firmware loads its tables. 0: the device took the request and
 * *ctl is the control word it wrote back (0 = done, no error); 1: the
 * register write data-aborted (not in our stage 1).
 */
static int fw_cfg_dma_signature(uint64_t dst, uint32_t *ctl)
{
	volatile struct fw_cfg_dma *d = &dma_desc;

	d->control = __builtin_bswap32((FW_CFG_SIGNATURE_KEY << 16) | FW_CFG_DMA_CTL_SELECT |
				       FW_CFG_DMA_CTL_READ);
	d->length = __builtin_bswap32(4);
	d->address = __builtin_bswap64(dst);
	dsb(sy);
	/* Hypervisor data is identity-mapped: the descriptor's VA is its PA. */
	if (hyp_probe_write(FW_CFG_DMA_REG, __builtin_bswap64((uint64_t)&dma_desc)))
		return 1;
	dsb(sy);
	*ctl = __builtin_bswap32(d->control);
	return 0;
}

/*
 * One fast call from vm's vCPU `vcpu` (a stub: smc, then hvc for the
 * reply) into its TEE; the TEE's console stops are served as the run loop
 * does. Returns the reply's x0 and x1, or -1 if the call did not complete.
 */
static int tee_fast_call(struct vm *vm, struct vm *tee, unsigned int vcpu, uint64_t fid,
			 uint64_t a1, uint64_t *x0, uint64_t *x1)
{
	static struct vcpu_ctx v;
	static struct ciee_mmio mmio;
	uint64_t off = vm->ram_size - PAGE_SIZE_4K + DMA_STUB_OFFSET;
	volatile uint32_t *stub = (volatile uint32_t *)(vm->ram_pa + off);
	long r;

	stub[0] = SMC_STUB;
	stub[1] = HVC_STUB;
	dsb(ish);
	memset(&v, 0, sizeof(v));
	v.pc = vm->ram_ipa + off;
	v.pstate = SPSR_EL1H | SPSR_DAIF_MASKED;
	v.el1.sctlr = vm->vcpus[0].ctx.el1.sctlr;
	v.x[0] = fid;
	v.x[1] = a1;
	r = ciee_call(CIEE_CALL_VCPU_RUN, vm->id, (unsigned long)&v, vcpu, 0, 0);
	if (r != CIEE_EXIT_GUEST_TRAP || v.esr >> 26 != 0x17)
		return -1;
	r = ciee_call(CIEE_CALL_TEE_CALL, vm->id, vcpu, (unsigned long)&mmio, 0, 0);
	while (r == CIEE_EXIT_TEE_MMIO) {
		mmio.value = (mmio.ipa & ~0xfffUL) == TEE_UART_IPA
				     ? vuart_access(&tee->vcpus[vcpu].uart, mmio.ipa & 0xfff,
						    mmio.is_write, mmio.value)
				     : 0;
		r = ciee_call(CIEE_CALL_TEE_RESUME, tee->id, (unsigned long)&mmio, vcpu, 0, 0);
	}
	if (r != CIEE_EXIT_TEE_DONE)
		return -1;
	v.pc += 4; /* the reply reaches the vCPU at its hvc */
	ciee_call(CIEE_CALL_VCPU_RUN, vm->id, (unsigned long)&v, vcpu, 0, 0);
	*x0 = v.x[0];
	*x1 = v.x[1];
	return 0;
}

/*
 * fw_cfg's DMA from the hypervisor into a TEE page. The page holds a
 * secret only the TEE sees; the hypervisor asks fw_cfg to copy "QEMU"
 * over its first word, then asks the TEE (test hook TEST_PEEK) what is
 * there. First the same DMA into the hypervisor's own page, which shows
 * the mechanism works whenever the register is reachable. Blocked only if
 * the register write faulted and the TEE still reads its secret.
 */
static void attack_dma_into_tee_page(struct vm *vm, struct vm *tee)
{
	uint64_t dma_ipa = scratch_ipas(1), pa = give_tee_secret_page(tee, dma_ipa);
	uint64_t sig = 0, x0 = 0, seen = 0;
	uint32_t ctl_own = ~0U, ctl_tee = ~0U;
	int own_fault, tee_fault, sig_fault;
	char f[64] = "";

	if (!pa) {
		not_run("dma-into-tee-page", "could not give the TEE a page");
		return;
	}
	sig_fault = hyp_probe_read(FW_CFG_DMA_REG, &sig);
	if (sig_fault)
		fault_text(f, sizeof(f));
	dma_own[0] = 0;
	own_fault = fw_cfg_dma_signature((uint64_t)dma_own, &ctl_own);
	tee_fault = fw_cfg_dma_signature(pa, &ctl_tee);
	if (tee_fast_call(vm, tee, 2, VTZ_SMC_TEE_TEST_PEEK, dma_ipa, &x0, &seen) ||
	    x0 != OPTEE_SMC_RETURN_OK) {
		not_run("dma-into-tee-page", "the TEE did not answer TEST_PEEK");
		return;
	}
	if (!tee_fault || seen != PATTERN)
		verdict("dma-into-tee-page", false, "fw_cfg DMA register %s (0x%llx); DMA into our "
			"page: ctl 0x%x, word 0x%llx; into TEE page 0x%llx: ctl 0x%x; the TEE "
			"now reads 0x%llx there, its secret was 0x%llx",
			sig_fault ? "faulted" : "readable", (unsigned long long)sig, ctl_own,
			(unsigned long long)dma_own[0], (unsigned long long)pa, ctl_tee,
			(unsigned long long)seen, (unsigned long long)PATTERN);
	else
		verdict("dma-into-tee-page", true, "data abort at EL2, %s: fw_cfg not in the "
			"hypervisor's stage 1; its DMA register write faulted %s; the TEE still "
			"reads its secret 0x%llx in page 0x%llx",
			f, own_fault ? "too" : "but the read did not", (unsigned long long)seen,
			(unsigned long long)pa);
}

/*
 * A TEE asks for its report into memory that is not its own (test hook
 * TEST_ATTEST: the TEE names any address): a page of its VM, which its
 * stage 2 maps writable (the secure world's view of the normal world), so
 * a report there would be the dispatcher writing where the VM, and the
 * hypervisor, can rewrite or replay it at will; and an IPA in its own
 * window that maps nothing. First into a page of its own, which shows the
 * service works. Blocked only if that one was served and both others
 * refused as not its own, with the VM's page untouched.
 */
static void attack_tee_attest_into_foreign_page(struct vm *vm, struct vm *tee)
{
	uint64_t own_ipa = scratch_ipas(1), own_pa = give_tee_secret_page(tee, own_ipa);
	uint64_t vm_off = vm->ram_size - 2 * PAGE_SIZE_4K, x0, own = ~0UL, vm_r = ~0UL;
	uint64_t none = ~0UL, *vm_page = (uint64_t *)(vm->ram_pa + vm_off);
	unsigned int i;
	bool intact = true;

	if (!own_pa) {
		not_run("tee-attest-into-foreign-page", "could not give the TEE a page");
		return;
	}
	for (i = 0; i < PAGE_SIZE_4K / 8; i++)
		vm_page[i] = PATTERN;
	dsb(ish);
	if (tee_fast_call(vm, tee, 2, VTZ_SMC_TEE_TEST_ATTEST, own_ipa + 0x100, &x0, &own) ||
	    tee_fast_call(vm, tee, 2, VTZ_SMC_TEE_TEST_ATTEST, vm->ram_ipa + vm_off, &x0, &vm_r) ||
	    tee_fast_call(vm, tee, 2, VTZ_SMC_TEE_TEST_ATTEST, scratch_ipas(1), &x0, &none)) {
		not_run("tee-attest-into-foreign-page", "the TEE did not answer TEST_ATTEST");
		return;
	}
	for (i = 0; i < PAGE_SIZE_4K / 8; i++)
		intact &= vm_page[i] == PATTERN;
	verdict("tee-attest-into-foreign-page",
		own == 0 && (int64_t)vm_r == VTZ_ATTEST_ERR_NOT_OWN &&
			(int64_t)none == VTZ_ATTEST_ERR_NOT_OWN && intact,
		"into its own page: %lld; into its VM's page: %lld%s, page %s; into an unmapped "
		"IPA: %lld%s", (long long)own, (long long)vm_r,
		(int64_t)vm_r == VTZ_ATTEST_ERR_NOT_OWN ? " (not its own)" : "",
		intact ? "untouched" : "HOLDS A REPORT", (long long)none,
		(int64_t)none == VTZ_ATTEST_ERR_NOT_OWN ? " (not its own)" : "");
}

/* Bus masters of QEMU virt that must never be mapped (one page of each). */
static const struct {
	const char *name;
	uint64_t pa;
} dma_pages[] = {
	{"fw_cfg", PLAT_FW_CFG_BASE},
	{"virtio-mmio", PLAT_VIRTIO_BASE},
	{"PCIe MMIO", PLAT_PCIE_MMIO_BASE},
	{"PCIe ECAM", PLAT_PCIE_ECAM_BASE},
	{"PCIe PIO", PLAT_PCIE_PIO_BASE},
	{"PCIe high ECAM", PLAT_PCIE_HIGH_ECAM_BASE},
	{"platform bus", PLAT_PLATFORM_BUS_BASE},
	{"GIC ITS", PLAT_GIC_ITS_BASE},
	{"SMMU", PLAT_SMMU_BASE},
};
#define N_DMA_PAGES (sizeof(dma_pages) / sizeof(dma_pages[0]))

/*
 * Ask for each DMA-capable device in the hypervisor's stage 1: blocked
 * only if every request is refused and every page still faults (a refusal
 * of a page that is already mapped does not count).
 */
static void attack_map_dma_into_hyp(void)
{
	char why[200] = "";
	size_t n = 0;
	unsigned int i, reachable = 0;
	long first = CIEE_OK;
	bool all_same = true;

	for (i = 0; i < N_DMA_PAGES; i++) {
		long r = ciee_call(CIEE_CALL_HYP_MAP, dma_pages[i].pa, PAGE_SIZE_4K,
				   CIEE_MAP_R | CIEE_MAP_W | CIEE_MAP_DEVICE, 0, 0);
		uint64_t v;
		bool ok = !hyp_probe_read(dma_pages[i].pa, &v);

		if (i == 0)
			first = r;
		all_same &= r == first && r < 0;
		if ((ok || r >= 0) && n < sizeof(why)) {
			reachable++;
			n += (size_t)fmt_snprintf(why + n, sizeof(why) - n, "%s%s (%ld)",
						  reachable > 1 ? ", " : "", dma_pages[i].name, r);
		} else if (ok || r >= 0) {
			reachable++;
		}
	}
	if (reachable)
		verdict("map-dma-device-into-hyp-stage1", false, "%u of %u mapped or reachable "
			"after the request (its result): %s", reachable, (unsigned int)N_DMA_PAGES,
			why);
	else
		verdict("map-dma-device-into-hyp-stage1", true, SMM_BY " refused all %u (%s): %s; "
			"every page still faults", (unsigned int)N_DMA_PAGES,
			"fw_cfg, virtio-mmio, PCIe MMIO/ECAM/PIO/high ECAM, platform bus, ITS, SMMU",
			all_same ? ciee_strerror(first) : "not all with the same error");
}

/* The same devices for a guest: with fw_cfg a VM could DMA into a TEE too. */
static void attack_map_dma_into_vm(struct vm *vm)
{
	unsigned int i, accepted = 0;
	long first = CIEE_OK;
	bool all_same = true;

	for (i = 0; i < N_DMA_PAGES; i++) {
		long r = ciee_call(CIEE_CALL_S2_MAP, vm->id, 0x60000000UL + i * PAGE_SIZE_4K,
				   dma_pages[i].pa, PAGE_SIZE_4K,
				   CIEE_MAP_R | CIEE_MAP_W | CIEE_MAP_DEVICE);

		if (i == 0)
			first = r;
		all_same &= r == first;
		accepted += r >= 0;
	}
	verdict("map-dma-device-into-guest", accepted == 0, SMM_BY " accepted %u of %u DMA-capable "
		"device pages into %s's stage 2; %s: %s", accepted, (unsigned int)N_DMA_PAGES,
		vm->name, all_same ? "every answer" : "first answer", ciee_strerror(first));
}

/*
 * The GIC's redistributors are bus masters too: with LPIs (QEMU's virt has
 * them, with its ITS) each reads its LPI configuration and pending tables
 * from the physical addresses in GICR_PROPBASER/GICR_PENDBASER, and writes
 * the pending table back. The hypervisor points the pending table at the
 * start of a TEE's image (64 KiB aligned), the configuration table at its
 * own page (every LPI enabled), enables LPIs and reads ICC_HPPIR1_EL1: the
 * highest-priority pending LPI is the first set bit of the TEE page from
 * byte 1024 (the first 8192 IDs are not LPIs). It succeeded if that is the
 * first set bit of the image the hypervisor loaded there.
 */
#define GICR_RD(cpu) (PLAT_GICR_BASE + (uint64_t)(cpu) * 0x20000UL)
#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078
#define GICR_CTLR_ENABLE_LPIS 1UL
#define LPI_ID_BITS 15 /* LPIs 8192..32767: one configuration byte each */
#define LPI_FIRST 8192U

static uint8_t lpi_config[(1UL << LPI_ID_BITS) - LPI_FIRST] __attribute__((aligned(4096)));

static int first_set_bit(const volatile uint8_t *p, unsigned int bytes)
{
	unsigned int i, b;

	for (i = 0; i < bytes; i++)
		for (b = 0; b < 8; b++)
			if (p[i] & (1U << b))
				return (int)(i * 8 + b);
	return -1;
}

static void attack_gic_lpi_tables(struct vm *tee)
{
	uint64_t rd = GICR_RD(this_cpu_index()), typer = 0, hppir;
	int want = first_set_bit((const volatile uint8_t *)PLAT_TEE_IMAGE_BASE + 1024, 3072);
	int w1, w2;
	long m;
	char f[64] = "";

	if ((tee->ram_pa & 0xffff) || want < 0) {
		not_run("gic-lpi-tables-over-tee-page", "TEE image not 64 KiB aligned or empty");
		return;
	}
	hyp_probe_read(rd + GICR_TYPER, &typer);
	/* First ask for the frame writable, as a hypervisor that needs it would. */
	m = ciee_call(CIEE_CALL_HYP_MAP, rd, PAGE_SIZE_4K, CIEE_MAP_R | CIEE_MAP_W | CIEE_MAP_DEVICE,
		      0, 0);
	memset(lpi_config, 0x01, sizeof(lpi_config)); /* enabled, priority 0 */
	dsb(sy);
	w1 = hyp_probe_write(rd + GICR_PROPBASER, (uint64_t)lpi_config | (LPI_ID_BITS - 1));
	if (w1)
		fault_text(f, sizeof(f));
	w2 = hyp_probe_write(rd + GICR_PENDBASER, tee->ram_pa);
	/* GICR_CTLR takes 32-bit writes only; the probes above showed it writable. */
	if (!w1 && !w2)
		*(volatile uint32_t *)(rd + GICR_CTLR) = GICR_CTLR_ENABLE_LPIS;
	isb();
	hppir = read_sysreg(S3_0_C12_C12_2) & 0xffffff; /* ICC_HPPIR1_EL1 */
	/* LPIs off again: nothing of this is left pending for later attacks. */
	if (!w1 && !w2) {
		*(volatile uint32_t *)(rd + GICR_CTLR) = 0;
		hyp_probe_write(rd + GICR_PENDBASER, 0);
		hyp_probe_write(rd + GICR_PROPBASER, 0);
	}
	isb();
	if (!w1 || !w2 || hppir >= LPI_FIRST)
		verdict("gic-lpi-tables-over-tee-page", false, "GICR_TYPER.PLPIS=%llu; HYP_MAP "
			"RW: %s; LPI table writes %s; highest pending INTID %llu: bit %lld of TEE "
			"page 0x%llx from byte 1024 (the image's first set bit there is %d)",
			(unsigned long long)(typer & 1), ciee_strerror(m),
			w1 || w2 ? "partly faulted" : "accepted", (unsigned long long)hppir,
			(long long)hppir - LPI_FIRST, (unsigned long long)tee->ram_pa, want);
	else
		verdict("gic-lpi-tables-over-tee-page", true, "data abort at EL2, %s: the "
			"redistributor's LPI registers are read-only for the hypervisor "
			"(HYP_MAP RW: %s); highest pending INTID %llu, no LPI", f, ciee_strerror(m),
			(unsigned long long)hppir);
}

/* Serve a TEE's console stops (anything else ends it): the hypervisor's job. */
static long serve_uart_stops(struct vm *tee, unsigned int vcpu, long r, struct ciee_mmio *mmio)
{
	unsigned int guard;

	for (guard = 0; r == CIEE_EXIT_TEE_MMIO && guard < 100000; guard++) {
		mmio->value = (mmio->ipa & ~0xfffUL) == TEE_UART_IPA
				      ? vuart_access(&tee->vcpus[vcpu].uart, mmio->ipa & 0xfff,
						     mmio->is_write, mmio->value)
				      : 0;
		r = ciee_call(CIEE_CALL_TEE_RESUME, tee->id, (unsigned long)mmio, vcpu, 0, 0);
	}
	return r;
}

/*
 * TEE_RESET discards a call stopped at an MMIO access: afterwards the
 * hypervisor must not be able to resume it (with a value of its choice),
 * the calling vCPU must get no reply of it, and the TEE must answer a new
 * call as usual.
 */
static void attack_resume_after_reset(struct vm *vm, struct vm *tee)
{
	static struct vcpu_ctx v;
	static struct ciee_mmio mmio;
	uint64_t a = 0x51, b = 0x7e;
	uint64_t stub_ipa = vm->ram_ipa + vm->ram_size - PAGE_SIZE_4K + 0x300;
	volatile uint32_t *stub = (volatile uint32_t *)(vm->ram_pa + vm->ram_size -
							 PAGE_SIZE_4K + 0x300);
	long r, reset, late;
	bool stale, works;

	stub[0] = SMC_STUB;
	stub[1] = HVC_STUB;
	dsb(ish);
	memset(&v, 0, sizeof(v));
	v.pc = stub_ipa;
	v.pstate = SPSR_EL1H | SPSR_DAIF_MASKED;
	v.el1.sctlr = vm->vcpus[0].ctx.el1.sctlr;
	v.x[0] = VTZ_SMC_TEE_PING;
	v.x[1] = a;
	v.x[2] = b;
	r = ciee_call(CIEE_CALL_VCPU_RUN, vm->id, (unsigned long)&v, 1, 0, 0);
	if (r == CIEE_EXIT_GUEST_TRAP && v.esr >> 26 == 0x17)
		r = ciee_call(CIEE_CALL_TEE_CALL, vm->id, 1, (unsigned long)&mmio, 0, 0);
	if (r != CIEE_EXIT_TEE_MMIO) {
		not_run("resume-tee-call-after-reset", "the PING did not stop for the TEE's console");
		return;
	}
	/* Stopped at its console: reset the TEE instead of serving the access. */
	reset = serve_uart_stops(tee, 0,
				 ciee_call(CIEE_CALL_TEE_RESET, tee->id, (unsigned long)&mmio, 0, 0, 0),
				 &mmio);
	mmio.value = 0x4141414141414141ULL;
	late = ciee_call(CIEE_CALL_TEE_RESUME, tee->id, (unsigned long)&mmio, 1, 0, 0);
	/* The vCPU runs on to its hvc: x0 must still be its own, no reply of the old call. */
	v.pc = stub_ipa + 4;
	ciee_call(CIEE_CALL_VCPU_RUN, vm->id, (unsigned long)&v, 1, 0, 0);
	stale = v.x[0] != VTZ_SMC_TEE_PING;
	/* And the TEE answers a new call. */
	v.pc = stub_ipa;
	v.x[0] = VTZ_SMC_TEE_PING;
	v.x[1] = a;
	v.x[2] = b;
	r = ciee_call(CIEE_CALL_VCPU_RUN, vm->id, (unsigned long)&v, 1, 0, 0);
	if (r == CIEE_EXIT_GUEST_TRAP)
		r = serve_uart_stops(tee, 1,
				     ciee_call(CIEE_CALL_TEE_CALL, vm->id, 1, (unsigned long)&mmio, 0, 0),
				     &mmio);
	v.pc += 4;
	ciee_call(CIEE_CALL_VCPU_RUN, vm->id, (unsigned long)&v, 1, 0, 0);
	works = r == CIEE_EXIT_TEE_DONE && v.x[0] == OPTEE_SMC_RETURN_OK && v.x[1] == a + b;
	verdict("resume-tee-call-after-reset",
		reset == CIEE_OK && late == CIEE_ERR_TEE_STATE && !stale && works,
		"reset of a TEE stopped mid-call: %s; resume of that stop afterwards: %s; "
		"reply of it delivered: %s; a new call: %s", ciee_strerror(reset),
		ciee_strerror(late), stale ? "YES" : "no", works ? "answered" : "FAILED");
}

static void sws_attacks(struct vm *vm0, struct vm *tee0)
{
	/* Four vCPUs (so four TEE vCPUs): the attacks call from vCPUs 2 and 3. */
	struct vm *vm_a = vm_create_guest("vm2", PLAT_GUEST_IMAGE_BASE, PLAT_GUEST_IMAGE_MAX, 4);
	struct vm *tee_a = vm_a ? vm_create_tee(vm_a, "tee2", PLAT_TEE_IMAGE_BASE,
						PLAT_TEE_IMAGE_MAX)
				: NULL;
	struct vm *vm_b = vm_create_guest("vm3", PLAT_GUEST_IMAGE_BASE, PLAT_GUEST_IMAGE_MAX, 1);

	if (!tee_a || !vm_b) {
		not_run("enter-tee-at-arbitrary-pc", "could not create the VMs");
		return;
	}
	attack_enter_tee_arbitrary_pc(tee_a, tee0);
	if (vm_boot_tee(tee_a)) {
		not_run("read-tee-registers-after-exit", "tee2 did not boot");
		return;
	}
	attack_resume_altered(tee0);
	attack_read_tee_registers(vm_a, tee_a);
	attack_route_to_other_tee(vm_b, vm_a, vm0);
	attack_mmio_and_reply(vm_a, tee_a, vm_b);
	attack_read_tee_fpsimd(vm_a, tee_a);
	attack_resume_preempted(vm_a, tee_a);
	attack_dma_into_tee_page(vm_a, tee_a);
	attack_tee_attest_into_foreign_page(vm_a, tee_a);
	attack_gic_lpi_tables(tee_a);
	attack_resume_after_reset(vm_a, tee_a);
}

/* Secondary CPUs started by the attacks. */
void hyp_attack_secondary(uint64_t ctx, uint64_t requested)
{
	unsigned int cpu = this_cpu_index();
	uint64_t target;

	switch (ctx) {
	case CTX_CPU_ON_PROBE:
		cpu_on_sctlr = read_sysreg(sctlr_el2);
		cpu_on_requested = requested;
		dsb(ish);
		cpu_on_reported = 1;
		xcpu_worker();
		break;
	case CTX_JUMP_PAST_GATE:
		/* The instruction after the gate's switch to CIEE mode. */
		target = find_insn(ciee_gate_address(), 64, 0xffffffe0, 0xd51c1000);
		jumped[cpu] = 1;
		if (target) {
			hyp_jump_with_regs(target + 4, 0);
			came_back[cpu] = 1;
		}
		break;
	case CTX_UM_RACE:
		um_race_secondary();
		races_secondary();
		break;
	case CTX_JUMP_SENSITIVE:
		/* An "msr vbar_el2, xN" anywhere in the CIEE, every register our vectors. */
		target = find_insn(PLAT_CIEE_BASE, 0x4000, 0xffffffe0, 0xd51cc000);
		jumped[cpu] = 1;
		if (target) {
			hyp_jump_with_regs(target, (uint64_t)code_buf);
			came_back[cpu] = 1;
		}
		break;
	default:
		/* Not ours (CTX_LINUX_SCHED): the hypervisor's own secondary path. */
		return;
	}
	for (;;)
		wfi();
}

/* ---- Linux guests alongside the attacks (scenario attacks-linux) ---- */

/*
 * When the VM configuration has Linux VMs, the attacks run while they
 * (each with its own TEE) run on a CPU of their own, calling their
 * TEEs through libteec: the attacks must still be stopped by their
 * mechanism, and the guests must not notice. CPU 0 helps them boot (it
 * joins the scheduler), leaves once every Linux TEE is busy, runs every
 * attack, then joins again until they power off, before the reset attack.
 * Busy: running its load (it says so on its console) and preempted
 * mid-call LINUX_BUSY_PREEMPTIONS times; the libteec workload's calls are
 * preempted many times a second and it runs until the attacks are over,
 * so the attacks run while those calls are in flight.
 */
#define LINUX_BUSY_PREEMPTIONS 4
#define LINUX_WAIT_S 150
#define LINUX_MIN_CPUS 5 /* cpu0 attacks, cpu1..3 are the attacks' own, one for Linux */

static struct vm *lx_vms[LINUX_MAX_VMS];
static unsigned int n_lx;
static bool lx_live_at_start[LINUX_MAX_VMS];
static unsigned long lx_preempted_at_start, lx_turns_at_start;
static uint64_t lx_deadline;

static uint64_t seconds_from_now(unsigned int s)
{
	return read_sysreg(cntpct_el0) + read_sysreg(cntfrq_el0) * s;
}

static bool before_deadline(void)
{
	return read_sysreg(cntpct_el0) < lx_deadline;
}

static unsigned long lx_preemptions(void)
{
	unsigned long n = 0;
	unsigned int i;

	for (i = 0; i < n_lx; i++)
		n += __atomic_load_n(&lx_vms[i]->partner->preemptions, __ATOMIC_RELAXED);
	return n;
}

/*
 * How far the Linux guests got: turns of their vCPUs on any CPU (each a
 * run to an exit, their TEE calls included). With fast TEE calls a call
 * is rarely long enough to be preempted, so this, not preemptions, shows
 * they kept working through the attacks.
 */
static unsigned long lx_turns(void)
{
	unsigned long n = 0;
	unsigned int i, v, c;

	for (i = 0; i < n_lx; i++)
		for (v = 0; v < lx_vms[i]->n_vcpus; v++)
			for (c = 0; c < PLAT_MAX_CPUS; c++)
				n += __atomic_load_n(&lx_vms[i]->vcpus[v].steps[c], __ATOMIC_RELAXED);
	return n;
}

/*
 * Which Linux VMs have started their load (load-until-told.sh says so on
 * its console before its first round): until then their TEE calls are
 * boot's and the probe's, however often a slow host preempts them.
 */
static bool lx_loading[LINUX_MAX_VMS];
static const char lx_load_marker[] = "load-until-told: started";

void hyp_attack_guest_line(const struct vm *vm, const char *line, size_t len)
{
	unsigned int i;

	if (len < sizeof(lx_load_marker) - 1 ||
	    memcmp(line, lx_load_marker, sizeof(lx_load_marker) - 1))
		return;
	for (i = 0; i < n_lx; i++)
		if (lx_vms[i] == vm)
			__atomic_store_n(&lx_loading[i], true, __ATOMIC_RELEASE);
}

/*
 * CPU 0 keeps scheduling until every Linux VM runs its load and its TEE is
 * busy with it (or one stopped, or time is up).
 */
static bool lx_still_starting(void)
{
	unsigned int i;

	if (!before_deadline() || sched_live() != n_lx)
		return false;
	for (i = 0; i < n_lx; i++)
		if (!__atomic_load_n(&lx_loading[i], __ATOMIC_ACQUIRE) ||
		    __atomic_load_n(&lx_vms[i]->partner->preemptions, __ATOMIC_RELAXED) <
			    LINUX_BUSY_PREEMPTIONS)
			return true;
	return false;
}

static void linux_guests_start(const struct fdt_info *info)
{
	unsigned int cpu = info->n_cpus - 1, i;
	int64_t r;

	if (!config_has_linux())
		return;
	if (info->n_cpus < LINUX_MIN_CPUS) {
		con_printf("linux guests: NOT RUN (they need a CPU of their own beside cpu0..3: "
			   "run with -smp %u)\n", LINUX_MIN_CPUS);
		return;
	}
	n_lx = config_linux_create(lx_vms, LINUX_MAX_VMS);
	r = (int64_t)hyp_smc(PSCI_CPU_ON_AARCH64, info->cpu_mpidr[cpu], PLAT_HYP_BASE + 4,
			     CTX_LINUX_SCHED);
	if (r != PSCI_RET_SUCCESS)
		hyp_panic("CPU_ON for the Linux guests' CPU failed");
	sched_start();
	lx_deadline = seconds_from_now(LINUX_WAIT_S);
	sched_run(lx_still_starting);
	for (i = 0; i < n_lx; i++)
		lx_live_at_start[i] = __atomic_load_n(&lx_vms[i]->running, __ATOMIC_ACQUIRE);
	lx_preempted_at_start = lx_preemptions();
	lx_turns_at_start = lx_turns();
	con_printf("linux guests: %u Linux VMs, each with its own TEE, on cpu%u; %u of them "
		   "running, their TEEs preempted %lu times mid-call so far: the attacks start\n",
		   n_lx, cpu, sched_live(), lx_preempted_at_start);
}

/* After the attacks, before the reset: wait (helping) for them to power off. */
static void linux_guests_finish(void)
{
	unsigned long during = lx_preemptions() - lx_preempted_at_start;
	unsigned long turns = lx_turns() - lx_turns_at_start;
	unsigned int i, through = 0, clean = 0, live;

	if (!n_lx)
		return;
	for (i = 0; i < n_lx; i++) {
		bool live = __atomic_load_n(&lx_vms[i]->running, __ATOMIC_ACQUIRE);

		through += lx_live_at_start[i] && live;
		/* Their load runs until told (etc/vtz/load-until-told.sh). */
		if (live && !console_in_type(lx_vms[i], "attacks over\n"))
			con_printf("linux guests: could not tell %s the attacks are over "
				   "(console input full)\n", lx_vms[i]->name);
	}
	lx_deadline = seconds_from_now(LINUX_WAIT_S);
	sched_run(before_deadline);
	live = sched_live();
	sched_report();
	for (i = 0; i < n_lx; i++)
		clean += !lx_vms[i]->running && !lx_vms[i]->faulted;
	con_printf("linux guests: %u ran through the attacks (their vCPUs ran %lu turns and "
		   "their TEE calls were preempted %lu times during them), %u powered off "
		   "cleanly%s\n", through, turns, during, clean,
		   live ? ", some still running: the reset stops them" : "");
}

static void summary(void)
{
	con_printf("attacks: %u tried, %u blocked, %u succeeded\n", tried, blocked, succeeded);
}

/*
 * Phase 2, after the reset the first phase asked for: is the TEE's page
 * still holding its secret?
 */
static bool after_reset(void)
{
	struct persist *ps = (struct persist *)PERSIST_ADDR;
	uint64_t v;

	if (ps->magic != PERSIST_MAGIC)
		return false;
	tried = (unsigned int)ps->tried;
	blocked = (unsigned int)ps->blocked;
	succeeded = (unsigned int)ps->succeeded;
	if (hyp_probe_read(ps->tee_page, &v))
		verdict("read-tee-page-after-reset", false, "page 0x%llx unreadable after reset",
			(unsigned long long)ps->tee_page);
	else
		verdict("read-tee-page-after-reset", !page_has_secret(ps->tee_page, &v),
			"former TEE page 0x%llx after SYSTEM_RESET: first word 0x%llx%s",
			(unsigned long long)ps->tee_page, (unsigned long long)v,
			page_has_secret(ps->tee_page, &v) ? ", the TEE's secret"
							  : ", scrubbed by the monitor");
	memset(ps, 0, sizeof(*ps));
	summary();
	return true;
}

void hyp_attacks_run(struct vm *vm0, struct vm *tee0, struct vm *vm1,
		     const struct fdt_info *info)
{
	struct persist *ps = (struct persist *)PERSIST_ADDR;
	uint64_t secret;

	if (after_reset())
		hyp_system_off();
	linux_guests_start(info);
	con_printf("attack suite: the hypervisor now behaves as an attacker\n");
	attack_read_tee_page(tee0);
	attack_map_tee_into_hyp(tee0);
	attack_map_tee_into_vm("map-tee-into-other-vm", vm1, tee0);
	attack_map_tee_into_vm("map-tee-into-own-guest", vm0, tee0);
	attack_map_dma_into_hyp();
	attack_map_dma_into_vm(vm1);
	attack_write_protected("write-page-table", PLAT_PT_POOL_BASE, "translation table");
	attack_write_protected("write-stage2-table", PLAT_PT_POOL_BASE + 0x200000,
			       "translation-table pool");
	attack_write_protected("write-ownership-table",
			       PLAT_CIEE_DATA_BASE + ((tee0->ram_pa - PLAT_NS_RAM_BASE) >> 12) * 2,
			       "ownership table");
	attack_write_protected("write-ciee-data", PLAT_CIEE_BASE + PLAT_CIEE_SIZE - 0x1000,
			       "CIEE data");
	attack_write_flash0();
	attack_type_into_tee_console();
	attack_tamper_acpi_tables(vm1);
	attack_dc_isw(vm1);
	attack_reclaim_and_read(tee0);
	sws_attacks(vm0, tee0);
	attack_smc_outside_list();
	attack_tee_key_from_hypervisor();
	attack_attest_from_hypervisor();
	attack_cpu_on(info);
	smm_two_cpu_check(tee0);
	um_attacks_run(vm0, info);
	races_run(info);
	lifecycle_attacks_run(vm0, tee0, scratch_ipas(1));
	destructive_attack("jump-into-ciee-past-gate", info, 2, CTX_JUMP_PAST_GATE);
	destructive_attack("jump-to-ciee-sensitive-instruction", info, 3, CTX_JUMP_SENSITIVE);
	linux_guests_finish();

	/* Last: leave a secret in a TEE page, reset, and look again (phase 2). */
	secret = give_tee_secret_page(tee0, scratch_ipas(1));
	if (!secret) {
		verdict("read-tee-page-after-reset", false, "set-up failed");
		summary();
		hyp_system_off();
	}
	ps->magic = PERSIST_MAGIC;
	ps->tried = tried;
	ps->blocked = blocked;
	ps->succeeded = succeeded;
	ps->tee_page = secret;
	dsb(sy);
	lifecycle_report(); /* this boot's VMs: the next boot has none */
	con_printf("attack suite: secret left in TEE page 0x%llx; asking the monitor for "
		   "SYSTEM_RESET\n", (unsigned long long)secret);
	hyp_smc(PSCI_SYSTEM_RESET, 0, 0, 0);
	hyp_panic("SYSTEM_RESET returned");
}
