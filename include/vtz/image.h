/* SPDX-License-Identifier: MIT */
/*
 * Header at the start of the hypervisor image. The CIEE uses it to find
 * the fixed entry points and the text range it maps executable.
 */
#ifndef VTZ_IMAGE_H
#define VTZ_IMAGE_H

#define HYP_ENTRY_PRIMARY_OFFSET 0x0
#define HYP_ENTRY_SECONDARY_OFFSET 0x4
#define HYP_HDR_MAGIC_OFFSET 0x8
#define HYP_HDR_TEXT_SIZE_OFFSET 0x10
#define HYP_HDR_IMAGE_SIZE_OFFSET 0x18
/*
 * The CIEE's vectors branch here for every exception taken in hypervisor
 * mode (its own faults, or a guest it entered by itself): x0 = vector
 * index, the hypervisor's x0 and x1 pushed on its stack.
 */
#define HYP_ENTRY_FAULT_OFFSET 0x20
/*
 * Bytes of the image the loader writes (text, rodata, data; not bss): its
 * signature trailer follows at once (policy/signed_image.h, checked by the
 * monitor before anything runs).
 */
#define HYP_HDR_LOAD_SIZE_OFFSET 0x28
#define HYP_IMAGE_MAGIC 0x31305059485a5476UL /* "vTZHYP01" little-endian */

#endif
