/* SPDX-License-Identifier: MIT */
/*
 * EL3 monitor: sets up the secure side of every CPU, checks that the CIEE
 * and hypervisor images are present and signed by the owner (verify.c)
 * and that the hypervisor's text holds no instruction reserved to the
 * CIEE, and enters the CIEE at EL2. After
 * boot it serves SMCs from non-secure EL2: SMCCC, PSCI; nothing else.
 */
#include <stdbool.h>
#include <string.h>

#include <arch/sysreg.h>
#include <lib/console.h>
#include <lib/exc_report.h>
#include <lib/pl011.h>
#include <policy/attest.h>
#include <policy/insn_scan.h>
#include <vtz/ciee_abi.h>
#include <vtz/fw_update.h>
#include <vtz/image.h>
#include <vtz/monitor_abi.h>
#include <vtz/platform.h>
#include <vtz/smccc.h>

#include "ciee_auth.h"
#include "monitor.h"

/* Which home attestation reports name (include/vtz/attest_abi.h). */
#ifdef GATE_el3
#define GATE_ATTEST_HOME VTZ_ATTEST_HOME_EL3
#else
#define GATE_ATTEST_HOME VTZ_ATTEST_HOME_CIEE
#endif

#ifdef GATE_el3
/* The SMM entry points linked in from smm/ (monitor/build.mk, smm_el3.c). */
#include "../smm/smm.h"
#endif

extern char monitor_vectors[];

static void uart_write(const char *s, size_t n)
{
	pl011_write(PLAT_UART0_BASE, s, n);
}

void monitor_el3_init(void)
{
	write_sysreg(vbar_el3, (uint64_t)monitor_vectors);
	/*
	 * Lower ELs are non-secure and AArch64; EL2 exists; SMC enabled;
	 * FIQs (Group 0: only PARK_SGI) are taken to EL3 (park.c).
	 */
	write_sysreg(scr_el3, SCR_RES1 | SCR_NS | SCR_FIQ | SCR_HCE | SCR_RW);
	write_sysreg(cptr_el3, 0);
	/* Let EL2 use the GICv3 system-register interface. */
	write_sysreg(S3_6_C12_C12_5, 0xf); /* ICC_SRE_EL3: SRE, DFB, DIB, Enable */
	isb();
	/*
	 * Group 0 on at this CPU interface; PMR opened from its reset value
	 * 0 (with SCR_EL3.FIQ set a non-secure write cannot change a PMR in
	 * the secure range 0..0x7f, so the hypervisor could never unmask
	 * its own interrupts), to the lowest priority. Non-secure writes
	 * then land in 0x80..0xff: never masking PARK_SGI (priority 0).
	 */
	write_sysreg(S3_0_C4_C6_0, 0xff); /* ICC_PMR_EL1 */
	write_sysreg(S3_0_C12_C12_6, 1);  /* ICC_IGRPEN0_EL1 */
	isb();
	/* EL2 starts with its MMU off; the CIEE turns it on. */
	write_sysreg(sctlr_el2, SCTLR_EL2_CIEE); /* CIEE mode: the value its checks expect */
	write_sysreg(hcr_el2, HCR_RW);
	write_sysreg(cntvoff_el2, 0);
	isb();
}

static int image_present(uint64_t base, uint64_t magic_off, uint64_t magic)
{
	return *(volatile uint64_t *)(base + magic_off) == magic;
}

/*
 * ELR_EL3 of the CIEE's one SMC to its services (monitor/ciee_auth.h):
 * the address after ciee_monitor_smc_site. Read from the CIEE image at
 * cold boot, before any non-secure code has run (nothing but QEMU's
 * loader has written that RAM yet, the same bytes the CIEE will run), and
 * kept here in secure RAM: never re-read from RAM the hypervisor could
 * reach later. 0 until then, which refuses every call.
 */
static uint64_t ciee_smc_site_ret;

static void record_ciee_smc_site(void)
{
	uint64_t text = *(volatile uint64_t *)(PLAT_CIEE_BASE + CIEE_TEXT_SIZE_OFFSET);
	uint64_t off = *(volatile uint64_t *)(PLAT_CIEE_BASE + CIEE_MONITOR_SMC_OFFSET);
	uint32_t insn = 0;

	if (text <= PLAT_CIEE_SIZE && off % 4 == 0 && off < text)
		insn = *(volatile uint32_t *)(PLAT_CIEE_BASE + off);
	if (!ciee_smc_site_valid(off, text, PLAT_CIEE_SIZE, insn)) {
		con_printf("FATAL: CIEE image refused: its monitor call site (offset 0x%lx, "
			   "word 0x%08x) is not an `smc #0` inside its 0x%lx bytes of text\n",
			   off, insn, text);
		power_off();
	}
	ciee_smc_site_ret = PLAT_CIEE_BASE + off + 4;
	con_printf("CIEE monitor call site: smc at 0x%lx (the only caller of the TEE key "
		   "service)\n", PLAT_CIEE_BASE + off);
}

/*
 * The hypervisor runs at EL2, where MSR to the EL2 control registers and
 * DC ISW cannot be trapped: it is kept from them only by never having
 * them in its executable pages. The CIEE maps exactly [base, base +
 * text size from the header) executable and every other hypervisor page
 * XN (with SCTLR_EL2.WXN, text is never writable), so scanning that range
 * once, before any hypervisor or CIEE code runs, covers everything the
 * hypervisor can ever execute. Nothing non-secure has run yet, so the
 * image cannot change between this scan and the CIEE's mapping.
 */
static void check_hyp_text(void)
{
	uint64_t text = *(volatile uint64_t *)(PLAT_HYP_BASE + HYP_HDR_TEXT_SIZE_OFFSET);
	const uint32_t *words = (const uint32_t *)PLAT_HYP_BASE;
	struct insn_hit hit;
	uint64_t at;

	/* The CIEE maps whole pages, inside the hypervisor's region only. */
	if (!text || text % 4096 || text > PLAT_HYP_SIZE) {
		con_printf("FATAL: hypervisor image refused: text size 0x%lx in its header is "
			   "not a nonzero multiple of 4 KiB within its 0x%lx-byte region\n",
			   text, PLAT_HYP_SIZE);
		power_off();
	}
	if (insn_scan(words, text / 4, &hit)) {
		at = PLAT_HYP_BASE + hit.index * 4;
		con_printf("FATAL: hypervisor image refused: forbidden instruction %s (0x%08x) "
			   "at 0x%lx (offset 0x%lx); the hypervisor must ask the CIEE instead\n",
			   hit.name, hit.word, at, at - PLAT_HYP_BASE);
		power_off();
	}
	con_printf("hypervisor text 0x%lx-0x%lx scanned: no forbidden instruction\n",
		   PLAT_HYP_BASE, PLAT_HYP_BASE + text - 1);
}

/* What the signed CIEE and hypervisor images were signed as (verify.c). */
static struct boot_measurement ciee_meas, hyp_meas;
/* What every attestation report of this boot says of it (attest.c). */
static struct attest_boot boot_attest;

void monitor_main(void)
{
	uint64_t generation, rsdp;
	enum boot_kind kind;
	bool flash_booted;

	/*
	 * First, before anything could release a secondary: a new boot
	 * generation retires every pen state the previous boot left.
	 */
	kind = psci_cold_boot(&generation);
	pl011_init(PLAT_UART0_BASE);
	pl011_init(PLAT_UART1_BASE); /* the guest TEEs' consoles (tee_console.c) */
	console_init("mon", uart_write);
	console_share_uart((volatile uint32_t *)PLAT_CONSOLE_LOCK);
	con_printf("vTZ monitor at EL3: secure RAM 0x%lx-0x%lx, %s gate\n",
		   PLAT_SECURE_RAM_BASE, PLAT_SECURE_RAM_BASE + PLAT_SECURE_RAM_SIZE - 1,
#ifdef GATE_el3
		   "EL3"
#else
		   "CIEE"
#endif
	);
	keys_init("flash-vtz.bin");
	mboot_init(boot_attest.monitor);
	verify_init("flash-vtz.bin");
	/* Flash mode: the active slot's images, copied and verified (fw_update.c). */
	flash_booted = fw_boot(&ciee_meas, &hyp_meas);
	if (!image_present(PLAT_CIEE_BASE, CIEE_MAGIC_OFFSET, CIEE_IMAGE_MAGIC))
		monitor_panic("no CIEE image at 0x40100000 (load ciee.bin there with "
			      "-device loader,file=ciee.bin,addr=0x40100000)");
	if (!image_present(PLAT_HYP_BASE, HYP_HDR_MAGIC_OFFSET, HYP_IMAGE_MAGIC))
		monitor_panic("no hypervisor image at 0x40400000 (load hyp.bin there with "
			      "-device loader,file=hyp.bin,addr=0x40400000)");
	/* Signatures first: nothing else of an image is trusted before. */
	if (!flash_booted) {
		verify_boot_image("CIEE", PLAT_CIEE_BASE, PLAT_CIEE_SIZE, CIEE_LOAD_SIZE_OFFSET,
				  &ciee_meas);
		verify_boot_image("hypervisor", PLAT_HYP_BASE, PLAT_HYP_SIZE,
				  HYP_HDR_LOAD_SIZE_OFFSET, &hyp_meas);
	}
	/* Logged as verified: the digests their signatures cover, security version included. */
	mboot_image("vTZ CIEE", ciee_meas.digest);
	mboot_image("vTZ hypervisor", hyp_meas.digest);
	/* The boot's security version: the lower of the two the owner signed. */
	boot_attest.home = GATE_ATTEST_HOME;
	boot_attest.security_version = ciee_meas.security_counter < hyp_meas.security_counter ?
					       ciee_meas.security_counter :
					       hyp_meas.security_counter;
	memcpy(boot_attest.ciee, ciee_meas.digest, sizeof(boot_attest.ciee));
	memcpy(boot_attest.hyp, hyp_meas.digest, sizeof(boot_attest.hyp));
	attest_init(&boot_attest);
	/* As the loader staged it, before the hypervisor (which reads it) has run. */
	mboot_vm_config();
	mboot_separators();
	record_ciee_smc_site();
	check_hyp_text();
	ram_init();
	/* RAM a TEE may have owned before a reset: zero before the CIEE runs. */
	scrub_cold_boot(kind, generation);
	/* After the scrub, which covers the region the tables go to. */
	rsdp = acpi_install();
#ifdef GATE_el3
	/* GATE=el3: the monitor owns secure memory mapping, from the start. */
	con_printf("GATE=el3: building the ownership table and the hypervisor's "
		   "translation tables at EL3\n");
	ciee_mmu_build(monitor_ram_size());
#endif
	gic_secure_init();
	/* What is typed on the secure UART, for the guest TEEs (tee_input.c). */
	tee_input_init();
	con_printf("CIEE at 0x%lx, hypervisor at 0x%lx: entering the CIEE at EL2\n",
		   PLAT_CIEE_BASE, PLAT_HYP_BASE);
	/* The boot interface (ciee/entry.S): x0 = DTB, x1 = RAM size, x2 = RSDP or 0. */
	monitor_enter_el2(PLAT_CIEE_BASE + CIEE_ENTRY_COLD_OFFSET, PLAT_DTB_BASE,
			  monitor_ram_size(), rsdp);
}

void monitor_handle_lower_sync(struct smc_frame *f)
{
	uint64_t esr = read_sysreg(esr_el3);
	unsigned int ec = (esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
	uint32_t fid = (uint32_t)f->x[0];
	int handled;
	int64_t ret;

	/* A reset under way on another CPU: stop here, before serving anything. */
	monitor_park_check();
	if (ec != EC_SMC64) {
		report_exception("from a lower EL at EL3", esr, read_sysreg(elr_el3),
				 read_sysreg(far_el3), read_sysreg(spsr_el3));
		power_off();
	}
	if (f->x[0] >> 32) {
		f->x[0] = (uint64_t)(int64_t)SMCCC_NOT_SUPPORTED;
		return;
	}
#ifdef GATE_el3
	/*
	 * Memory-mapping calls, from the hypervisor at EL2 only; first, as
	 * the hypervisor's most frequent SMCs (none of the services below
	 * shares their function IDs).
	 */
	if ((fid & VTZ_SMC_SMM_MASK) == VTZ_SMC_SMM_BASE && smm_is_call(fid & 0xff) &&
	    ((read_sysreg(spsr_el3) >> 2) & 3) == 2) {
		f->x[0] = (uint64_t)smm_dispatch(fid & 0xff, f->x[1], f->x[2], f->x[3], f->x[4],
						 f->x[5]);
		return;
	}
#endif
	if (fid == SMCCC_VERSION) {
		f->x[0] = SMCCC_VERSION_1_1;
		return;
	}
	/*
	 * Measuring a guest TEE and deriving its key: for the CIEE only,
	 * known by its EL2 state, and only from its own call site
	 * (ciee_auth.h). The hypervisor, whatever it does, is refused like
	 * any caller of a service not on its list; an SMC in CIEE mode from
	 * any other address gets an error of its own.
	 */
	if (fid == VTZ_SMC_MON_TEE_MEASURE || fid == VTZ_SMC_MON_TEE_KEY ||
	    fid == VTZ_SMC_MON_TEE_CONSOLE || fid == VTZ_SMC_MON_ATTEST) {
		switch (ciee_caller_check(read_sysreg(spsr_el3), read_sysreg(sctlr_el2),
					  read_sysreg(elr_el3), ciee_smc_site_ret)) {
		case CIEE_CALLER_OK:
			if (fid == VTZ_SMC_MON_TEE_CONSOLE)
				tee_console_smc(f);
			else if (fid == VTZ_SMC_MON_ATTEST)
				attest_ciee_smc(f);
			else
				keys_ciee_smc(f);
			return;
		case CIEE_CALLER_WRONG_SITE:
			con_printf("refused SMC 0x%08x: a CIEE-only service, called in CIEE mode "
				   "from 0x%lx, not the CIEE's call site 0x%lx\n", fid,
				   read_sysreg(elr_el3) - 4, ciee_smc_site_ret - 4);
			f->x[0] = (uint64_t)(int64_t)VTZ_MON_ERR_CALL_SITE;
			return;
		default:
			con_printf("refused SMC 0x%08x: a CIEE-only service, and the caller is not "
				   "the CIEE\n", fid);
			f->x[0] = (uint64_t)(int64_t)SMCCC_NOT_SUPPORTED;
			return;
		}
	}
	/* The measured-boot log, for the hypervisor at EL2 (into a buffer of its own). */
	if (fid == VTZ_SMC_MON_EVENT_LOG && ((read_sysreg(spsr_el3) >> 2) & 3) == 2) {
		mboot_smc(f);
		return;
	}
	/* Firmware update, from the hypervisor at EL2: it carries, the monitor decides. */
	if ((fid == VTZ_SMC_MON_FW_BEGIN || fid == VTZ_SMC_MON_FW_CHUNK ||
	     fid == VTZ_SMC_MON_FW_COMMIT) && ((read_sysreg(spsr_el3) >> 2) & 3) == 2) {
		fw_smc(f);
		return;
	}
	if (fid == PSCI_SYSTEM_OFF)
		mboot_report();
	ret = psci_handle(fid, f->x[1], f->x[2], f->x[3], &handled);
	if (!handled)
		con_printf("refused SMC 0x%08x from non-secure EL2: not a monitor service\n", fid);
	f->x[0] = (uint64_t)ret;
}

void monitor_unexpected(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far, uint64_t spsr)
{
	(void)kind;
	report_exception("at EL3", esr, elr, far, spsr);
	power_off();
}
