/* SPDX-License-Identifier: MIT */
/*
 * The firmware update policy (policy/fw_update.c) on arbitrary bytes: two
 * metadata copies as flash0 may hold them after any torn write, a bundle
 * header as a delivered bundle may carry it, and a sequence of staging
 * calls as the hypervisor may make them. Input: 64 bytes of metadata
 * copies, 32 of bundle header, then 17-byte calls (op, then two u64).
 * Properties: a picked copy is valid and no older than the other valid
 * one; every refusal has a message; an accepted header's images lie
 * inside it, apart and past the header, within their regions; the stage
 * never counts more bytes than announced, refused calls change nothing,
 * and only a complete stage is ready.
 */
#include <stdint.h>
#include <string.h>

#include <policy/fw_update.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ROOM FW_SLOT_SIZE
#define CIEE_MAX 0x300000u
#define HYP_MAX 0x400000u

static void check_meta(const uint8_t *data)
{
	struct fw_meta m[2];
	int err[2], pick;

	memcpy(m, data, sizeof(m));
	pick = fw_meta_pick(m, err);
	FUZZ_CHECK(strcmp(fw_meta_strerror(err[0]), "unknown error") &&
			   strcmp(fw_meta_strerror(err[1]), "unknown error"), "no message");
	if (pick < 0) {
		FUZZ_CHECK(err[0] && err[1], "a valid copy was not picked");
		return;
	}
	FUZZ_CHECK(!err[pick] && m[pick].slot < FW_SLOTS, "picked an invalid copy");
	FUZZ_CHECK(err[!pick] || m[!pick].seq <= m[pick].seq, "picked the older copy");
}

static void check_bundle(const uint8_t *data)
{
	struct fw_bundle_hdr h;
	uint64_t c0, c1, h0, h1;
	int err;

	memcpy(&h, data, sizeof(h));
	err = fw_bundle_check(&h, ROOM, CIEE_MAX, HYP_MAX);
	if (err) {
		FUZZ_CHECK(strcmp(fw_bundle_strerror(err), "unknown error"), "code %d", err);
		return;
	}
	c0 = h.ciee_off;
	c1 = c0 + h.ciee_size;
	h0 = h.hyp_off;
	h1 = h0 + h.hyp_size;
	FUZZ_CHECK(h.size <= ROOM && h.size >= sizeof(h), "size %u", h.size);
	FUZZ_CHECK(c0 >= sizeof(h) && h0 >= sizeof(h) && c1 <= h.size && h1 <= h.size,
		   "images outside the bundle");
	FUZZ_CHECK(c1 <= h0 || h1 <= c0, "images overlap");
	FUZZ_CHECK(h.ciee_size <= CIEE_MAX && h.hyp_size <= HYP_MAX, "images too big");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_stage s = { 0 }, before;
	uint64_t a, b;
	size_t at;
	int ret;

	if (size < 96)
		return 0;
	check_meta(data);
	check_bundle(data + 64);
	for (at = 96; at + 17 <= size; at += 17) {
		memcpy(&a, data + at + 1, 8);
		memcpy(&b, data + at + 9, 8);
		before = s;
		switch (data[at] % 5) {
		case 0:
			ret = fw_stage_begin(&s, a % (2 * ROOM), ROOM);
			break;
		case 1:
			ret = fw_stage_chunk(&s, a % (2 * ROOM), b % (2 * FW_CHUNK_MAX));
			break;
		case 2:
			ret = fw_stage_ready(&s);
			FUZZ_CHECK(ret || (s.state == FW_STAGE_RECEIVING && s.next == s.size),
				   "ready while incomplete");
			break;
		case 3:
			fw_stage_committed(&s);
			ret = 0;
			break;
		default:
			fw_stage_reset(&s);
			ret = 0;
			break;
		}
		FUZZ_CHECK(!ret || !memcmp(&before, &s, sizeof(s)), "a refused call changed state");
		FUZZ_CHECK(ret <= 0 && ret >= VTZ_FW_ERR_COMMITTED, "return %d", ret);
		FUZZ_CHECK(s.next <= s.size && s.size <= ROOM, "next %lu size %lu",
			   (unsigned long)s.next, (unsigned long)s.size);
	}
	return 0;
}
