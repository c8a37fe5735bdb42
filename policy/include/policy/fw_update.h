/* SPDX-License-Identifier: MIT */
/*
 * Firmware update policy (include/vtz/fw_update.h for the layout): which
 * metadata copy decides, whether a bundle header is sound, and the order
 * a staged update's chunks must arrive in. No hardware, no cryptography:
 * linked into the monitor and into host tests and fuzzing.
 */
#ifndef POLICY_FW_UPDATE_H
#define POLICY_FW_UPDATE_H

#include <stddef.h>
#include <stdint.h>

#include <vtz/fw_update.h>

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32()) of n bytes. */
uint32_t fw_crc32(const void *buf, size_t n);

/* Why a metadata copy is not valid (negated by fw_meta_check). */
enum fw_meta_err {
	FW_META_ERR_ERASED = 1, /* all 0xff or all 0: never written */
	FW_META_ERR_MAGIC,
	FW_META_ERR_CRC, /* torn write (or damage) */
	FW_META_ERR_SLOT,
	FW_META_ERR_RESERVED,
};

/* 0 if m is a valid record, else -FW_META_ERR_*. */
int fw_meta_check(const struct fw_meta *m);
/* Fill in m's magic and crc: the record to write. */
void fw_meta_seal(struct fw_meta *m);
/*
 * Which of the two copies decides: the valid one with the higher seq (0
 * or 1), or -1 if neither is valid. err[i] gets copy i's check result.
 */
int fw_meta_pick(const struct fw_meta m[2], int err[2]);
const char *fw_meta_strerror(int err);

enum fw_bundle_err {
	FW_BUNDLE_ERR_MAGIC = 1,
	FW_BUNDLE_ERR_SIZE,     /* size smaller than the header, or past the room */
	FW_BUNDLE_ERR_ALIGN,    /* an image not 4 KiB aligned */
	FW_BUNDLE_ERR_CIEE,     /* the CIEE image outside the bundle or its region */
	FW_BUNDLE_ERR_HYP,      /* the hypervisor image outside the bundle or its region */
	FW_BUNDLE_ERR_OVERLAP,  /* the two images overlap (or overlap the header) */
	FW_BUNDLE_ERR_RESERVED, /* reserved field not 0 */
};

/*
 * 0 if h describes a bundle of at most room bytes whose CIEE image fits
 * in ciee_max bytes and hypervisor image in hyp_max, both inside it and
 * apart; else -FW_BUNDLE_ERR_*.
 */
int fw_bundle_check(const struct fw_bundle_hdr *h, uint64_t room, uint64_t ciee_max,
		    uint64_t hyp_max);
const char *fw_bundle_strerror(int err);

/* A staged update: BEGIN, CHUNKs in order, COMMIT (include/vtz/fw_update.h). */
enum fw_stage_state {
	FW_STAGE_IDLE,
	FW_STAGE_RECEIVING,
	FW_STAGE_COMMITTED, /* nothing more until a restart */
};

struct fw_stage {
	enum fw_stage_state state;
	uint64_t size; /* bytes announced */
	uint64_t next; /* bytes received */
};

/* Each returns 0 or a VTZ_FW_ERR_* code (negative); nothing changes on error. */
int fw_stage_begin(struct fw_stage *s, uint64_t size, uint64_t room);
int fw_stage_chunk(struct fw_stage *s, uint64_t off, uint64_t len);
/* Ready to verify: every byte received. */
int fw_stage_ready(const struct fw_stage *s);
/* Verified and active: refuse everything until the restart. */
void fw_stage_committed(struct fw_stage *s);
/* Refused at COMMIT: start over with a BEGIN. */
void fw_stage_reset(struct fw_stage *s);

#endif
