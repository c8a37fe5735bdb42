/* SPDX-License-Identifier: MIT */
/*
 * The signed-image trailer the monitor checks on the CIEE and hypervisor
 * images before it runs them: MCUboot's TLV area (mcuboot
 * boot/bootutil/include/bootutil/image.h), placed right after the image's
 * own bytes instead of after an MCUboot header (our images are linked at
 * fixed addresses and start with their own headers, which say how long
 * the image is). docs/security.md, "Signed images", gives the layout:
 *
 *   image | prot. info {0x6908, tot} | SEC_CNT | info {0x6907, tot} |
 *         SHA256 | PUBKEY | ECDSA_SIG
 *
 * with every TLV {u16 type, u16 len, value}, little-endian. SHA256 covers
 * the image and the protected area; ECDSA_SIG (DER, ECDSA-P256) signs that
 * digest; PUBKEY is the signer's P-256 key (DER SubjectPublicKeyInfo, as
 * MCUboot's hardware-key mode carries it), whose SHA-256 the flash holds.
 *
 * Only the layout is checked here (no cryptography, no hardware): the
 * parser is linked into the monitor and into host tests and fuzzing. It
 * reads byte by byte, so it works on any alignment (the monitor runs with
 * its MMU off, where an unaligned load faults).
 */
#ifndef POLICY_SIGNED_IMAGE_H
#define POLICY_SIGNED_IMAGE_H

#include <stddef.h>
#include <stdint.h>

/* MCUboot's TLV area magics and the TLV types we use (its numbers). */
#define SIMG_TLV_INFO_MAGIC 0x6907
#define SIMG_TLV_PROT_INFO_MAGIC 0x6908
#define SIMG_TLV_PUBKEY 0x02
#define SIMG_TLV_SHA256 0x10
#define SIMG_TLV_ECDSA_SIG 0x22
#define SIMG_TLV_SEC_CNT 0x50

#define SIMG_HASH_LEN 32
/* DER SubjectPublicKeyInfo of an uncompressed P-256 key: prefix, 0x04, X, Y. */
#define SIMG_PUBKEY_LEN 91
#define SIMG_PUBKEY_PREFIX_LEN 26
#define SIMG_PUBKEY_POINT_LEN 65
/* DER ECDSA-Sig-Value {r, s} for P-256: 8 bytes at least, 72 at most. */
#define SIMG_SIG_MIN 8
#define SIMG_SIG_MAX 72

/* Every way a trailer is refused, each its own code (simg_strerror). */
enum simg_err {
	SIMG_OK = 0,
	SIMG_ERR_IMAGE_SIZE = -1,     /* image size 0 or beyond the region */
	SIMG_ERR_NO_TRAILER = -2,     /* no protected info magic after the image */
	SIMG_ERR_PROT_SIZE = -3,      /* protected area size < 4 or beyond the region */
	SIMG_ERR_NO_UNPROT = -4,      /* no info magic after the protected area */
	SIMG_ERR_UNPROT_SIZE = -5,    /* unprotected area size < 4 or beyond the region */
	SIMG_ERR_TLV_TRUNCATED = -6,  /* a TLV's header or value runs past its area */
	SIMG_ERR_TLV_UNKNOWN = -7,    /* a type we do not accept */
	SIMG_ERR_TLV_WRONG_AREA = -8, /* a known type in the other area */
	SIMG_ERR_TLV_DUPLICATE = -9,  /* a type twice */
	SIMG_ERR_TLV_LENGTH = -10,    /* a value of the wrong length for its type */
	SIMG_ERR_PUBKEY_FORMAT = -11, /* PUBKEY is not an uncompressed P-256 key */
	SIMG_ERR_NO_SEC_CNT = -12,    /* no security counter */
	SIMG_ERR_NO_HASH = -13,       /* no SHA256 TLV */
	SIMG_ERR_NO_PUBKEY = -14,     /* no PUBKEY TLV */
	SIMG_ERR_NO_SIG = -15,        /* no ECDSA_SIG TLV */
};

/* Where each part of a parsed trailer is: offsets from the image's start. */
struct simg {
	size_t signed_size;        /* image + protected area: what SHA256 covers */
	size_t total_size;         /* image + both areas */
	uint32_t security_counter; /* SEC_CNT's value */
	size_t hash_off;           /* SIMG_HASH_LEN bytes */
	size_t pubkey_off;         /* SIMG_PUBKEY_LEN bytes, prefix checked */
	size_t sig_off, sig_len;   /* the DER signature */
};

/* The fixed DER prefix every accepted PUBKEY value starts with. */
extern const uint8_t simg_p256_spki_prefix[SIMG_PUBKEY_PREFIX_LEN];

/*
 * Parse the trailer of the image blob[0..image_size), with avail bytes
 * readable from blob (the image's region: nothing past it is read).
 * Returns SIMG_OK and fills *out, or a negative enum simg_err (then *out
 * is unspecified). Checks layout only: the caller hashes, compares and
 * verifies the signature.
 */
int simg_parse(const uint8_t *blob, size_t image_size, size_t avail, struct simg *out);

/* A short English reason for an enum simg_err ("unknown error" otherwise). */
const char *simg_strerror(int err);

#endif
