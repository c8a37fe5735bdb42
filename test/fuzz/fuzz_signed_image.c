/* SPDX-License-Identifier: MIT */
/*
 * simg_parse() on arbitrary bytes (the signed images are loaded into
 * non-secure RAM: their trailers are untrusted until verified). Input:
 * a 16-bit image size, then the blob (an exact-size copy, so ASan sees any
 * read past its end). Properties: every return is SIMG_OK or a known code
 * with its own message; on SIMG_OK every part lies inside the blob, in
 * order (image, protected area, hash/key/signature in the unprotected
 * area), the lengths are the fixed ones, the key has the P-256 prefix,
 * and the trailer parses the same when the region ends right after it.
 */
#include <stdint.h>
#include <string.h>

#include <policy/signed_image.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct simg s, again;
	size_t image_size, n;
	uint8_t *blob;
	int ret;

	if (size < 2)
		return 0;
	image_size = (size_t)data[0] | (size_t)data[1] << 8;
	n = size - 2;
	blob = malloc(n ? n : 1);
	if (!blob)
		return 0;
	memcpy(blob, data + 2, n);
	/* Zeroed, padding included, so the two results compare with memcmp. */
	memset(&s, 0, sizeof(s));
	memset(&again, 0, sizeof(again));

	ret = simg_parse(blob, image_size, n, &s);
	FUZZ_CHECK(ret <= SIMG_OK && ret >= SIMG_ERR_NO_SIG, "return %d out of range", ret);
	FUZZ_CHECK(strcmp(simg_strerror(ret), "unknown error") != 0, "code %d has no message",
		   ret);
	if (ret == SIMG_OK) {
		FUZZ_CHECK(image_size > 0 && image_size + 8 <= s.signed_size, "protected area");
		FUZZ_CHECK(s.signed_size + 4 < s.total_size && s.total_size <= n,
			   "areas %zu %zu of %zu", s.signed_size, s.total_size, n);
		FUZZ_CHECK(s.hash_off >= s.signed_size + 8 &&
				   s.hash_off + SIMG_HASH_LEN <= s.total_size, "hash at %zu",
			   s.hash_off);
		FUZZ_CHECK(s.pubkey_off >= s.signed_size + 8 &&
				   s.pubkey_off + SIMG_PUBKEY_LEN <= s.total_size, "key at %zu",
			   s.pubkey_off);
		FUZZ_CHECK(memcmp(blob + s.pubkey_off, simg_p256_spki_prefix,
				  SIMG_PUBKEY_PREFIX_LEN) == 0 &&
				   blob[s.pubkey_off + SIMG_PUBKEY_PREFIX_LEN] == 0x04,
			   "key format");
		FUZZ_CHECK(s.sig_len >= SIMG_SIG_MIN && s.sig_len <= SIMG_SIG_MAX &&
				   s.sig_off >= s.signed_size + 8 &&
				   s.sig_off + s.sig_len <= s.total_size, "signature at %zu+%zu",
			   s.sig_off, s.sig_len);
		/* Nothing past the trailer was needed. */
		FUZZ_CHECK(simg_parse(blob, image_size, s.total_size, &again) == SIMG_OK &&
				   memcmp(&s, &again, sizeof(s)) == 0, "depends on bytes past the end");
	}
	free(blob);
	return 0;
}
