/* SPDX-License-Identifier: MIT */
/* Internal interfaces of the EL3 monitor. */
#ifndef MONITOR_H
#define MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Saved caller registers of an SMC (x0..x30), as built by vectors.S. */
struct smc_frame {
	uint64_t x[31];
	uint64_t pad;
};

void monitor_el3_init(void);
void monitor_main(void);
void monitor_enter_el2(uint64_t entry, uint64_t a0, uint64_t a1, uint64_t a2)
	__attribute__((noreturn));

/* PSCI, served to the non-secure world. */
int64_t psci_handle(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3, int *handled);
void psci_secondary_wait(uint64_t cpu);

/*
 * The GIC's secure-only set-up (gic.c): the distributor and the boot CPU's
 * redistributor at cold boot; every other CPU's when CPU_ON releases it.
 */
void gic_secure_init(void);
void gic_secure_init_cpu(unsigned int cpu);

/* What the boot marker in secure RAM (kept across resets) said at cold boot. */
enum boot_kind {
	BOOT_FIRST,          /* all zero: first power-on, RAM is zero */
	BOOT_AFTER_RESET,    /* a valid marker: the machine ran before */
	BOOT_UNKNOWN_MARKER, /* neither: treated as a reset */
};

/*
 * CPU 0 at cold boot, before any non-secure code runs: read the boot
 * marker, advance the boot generation (which retires every pen state of
 * earlier boots) and return what the marker said.
 */
enum boot_kind psci_cold_boot(uint64_t *generation);

/* Scrubbing memory that TEEs may have owned (scrub.c). */
void scrub_cold_boot(enum boot_kind kind, uint64_t generation);
/* ram.c: the machine's RAM from PLAT_NS_RAM_BASE (1..2 GiB), read at cold boot. */
void ram_init(void);
uint64_t monitor_ram_size(void);
bool monitor_vm_pool_page(uint64_t pa);
void scrub_before_reset(void);
/*
 * acpi.c: install QEMU's ACPI tables at PLAT_ACPI_BASE (cold boot, after
 * the scrub); the RSDP's address, or 0 if there are none or they were refused.
 */
uint64_t acpi_install(void);
/* Zero [base, end); both 64-byte aligned. Plain stores, MMU off (entry.S). */
void monitor_zero(uint64_t base, uint64_t end);

/*
 * Native TrustZone (monitor-native, VTZ_NATIVE): no CIEE, no hypervisor;
 * the TEE runs at S-EL1 and this monitor is its opteed dispatcher.
 * flash-native.bin (monitor/mkflash.py) = this monitor, then at
 * NATIVE_TEE_FLASH_HDR a struct native_tee_hdr, then tee.bin at
 * NATIVE_TEE_FLASH_BASE. The monitor copies the TEE to NATIVE_TEE_BASE,
 * its link address (tee/tee.lds), above the monitor's own secure MiB.
 */
#define NATIVE_FLASH_SIZE 0x04000000UL
#define NATIVE_TEE_FLASH_HDR 0x000ff000UL
#define NATIVE_TEE_FLASH_BASE 0x00100000UL
#define NATIVE_TEE_MAGIC 0x31304545545a5476UL /* "vTZTEE01" little-endian */
#define NATIVE_TEE_BASE 0x0e100000UL
#define NATIVE_TEE_SIZE 0x00f00000UL /* to the end of secure RAM */
/* The normal world's image, loaded by QEMU above its DTB. */
#define NATIVE_NS_ENTRY 0x48000000UL
/*
 * Where a loader may put the device tree the normal world boots with
 * (native.c, ns_dtb()): above QEMU's own at PLAT_DTB_BASE, with
 * PLAT_DTB_MAX_SIZE free to grow into.
 */
#define NATIVE_NS_DTB (PLAT_DTB_BASE + PLAT_DTB_MAX_SIZE)

struct native_tee_hdr {
	uint64_t magic;
	uint64_t size; /* bytes of tee.bin */
};

/* SCR_EL3 for each world, natively. No HCE: nothing at EL2 answers HVC. */
/*
 * While the normal world runs, FIQs come to EL3 (SCR_EL3.FIQ): with a
 * GICv3 a secure interrupt is signalled as FIQ in the non-secure state,
 * and TF-A's opteed takes it there and hands it to the TEE's fiq_entry.
 * While the TEE runs they stay at S-EL1 (its foreign interrupts).
 */
#define NATIVE_SCR_NS (SCR_RES1 | SCR_NS | SCR_RW | SCR_FIQ)
#define NATIVE_SCR_SECURE (SCR_RES1 | SCR_RW)

/*
 * The TEE's dispatcher (tee_dispatch.c, tee_switch.S). boot: CPU 0, its
 * first entry, with dtb in x2 (0: none); cpu_on: a CPU started by PSCI
 * CPU_ON, before the normal world runs there. 0, or -1 if the TEE did not
 * come up (it is then stopped, and the normal world goes on without it).
 */
int tee_dispatch_boot(uint64_t base, uint64_t size, const uint8_t measurement[32], uint64_t dtb);
int tee_dispatch_cpu_on(void);
void tee_dispatch_call(struct smc_frame *f);
void tee_dispatch_fiq(void);
/* A CPU released from the pen by CPU_ON, natively (native.c). */
void native_secondary_start(uint64_t entry, uint64_t context) __attribute__((noreturn));
uint64_t tee_world_enter(uint64_t *gprs);
void tee_switch_init_cpu(void);
void monitor_enter_ns_el1(uint64_t entry, uint64_t x0) __attribute__((noreturn));

/*
 * Boot integrity (keys.c): the device root key from secure flash, TEE
 * measurement (SHA-256), per-TEE keys (HKDF-SHA256 of the root key and
 * the measurement). flash_image names the -bios image to boot with.
 */
void keys_init(const char *flash_image);
/* The size in a TEE image's header at base, or -1 if it has no valid one. */
int64_t keys_tee_image_size(uint64_t base);
/* out = SHA-256 of [base, base + size); prints it. 0 or -1. */
int keys_measure(uint64_t base, uint64_t size, uint8_t out[32]);
/* key = this device's key for a TEE with this measurement in the VM of this identity. 0 or -1. */
int keys_tee_key(const uint8_t measurement[32], const uint8_t identity[16], uint8_t key[32]);
/* out = HKDF-SHA256(device root key, no salt, info): keys of the device's own. 0 or -1. */
int keys_derive(const char *info, size_t info_len, uint8_t *out, size_t out_len);
/* VTZ_SMC_MON_TEE_MEASURE / _KEY, once main.c knows the caller is the CIEE. */
void keys_ciee_smc(struct smc_frame *f);

/* Signed boot images (verify.c): what a verified image was signed as. */
struct boot_measurement {
	uint8_t digest[32];        /* SHA-256 of the image and its protected TLVs */
	uint32_t security_counter; /* its SEC_CNT */
};
/*
 * Measured boot (measured_boot.c): the TCG event log and PCRs 0..2 in
 * secure RAM. mboot_init() first (it measures the monitor), then the
 * images, the VM configuration and the separators before the CIEE runs;
 * mboot_tee() at each TEE_BOOT; mboot_smc() serves the hypervisor's reads;
 * mboot_report() prints the PCRs at SYSTEM_OFF.
 */
/* mboot_init: monitor = SHA-256 of the monitor's flash image, as logged (attestation). */
void mboot_init(uint8_t monitor[32]);
void mboot_image(const char *what, const uint8_t digest[32]);
void mboot_vm_config(void);
void mboot_separators(void);
void mboot_tee(const uint8_t digest[32], const uint8_t identity[16]);
void mboot_report(void);
void mboot_smc(struct smc_frame *f);

/*
 * Remote attestation (attest.c): attest_init() once at boot, after
 * keys_init(), with what the monitor measured; then attest_sign() builds
 * and signs a TEE's report in *r (0, or -1: no key), attest_copy_out()
 * copies one to a page the caller checked, and attest_ciee_smc() serves
 * VTZ_SMC_MON_ATTEST once main.c knows the caller is the CIEE.
 */
struct attest_boot;
struct vtz_attest_report;
void attest_init(const struct attest_boot *boot);
int attest_sign(const uint8_t tee[32], const uint8_t identity[16], const uint8_t nonce[32],
		struct vtz_attest_report *r);
void attest_copy_out(uint64_t pa, const struct vtz_attest_report *r);
void attest_ciee_smc(struct smc_frame *f);

/* The owner key's hash from secure flash; refuses to boot without one. */
void verify_init(const char *flash_image);
/*
 * Verify the signed image at base (its region: region bytes; its load
 * size at base + size_offset) and fill *out; on any failure print why,
 * naming the image `name`, and power off.
 */
void verify_boot_image(const char *name, uint64_t base, uint64_t region, uint64_t size_offset,
		       struct boot_measurement *out);
/*
 * The same check; with fatal false it prints why (without "FATAL") and
 * returns VTZ_FW_ERR_FORMAT, _DIGEST, _KEY or _SIGNATURE instead of
 * powering off; 0 when the image verified. (The firmware update checks
 * bundles in flash with it, fw_update.c.)
 */
int verify_image(const char *name, uint64_t base, uint64_t region, uint64_t size_offset,
		 struct boot_measurement *out, bool fatal);
/*
 * Firmware in flash0 (fw_update.c). fw_boot: at cold boot, after
 * verify_init(): false if flash0 has no firmware slots (the images come
 * from QEMU's loader); else the active slot's (or the other one's) images
 * are in their RAM regions, verified, *cm and *hm filled. fw_smc: the
 * hypervisor's VTZ_SMC_MON_FW_* calls (main.c checked the caller).
 */
bool fw_boot(struct boot_measurement *cm, struct boot_measurement *hm);
void fw_smc(struct smc_frame *f);
/* tee_console.c: VTZ_SMC_MON_TEE_CONSOLE, a guest TEE's console line on the secure UART */
void tee_console_smc(struct smc_frame *f);

/*
 * Parking the other CPUs at EL3 before a reset scrubs trusted state
 * (park.c). PARK_SGI: a secure Group 0 SGI, taken as FIQ at EL3.
 */
#define PARK_SGI 15
/* The reset's CPU: stop every other one at EL3; false if one did not confirm. */
bool monitor_park_others(void);
/* Every other CPU, at each EL3 boundary: park here if a reset is under way. */
void monitor_park_check(void);
void monitor_fiq(void);
/* tee_input.c: the secure UART's input for guest TEEs (not natively). */
void tee_input_init(void);
void tee_input_fiq(void);
/* Could this CPU be running outside the pen (PSCI ON or ON_PENDING)? */
bool psci_cpu_may_run(unsigned int cpu);

void power_off(void) __attribute__((noreturn));
void power_reset(void) __attribute__((noreturn));
void monitor_panic(const char *why) __attribute__((noreturn));

#endif
