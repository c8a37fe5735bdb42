/* SPDX-License-Identifier: MIT */
/*
 * The measured-boot event log, in the TCG's crypto-agile format (TCG PC
 * Client Platform Firmware Profile, sections 10.2-10.4; the format TF-A's
 * and UEFI's event logs use, which Linux and tpm2-tools parse):
 *
 *   one TCG_PCClientPCREvent (SHA-1 style): PCR 0, EV_NO_ACTION, 20 zero
 *     bytes, then TCG_EfiSpecIDEventStruct "Spec ID Event03", one
 *     algorithm: SHA-256 (0x000b), 32 bytes;
 *   then TCG_PCR_EVENT2 records: PCR index, event type, a
 *     TPML_DIGEST_VALUES with one SHA-256 digest, the event data's size
 *     and the data.
 *
 * All little-endian. Hardware-free: the monitor keeps its log with it, the
 * host tests it. It only lays out bytes; hashing and PCR extension are the
 * caller's (lib/crypto). docs/security.md, "Measured boot", lists what is
 * logged in which PCR.
 */
#ifndef POLICY_EVENT_LOG_H
#define POLICY_EVENT_LOG_H

#include <stddef.h>
#include <stdint.h>

/* TCG event types we log (PC Client PFP, table 9). */
#define EV_POST_CODE 0x00000001U
#define EV_NO_ACTION 0x00000003U
#define EV_SEPARATOR 0x00000004U
#define EV_S_CRTM_CONTENTS 0x00000007U

#define EVLOG_ALG_SHA256 0x000b /* TPM_ALG_SHA256 */
#define EVLOG_DIGEST_LEN 32
#define EVLOG_PCRS 24          /* a TPM 2.0's PCR indexes 0..23 */
#define EVLOG_DATA_MAX 64      /* event data we ever log, at most */
#define EVLOG_HEADER_LEN 65    /* the Spec ID event */
#define EVLOG_EVENT_LEN(n) (50 + (n)) /* a TCG_PCR_EVENT2 with n bytes of data */

enum evlog_err {
	EVLOG_OK = 0,
	EVLOG_ERR_SPACE = -1, /* the buffer cannot even hold the header */
	EVLOG_ERR_PCR = -2,   /* PCR index beyond 23 */
	EVLOG_ERR_DATA = -3,  /* event data larger than EVLOG_DATA_MAX */
	EVLOG_ERR_FULL = -4,  /* no room left: the event is counted as dropped */
};

struct evlog {
	uint8_t *buf;
	size_t cap, len;
	uint32_t events;  /* TCG_PCR_EVENT2 records in buf */
	uint32_t dropped; /* events refused for want of room */
};

/* Start a log in buf[0..cap) with the Spec ID event. EVLOG_ERR_SPACE if it does not fit. */
int evlog_init(struct evlog *l, uint8_t *buf, size_t cap);

/*
 * Append one event: PCR pcr, type, its SHA-256 digest, size bytes of data.
 * Returns EVLOG_OK, or a negative enum evlog_err and nothing written
 * (EVLOG_ERR_FULL also counts the event in l->dropped).
 */
int evlog_add(struct evlog *l, uint32_t pcr, uint32_t type,
	      const uint8_t digest[EVLOG_DIGEST_LEN], const void *data, uint32_t size);

#endif
