/* SPDX-License-Identifier: MIT */
/*
 * The one way a structure the hypervisor passes by pointer (a vCPU
 * context, an MMIO record) crosses into the CIEE, and back.
 *
 * Read once: the CIEE copies it into its own per-CPU memory, validates the
 * copy and works on the copy only; another CPU rewriting the original
 * meanwhile changes nothing the CIEE uses. Written once, at the end.
 *
 * Only into pages the hypervisor owns as writable data: both copies check
 * every page the structure touches in the ownership table, under the SMM
 * lock, so neither can race a DONATE (here or, with GATE=el3, in the
 * monitor). A context over the hypervisor's text, in a table, in a page
 * just given to a VM or a TEE, or in CIEE memory is refused with its own
 * error, before a byte moves. The check is repeated at write-back because
 * the page may have been donated while the CIEE ran the guest; then
 * nothing is written and the hypervisor gets the error (its vCPU's state
 * of that run is lost: it broke its own VM, no one else's).
 */
#include <arch/phys.h>

#include "ciee.h"

static long hyp_ptr_err(int err, long align_err)
{
	switch (-err) {
	case OWN_ERR_ALIGN: return align_err;
	case OWN_ERR_RANGE: return CIEE_ERR_PTR_NOT_RAM;
	case OWN_ERR_TEXT_PAGE: return CIEE_ERR_PTR_TEXT;
	case OWN_ERR_PT_PAGE: return CIEE_ERR_PTR_TABLE;
	case OWN_ERR_OTHER_VM: return CIEE_ERR_PTR_GUEST;
	case OWN_ERR_TEE_PAGE: return CIEE_ERR_PTR_TEE;
	case OWN_ERR_CIEE_PAGE: return CIEE_ERR_PTR_CIEE;
	default: return CIEE_ERR_PTR_FREE;
	}
}

/*
 * size is a multiple of 8 and both addresses are 8-aligned (checked): pairs
 * of words, then the last one. CIEE mode has the MMU off, so this is
 * Device memory: every access aligned to its size, none merged or split.
 */
static void copy_words(void *dst, const void *src, uint64_t size)
{
	uint64_t a, b;

	__asm__ volatile("	cmp	%[n], #16\n"
			 "	b.lo	2f\n"
			 "1:	ldp	%[a], %[b], [%[s]], #16\n"
			 "	stp	%[a], %[b], [%[d]], #16\n"
			 "	sub	%[n], %[n], #16\n"
			 "	cmp	%[n], #16\n"
			 "	b.hs	1b\n"
			 "2:	cbz	%[n], 3f\n"
			 "	ldr	%[a], [%[s]]\n"
			 "	str	%[a], [%[d]]\n"
			 "3:\n"
			 : [a] "=&r"(a), [b] "=&r"(b), [s] "+r"(src), [d] "+r"(dst), [n] "+r"(size)
			 :
			 : "cc", "memory");
}

/* Every argument wholly in the hypervisor's own data pages? Under the SMM lock. */
static inline __attribute__((always_inline)) long args_check(const struct hyp_arg *args, unsigned int n)
{
	unsigned int i;
	int err;

	for (i = 0; i < n; i++) {
		err = smm_check_hyp_buffer(&smm->own, args[i].uaddr, args[i].size);
		if (err)
			return hyp_ptr_err(err, args[i].align_err);
	}
	return CIEE_OK;
}

/* Check every argument; copy in those that are read. */
long ciee_args_in(const struct hyp_arg *args, unsigned int n)
{
	unsigned int i;
	long ret;

	spin_lock(&smm->lock);
	ret = args_check(args, n);
	for (i = 0; i < n && ret == CIEE_OK; i++)
		if (args[i].copy_in)
			copy_words(args[i].copy, phys_to_virt(args[i].uaddr), args[i].size);
	spin_unlock(&smm->lock);
	return ret;
}

/* Check every argument again (a page may have been donated meanwhile), then write them back. */
long ciee_args_out(const struct hyp_arg *args, unsigned int n)
{
	unsigned int i;
	long ret;

	spin_lock(&smm->lock);
	ret = args_check(args, n);
	for (i = 0; i < n && ret == CIEE_OK; i++)
		copy_words(phys_to_virt(args[i].uaddr), args[i].copy, args[i].size);
	spin_unlock(&smm->lock);
	return ret;
}
