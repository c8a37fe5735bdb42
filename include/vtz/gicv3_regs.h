/* SPDX-License-Identifier: MIT */
/*
 * GICv3 register offsets (IHI 0069): the distributor's from its base, a
 * redistributor's from its frame (RD_base, then SGI_base). One map for
 * every emulation of it: a Linux VM's GIC (hyp/vgic.c) and a guest TEE's
 * (policy/tee_gic.c).
 */
#ifndef VTZ_GICV3_REGS_H
#define VTZ_GICV3_REGS_H

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_TYPER2 0x000c
#define GICD_STATUSR 0x0010
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR 0x0800
#define GICD_ICFGR 0x0c00
#define GICD_IGRPMODR 0x0d00
#define GICD_NSACR 0x0e00
#define GICD_SGIR 0x0f00
#define GICD_CPENDSGIR 0x0f10
#define GICD_SPENDSGIR 0x0f20
#define GICD_IROUTER 0x6000
#define GIC_PIDR2 0xffe8 /* distributor and RD_base alike */

#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_TYPER_LAST (1ULL << 4) /* the last frame */
#define GICR_STATUSR 0x0010
#define GICR_WAKER 0x0014
#define GICR_SGI_BASE 0x10000U /* SGI_base registers: GICD_* offsets from here */

#endif
