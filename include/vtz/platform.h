/* SPDX-License-Identifier: MIT */
/*
 * Physical memory map of QEMU's virt machine as vTZ uses it, and where
 * each image lives. One place, shared by every image and by the run
 * scripts (which read the load addresses from `make print-layout`).
 */
#ifndef VTZ_PLATFORM_H
#define VTZ_PLATFORM_H

/* Devices (QEMU virt, secure=on). */
#define PLAT_UART0_BASE 0x09000000UL /* PL011, non-secure */
#define PLAT_UART1_BASE 0x09040000UL /* PL011, secure-only */
#define PLAT_SECURE_GPIO 0x090b0000UL /* PL061: pin 0 power-off, pin 1 reset */
#define PLAT_GICD_BASE 0x08000000UL
/*
 * The SPI a TEE raises for its normal world's optee driver (asynchronous
 * notification): OP-TEE's CFG_CORE_ASYNC_NOTIF_GIC_INTID for QEMU's virt
 * machine; our TEE raises the same, so one optee node fits both.
 */
#define PLAT_TEE_NOTIF_INTID 219
#define PLAT_GICR_BASE 0x080a0000UL
#define PLAT_DEVICE_BASE 0x08000000UL /* first 1 GiB holds all MMIO */
#define PLAT_DEVICE_SIZE 0x38000000UL

/*
 * QEMU 7.2 virt's memory map (hw/arm/virt.c, base_memmap/extended_memmap).
 * Devices that cannot master the bus: the only MMIO the hypervisor's
 * stage 1 and guests' stage 2 may map.
 */
#define PLAT_GICD_SIZE 0x00010000UL
#define PLAT_GICR_SIZE 0x00f60000UL /* 123 CPUs x 128 KiB (RD + SGI frames) */
/*
 * Each CPU's 128 KiB: RD_base, then SGI_base. RD_base holds GICR_CTLR and
 * the LPI table bases (GICR_PROPBASER/PENDBASER), which make the
 * redistributor read and write memory: read-only for everyone but the
 * monitor. SGI_base (SGI/PPI enables, priorities) is what the hypervisor
 * uses.
 */
#define PLAT_GICR_FRAME 0x00020000UL
#define PLAT_GICR_RD_SIZE 0x00010000UL
#define PLAT_UART0_SIZE 0x00001000UL
#define PLAT_RTC_BASE 0x09010000UL /* PL031 */
#define PLAT_RTC_SIZE 0x00001000UL
#define PLAT_GPIO_BASE 0x09030000UL /* PL061, non-secure */
#define PLAT_GPIO_SIZE 0x00001000UL
/*
 * Devices that can write (or read) any non-secure physical address, past
 * every translation table (there is no TZASC, and QEMU's SMMUv3 covers
 * PCIe only, stage 1 only): never mapped for the hypervisor or a guest.
 */
#define PLAT_GIC_ITS_BASE 0x08080000UL /* writes its tables to memory */
#define PLAT_GIC_ITS_SIZE 0x00020000UL
#define PLAT_FW_CFG_BASE 0x09020000UL /* DMA register at +0x10 */
#define PLAT_FW_CFG_SIZE 0x00000018UL
#define PLAT_SMMU_BASE 0x09050000UL /* its queues and tables are in memory */
#define PLAT_SMMU_SIZE 0x00020000UL
#define PLAT_VIRTIO_BASE 0x0a000000UL /* 32 virtio-mmio transports x 0x200 */
#define PLAT_VIRTIO_SIZE 0x00004000UL
#define PLAT_PLATFORM_BUS_BASE 0x0c000000UL /* dynamic sysbus devices */
#define PLAT_PLATFORM_BUS_SIZE 0x02000000UL
#define PLAT_PCIE_MMIO_BASE 0x10000000UL
#define PLAT_PCIE_MMIO_SIZE 0x2eff0000UL
#define PLAT_PCIE_PIO_BASE 0x3eff0000UL
#define PLAT_PCIE_PIO_SIZE 0x00010000UL
#define PLAT_PCIE_ECAM_BASE 0x3f000000UL
#define PLAT_PCIE_ECAM_SIZE 0x01000000UL
/* Above RAM, from 256 GiB (-m 1G, highmem on): ECAM, then MMIO at 512 GiB. */
#define PLAT_PCIE_HIGH_ECAM_BASE 0x4010000000UL
#define PLAT_PCIE_HIGH_ECAM_SIZE 0x0010000000UL
#define PLAT_PCIE_HIGH_MMIO_BASE 0x8000000000UL
#define PLAT_PCIE_HIGH_MMIO_SIZE 0x8000000000UL

/* Secure RAM: monitor data, stacks, device root key. */
#define PLAT_SECURE_RAM_BASE 0x0e000000UL
#define PLAT_SECURE_RAM_SIZE 0x01000000UL

/* Non-secure RAM. QEMU puts its DTB at the base when started with -bios. */
#define PLAT_NS_RAM_BASE 0x40000000UL
/*
 * The least RAM vTZ runs with (its fixed layout below fills the first
 * GiB), and the most it uses: a machine with 2 GiB (-m 2G) has a second
 * GiB, from PLAT_HIGH_RAM_BASE, for more VMs; RAM above 2 GiB stays
 * unused. The monitor reads the size from QEMU's device tree before
 * anything untrusted runs, and hands it to the CIEE.
 */
#define PLAT_NS_RAM_SIZE 0x40000000UL
#define PLAT_NS_RAM_MAX 0x80000000UL
#define PLAT_HIGH_RAM_BASE (PLAT_NS_RAM_BASE + PLAT_NS_RAM_SIZE)
#define PLAT_DTB_BASE PLAT_NS_RAM_BASE
#define PLAT_DTB_MAX_SIZE 0x00100000UL

/*
 * Image load addresses in non-secure RAM (QEMU's loader writes through the
 * non-secure view, so nothing can be preloaded into secure RAM).
 *   0x40000000  DTB from QEMU (1 MiB)
 *   0x40100000  CIEE image + its private data, page-table pool (3 MiB)
 *   0x40400000  hypervisor image (4 MiB, includes its heap)
 *   0x40800000  staging: files the VMs name (the TEE's and the guest's
 *               slots of old, 1 MiB each)
 *   0x40a00000  the VM configuration (a device tree, 64 KiB)
 *   0x40a10000  staging (up to the pool)
 *   0x41000000  free memory handed out to VMs by the hypervisor
 *   0x7c000000  staging (48 MiB - 256 KiB: Linux kernels and initramfs)
 *   0x7efc0000  ACPI tables the monitor installs from fw_cfg (256 KiB, read-only
 *               for the hypervisor, owned by the CIEE: never a VM's)
 *   0x7f000000  CIEE data: ownership table and the translation-table pool
 *               (16 MiB, never mapped for the hypervisor)
 *   0x80000000  with 2 GiB of RAM: the second GiB, more free memory for VMs
 */
#define PLAT_CIEE_BASE 0x40100000UL
#define PLAT_CIEE_SIZE 0x00300000UL
#define PLAT_HYP_BASE 0x40400000UL
#define PLAT_HYP_SIZE 0x00400000UL
/*
 * The word the monitor, the CIEE and the hypervisor take around each line
 * they write on UART0 (lib/console.c), in the hypervisor's region (the
 * page below the attack suite's record): all three can reach it.
 */
#define PLAT_CONSOLE_LOCK 0x407fe000UL
#define PLAT_TEE_IMAGE_BASE 0x40800000UL
#define PLAT_TEE_IMAGE_MAX 0x00100000UL
/*
 * The loader's word on a TEE image without our header (OP-TEE's
 * tee-raw.bin): in the last page of the TEE staging area, a magic and the
 * image's size (scripts/vtz_run.py writes it; hyp/vm.c reads it). The
 * image itself may fill the area below it.
 */
#define PLAT_TEE_IMAGE_DESC (PLAT_TEE_IMAGE_BASE + PLAT_TEE_IMAGE_MAX - 0x1000UL)
#define PLAT_TEE_IMAGE_DESC_MAGIC 0x314c45455a547476ULL /* "vtZTEEL1" */
#define PLAT_GUEST_IMAGE_BASE 0x40900000UL
#define PLAT_GUEST_IMAGE_MAX 0x00100000UL
/*
 * The VM configuration (policy/vm_config.h): a device tree the loader
 * (scripts/vtz_run.py) compiles from a .dts and stages here, with a
 * /loaded node saying where it staged each file the VMs name. Those go
 * in the staging areas below, which are the hypervisor's own memory and
 * never handed to a VM: the loader prefers the old fixed slots
 * (PLAT_TEE_IMAGE_BASE for the first TEE image, PLAT_GUEST_IMAGE_BASE for
 * the first bare kernel, PLAT_LINUX_STAGE_BASE and PLAT_LINUX_INITRD_BASE
 * for the first Linux kernel and initramfs), which the attack suite's and
 * the benchmark's own extra VMs still copy from.
 */
#define PLAT_VM_CONFIG_BASE 0x40a00000UL
#define PLAT_VM_CONFIG_MAX 0x00010000UL
#define PLAT_STAGE0_BASE PLAT_TEE_IMAGE_BASE
#define PLAT_STAGE0_SIZE (PLAT_VM_CONFIG_BASE - PLAT_STAGE0_BASE)
#define PLAT_STAGE1_BASE (PLAT_VM_CONFIG_BASE + PLAT_VM_CONFIG_MAX)
#define PLAT_STAGE1_SIZE (PLAT_VM_POOL_BASE - PLAT_STAGE1_BASE)
#define PLAT_STAGE2_BASE PLAT_LINUX_STAGE_BASE
#define PLAT_STAGE2_SIZE (PLAT_ACPI_BASE - PLAT_STAGE2_BASE)
#define PLAT_VM_POOL_BASE 0x41000000UL
#define PLAT_VM_POOL_END PLAT_LINUX_STAGE_BASE
#define PLAT_VM_POOL_SIZE (PLAT_VM_POOL_END - PLAT_VM_POOL_BASE)
/*
 * The top staging area (above the VM pool): where the loader puts the
 * first Linux kernel Image (32 MiB) and initramfs (15 MiB) it stages.
 */
#define PLAT_LINUX_STAGE_BASE 0x7c000000UL
#define PLAT_LINUX_KERNEL_MAX 0x02000000UL
#define PLAT_LINUX_INITRD_BASE 0x7e000000UL
#define PLAT_LINUX_INITRD_MAX 0x00f00000UL
/*
 * The platform firmware's ACPI tables (monitor/acpi.c): QEMU's fw_cfg
 * files placed and linked by the monitor at cold boot; the RSDP's address
 * goes to the CIEE and the hypervisor with the DTB's (docs/architecture.md,
 * "Platform discovery"). Owned by the CIEE, so never donated; mapped
 * read-only for the hypervisor, so what the CIEE reads there (SRAT) is
 * what the monitor installed.
 */
#define PLAT_ACPI_BASE 0x7efc0000UL
#define PLAT_ACPI_SIZE 0x00040000UL
#define PLAT_CIEE_DATA_BASE 0x7f000000UL
#define PLAT_CIEE_DATA_SIZE 0x01000000UL
#define PLAT_OWN_TABLE_SIZE 0x00100000UL /* 2 bytes per 4 KiB page of 2 GiB */
#define PLAT_SMM_STATE_BASE (PLAT_CIEE_DATA_BASE + PLAT_OWN_TABLE_SIZE) /* VM list, locks */
/* How many stage-2 entries point at each RAM page (policy/ownership.h). */
#define PLAT_MAP_COUNT_BASE (PLAT_CIEE_DATA_BASE + 0x00180000UL)
#define PLAT_MAP_COUNT_SIZE 0x00100000UL /* 2 bytes per 4 KiB page of 2 GiB */
#define PLAT_PT_POOL_BASE (PLAT_CIEE_DATA_BASE + 0x00280000UL)
#define PLAT_PT_POOL_SIZE (PLAT_CIEE_DATA_SIZE - 0x00280000UL)

#define PLAT_MAX_CPUS 8

#endif
