/* SPDX-License-Identifier: MIT */
/*
 * Native TrustZone (monitor-native, in place of main.c and scrub.c): the
 * baseline vTZ is measured against. The same TEE image that runs as a
 * guest TEE under the CIEE travels in secure flash with this monitor,
 * is copied to secure RAM and runs at S-EL1 with this monitor as its
 * opteed dispatcher (tee_dispatch.c). There is no CIEE and no hypervisor:
 * the normal world starts at NS-EL1 and its SMCs come straight here.
 */
#include <stdbool.h>

#include <arch/sysreg.h>
#include <lib/console.h>
#include <lib/crypto.h>
#include <lib/exc_report.h>
#include <lib/fmt.h>
#include <lib/pl011.h>
#include <policy/attest.h>
#include <policy/smc_class.h>
#include <vtz/platform.h>
#include <vtz/smccc.h>

#include "monitor.h"

/* A flattened device tree's header: big-endian magic, then its total size. */
#define FDT_MAGIC 0xd00dfeedU
#define FDT_HEADER_SIZE 40U

extern char monitor_vectors[];

static void uart_write(const char *s, size_t n)
{
	pl011_write(PLAT_UART0_BASE, s, n);
}

void monitor_el3_init(void)
{
	write_sysreg(vbar_el3, (uint64_t)monitor_vectors);
	write_sysreg(scr_el3, NATIVE_SCR_NS);
	write_sysreg(cptr_el3, 0);
	write_sysreg(S3_6_C12_C12_5, 0xf); /* ICC_SRE_EL3: SRE, DFB, DIB, Enable */
	isb();
	/*
	 * The CPU interface as TF-A's gicv3_cpuif_enable() leaves it: the
	 * priority mask open (from its reset value 0: with SCR_EL3.FIQ set a
	 * non-secure write cannot move it out of the secure range, so Linux
	 * could never unmask its interrupts), secure and non-secure group 1 on
	 * (a secure OS built for TF-A sets neither itself).
	 */
	write_sysreg(S3_0_C4_C6_0, 0xff); /* ICC_PMR_EL1 */
	write_sysreg(S3_6_C12_C12_7, 0x3); /* ICC_IGRPEN1_EL3: EnableGrp1NS, EnableGrp1S */
	isb();
	tee_switch_init_cpu();
}

/*
 * EL2 exists but nothing runs there: make it transparent for NS-EL1.
 * HCR_EL2 = RW only (EL1 is AArch64; no stage 2, SMCs not trapped), no
 * FP or timer traps, and MIDR/MPIDR read at EL1 as the real ones.
 */
static void el2_init(void)
{
	write_sysreg(hcr_el2, HCR_RW);
	write_sysreg(sctlr_el2, SCTLR_EL2_RES1);
	write_sysreg(cptr_el2, CPTR_EL2_RES1);
	write_sysreg(cnthctl_el2, 0x3); /* EL1PCTEN | EL1PCEN */
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(vttbr_el2, 0);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(vmpidr_el2, read_sysreg(mpidr_el1));
	write_sysreg(S3_4_C12_C9_5, 0xf); /* ICC_SRE_EL2: EL1 may use the GIC's sysregs */
	isb();
}

/*
 * QEMU cannot preload secure RAM: the TEE comes from flash. Checks the
 * header monitor/mkflash.py wrote and returns the image's size.
 */
static uint64_t tee_load(void)
{
	const volatile struct native_tee_hdr *h = (const void *)NATIVE_TEE_FLASH_HDR;
	const volatile uint64_t *src = (const void *)NATIVE_TEE_FLASH_BASE;
	volatile uint64_t *dst = (void *)NATIVE_TEE_BASE;
	uint64_t size, i;

	if (h->magic != NATIVE_TEE_MAGIC)
		monitor_panic("no TEE image in flash at 0x100000 (boot with -bios "
			      "flash-native.bin, which `make images` builds)");
	size = h->size;
	if (!size || size > NATIVE_TEE_SIZE ||
	    size > NATIVE_FLASH_SIZE - NATIVE_TEE_FLASH_BASE) {
		con_printf("FATAL: TEE image refused: size 0x%lx in its flash header is not "
			   "within its 0x%lx-byte secure RAM region\n", size, NATIVE_TEE_SIZE);
		power_off();
	}
	/* Nothing of an earlier boot survives in the TEE's RAM (bss, stack). */
	monitor_zero(NATIVE_TEE_BASE, NATIVE_TEE_BASE + NATIVE_TEE_SIZE);
	/* MMU off, Device memory: aligned 8-byte accesses only. */
	for (i = 0; i < (size + 7) / 8; i++)
		dst[i] = src[i];
	dsb(sy);
	__asm__ volatile("ic iallu" ::: "memory");
	dsb(sy);
	isb();
	return size;
}

/*
 * Measure the TEE as copied into secure RAM, where nothing but the
 * monitor writes before it first runs: exactly the bytes loaded, the size
 * its flash record gives (monitor/mkflash.py: the image file's size). An
 * image with a vTZTEEI1 header must name that same size, so our TEE is
 * measured over the same range as under the CIEE and gets the same key in
 * either home; a TrustZone OS built for TF-A has no such header.
 */
static void tee_measure(uint64_t size, uint8_t measurement[32])
{
	int64_t hdr_size = keys_tee_image_size(NATIVE_TEE_BASE);

	if (hdr_size >= 0 && (uint64_t)hdr_size != size) {
		con_printf("FATAL: TEE image refused: its header names 0x%lx bytes, its flash "
			   "record 0x%lx\n", (uint64_t)hdr_size, size);
		power_off();
	}
	if (keys_measure(NATIVE_TEE_BASE, size, measurement))
		monitor_panic("TEE image could not be measured");
}

static uint32_t be32_at(uint64_t addr)
{
	/* MMU off, Device memory: an aligned 4-byte read. */
	return __builtin_bswap32(*(const volatile uint32_t *)addr);
}

/*
 * The device tree the normal world boots with (x0 at its entry) and the
 * TEE gets in x2, as TF-A hands both the platform's DTB: the one its
 * loader put at NATIVE_NS_DTB (scripts/vtz_run.py does, for Linux), else
 * QEMU's at PLAT_DTB_BASE. The monitor reads only the header: it never
 * parses a tree, it passes an address in the normal world's RAM, which
 * only the normal world and the TEE read. Either tree may grow in place
 * up to PLAT_DTB_MAX_SIZE (OP-TEE adds its nodes), which the layout
 * leaves free; a tree that claims more is refused.
 */
static uint64_t ns_dtb(void)
{
	uint32_t size;

	if (be32_at(NATIVE_NS_DTB) != FDT_MAGIC)
		return PLAT_DTB_BASE;
	size = be32_at(NATIVE_NS_DTB + 4);
	if (size < FDT_HEADER_SIZE || size > PLAT_DTB_MAX_SIZE) {
		con_printf("FATAL: normal-world device tree at 0x%lx refused: %u bytes, not "
			   "%u..0x%lx\n", NATIVE_NS_DTB, size, FDT_HEADER_SIZE, PLAT_DTB_MAX_SIZE);
		power_off();
	}
	return NATIVE_NS_DTB;
}

/* End of monitor-native.bin in flash (monitor.lds). */
extern char __monitor_image_end[];

/*
 * Attestation natively: the monitor's own flash image measured as the
 * vTZ monitor measures itself (measured_boot.c); no CIEE, no hypervisor,
 * no signed images, so their digests and the security version are zero.
 */
static void native_attest_init(void)
{
	static struct attest_boot boot = { .home = VTZ_ATTEST_HOME_NATIVE };
	char h[2 * CRYPTO_SHA256_LEN + 1];

	if (crypto_sha256((const void *)0, (uint64_t)__monitor_image_end, boot.monitor))
		monitor_panic("SHA-256 of the monitor failed");
	fmt_hex(boot.monitor, sizeof(boot.monitor), h);
	con_printf("monitor measured: sha256 %s (%lu bytes of flash)\n", h,
		   (uint64_t)__monitor_image_end);
	attest_init(&boot);
}

void monitor_main(void)
{
	uint64_t generation, size, dtb;
	uint8_t measurement[32];

	/* Retire every pen state of an earlier boot (psci.c). */
	psci_cold_boot(&generation);
	pl011_init(PLAT_UART0_BASE);
	console_init("mon", uart_write);
	con_printf("vTZ monitor at EL3: secure RAM 0x%lx-0x%lx, native TrustZone (TEE at "
		   "S-EL1, no CIEE, no hypervisor)\n",
		   PLAT_SECURE_RAM_BASE, PLAT_SECURE_RAM_BASE + PLAT_SECURE_RAM_SIZE - 1);
	if (!*(volatile uint32_t *)NATIVE_NS_ENTRY)
		monitor_panic("no normal-world image at 0x48000000 (load guest-native.bin "
			      "there with -device loader,file=guest-native.bin,addr=0x48000000)");
	el2_init();
	gic_secure_init();
	dtb = ns_dtb();
	size = tee_load();
	keys_init("flash-native.bin");
	tee_measure(size, measurement);
	con_printf("TEE image: %lu bytes from flash 0x%lx copied to secure RAM 0x%lx; "
		   "entering it at S-EL1\n", size, NATIVE_TEE_FLASH_BASE, NATIVE_TEE_BASE);
	/* Before the TEE's first instruction: it may ask for a report at once. */
	native_attest_init();
	if (tee_dispatch_boot(NATIVE_TEE_BASE, size, measurement, dtb))
		con_printf("the TEE did not complete its boot: continuing without it\n");
	con_printf("entering the normal world at NS-EL1 at 0x%lx with its device tree at 0x%lx "
		   "(HCR_EL2 = RW: no stage 2, SMCs go to EL3)\n", NATIVE_NS_ENTRY, dtb);
	monitor_enter_ns_el1(NATIVE_NS_ENTRY, dtb);
}

/*
 * A CPU released by CPU_ON (psci.c checked the entry is in the normal
 * world's RAM): its own EL2 and GIC redistributor set up as CPU 0's were,
 * the TEE brought up on it (its cpu_on slot, as opteed does before the
 * normal world runs there), then the normal world at the entry it asked
 * for, at NS-EL1 with x0 = its context, MMU off, as PSCI specifies.
 */
void native_secondary_start(uint64_t entry, uint64_t context)
{
	el2_init();
	gic_secure_init_cpu(this_cpu_index());
	if (tee_dispatch_cpu_on())
		con_printf("cpu%u: no TEE on this CPU: its trusted-OS calls fail\n",
			   this_cpu_index());
	monitor_enter_ns_el1(entry, context);
}

/*
 * The normal world's SMCs, routed as the vTZ hypervisor routes a VM's
 * (policy/smc_class.c), so an OS sees the same firmware in both homes:
 * trusted-OS calls (owners 50..63) go to the TEE; PSCI is the monitor's;
 * of the Arm Architecture calls SMCCC_VERSION is 1.1 and every other
 * (ARCH_FEATURES: Linux asks for its Spectre workarounds on every CPU)
 * NOT_SUPPORTED, quietly, as a VM is told; nothing else is served.
 */
void monitor_handle_lower_sync(struct smc_frame *f)
{
	uint64_t esr = read_sysreg(esr_el3);
	uint32_t fid = (uint32_t)f->x[0];
	int handled = 0;
	int64_t ret = SMCCC_NOT_SUPPORTED;

	if (((esr >> ESR_EC_SHIFT) & ESR_EC_MASK) != EC_SMC64) {
		report_exception("from a lower EL at EL3", esr, read_sysreg(elr_el3),
				 read_sysreg(far_el3), read_sysreg(spsr_el3));
		power_off();
	}
	switch (smc_route_from_guest(f->x[0])) {
	case SMC_ROUTE_TEE:
		tee_dispatch_call(f);
		return;
	case SMC_ROUTE_ARCH:
		f->x[0] = fid == SMCCC_VERSION ? SMCCC_VERSION_1_1 : (uint64_t)SMCCC_NOT_SUPPORTED;
		return;
	case SMC_ROUTE_PSCI:
		ret = psci_handle(fid, f->x[1], f->x[2], f->x[3], &handled);
		break;
	default:
		break;
	}
	if (!handled)
		con_printf("refused SMC 0x%lx from the normal world: not a monitor or TEE "
			   "service\n", f->x[0]);
	f->x[0] = (uint64_t)ret;
}

#define ICC_HPPIR0_EL1 S3_0_C12_C8_2
#define ICC_IAR0_EL1 S3_0_C12_C8_0
#define ICC_EOIR0_EL1 S3_0_C12_C8_1
#define INTID_SECURE_GROUP1 1020 /* ICC_HPPIR0_EL1 at EL3: a secure group 1 one is next */

/*
 * A FIQ while the normal world ran (SCR_EL3.FIQ, vectors.S): a secure
 * group 1 interrupt is the TEE's (tee_dispatch_fiq()), as TF-A's opteed
 * routes it; nothing else is in group 0 natively, so anything there is
 * ended and reported.
 */
void monitor_fiq(void)
{
	uint64_t hppi = read_sysreg(ICC_HPPIR0_EL1) & 0xffffff, intid;

	if (hppi == INTID_SECURE_GROUP1) {
		tee_dispatch_fiq();
		return;
	}
	intid = read_sysreg(ICC_IAR0_EL1) & 0xffffff;
	if (intid < 1020) {
		write_sysreg(ICC_EOIR0_EL1, intid);
		con_printf("cpu%u: group 0 interrupt %lu: no one takes it here\n",
			   this_cpu_index(), intid);
	}
}

void monitor_unexpected(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far, uint64_t spsr)
{
	(void)kind;
	report_exception("at EL3", esr, elr, far, spsr);
	power_off();
}

/*
 * SYSTEM_RESET (power.c): the TEE's secrets are in secure RAM, which QEMU
 * keeps across a reset; zero its region (the next boot zeroes it again
 * before copying the TEE in). Nothing secure lives in non-secure RAM.
 */
void scrub_before_reset(void)
{
	monitor_zero(NATIVE_TEE_BASE, NATIVE_TEE_BASE + NATIVE_TEE_SIZE);
	con_printf("system reset: scrubbed the TEE's secure RAM 0x%lx-0x%lx\n",
		   NATIVE_TEE_BASE, NATIVE_TEE_BASE + NATIVE_TEE_SIZE - 1);
}
