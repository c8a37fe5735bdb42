/* SPDX-License-Identifier: MIT */
/*
 * MCUboot-style TLV trailer of a signed boot image (layout in
 * policy/signed_image.h). The image and its trailer are untrusted input
 * (QEMU's loader put them in non-secure RAM): every length is checked
 * against what is left of its area before anything is read, every type
 * must be one we expect, in the area we expect it, once.
 */
#include <stdbool.h>

#include <policy/signed_image.h>

/* SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING (66 bytes) } */
const uint8_t simg_p256_spki_prefix[SIMG_PUBKEY_PREFIX_LEN] = {
	0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
	0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
};

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Seen-flags, one bit per accepted type. */
#define SEEN_SEC_CNT 1u
#define SEEN_HASH 2u
#define SEEN_PUBKEY 4u
#define SEEN_SIG 8u

/* One TLV of the protected area at blob[off], value len bytes. */
static int take_protected(const uint8_t *blob, size_t off, uint16_t type, uint16_t len,
			  unsigned *seen, struct simg *out)
{
	switch (type) {
	case SIMG_TLV_SEC_CNT:
		if (*seen & SEEN_SEC_CNT)
			return SIMG_ERR_TLV_DUPLICATE;
		if (len != 4)
			return SIMG_ERR_TLV_LENGTH;
		*seen |= SEEN_SEC_CNT;
		out->security_counter = rd32(blob + off);
		return SIMG_OK;
	case SIMG_TLV_SHA256:
	case SIMG_TLV_PUBKEY:
	case SIMG_TLV_ECDSA_SIG:
		/* Inside the hash it would be self-referential (MCUboot refuses too). */
		return SIMG_ERR_TLV_WRONG_AREA;
	default:
		return SIMG_ERR_TLV_UNKNOWN;
	}
}

static bool pubkey_format_ok(const uint8_t *v)
{
	size_t i;

	for (i = 0; i < SIMG_PUBKEY_PREFIX_LEN; i++)
		if (v[i] != simg_p256_spki_prefix[i])
			return false;
	return v[SIMG_PUBKEY_PREFIX_LEN] == 0x04; /* uncompressed point */
}

/* One TLV of the unprotected area at blob[off], value len bytes. */
static int take_unprotected(const uint8_t *blob, size_t off, uint16_t type, uint16_t len,
			    unsigned *seen, struct simg *out)
{
	unsigned bit;

	switch (type) {
	case SIMG_TLV_SHA256:
		bit = SEEN_HASH;
		break;
	case SIMG_TLV_PUBKEY:
		bit = SEEN_PUBKEY;
		break;
	case SIMG_TLV_ECDSA_SIG:
		bit = SEEN_SIG;
		break;
	case SIMG_TLV_SEC_CNT:
		/* Outside the hash anyone could change it. */
		return SIMG_ERR_TLV_WRONG_AREA;
	default:
		return SIMG_ERR_TLV_UNKNOWN;
	}
	if (*seen & bit)
		return SIMG_ERR_TLV_DUPLICATE;
	*seen |= bit;
	switch (type) {
	case SIMG_TLV_SHA256:
		if (len != SIMG_HASH_LEN)
			return SIMG_ERR_TLV_LENGTH;
		out->hash_off = off;
		return SIMG_OK;
	case SIMG_TLV_PUBKEY:
		if (len != SIMG_PUBKEY_LEN)
			return SIMG_ERR_TLV_LENGTH;
		if (!pubkey_format_ok(blob + off))
			return SIMG_ERR_PUBKEY_FORMAT;
		out->pubkey_off = off;
		return SIMG_OK;
	default: /* SIMG_TLV_ECDSA_SIG */
		if (len < SIMG_SIG_MIN || len > SIMG_SIG_MAX)
			return SIMG_ERR_TLV_LENGTH;
		out->sig_off = off;
		out->sig_len = len;
		return SIMG_OK;
	}
}

/*
 * The area at blob[start..start + tot), its 4-byte info header checked by
 * the caller: every TLV must fit exactly.
 */
static int walk(const uint8_t *blob, size_t start, size_t tot, bool prot, unsigned *seen,
		struct simg *out)
{
	size_t off = start + 4, end = start + tot;
	uint16_t type, len;
	int ret;

	while (off < end) {
		if (end - off < 4)
			return SIMG_ERR_TLV_TRUNCATED;
		type = rd16(blob + off);
		len = rd16(blob + off + 2);
		off += 4;
		if (len > end - off)
			return SIMG_ERR_TLV_TRUNCATED;
		ret = prot ? take_protected(blob, off, type, len, seen, out)
			   : take_unprotected(blob, off, type, len, seen, out);
		if (ret)
			return ret;
		off += len;
	}
	return SIMG_OK;
}

int simg_parse(const uint8_t *blob, size_t image_size, size_t avail, struct simg *out)
{
	unsigned seen = 0;
	size_t prot_tot, unprot_tot, u;
	int ret;

	if (!image_size || image_size > avail)
		return SIMG_ERR_IMAGE_SIZE;
	if (avail - image_size < 4 || rd16(blob + image_size) != SIMG_TLV_PROT_INFO_MAGIC)
		return SIMG_ERR_NO_TRAILER;
	prot_tot = rd16(blob + image_size + 2);
	if (prot_tot < 4 || prot_tot > avail - image_size)
		return SIMG_ERR_PROT_SIZE;
	ret = walk(blob, image_size, prot_tot, true, &seen, out);
	if (ret)
		return ret;
	u = image_size + prot_tot;
	if (avail - u < 4 || rd16(blob + u) != SIMG_TLV_INFO_MAGIC)
		return SIMG_ERR_NO_UNPROT;
	unprot_tot = rd16(blob + u + 2);
	if (unprot_tot < 4 || unprot_tot > avail - u)
		return SIMG_ERR_UNPROT_SIZE;
	ret = walk(blob, u, unprot_tot, false, &seen, out);
	if (ret)
		return ret;
	if (!(seen & SEEN_SEC_CNT))
		return SIMG_ERR_NO_SEC_CNT;
	if (!(seen & SEEN_HASH))
		return SIMG_ERR_NO_HASH;
	if (!(seen & SEEN_PUBKEY))
		return SIMG_ERR_NO_PUBKEY;
	if (!(seen & SEEN_SIG))
		return SIMG_ERR_NO_SIG;
	out->signed_size = u;
	out->total_size = u + unprot_tot;
	return SIMG_OK;
}

const char *simg_strerror(int err)
{
	switch (err) {
	case SIMG_OK:
		return "ok";
	case SIMG_ERR_IMAGE_SIZE:
		return "image size in its header is 0 or beyond its region";
	case SIMG_ERR_NO_TRAILER:
		return "no signature trailer after the image (unsigned image?)";
	case SIMG_ERR_PROT_SIZE:
		return "protected TLV area size is bad";
	case SIMG_ERR_NO_UNPROT:
		return "no TLV area after the protected one";
	case SIMG_ERR_UNPROT_SIZE:
		return "TLV area size is bad";
	case SIMG_ERR_TLV_TRUNCATED:
		return "a TLV runs past the end of its area (truncated)";
	case SIMG_ERR_TLV_UNKNOWN:
		return "a TLV of an unknown type";
	case SIMG_ERR_TLV_WRONG_AREA:
		return "a TLV in the wrong (protected or unprotected) area";
	case SIMG_ERR_TLV_DUPLICATE:
		return "a TLV type appears twice";
	case SIMG_ERR_TLV_LENGTH:
		return "a TLV value has the wrong length for its type";
	case SIMG_ERR_PUBKEY_FORMAT:
		return "the public key is not an uncompressed P-256 key";
	case SIMG_ERR_NO_SEC_CNT:
		return "no security counter TLV";
	case SIMG_ERR_NO_HASH:
		return "no SHA-256 TLV";
	case SIMG_ERR_NO_PUBKEY:
		return "no public key TLV";
	case SIMG_ERR_NO_SIG:
		return "no signature TLV";
	default:
		return "unknown error";
	}
}
