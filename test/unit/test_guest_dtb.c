/* SPDX-License-Identifier: MIT */
/*
 * Guest device trees (hyp/guest_dtb.c): every node and property, read
 * back with libfdt; every configuration error; and, when dtc is
 * installed, a round trip through `dtc -I dtb -O dts`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <libfdt.h>

#include "guest_dtb.h"

#define BUF_SIZE 8192

static uint8_t buf[BUF_SIZE];
static struct guest_dtb_cfg cfg;

static int setup(void **state)
{
	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.ram_base = 0x40000000;
	cfg.ram_size = 0x10000000;
	cfg.n_vcpus = 2;
	cfg.mpidr[0] = 0;
	cfg.mpidr[1] = 1;
	cfg.gicd_base = 0x08000000;
	cfg.gicd_size = 0x10000;
	cfg.gicr_base = 0x080a0000;
	cfg.gicr_size = 2 * 0x20000;
	cfg.uart_base = 0x09000000;
	cfg.uart_spi = 1;
	cfg.bootargs = "console=ttyAMA0 earlycon";
	cfg.initrd_start = 0x48000000;
	cfg.initrd_end = 0x48100000;
	cfg.optee = true;
	memset(buf, 0xa5, sizeof(buf));
	return 0;
}

/* ------------------------------------------------------------ helpers */

static int node(const char *path)
{
	int off = fdt_path_offset(buf, path);

	if (off < 0)
		fail_msg("no node %s: %s", path, fdt_strerror(off));
	return off;
}

static const void *prop(const char *path, const char *name, int *len)
{
	const void *p = fdt_getprop(buf, node(path), name, len);

	if (!p)
		fail_msg("no %s in %s", name, path);
	return p;
}

static void expect_str(const char *path, const char *name, const char *s)
{
	int len;
	const char *p = prop(path, name, &len);

	assert_int_equal(len, strlen(s) + 1);
	assert_string_equal(p, s);
}

/* A string list, given as a NUL-separated literal and its sizeof. */
static void expect_strs(const char *path, const char *name, const char *s, size_t n)
{
	int len;
	const char *p = prop(path, name, &len);

	assert_int_equal(len, n);
	assert_memory_equal(p, s, n);
}

static void expect_cells(const char *path, const char *name, const uint32_t *cells, unsigned int n)
{
	int len;
	const fdt32_t *p = prop(path, name, &len);
	unsigned int i;

	assert_int_equal(len, 4 * n);
	for (i = 0; i < n; i++)
		assert_int_equal(fdt32_to_cpu(p[i]), cells[i]);
}

static void expect_u32(const char *path, const char *name, uint32_t v)
{
	expect_cells(path, name, &v, 1);
}

static void expect_u64s(const char *path, const char *name, const uint64_t *v, unsigned int n)
{
	int len;
	const uint8_t *p = prop(path, name, &len);
	unsigned int i;

	assert_int_equal(len, 8 * n);
	for (i = 0; i < n; i++) /* 64-bit values are only 4-byte aligned in a blob */
		assert_int_equal(fdt64_ld((const fdt64_t *)(const void *)(p + 8 * i)), v[i]);
}

static void expect_empty(const char *path, const char *name)
{
	int len;

	prop(path, name, &len);
	assert_int_equal(len, 0);
}

static void expect_no(const char *path, const char *name)
{
	assert_null(fdt_getprop(buf, node(path), name, NULL));
}

static void build_ok(void)
{
	int ret = guest_dtb_build(buf, sizeof(buf), &cfg);

	if (ret)
		fail_msg("guest_dtb_build: %d (%s)", ret, guest_dtb_strerror(ret));
	assert_int_equal(fdt_check_header(buf), 0);
}

/* ------------------------------------------------------------- tests */

static void test_root_and_chosen(void **state)
{
	static const uint64_t mem[2] = {0x40000000, 0x10000000};
	uint64_t v;

	(void)state;
	build_ok();
	assert_true(fdt_totalsize(buf) < 4096);
	expect_str("/", "compatible", "linux,dummy-virt");
	expect_u32("/", "#address-cells", 2);
	expect_u32("/", "#size-cells", 2);
	expect_u32("/", "interrupt-parent", 1);
	assert_int_equal(fdt_node_offset_by_phandle(buf, 1), node("/intc@8000000"));

	expect_str("/chosen", "bootargs", "console=ttyAMA0 earlycon");
	expect_str("/chosen", "stdout-path", "/pl011@9000000");
	v = 0x48000000;
	expect_u64s("/chosen", "linux,initrd-start", &v, 1);
	v = 0x48100000;
	expect_u64s("/chosen", "linux,initrd-end", &v, 1);
	/* stdout-path resolves */
	assert_true(fdt_path_offset(buf, "/pl011@9000000") >= 0);

	expect_str("/memory@40000000", "device_type", "memory");
	expect_u64s("/memory@40000000", "reg", mem, 2);

	/* no initrd, no bootargs, no OP-TEE */
	cfg.initrd_start = cfg.initrd_end = 0;
	cfg.bootargs = NULL;
	cfg.optee = false;
	build_ok();
	expect_no("/chosen", "linux,initrd-start");
	expect_no("/chosen", "linux,initrd-end");
	expect_no("/chosen", "bootargs");
	assert_int_equal(fdt_path_offset(buf, "/firmware"), -FDT_ERR_NOTFOUND);
	/* no seed unless given */
	expect_no("/chosen", "rng-seed");
	expect_no("/chosen", "kaslr-seed");
}

/* The boot seeds go to /chosen exactly as given (hyp/entropy.c makes them). */
static void test_seeds(void **state)
{
	uint8_t seed[64];
	uint64_t kaslr = 0x0123456789abcdefULL;
	unsigned int i;
	int len;
	const void *p;

	(void)state;
	for (i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)(i * 7 + 1);
	cfg.rng_seed = seed;
	cfg.rng_seed_len = sizeof(seed);
	cfg.kaslr_seed = kaslr;
	build_ok();
	p = prop("/chosen", "rng-seed", &len);
	assert_int_equal(len, sizeof(seed));
	assert_memory_equal(p, seed, sizeof(seed));
	expect_u64s("/chosen", "kaslr-seed", &kaslr, 1);
}

static void test_cpus_psci(void **state)
{
	char path[32];
	unsigned int i;

	(void)state;
	cfg.n_vcpus = 4;
	cfg.mpidr[2] = 0x100;
	cfg.mpidr[3] = 0x101;
	cfg.gicr_size = 4 * 0x20000;
	build_ok();
	expect_u32("/cpus", "#address-cells", 1);
	expect_u32("/cpus", "#size-cells", 0);
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "/cpus/cpu@%llx", (unsigned long long)cfg.mpidr[i]);
		expect_str(path, "device_type", "cpu");
		expect_str(path, "compatible", "arm,cortex-a57");
		expect_u32(path, "reg", (uint32_t)cfg.mpidr[i]);
		expect_str(path, "enable-method", "psci");
	}
	assert_int_equal(fdt_path_offset(buf, "/cpus/cpu@2"), -FDT_ERR_NOTFOUND);
	expect_strs("/psci", "compatible", "arm,psci-1.0\0arm,psci-0.2",
		    sizeof("arm,psci-1.0\0arm,psci-0.2"));
	expect_str("/psci", "method", "smc");

	/* Aff3 in use: two address cells */
	cfg.mpidr[3] = 0x0100000000ULL;
	build_ok();
	expect_u32("/cpus", "#address-cells", 2);
	{
		uint64_t reg = 0x0100000000ULL;

		expect_u64s("/cpus/cpu@100000000", "reg", &reg, 1);
	}
}

static void test_timer_gic(void **state)
{
	static const uint32_t timer[12] = {1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4};
	static const uint64_t gic_reg[4] = {0x08000000, 0x10000, 0x080a0000, 0x40000};

	(void)state;
	build_ok();
	expect_strs("/timer", "compatible", "arm,armv8-timer\0arm,armv7-timer",
		    sizeof("arm,armv8-timer\0arm,armv7-timer"));
	expect_cells("/timer", "interrupts", timer, 12);
	expect_empty("/timer", "always-on");

	expect_str("/intc@8000000", "compatible", "arm,gic-v3");
	expect_u32("/intc@8000000", "#interrupt-cells", 3);
	expect_u32("/intc@8000000", "#address-cells", 0);
	expect_empty("/intc@8000000", "interrupt-controller");
	expect_u64s("/intc@8000000", "reg", gic_reg, 4);
	expect_u32("/intc@8000000", "#redistributor-regions", 1);
	expect_u32("/intc@8000000", "phandle", 1);
	/* no ITS, no MSI: nothing below the GIC */
	assert_int_equal(fdt_first_subnode(buf, node("/intc@8000000")), -FDT_ERR_NOTFOUND);
}

static void test_uart_clock(void **state)
{
	static const uint64_t reg[2] = {0x09000000, 0x1000};
	static const uint32_t irq[3] = {0, 1, 4};
	static const uint32_t notif[3] = {0, 187, 1};
	static const uint32_t clks[2] = {2, 2};

	(void)state;
	build_ok();
	expect_str("/apb-pclk", "compatible", "fixed-clock");
	expect_u32("/apb-pclk", "#clock-cells", 0);
	expect_u32("/apb-pclk", "clock-frequency", 24000000);
	expect_u32("/apb-pclk", "phandle", 2);
	expect_strs("/pl011@9000000", "compatible", "arm,pl011\0arm,primecell",
		    sizeof("arm,pl011\0arm,primecell"));
	expect_u64s("/pl011@9000000", "reg", reg, 2);
	expect_cells("/pl011@9000000", "interrupts", irq, 3);
	expect_cells("/pl011@9000000", "clocks", clks, 2);
	expect_strs("/pl011@9000000", "clock-names", "uartclk\0apb_pclk",
		    sizeof("uartclk\0apb_pclk"));
	assert_int_equal(fdt_node_offset_by_phandle(buf, 2), node("/apb-pclk"));

	expect_str("/firmware/optee", "compatible", "linaro,optee-tz");
	expect_str("/firmware/optee", "method", "smc");
	expect_cells("/firmware/optee", "interrupts", notif, 3); /* SPI 187 = INTID 219, edge */
}

static void test_config_errors(void **state)
{
	struct guest_dtb_cfg good;

	(void)state;
	good = cfg;
#define EXPECT_ERR(err, stmt)                                                                      \
	do {                                                                                       \
		cfg = good;                                                                        \
		stmt;                                                                              \
		assert_int_equal(guest_dtb_build(buf, sizeof(buf), &cfg), err);                    \
	} while (0)
	EXPECT_ERR(0, (void)0);
	assert_int_equal(guest_dtb_build(NULL, sizeof(buf), &cfg), GUEST_DTB_ERR_ARG);
	assert_int_equal(guest_dtb_build(buf, sizeof(buf), NULL), GUEST_DTB_ERR_ARG);
	EXPECT_ERR(GUEST_DTB_ERR_VCPUS, cfg.n_vcpus = 0);
	EXPECT_ERR(GUEST_DTB_ERR_VCPUS, cfg.n_vcpus = 9);
	EXPECT_ERR(GUEST_DTB_ERR_MPIDR, cfg.mpidr[1] = 0);
	EXPECT_ERR(GUEST_DTB_ERR_MPIDR, cfg.mpidr[1] = 0x80000001);
	EXPECT_ERR(GUEST_DTB_ERR_SIZE, cfg.ram_size = 0);
	EXPECT_ERR(GUEST_DTB_ERR_SIZE, cfg.gicd_size = 0);
	EXPECT_ERR(GUEST_DTB_ERR_SIZE, cfg.gicr_size = 0);
	EXPECT_ERR(GUEST_DTB_ERR_SIZE, cfg.gicr_size = 0x20000);
	EXPECT_ERR(GUEST_DTB_ERR_RANGE, cfg.ram_base = ~0ULL - 0xfff);
	EXPECT_ERR(GUEST_DTB_ERR_RANGE, (cfg.uart_base = ~0ULL - 0xfff, cfg.uart_size = 0x1000));
	EXPECT_ERR(GUEST_DTB_ERR_OVERLAP, cfg.uart_base = 0x40001000);
	EXPECT_ERR(GUEST_DTB_ERR_OVERLAP, cfg.gicr_base = 0x0800f000);
	EXPECT_ERR(GUEST_DTB_ERR_OVERLAP, cfg.ram_base = 0x08000000);
	EXPECT_ERR(GUEST_DTB_ERR_OVERLAP, cfg.uart_base = 0x080a0000 + 0x3f000);
	EXPECT_ERR(0, cfg.uart_base = 0x080a0000 + 0x40000); /* adjacent is fine */
	EXPECT_ERR(GUEST_DTB_ERR_SPI, cfg.uart_spi = 988);
	EXPECT_ERR(GUEST_DTB_ERR_INITRD, cfg.initrd_start = 0);
	EXPECT_ERR(GUEST_DTB_ERR_INITRD, cfg.initrd_end = 0);
	EXPECT_ERR(GUEST_DTB_ERR_INITRD, cfg.initrd_end = cfg.initrd_start - 1);
	EXPECT_ERR(GUEST_DTB_ERR_INITRD, cfg.initrd_end = 0x50000001);
	EXPECT_ERR(GUEST_DTB_ERR_INITRD, cfg.initrd_start = 0x3ffff000);
	EXPECT_ERR(GUEST_DTB_ERR_SEED, cfg.rng_seed_len = 16);			/* no bytes */
	EXPECT_ERR(GUEST_DTB_ERR_SEED, cfg.rng_seed = (const uint8_t *)"x"; cfg.rng_seed_len = 257);
	assert_int_equal(guest_dtb_build(buf, 256, &good), -FDT_ERR_NOSPACE);
	/* tiny buffers: never a write past size */
	{
		size_t n;

		for (n = 0; n < 1200; n += 7) {
			memset(buf, 0x5a, sizeof(buf));
			assert_true(guest_dtb_build(buf, n, &good) < 0);
			assert_int_equal(buf[n], 0x5a);
		}
	}
	assert_string_equal(guest_dtb_strerror(GUEST_DTB_ERR_OVERLAP), "regions overlap");
	assert_string_equal(guest_dtb_strerror(-FDT_ERR_NOSPACE), fdt_strerror(-FDT_ERR_NOSPACE));
	assert_string_equal(guest_dtb_strerror(-1000), "unknown error");
	assert_string_equal(guest_dtb_strerror(0), "ok");
}

/* dtc must accept the blob and show what Linux will see. */
static void test_dtc_roundtrip(void **state)
{
	char dtb[] = "/tmp/vtz-guest-dtb-XXXXXX";
	char cmd[256], line[512];
	unsigned int found = 0;
	FILE *f;
	int fd;

	(void)state;
	if (system("command -v dtc >/dev/null 2>&1") != 0) {
		skip();
		return;
	}
	build_ok();
	fd = mkstemp(dtb);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, fdt_totalsize(buf)), (ssize_t)fdt_totalsize(buf));
	close(fd);
	/* stderr too: any dtc warning fails the test */
	snprintf(cmd, sizeof(cmd), "dtc -I dtb -O dts %s 2>&1", dtb);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "Warning") || strstr(line, "ERROR"))
			fail_msg("dtc: %s", line);
		if (strstr(line, "compatible = \"arm,gic-v3\";") ||
		    strstr(line, "compatible = \"arm,pl011\\0arm,primecell\";") ||
		    strstr(line, "compatible = \"linaro,optee-tz\";") ||
		    strstr(line, "stdout-path = \"/pl011@9000000\";") || strstr(line, "cpu@1 {"))
			found++;
	}
	assert_int_equal(pclose(f), 0);
	unlink(dtb);
	assert_int_equal(found, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_root_and_chosen, setup),
	    cmocka_unit_test_setup(test_seeds, setup),
	    cmocka_unit_test_setup(test_cpus_psci, setup),
	    cmocka_unit_test_setup(test_timer_gic, setup),
	    cmocka_unit_test_setup(test_uart_clock, setup),
	    cmocka_unit_test_setup(test_config_errors, setup),
	    cmocka_unit_test_setup(test_dtc_roundtrip, setup),
	};

	return cmocka_run_group_tests_name("guest_dtb", tests, NULL, NULL);
}
