/* SPDX-License-Identifier: MIT */
/*
 * Device trees for Linux VMs (see guest_dtb.h). The configuration comes
 * from the hypervisor itself, but it is checked all the same: a wrong
 * tree makes a guest misbehave in ways that are hard to trace back.
 */
#include <libfdt.h>
#include <string.h>

#include <lib/fmt.h>
#include <vtz/platform.h>

#include "guest_dtb.h"

#define MPIDR_AFF_MASK 0xff00ffffffULL
#define GIC_MAX_SPI 988 /* INTIDs 32..1019 */
#define GICR_FRAME 0x20000ULL
#define UART_DEFAULT_SIZE 0x1000ULL
#define APB_PCLK_HZ 24000000U

#define PHANDLE_GIC 1
#define PHANDLE_CLK 2

/* Interrupt specifier cells (arm,gic-v3 binding). */
#define GIC_SPI 0
#define GIC_PPI 1
#define IRQ_LEVEL_HIGH 4
#define IRQ_EDGE_RISING 1

/* Timer PPIs (INTID - 16): secure, non-secure physical, virtual, hyp. */
static const uint32_t timer_ppis[4] = {13, 14, 11, 10};

struct region {
	uint64_t base, size;
};

/* Every libfdt call returns <0 on error: bail out with it. */
#define TRY(x)                                                                                     \
	do {                                                                                       \
		int err_ = (x);                                                                    \
		if (err_ < 0)                                                                      \
			return err_;                                                               \
	} while (0)

#define GUEST_DTB_SEED_MAX 256

static bool overlaps(const struct region *a, const struct region *b)
{
	return a->base < b->base + b->size && b->base < a->base + a->size;
}

static int check_cfg(const struct guest_dtb_cfg *cfg)
{
	uint64_t uart_size = cfg->uart_size ? cfg->uart_size : UART_DEFAULT_SIZE;
	const struct region r[4] = {{cfg->ram_base, cfg->ram_size},
				    {cfg->gicd_base, cfg->gicd_size},
				    {cfg->gicr_base, cfg->gicr_size},
				    {cfg->uart_base, uart_size}};
	unsigned int i, j;

	if (cfg->n_vcpus < 1 || cfg->n_vcpus > GUEST_DTB_MAX_VCPUS)
		return GUEST_DTB_ERR_VCPUS;
	for (i = 0; i < cfg->n_vcpus; i++) {
		if (cfg->mpidr[i] & ~MPIDR_AFF_MASK)
			return GUEST_DTB_ERR_MPIDR;
		for (j = 0; j < i; j++)
			if (cfg->mpidr[i] == cfg->mpidr[j])
				return GUEST_DTB_ERR_MPIDR;
	}
	for (i = 0; i < 4; i++) {
		if (!r[i].size)
			return GUEST_DTB_ERR_SIZE;
		if (r[i].base + r[i].size < r[i].base)
			return GUEST_DTB_ERR_RANGE;
	}
	if (cfg->gicr_size / GICR_FRAME < cfg->n_vcpus)
		return GUEST_DTB_ERR_SIZE;
	for (i = 0; i < 4; i++)
		for (j = 0; j < i; j++)
			if (overlaps(&r[i], &r[j]))
				return GUEST_DTB_ERR_OVERLAP;
	if (cfg->uart_spi >= GIC_MAX_SPI)
		return GUEST_DTB_ERR_SPI;
	if (cfg->initrd_start || cfg->initrd_end) {
		if (!cfg->initrd_start || cfg->initrd_end < cfg->initrd_start ||
		    cfg->initrd_start < cfg->ram_base ||
		    cfg->initrd_end > cfg->ram_base + cfg->ram_size)
			return GUEST_DTB_ERR_INITRD;
	}
	if (cfg->rng_seed_len && (!cfg->rng_seed || cfg->rng_seed_len > GUEST_DTB_SEED_MAX))
		return GUEST_DTB_ERR_SEED;
	return 0;
}

/* reg = <base size> with #address-cells = #size-cells = 2. */
static int prop_reg2(void *fdt, const struct region *r, unsigned int n)
{
	fdt64_t cells[8];
	unsigned int i;

	for (i = 0; i < n && i < 4; i++) {
		cells[2 * i] = cpu_to_fdt64(r[i].base);
		cells[2 * i + 1] = cpu_to_fdt64(r[i].size);
	}
	return fdt_property(fdt, "reg", cells, (int)(2 * i * sizeof(cells[0])));
}

static int begin_node_at(void *fdt, const char *name, uint64_t addr)
{
	char buf[48];

	fmt_snprintf(buf, sizeof(buf), "%s@%llx", name, (unsigned long long)addr);
	return fdt_begin_node(fdt, buf);
}

/* An empty property; libfdt would memcpy() from a NULL value. */
static int prop_empty(void *fdt, const char *name)
{
	return fdt_property(fdt, name, "", 0);
}

/* A string list property from a NUL-separated literal (sizeof includes
 * the final NUL). */
#define PROP_STRS(fdt, name, lit) fdt_property(fdt, name, lit, sizeof(lit))

static int add_cpus(void *fdt, const struct guest_dtb_cfg *cfg)
{
	bool aff3 = false;
	unsigned int i;

	for (i = 0; i < cfg->n_vcpus; i++)
		if (cfg->mpidr[i] >> 32)
			aff3 = true;
	TRY(fdt_begin_node(fdt, "cpus"));
	/* reg is the MPIDR affinity: two cells only if Aff3 is used. */
	TRY(fdt_property_cell(fdt, "#address-cells", aff3 ? 2 : 1));
	TRY(fdt_property_cell(fdt, "#size-cells", 0));
	for (i = 0; i < cfg->n_vcpus; i++) {
		TRY(begin_node_at(fdt, "cpu", cfg->mpidr[i]));
		TRY(fdt_property_string(fdt, "device_type", "cpu"));
		TRY(fdt_property_string(fdt, "compatible", "arm,cortex-a57"));
		if (aff3)
			TRY(fdt_property_u64(fdt, "reg", cfg->mpidr[i]));
		else
			TRY(fdt_property_cell(fdt, "reg", (uint32_t)cfg->mpidr[i]));
		TRY(fdt_property_string(fdt, "enable-method", "psci"));
		TRY(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

static int add_gic(void *fdt, const struct guest_dtb_cfg *cfg)
{
	const struct region r[2] = {{cfg->gicd_base, cfg->gicd_size},
				    {cfg->gicr_base, cfg->gicr_size}};

	TRY(begin_node_at(fdt, "intc", cfg->gicd_base));
	TRY(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
	TRY(fdt_property_cell(fdt, "#interrupt-cells", 3));
	/* No children (no ITS); dtc wants #address-cells in a provider. */
	TRY(fdt_property_cell(fdt, "#address-cells", 0));
	TRY(prop_empty(fdt, "interrupt-controller"));
	TRY(prop_reg2(fdt, r, 2));
	TRY(fdt_property_cell(fdt, "#redistributor-regions", 1));
	TRY(fdt_property_cell(fdt, "phandle", PHANDLE_GIC));
	return fdt_end_node(fdt);
}

static int add_timer(void *fdt)
{
	fdt32_t cells[12];
	unsigned int i;

	for (i = 0; i < 4; i++) {
		cells[3 * i] = cpu_to_fdt32(GIC_PPI);
		cells[3 * i + 1] = cpu_to_fdt32(timer_ppis[i]);
		cells[3 * i + 2] = cpu_to_fdt32(IRQ_LEVEL_HIGH);
	}
	TRY(fdt_begin_node(fdt, "timer"));
	TRY(PROP_STRS(fdt, "compatible", "arm,armv8-timer\0arm,armv7-timer"));
	TRY(fdt_property(fdt, "interrupts", cells, sizeof(cells)));
	TRY(prop_empty(fdt, "always-on"));
	return fdt_end_node(fdt);
}

static int add_uart(void *fdt, const struct guest_dtb_cfg *cfg)
{
	const struct region r = {cfg->uart_base,
				 cfg->uart_size ? cfg->uart_size : UART_DEFAULT_SIZE};
	const fdt32_t irq[3] = {cpu_to_fdt32(GIC_SPI), cpu_to_fdt32(cfg->uart_spi),
				cpu_to_fdt32(IRQ_LEVEL_HIGH)};
	const fdt32_t clks[2] = {cpu_to_fdt32(PHANDLE_CLK), cpu_to_fdt32(PHANDLE_CLK)};

	TRY(fdt_begin_node(fdt, "apb-pclk"));
	TRY(fdt_property_string(fdt, "compatible", "fixed-clock"));
	TRY(fdt_property_cell(fdt, "#clock-cells", 0));
	TRY(fdt_property_cell(fdt, "clock-frequency", APB_PCLK_HZ));
	TRY(fdt_property_string(fdt, "clock-output-names", "clk24mhz"));
	TRY(fdt_property_cell(fdt, "phandle", PHANDLE_CLK));
	TRY(fdt_end_node(fdt));

	TRY(begin_node_at(fdt, "pl011", cfg->uart_base));
	TRY(PROP_STRS(fdt, "compatible", "arm,pl011\0arm,primecell"));
	TRY(prop_reg2(fdt, &r, 1));
	TRY(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
	TRY(fdt_property(fdt, "clocks", clks, sizeof(clks)));
	TRY(PROP_STRS(fdt, "clock-names", "uartclk\0apb_pclk"));
	return fdt_end_node(fdt);
}

static int add_chosen(void *fdt, const struct guest_dtb_cfg *cfg)
{
	char path[48];

	fmt_snprintf(path, sizeof(path), "/pl011@%llx", (unsigned long long)cfg->uart_base);
	TRY(fdt_begin_node(fdt, "chosen"));
	if (cfg->bootargs)
		TRY(fdt_property_string(fdt, "bootargs", cfg->bootargs));
	TRY(fdt_property_string(fdt, "stdout-path", path));
	if (cfg->initrd_start || cfg->initrd_end) {
		TRY(fdt_property_u64(fdt, "linux,initrd-start", cfg->initrd_start));
		TRY(fdt_property_u64(fdt, "linux,initrd-end", cfg->initrd_end));
	}
	if (cfg->rng_seed_len) {
		TRY(fdt_property(fdt, "rng-seed", cfg->rng_seed, (int)cfg->rng_seed_len));
		TRY(fdt_property_u64(fdt, "kaslr-seed", cfg->kaslr_seed));
	}
	return fdt_end_node(fdt);
}

int guest_dtb_build(void *buf, size_t size, const struct guest_dtb_cfg *cfg)
{
	struct region ram;
	int ret;

	if (!buf || !cfg)
		return GUEST_DTB_ERR_ARG;
	ram.base = cfg->ram_base;
	ram.size = cfg->ram_size;
	ret = check_cfg(cfg);
	if (ret)
		return ret;
	if (size > INT32_MAX)
		size = INT32_MAX;

	TRY(fdt_create(buf, (int)size));
	TRY(fdt_finish_reservemap(buf));
	TRY(fdt_begin_node(buf, ""));
	TRY(fdt_property_string(buf, "compatible", "linux,dummy-virt"));
	TRY(fdt_property_string(buf, "model", "vTZ virtual machine"));
	TRY(fdt_property_cell(buf, "#address-cells", 2));
	TRY(fdt_property_cell(buf, "#size-cells", 2));
	TRY(fdt_property_cell(buf, "interrupt-parent", PHANDLE_GIC));

	TRY(add_chosen(buf, cfg));

	TRY(begin_node_at(buf, "memory", cfg->ram_base));
	TRY(fdt_property_string(buf, "device_type", "memory"));
	TRY(prop_reg2(buf, &ram, 1));
	TRY(fdt_end_node(buf));

	TRY(add_cpus(buf, cfg));

	/* PSCI through SMC: the hypervisor traps guest SMCs (HCR_EL2.TSC). */
	TRY(fdt_begin_node(buf, "psci"));
	TRY(PROP_STRS(buf, "compatible", "arm,psci-1.0\0arm,psci-0.2"));
	TRY(fdt_property_string(buf, "method", "smc"));
	TRY(fdt_end_node(buf));

	TRY(add_timer(buf));
	TRY(add_gic(buf, cfg));
	TRY(add_uart(buf, cfg));

	if (cfg->optee) {
		const fdt32_t notif[3] = { cpu_to_fdt32(GIC_SPI),
					   cpu_to_fdt32(PLAT_TEE_NOTIF_INTID - 32),
					   cpu_to_fdt32(IRQ_EDGE_RISING) };

		TRY(fdt_begin_node(buf, "firmware"));
		TRY(fdt_begin_node(buf, "optee"));
		TRY(fdt_property_string(buf, "compatible", "linaro,optee-tz"));
		TRY(fdt_property_string(buf, "method", "smc"));
		/*
		 * Its TEE's notification interrupt, as OP-TEE writes it into a
		 * tree that has no optee node: Linux's driver takes it only when
		 * the TEE says it has asynchronous notification.
		 */
		TRY(fdt_property(buf, "interrupts", notif, sizeof(notif)));
		TRY(fdt_end_node(buf));
		TRY(fdt_end_node(buf));
	}

	TRY(fdt_end_node(buf));
	TRY(fdt_finish(buf));
	return 0;
}

const char *guest_dtb_strerror(int err)
{
	switch (err) {
	case 0:
		return "ok";
	case GUEST_DTB_ERR_ARG:
		return "no buffer or configuration";
	case GUEST_DTB_ERR_VCPUS:
		return "vCPU count not 1..8";
	case GUEST_DTB_ERR_MPIDR:
		return "bad or duplicate MPIDR";
	case GUEST_DTB_ERR_SIZE:
		return "region of size 0, or redistributor region too small";
	case GUEST_DTB_ERR_RANGE:
		return "region wraps around";
	case GUEST_DTB_ERR_OVERLAP:
		return "regions overlap";
	case GUEST_DTB_ERR_SPI:
		return "UART SPI out of range";
	case GUEST_DTB_ERR_INITRD:
		return "initrd not a range inside RAM";
	case GUEST_DTB_ERR_SEED:
		return "rng-seed missing or over 256 bytes";
	default:
		return err < 0 && err >= -FDT_ERR_MAX ? fdt_strerror(err) : "unknown error";
	}
}
