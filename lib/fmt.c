/* SPDX-License-Identifier: MIT */
/*
 * Minimal vsnprintf for the freestanding images (see lib/fmt.h for the
 * supported subset). Output goes through a tiny sink that counts every
 * character but stores only what fits, which gives C99's "return the
 * length the full output would have had" for free.
 */
#include <lib/fmt.h>

#include <stdbool.h>
#include <stdint.h>

struct fmt_sink {
	char *buf;
	size_t size;
	size_t pos;	/* characters produced so far, stored or not */
};

static void sink_putc(struct fmt_sink *s, char c)
{
	/* Keep the last byte free for the NUL terminator. */
	if (s->pos + 1 < s->size)
		s->buf[s->pos] = c;
	s->pos++;
}

static void sink_pad(struct fmt_sink *s, char c, int n)
{
	while (n-- > 0)
		sink_putc(s, c);
}

static void sink_puts(struct fmt_sink *s, const char *str, size_t n)
{
	while (n--)
		sink_putc(s, *str++);
}

struct fmt_spec {
	bool left;	/* '-' */
	bool zero;	/* '0' */
	int width;	/* 0 when absent */
	int prec;	/* -1 when absent */
};

/* Pad a finished field of len characters to the width (left or right). */
static void emit_field(struct fmt_sink *s, const struct fmt_spec *sp,
		       const char *str, size_t len)
{
	int pad = sp->width > (int)len ? sp->width - (int)len : 0;

	if (!sp->left)
		sink_pad(s, ' ', pad);
	sink_puts(s, str, len);
	if (sp->left)
		sink_pad(s, ' ', pad);
}

/*
 * Print an integer already split into sign/prefix and magnitude. The
 * layout follows C: [spaces][prefix][zeros][digits][spaces], where zeros
 * come from the precision or, without one, from the '0' flag.
 */
static void emit_number(struct fmt_sink *s, const struct fmt_spec *sp,
			uint64_t v, unsigned int base, bool upper,
			const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];	/* 2^64 needs 20 decimal or 16 hex digits */
	int ndig = 0, plen = 0, zeros = 0, total, pad;

	/* C: a zero value with precision 0 prints no digits at all. */
	if (!(v == 0 && sp->prec == 0)) {
		do {
			tmp[ndig++] = digits[v % base];
			v /= base;
		} while (v);
	}
	while (prefix[plen])
		plen++;

	if (sp->prec > ndig)
		zeros = sp->prec - ndig;
	total = plen + zeros + ndig;
	pad = sp->width > total ? sp->width - total : 0;
	/* '0' is ignored with '-' or an explicit precision, as in C. */
	if (sp->zero && !sp->left && sp->prec < 0) {
		zeros += pad;
		pad = 0;
	}

	if (!sp->left)
		sink_pad(s, ' ', pad);
	sink_puts(s, prefix, (size_t)plen);
	sink_pad(s, '0', zeros);
	while (ndig)
		sink_putc(s, tmp[--ndig]);
	if (sp->left)
		sink_pad(s, ' ', pad);
}

enum fmt_len { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z };

static int64_t fetch_signed(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:
		/* Signed counterpart of size_t; same size and passing rules. */
		return (int64_t)(intptr_t)va_arg(*ap, size_t);
	default:
		return va_arg(*ap, int);
	}
}

static uint64_t fetch_unsigned(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Parse a decimal field, saturating instead of overflowing (UB). */
static int parse_int(const char **pp)
{
	const char *p = *pp;
	int v = 0;

	while (is_digit(*p)) {
		int d = *p++ - '0';

		v = v > (0x7fffffff - d) / 10 ? 0x7fffffff : v * 10 + d;
	}
	*pp = p;
	return v;
}

/*
 * va_list may be an array type (it is on AArch64 and x86-64), so it is
 * handed to helpers through a pointer to a local copy; that is the only
 * portable way to keep consuming arguments after a callee used some.
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct fmt_sink s = { .buf = buf, .size = size, .pos = 0 };
	va_list ap;

	va_copy(ap, ap_in);
	while (*fmt) {
		const char *start = fmt;
		struct fmt_spec sp = { .left = false, .zero = false,
				       .width = 0, .prec = -1 };
		enum fmt_len len = LEN_NONE;

		if (*fmt != '%') {
			sink_putc(&s, *fmt++);
			continue;
		}
		fmt++;

		for (;; fmt++) {
			if (*fmt == '-')
				sp.left = true;
			else if (*fmt == '0')
				sp.zero = true;
			else
				break;
		}

		if (*fmt == '*') {
			sp.width = va_arg(ap, int);
			fmt++;
			/* C: a negative '*' width means '-' with its magnitude. */
			if (sp.width < 0) {
				sp.left = true;
				sp.width = sp.width == -0x7fffffff - 1 ?
					   0x7fffffff : -sp.width;
			}
		} else {
			sp.width = parse_int(&fmt);
		}

		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				sp.prec = va_arg(ap, int);
				fmt++;
				/* C: a negative precision counts as absent. */
				if (sp.prec < 0)
					sp.prec = -1;
			} else {
				sp.prec = parse_int(&fmt);
			}
		}

		switch (*fmt) {
		case 'h':
			fmt++;
			len = LEN_H;
			if (*fmt == 'h') {
				fmt++;
				len = LEN_HH;
			}
			break;
		case 'l':
			fmt++;
			len = LEN_L;
			if (*fmt == 'l') {
				fmt++;
				len = LEN_LL;
			}
			break;
		case 'z':
			fmt++;
			len = LEN_Z;
			break;
		default:
			break;
		}

		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = fetch_signed(&ap, len);
			/* Negate in unsigned arithmetic so INT64_MIN works. */
			uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

			emit_number(&s, &sp, mag, 10, false, v < 0 ? "-" : "");
			break;
		}
		case 'u':
			emit_number(&s, &sp, fetch_unsigned(&ap, len), 10,
				    false, "");
			break;
		case 'x':
		case 'X':
			emit_number(&s, &sp, fetch_unsigned(&ap, len), 16,
				    *fmt == 'X', "");
			break;
		case 'p':
			/* Always "0x" + hex, also for NULL (glibc says "(nil)"). */
			emit_number(&s, &sp,
				    (uintptr_t)va_arg(ap, void *), 16, false,
				    "0x");
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			size_t n = 0;

			if (!str)
				str = "(null)";
			/* Never read past the precision: str may be unterminated. */
			while ((sp.prec < 0 || n < (size_t)sp.prec) && str[n])
				n++;
			emit_field(&s, &sp, str, n);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			emit_field(&s, &sp, &c, 1);
			break;
		}
		case '%':
			sink_putc(&s, '%');
			break;
		case '\0':
			/* A lone trailing '%...': print it, do not run off the end. */
			sink_puts(&s, start, (size_t)(fmt - start));
			continue;
		default:
			/*
			 * Unknown conversion: show the whole directive so the
			 * mistake is visible in the log instead of silently lost.
			 */
			sink_puts(&s, start, (size_t)(fmt - start) + 1);
			break;
		}
		fmt++;
	}
	va_end(ap);

	if (size > 0)
		buf[s.pos < size ? s.pos : size - 1] = '\0';
	return s.pos > 0x7fffffff ? 0x7fffffff : (int)s.pos;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void fmt_hex(const void *bytes, size_t n, char *out)
{
	const unsigned char *b = bytes;
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = "0123456789abcdef"[b[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[b[i] & 0xf];
	}
	out[2 * n] = 0;
}
