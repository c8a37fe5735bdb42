/* SPDX-License-Identifier: MIT */
/*
 * Prefixed line console. Each output line is assembled completely in a
 * stack buffer as "[prefix] text\n" and handed to the backend in a single
 * write under one global lock, so lines from different CPUs (or from a
 * VM console relayed by the hypervisor) never interleave mid-line.
 *
 * Every emitted line, prefix and newline included, fits CONSOLE_LINE_MAX
 * bytes; longer text is cut and ends in "..." so the loss is visible.
 */
#include <lib/console.h>
#include <lib/fmt.h>
#include <lib/spinlock.h>

#include <stdarg.h>
#include <stdbool.h>

/* Longest prefix kept; bounds it so there is always room for text. */
#define CONSOLE_PREFIX_MAX 32

#define TRUNC_MARK "..."
#define TRUNC_MARK_LEN 3

static const char *con_prefix = "";
static console_write_fn con_write;
static struct spinlock con_lock = SPINLOCK_INIT;

/*
 * The UART is shared by images that do not trust each other (the monitor,
 * the CIEE, the hypervisor), each with its own con_lock. Between them, a
 * word at an agreed address (console_share_uart()) keeps whole lines
 * apart. It may be in memory an untrusted image can write, so a trusted
 * image waits for it only so long, then writes anyway and frees it: a
 * held word costs lines their order, never a hang.
 */
#define CONSOLE_SHARED_SPIN (1UL << 20)
static volatile uint32_t *uart_lock_word;

void console_share_uart(volatile uint32_t *lock)
{
	uart_lock_word = lock;
}

static void uart_lock(void)
{
	unsigned long i;

	if (!uart_lock_word)
		return;
	for (i = 0; i < CONSOLE_SHARED_SPIN; i++) {
		if (!__atomic_exchange_n(uart_lock_word, 1, __ATOMIC_ACQUIRE))
			return;
	}
}

static void uart_unlock(void)
{
	if (uart_lock_word)
		__atomic_store_n(uart_lock_word, 0, __ATOMIC_RELEASE);
}

void console_init(const char *prefix, console_write_fn write)
{
	spin_lock(&con_lock);
	con_prefix = prefix ? prefix : "";
	con_write = write;
	spin_unlock(&con_lock);
}

/*
 * Copy into the line, turning CR/LF into spaces: a line break inside the
 * text would start a line without our prefix (a guest could use that to
 * impersonate another image), and a CR would let it overwrite the prefix
 * on a terminal.
 */
static size_t append(char *line, size_t pos, size_t cap, const char *s,
		     size_t n)
{
	for (; n && pos < cap; n--, s++)
		line[pos++] = *s == '\n' || *s == '\r' ? ' ' : *s;
	return pos;
}

/*
 * Build and write one line. Called with con_lock held. truncated says the
 * caller already lost the end of this text, so the marker is due even if
 * what is left fits.
 */
static void emit_locked(const char *prefix, const char *text, size_t n,
			bool truncated)
{
	char line[CONSOLE_LINE_MAX];
	size_t pos = 0, plen = 0, room;

	if (!con_write)
		return;	/* before console_init: drop rather than crash */

	while (plen < CONSOLE_PREFIX_MAX && prefix[plen])
		plen++;
	line[pos++] = '[';
	pos = append(line, pos, sizeof(line), prefix, plen);
	pos = append(line, pos, sizeof(line), "] ", 2);

	/* What is left for text, keeping one byte for the '\n'. */
	room = sizeof(line) - 1 - pos;
	if (n > room) {
		truncated = true;
		n = room - TRUNC_MARK_LEN;
	} else if (truncated && n > room - TRUNC_MARK_LEN) {
		n = room - TRUNC_MARK_LEN;
	}
	pos = append(line, pos, sizeof(line), text, n);
	if (truncated)
		pos = append(line, pos, sizeof(line), TRUNC_MARK,
			     TRUNC_MARK_LEN);
	line[pos++] = '\n';
	uart_lock();
	con_write(line, pos);
	uart_unlock();
}

void con_printf(const char *fmt, ...)
{
	char msg[CONSOLE_LINE_MAX];
	va_list ap;
	size_t len, start = 0, i;
	bool lost;
	int ret;

	va_start(ap, fmt);
	ret = fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ret <= 0)
		return;
	lost = (size_t)ret >= sizeof(msg);
	len = lost ? sizeof(msg) - 1 : (size_t)ret;

	/* One lock for the whole message keeps multi-line output together. */
	spin_lock(&con_lock);
	for (i = 0; i < len; i++) {
		if (msg[i] == '\n') {
			size_t end = i;

			/* Tolerate "\r\n" endings; the backend adds its own. */
			if (end > start && msg[end - 1] == '\r')
				end--;
			emit_locked(con_prefix, msg + start, end - start,
				    false);
			start = i + 1;
		}
	}
	/*
	 * The end of the message ends the line too, so a message without a
	 * final '\n' is not left dangling. If formatting overflowed, the
	 * tail is where text went missing: mark it even if it is empty.
	 */
	if (start < len || lost)
		emit_locked(con_prefix, msg + start, len - start, lost);
	spin_unlock(&con_lock);
}

void con_emit_line(const char *prefix, const char *text, size_t n)
{
	/* The line break is ours to add; drop the caller's ("\r\n" too). */
	while (n && (text[n - 1] == '\n' || text[n - 1] == '\r'))
		n--;

	spin_lock(&con_lock);
	emit_locked(prefix ? prefix : "", text, n, false);
	spin_unlock(&con_lock);
}
