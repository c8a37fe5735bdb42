/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's vGIC (hyp/vgic.c) driven by a hostile guest: every
 * input byte sequence becomes distributor and redistributor accesses of
 * any offset, size and value, SGI writes, device line changes, and list
 * register flushes and syncs in which the "guest" acknowledges and EOIs
 * whatever it likes (or writes nonsense into the LRs). Properties: no
 * memory error (ASan/UBSan), an interrupt is in at most one LR of one
 * vCPU, every listed LR is a valid group-1 software interrupt, and the
 * kick masks name only existing vCPUs.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "vgic.h"
#include "fuzz_util.h"

#define NLRS 4

static void check(const struct vgic *g)
{
	unsigned int c, i, spi_seen[VGIC_NR_SPIS] = { 0 };

	for (c = 0; c < g->n_vcpus; c++) {
		unsigned int priv_seen[VGIC_NR_PRIVATE] = { 0 };
		const struct vgic_cpu *cpu = &g->cpu[c];

		FUZZ_CHECK(cpu->nr_lrs <= VGIC_MAX_LRS, "nr_lrs %u", cpu->nr_lrs);
		for (i = 0; i < cpu->nr_lrs; i++) {
			unsigned int id = cpu->lr_intid[i];
			uint64_t lr = cpu->lr_val[i];

			FUZZ_CHECK(id < VGIC_NR_IRQS, "listed intid %u", id);
			FUZZ_CHECK((lr & ICH_LR_VINTID_MASK) == id, "LR %#llx for %u",
				   (unsigned long long)lr, id);
			FUZZ_CHECK((lr & ICH_LR_GROUP) && !(lr & ICH_LR_HW) &&
					   (lr & ICH_LR_STATE_MASK),
				   "LR %#llx", (unsigned long long)lr);
			if (id < VGIC_NR_PRIVATE)
				FUZZ_CHECK(++priv_seen[id] == 1, "intid %u twice on vCPU %u", id, c);
			else
				FUZZ_CHECK(++spi_seen[id - VGIC_NR_PRIVATE] == 1, "SPI %u twice", id);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vgic g;
	static const uint64_t mpidr[VGIC_MAX_VCPUS] = { 0, 1, 2, 3, 0x100, 0x101, 0x10000, 7 };
	struct fuzz_in in = { data, size, 0 };
	uint64_t lrs[VGIC_MAX_VCPUS][NLRS];
	bool listed[VGIC_MAX_VCPUS] = { false };
	unsigned int n = 1 + fuzz_u8(&in) % VGIC_MAX_VCPUS, steps;
	uint32_t all = (1U << n) - 1;

	if (vgic_init(&g, n, mpidr))
		return 0;
	for (steps = 0; fuzz_left(&in) && steps < 4096; steps++) {
		uint8_t op = fuzz_u8(&in);
		unsigned int vcpu = fuzz_u8(&in) % (n + 1); /* n: out of range */
		uint64_t off = fuzz_u32(&in), v = fuzz_u64(&in);
		unsigned int sz = 1U << (fuzz_u8(&in) % 4), i;
		int k;

		switch (op % 8) {
		case 0:
			(void)vgic_dist_access(&g, vcpu, off % 0x11000, sz, op & 0x80, &v);
			break;
		case 1:
			(void)vgic_redist_access(&g, vcpu, off % (VGIC_REDIST_SIZE * (n + 1)), sz,
						 op & 0x80, &v);
			break;
		case 2:
			k = vgic_set_line(&g, vcpu, (unsigned int)(off % 80), v & 1);
			FUZZ_CHECK(k < 0 || !((uint32_t)k & ~all), "kick mask %#x", (unsigned)k);
			break;
		case 3:
			k = vgic_inject(&g, vcpu, (unsigned int)(off % 80));
			FUZZ_CHECK(k < 0 || !((uint32_t)k & ~all), "kick mask %#x", (unsigned)k);
			break;
		case 4:
			FUZZ_CHECK(!(vgic_sgi1r_write(&g, vcpu, v) & ~all), "SGI kicks");
			break;
		case 5:
			if (vcpu < n) {
				(void)vgic_flush_lrs(&g, vcpu, lrs[vcpu], NLRS);
				listed[vcpu] = true;
			}
			break;
		default:
			if (vcpu < n && listed[vcpu]) {
				/* The guest's doing: any state change, or garbage. */
				for (i = 0; i < NLRS; i++) {
					uint8_t a = fuzz_u8(&in);

					if (a == 0xff)
						lrs[vcpu][i] = fuzz_u64(&in);
					else if (a & 1)
						lrs[vcpu][i] = (lrs[vcpu][i] & ~ICH_LR_STATE_MASK) |
							       ((uint64_t)(a >> 1 & 3) << 62);
				}
				vgic_sync_lrs(&g, vcpu, lrs[vcpu], NLRS);
				listed[vcpu] = false;
			}
			break;
		}
		FUZZ_CHECK(!(vgic_take_kicks(&g) & ~all), "pending kicks");
		(void)vgic_vcpu_pending(&g, vcpu);
		check(&g);
	}
	return 0;
}
