/* SPDX-License-Identifier: MIT */
/*
 * The TCG crypto-agile event log's bytes (layout in
 * policy/include/policy/event_log.h). Every record is checked to fit
 * before a byte is written, so a full log stays a valid log: a parser
 * always finds whole records. Byte stores only: the monitor's memory is
 * Device memory with its MMU off, where a wider unaligned store faults.
 */
#include <policy/event_log.h>

static const char spec_id[16] = "Spec ID Event03"; /* and its NUL */

static void put8(struct evlog *l, uint8_t v)
{
	l->buf[l->len++] = v;
}

static void put16(struct evlog *l, uint16_t v)
{
	put8(l, (uint8_t)v);
	put8(l, (uint8_t)(v >> 8));
}

static void put32(struct evlog *l, uint32_t v)
{
	put16(l, (uint16_t)v);
	put16(l, (uint16_t)(v >> 16));
}

static void put(struct evlog *l, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		put8(l, b ? b[i] : 0);
}

int evlog_init(struct evlog *l, uint8_t *buf, size_t cap)
{
	l->buf = buf;
	l->cap = cap;
	l->len = 0;
	l->events = 0;
	l->dropped = 0;
	if (!buf || cap < EVLOG_HEADER_LEN)
		return EVLOG_ERR_SPACE;
	/* TCG_PCClientPCREvent: the one record in the old SHA-1 layout. */
	put32(l, 0);            /* PCRIndex */
	put32(l, EV_NO_ACTION); /* EventType */
	put(l, NULL, 20);       /* Digest: not extended anywhere */
	put32(l, EVLOG_HEADER_LEN - 32); /* EventSize: the struct below, 33 bytes */
	/* TCG_EfiSpecIDEventStruct */
	put(l, spec_id, sizeof(spec_id));
	put32(l, 0); /* platformClass: client (TF-A's choice too) */
	put8(l, 0);  /* specVersionMinor */
	put8(l, 2);  /* specVersionMajor: TPM 2.0 family */
	put8(l, 2);  /* specErrata */
	put8(l, 2);  /* uintnSize: UINT64 */
	put32(l, 1); /* numberOfAlgorithms */
	put16(l, EVLOG_ALG_SHA256);
	put16(l, EVLOG_DIGEST_LEN);
	put8(l, 0); /* vendorInfoSize */
	return EVLOG_OK;
}

int evlog_add(struct evlog *l, uint32_t pcr, uint32_t type,
	      const uint8_t digest[EVLOG_DIGEST_LEN], const void *data, uint32_t size)
{
	if (pcr >= EVLOG_PCRS)
		return EVLOG_ERR_PCR;
	if (size > EVLOG_DATA_MAX)
		return EVLOG_ERR_DATA;
	if (!l->buf || l->cap - l->len < EVLOG_EVENT_LEN(size)) {
		l->dropped++;
		return EVLOG_ERR_FULL;
	}
	put32(l, pcr);
	put32(l, type);
	put32(l, 1); /* TPML_DIGEST_VALUES.count */
	put16(l, EVLOG_ALG_SHA256);
	put(l, digest, EVLOG_DIGEST_LEN);
	put32(l, size);
	put(l, data, size);
	l->events++;
	return EVLOG_OK;
}
