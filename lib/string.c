/* SPDX-License-Identifier: MIT */
/*
 * String and memory functions for the freestanding images. Plain byte
 * loops, with a word-sized fast path for memcpy/memset only when both
 * sides are 8-byte aligned: the images build with -mstrict-align and may
 * run with the MMU off (Device memory), where an unaligned access faults.
 */
#include <stdint.h>
#include <string.h>

/*
 * GCC recognises copy/fill loops and replaces them with calls to memcpy
 * or memset, which inside memcpy/memset themselves is infinite recursion.
 * Turn that pattern matching off for everything in this file.
 */
#define NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

/* Word accesses that may alias any object, like char accesses may. */
typedef uint64_t __attribute__((may_alias)) word_t;

#define WORD_MASK (sizeof(word_t) - 1)

NO_LIBCALL void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((((uintptr_t)d | (uintptr_t)s) & WORD_MASK) == 0) {
		for (; n >= sizeof(word_t); n -= sizeof(word_t)) {
			*(word_t *)(void *)d = *(const word_t *)(const void *)s;
			d += sizeof(word_t);
			s += sizeof(word_t);
		}
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

NO_LIBCALL void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* Compare as integers: relational operators on unrelated pointers are UB. */
	if ((uintptr_t)d <= (uintptr_t)s || (uintptr_t)d >= (uintptr_t)s + n) {
		while (n--)
			*d++ = *s++;
	} else {
		/* dst overlaps the tail of src: copy backwards. */
		d += n;
		s += n;
		while (n--)
			*--d = *--s;
	}
	return dst;
}

NO_LIBCALL void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	unsigned char b = (unsigned char)c;

	if (((uintptr_t)d & WORD_MASK) == 0 && n >= sizeof(word_t)) {
		word_t w = b * (word_t)0x0101010101010101ULL;

		for (; n >= sizeof(word_t); n -= sizeof(word_t)) {
			*(word_t *)(void *)d = w;
			d += sizeof(word_t);
		}
	}
	while (n--)
		*d++ = b;
	return dst;
}

NO_LIBCALL int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
	}
	return 0;
}

NO_LIBCALL void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++) {
		if (*p == (unsigned char)c)
			return (void *)p;
	}
	return NULL;
}

NO_LIBCALL size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

NO_LIBCALL size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

NO_LIBCALL int strcmp(const char *a, const char *b)
{
	/* C compares as unsigned char, which matters for bytes >= 0x80. */
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	while (*p && *p == *q) {
		p++;
		q++;
	}
	return *p - *q;
}

NO_LIBCALL int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
		if (!*p)
			break;
	}
	return 0;
}

NO_LIBCALL char *strchr(const char *s, int c)
{
	/* The terminator counts as part of the string: strchr(s, 0) works. */
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

NO_LIBCALL char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}
