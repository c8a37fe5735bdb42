/* SPDX-License-Identifier: MIT */
/*
 * Firmware update policy: metadata copies, bundle headers, chunk order
 * (policy/include/policy/fw_update.h). Reads records the caller already
 * copied into its own memory; nothing here touches flash.
 */
#include <policy/fw_update.h>

uint32_t fw_crc32(const void *buf, size_t n)
{
	const uint8_t *p = buf;
	uint32_t crc = 0xffffffffu;
	size_t i;
	int b;

	for (i = 0; i < n; i++) {
		crc ^= p[i];
		for (b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

/* The bytes the CRC covers: everything before the crc field. */
#define META_CRC_LEN offsetof(struct fw_meta, crc)

int fw_meta_check(const struct fw_meta *m)
{
	const uint8_t *p = (const uint8_t *)m;
	size_t i;

	/* All ones: erased flash; all zeros: QEMU's padding after a -bios image. */
	for (i = 0; i < sizeof(*m) && (p[i] == 0xff || p[i] == 0) && p[i] == p[0]; i++)
		;
	if (i == sizeof(*m))
		return -FW_META_ERR_ERASED;
	if (m->magic != FW_META_MAGIC)
		return -FW_META_ERR_MAGIC;
	if (m->crc != fw_crc32(m, META_CRC_LEN))
		return -FW_META_ERR_CRC;
	if (m->slot >= FW_SLOTS)
		return -FW_META_ERR_SLOT;
	if (m->reserved || m->pad)
		return -FW_META_ERR_RESERVED;
	return 0;
}

void fw_meta_seal(struct fw_meta *m)
{
	m->magic = FW_META_MAGIC;
	m->reserved = 0;
	m->pad = 0;
	m->crc = fw_crc32(m, META_CRC_LEN);
}

int fw_meta_pick(const struct fw_meta m[2], int err[2])
{
	err[0] = fw_meta_check(&m[0]);
	err[1] = fw_meta_check(&m[1]);
	if (err[0] && err[1])
		return -1;
	if (err[0])
		return 1;
	if (err[1])
		return 0;
	return m[1].seq > m[0].seq ? 1 : 0;
}

const char *fw_meta_strerror(int err)
{
	switch (-err) {
	case 0:
		return "valid";
	case FW_META_ERR_ERASED:
		return "empty (erased, or never written)";
	case FW_META_ERR_MAGIC:
		return "no metadata magic";
	case FW_META_ERR_CRC:
		return "checksum mismatch (a torn or damaged write)";
	case FW_META_ERR_SLOT:
		return "names no slot";
	case FW_META_ERR_RESERVED:
		return "reserved fields not zero";
	default:
		return "unknown error";
	}
}

/* [off, off + size) inside [0, total), nonempty, within max. */
static int image_fits(uint32_t off, uint32_t size, uint32_t total, uint64_t max)
{
	return size && size <= max && off <= total && size <= total - off;
}

int fw_bundle_check(const struct fw_bundle_hdr *h, uint64_t room, uint64_t ciee_max,
		    uint64_t hyp_max)
{
	if (h->magic != FW_BUNDLE_MAGIC)
		return -FW_BUNDLE_ERR_MAGIC;
	if (h->reserved)
		return -FW_BUNDLE_ERR_RESERVED;
	if (h->size < sizeof(*h) || h->size > room)
		return -FW_BUNDLE_ERR_SIZE;
	if (h->ciee_off % FW_BUNDLE_ALIGN || h->hyp_off % FW_BUNDLE_ALIGN)
		return -FW_BUNDLE_ERR_ALIGN;
	if (!image_fits(h->ciee_off, h->ciee_size, h->size, ciee_max))
		return -FW_BUNDLE_ERR_CIEE;
	if (!image_fits(h->hyp_off, h->hyp_size, h->size, hyp_max))
		return -FW_BUNDLE_ERR_HYP;
	/* Aligned offsets past the header; the images apart (no wrap: both fit). */
	if (!h->ciee_off || !h->hyp_off ||
	    (h->ciee_off < h->hyp_off ? h->ciee_off + h->ciee_size > h->hyp_off
				      : h->hyp_off + h->hyp_size > h->ciee_off))
		return -FW_BUNDLE_ERR_OVERLAP;
	return 0;
}

const char *fw_bundle_strerror(int err)
{
	switch (-err) {
	case FW_BUNDLE_ERR_MAGIC:
		return "no bundle magic";
	case FW_BUNDLE_ERR_SIZE:
		return "its size is below its header or beyond the slot";
	case FW_BUNDLE_ERR_ALIGN:
		return "an image is not 4 KiB aligned in it";
	case FW_BUNDLE_ERR_CIEE:
		return "its CIEE image lies outside it or exceeds the CIEE's region";
	case FW_BUNDLE_ERR_HYP:
		return "its hypervisor image lies outside it or exceeds the hypervisor's region";
	case FW_BUNDLE_ERR_OVERLAP:
		return "its images overlap each other or its header";
	case FW_BUNDLE_ERR_RESERVED:
		return "a reserved field is not zero";
	default:
		return "unknown error";
	}
}

int fw_stage_begin(struct fw_stage *s, uint64_t size, uint64_t room)
{
	if (s->state == FW_STAGE_COMMITTED)
		return VTZ_FW_ERR_COMMITTED;
	if (!size || size > room)
		return VTZ_FW_ERR_SIZE;
	s->state = FW_STAGE_RECEIVING;
	s->size = size;
	s->next = 0;
	return 0;
}

int fw_stage_chunk(struct fw_stage *s, uint64_t off, uint64_t len)
{
	if (s->state == FW_STAGE_COMMITTED)
		return VTZ_FW_ERR_COMMITTED;
	if (s->state != FW_STAGE_RECEIVING)
		return VTZ_FW_ERR_NO_UPDATE;
	if (off != s->next)
		return VTZ_FW_ERR_OFFSET;
	if (!len || len > FW_CHUNK_MAX || len > s->size - s->next)
		return VTZ_FW_ERR_LENGTH;
	s->next += len;
	return 0;
}

int fw_stage_ready(const struct fw_stage *s)
{
	if (s->state == FW_STAGE_COMMITTED)
		return VTZ_FW_ERR_COMMITTED;
	if (s->state != FW_STAGE_RECEIVING)
		return VTZ_FW_ERR_NO_UPDATE;
	if (s->next != s->size)
		return VTZ_FW_ERR_INCOMPLETE;
	return 0;
}

void fw_stage_committed(struct fw_stage *s)
{
	s->state = FW_STAGE_COMMITTED;
}

void fw_stage_reset(struct fw_stage *s)
{
	s->state = FW_STAGE_IDLE;
	s->size = 0;
	s->next = 0;
}
