/* SPDX-License-Identifier: MIT */
/*
 * The emulated PL011 (hyp/vpl011.c): registers, IDs, the interrupt logic
 * as Linux's amba-pl011 driver drives it, RX FIFO, line output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "vpl011.h"

#define DR 0x000
#define RSR 0x004
#define FR 0x018
#define ILPR 0x020
#define IBRD 0x024
#define FBRD 0x028
#define LCR_H 0x02c
#define CR 0x030
#define IFLS 0x034
#define IMSC 0x038
#define RIS 0x03c
#define MIS 0x040
#define ICR 0x044
#define DMACR 0x048

static struct vpl011 uart;
static char lines[16][VPL011_LINE_MAX + 1];
static unsigned int n_lines;
static int cookie;

static void emit(void *priv, const char *line, size_t len)
{
	assert_ptr_equal(priv, &cookie);
	assert_true(len <= VPL011_LINE_MAX);
	assert_true(n_lines < 16);
	memcpy(lines[n_lines], line, len);
	lines[n_lines][len] = '\0';
	n_lines++;
}

static int setup(void **state)
{
	(void)state;
	n_lines = 0;
	vpl011_init(&uart, "vm0", emit, &cookie);
	return 0;
}

static uint64_t rd(uint64_t off, unsigned int size)
{
	uint64_t v = 0xdead;

	assert_int_equal(vpl011_access(&uart, off, size, false, &v), 0);
	return v;
}

static void wr(uint64_t off, unsigned int size, uint64_t v)
{
	assert_int_equal(vpl011_access(&uart, off, size, true, &v), 0);
}

static void puts_uart(const char *s)
{
	while (*s)
		wr(DR, 1, (uint8_t)*s++);
}

static void test_reset_and_ids(void **state)
{
	static const uint8_t ids[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
	unsigned int i;

	(void)state;
	assert_int_equal(rd(FR, 4), 0x90); /* TXFE | RXFE; BUSY, TXFF clear */
	assert_int_equal(rd(CR, 4), 0x300);
	assert_int_equal(rd(IFLS, 4), 0x12);
	assert_int_equal(rd(IMSC, 4), 0);
	assert_int_equal(rd(RIS, 4), 0x20); /* TX FIFO empty: TXRIS */
	assert_int_equal(rd(MIS, 4), 0);
	assert_false(vpl011_irq_level(&uart));
	for (i = 0; i < 8; i++) {
		assert_int_equal(rd(0xfe0 + 4 * i, 4), ids[i]);
		wr(0xfe0 + 4 * i, 4, 0); /* RO */
		assert_int_equal(rd(0xfe0 + 4 * i, 2), ids[i]);
	}
	/* drivers/amba/bus.c: low byte of each word, from size - 0x20 and
	 * size - 0x10; amba-pl011 matches id 0x00041011 mask 0x000fffff,
	 * and its revision (bits 23:20) says fifosize 16 for rev < 3. */
	{
		uint32_t pid = 0, cid = 0;

		for (i = 0; i < 4; i++) {
			pid |= (uint32_t)(rd(0x1000 - 0x20 + 4 * i, 4) & 0xff) << (8 * i);
			cid |= (uint32_t)(rd(0x1000 - 0x10 + 4 * i, 4) & 0xff) << (8 * i);
		}
		assert_int_equal(pid, 0x00141011);
		assert_int_equal(cid, 0xb105f00d);
		assert_int_equal(pid & 0x000fffff, 0x00041011);
		assert_int_equal((pid >> 20) & 0xf, 1);
	}
}

static void test_plain_regs(void **state)
{
	(void)state;
	wr(IBRD, 2, 0x1a);
	wr(FBRD, 2, 0xff);
	wr(LCR_H, 2, 0x70);
	wr(ILPR, 4, 0x1ff);
	wr(DMACR, 4, 0xff);
	wr(CR, 2, 0x301);
	assert_int_equal(rd(IBRD, 2), 0x1a);
	assert_int_equal(rd(FBRD, 2), 0x3f);
	assert_int_equal(rd(LCR_H, 2), 0x70);
	assert_int_equal(rd(ILPR, 4), 0xff);
	assert_int_equal(rd(DMACR, 4), 0x7);
	assert_int_equal(rd(CR, 4), 0x301);
	wr(IFLS, 4, 0xffff);
	assert_int_equal(rd(IFLS, 4), 0x3f);
	wr(IBRD, 4, 0x12345);
	assert_int_equal(rd(IBRD, 4), 0x2345);
	wr(FR, 4, 0); /* RO */
	wr(RIS, 4, 0);
	wr(MIS, 4, 0);
	assert_int_equal(rd(FR, 4), 0x90);
	assert_int_equal(rd(ICR, 4), 0); /* write-only */
	assert_int_equal(rd(RSR, 4), 0);
}

static void test_rejects(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_int_equal(vpl011_access(&uart, DR, 8, false, &v), VPL011_ERR_SIZE);
	assert_int_equal(v, 0);
	assert_int_equal(vpl011_access(&uart, DR, 3, true, &v), VPL011_ERR_SIZE);
	assert_int_equal(vpl011_access(&uart, DR, 0, true, &v), VPL011_ERR_SIZE);
	assert_int_equal(vpl011_access(&uart, 0x2, 2, false, &v), VPL011_ERR_ALIGN);
	assert_int_equal(vpl011_access(&uart, 0x19, 1, false, &v), VPL011_ERR_ALIGN);
	assert_int_equal(vpl011_access(&uart, 0x1000, 4, false, &v), VPL011_ERR_OFFSET);
	assert_int_equal(vpl011_access(&uart, ~0ULL & ~3ULL, 4, false, &v), VPL011_ERR_OFFSET);
	assert_int_equal(vpl011_access(&uart, 0x008, 4, false, &v), VPL011_ERR_OFFSET);
	assert_int_equal(vpl011_access(&uart, 0x04c, 4, true, &v), VPL011_ERR_OFFSET);
	assert_int_equal(vpl011_access(&uart, 0x800, 4, false, &v), VPL011_ERR_OFFSET);
	assert_int_equal(vpl011_access(&uart, 0xfdc, 4, false, &v), VPL011_ERR_OFFSET);
	assert_int_equal(vpl011_access(NULL, DR, 4, false, &v), VPL011_ERR_ARG);
	assert_int_equal(vpl011_access(&uart, DR, 4, false, NULL), VPL011_ERR_ARG);
	assert_int_equal(vpl011_rx(NULL, 'a'), VPL011_ERR_ARG);
	assert_false(vpl011_irq_level(NULL));
	vpl011_flush(NULL);
	vpl011_init(NULL, "x", NULL, NULL);
}

static void test_lines(void **state)
{
	char big[400];
	unsigned int i;

	(void)state;
	puts_uart("hello\r\nworld");
	assert_int_equal(n_lines, 1);
	assert_string_equal(lines[0], "[vm0] hello");
	vpl011_flush(&uart);
	assert_int_equal(n_lines, 2);
	assert_string_equal(lines[1], "[vm0] world");
	vpl011_flush(&uart); /* nothing buffered: nothing emitted */
	assert_int_equal(n_lines, 2);
	puts_uart("\n");
	assert_string_equal(lines[2], "[vm0] ");
	/* non-printables kept safe: ESC, DEL, high bytes become '?'; TAB kept */
	puts_uart("\x1b[2Jx\tz\x7f\xc3\xa9\n");
	assert_string_equal(lines[3], "[vm0] ?[2Jx\tz???");
	wr(DR, 4, 0x141); /* only the low byte is data */
	wr(DR, 2, 0);	  /* NUL */
	puts_uart("\n");
	assert_string_equal(lines[4], "[vm0] A?");

	/* long lines are split every VPL011_TEXT_MAX bytes */
	n_lines = 0;
	for (i = 0; i < 350; i++)
		big[i] = (char)('a' + i % 26);
	big[350] = '\0';
	puts_uart(big);
	puts_uart("\n");
	assert_int_equal(n_lines, 3);
	assert_int_equal(strlen(lines[0]), 6 + VPL011_TEXT_MAX);
	assert_memory_equal(lines[0] + 6, big, VPL011_TEXT_MAX);
	assert_memory_equal(lines[1] + 6, big + VPL011_TEXT_MAX, VPL011_TEXT_MAX);
	assert_string_equal(lines[2] + 6, big + 2 * VPL011_TEXT_MAX);
}

static void test_prefix(void **state)
{
	(void)state;
	vpl011_init(&uart, "a-very-long-vm-name-indeed", emit, &cookie);
	puts_uart("x\n");
	assert_string_equal(lines[0], "[a-very-long-vm-n] x");
	vpl011_init(&uart, "", emit, &cookie);
	puts_uart("y\n");
	assert_string_equal(lines[1], "y");
	vpl011_init(&uart, NULL, emit, &cookie);
	puts_uart("z\n");
	assert_string_equal(lines[2], "z");
	vpl011_init(&uart, "tee1", NULL, NULL); /* no callback: dropped */
	puts_uart("dropped\n");
	assert_int_equal(n_lines, 3);
}

/* Linux's interrupt-driven TX: unmask TXIM, the handler writes, each write
 * re-asserts TXRIS, the handler masks TXIM when done. */
static void test_tx_irq(void **state)
{
	unsigned int pass;

	(void)state;
	/* pl011_enable_interrupts: clear everything but TX/RX/RT, unmask RX */
	wr(ICR, 2, 0x7ff & ~0x70);
	wr(IMSC, 2, 0x50);
	assert_false(vpl011_irq_level(&uart));
	/* start_tx had more than it could write: unmask TXIM: IRQ at once */
	wr(IMSC, 2, 0x70);
	assert_true(vpl011_irq_level(&uart));
	assert_int_equal(rd(MIS, 2), 0x20);
	for (pass = 0; pass < 3; pass++) {
		puts_uart("0123456789abcdef");	    /* fifosize / 2 per pass */
		assert_int_equal(rd(MIS, 2), 0x20); /* more room: still asserted */
	}
	wr(IMSC, 2, 0x50); /* buffer empty: stop_tx */
	assert_false(vpl011_irq_level(&uart));
	/* ICR clears TXRIS until the next write */
	wr(ICR, 2, 0x20);
	assert_int_equal(rd(RIS, 2) & 0x20, 0);
	wr(IMSC, 2, 0x70);
	assert_false(vpl011_irq_level(&uart));
	puts_uart("q");
	assert_true(vpl011_irq_level(&uart));
	vpl011_flush(&uart);
}

static void test_rx(void **state)
{
	unsigned int i;

	(void)state;
	wr(IMSC, 2, 0x50);
	/* FIFO off: one byte holding register */
	assert_int_equal(vpl011_rx_space(&uart), 1);
	assert_int_equal(vpl011_rx(&uart, 'a'), 0);
	assert_int_equal(vpl011_rx_space(&uart), 0);
	assert_int_equal(rd(RIS, 2) & 0x50, 0x50);
	assert_true(vpl011_irq_level(&uart));
	assert_int_equal(rd(FR, 2), 0xc0); /* RXFF, TXFE */
	assert_int_equal(vpl011_rx(&uart, 'b'), VPL011_ERR_FULL);
	assert_int_equal(rd(RIS, 2) & 0x400, 0x400);
	assert_int_equal(rd(DR, 2), 0x800 | 'a'); /* OE flagged on the byte */
	assert_int_equal(rd(RSR, 2), 0x8);
	wr(RSR, 4, 0);
	assert_int_equal(rd(RSR, 2), 0);
	wr(ICR, 2, 0x400);
	assert_int_equal(rd(FR, 2), 0x90);
	assert_false(vpl011_irq_level(&uart));
	assert_int_equal(rd(DR, 2), 0); /* empty FIFO reads 0 */

	/* FIFO on, trigger 1/2 = 16 bytes: RT first, RX at 16 */
	wr(LCR_H, 2, 0x70);
	for (i = 0; i < 15; i++)
		assert_int_equal(vpl011_rx(&uart, (char)('A' + i)), 0);
	assert_int_equal(rd(RIS, 2) & 0x50, 0x40);
	wr(ICR, 2, 0x40); /* timeout cleared by ICR */
	assert_false(vpl011_irq_level(&uart));
	assert_int_equal(vpl011_rx(&uart, 'P'), 0);
	assert_int_equal(rd(RIS, 2) & 0x50, 0x50);
	wr(ICR, 2, 0x10); /* RX is a level: stays */
	assert_int_equal(rd(RIS, 2) & 0x10, 0x10);
	assert_int_equal(rd(DR, 1), 'A');
	assert_int_equal(rd(RIS, 2) & 0x10, 0); /* below trigger again */
	assert_int_equal(rd(RIS, 2) & 0x40, 0x40);
	for (i = 1; i < 16; i++)
		assert_int_equal(rd(DR, 4), 'A' + i);
	assert_int_equal(rd(RIS, 2) & 0x50, 0); /* empty: timeout gone */
	assert_int_equal(rd(FR, 2) & 0x10, 0x10);
	/* 32 fit, the 33rd overruns */
	assert_int_equal(vpl011_rx_space(&uart), 32);
	for (i = 0; i < 32; i++)
		assert_int_equal(vpl011_rx(&uart, 'x'), 0);
	assert_int_equal(vpl011_rx_space(&uart), 0);
	assert_int_equal(vpl011_rx_space(NULL), 0);
	assert_int_equal(rd(FR, 2) & 0x40, 0x40);
	assert_int_equal(vpl011_rx(&uart, 'y'), VPL011_ERR_FULL);
	/* trigger 7/8 = 28 */
	wr(IFLS, 2, 0x20);
	assert_int_equal(rd(RIS, 2) & 0x10, 0x10);
	/* turning the FIFO off flushes it */
	wr(LCR_H, 2, 0x60);
	assert_int_equal(rd(FR, 2) & 0x10, 0x10);
	assert_int_equal(rd(RIS, 2) & 0x50, 0);
}

static void test_loopback(void **state)
{
	(void)state;
	wr(CR, 2, 0x381); /* LBE: what old Linux did to provoke TXIS */
	wr(DR, 2, 'k');
	assert_int_equal(n_lines, 0);
	vpl011_flush(&uart);
	assert_int_equal(n_lines, 0);
	assert_int_equal(rd(RIS, 2) & 0x20, 0x20);
	assert_int_equal(rd(DR, 2), 'k');
}

/* Random guest accesses and input: no crash, bounded state, every line
 * well-formed (prefix, no control bytes but TAB, at most VPL011_LINE_MAX). */
static unsigned int random_lines;

static void emit_check(void *priv, const char *line, size_t len)
{
	size_t i;

	(void)priv;
	assert_true(len >= 6 && len <= 6 + VPL011_TEXT_MAX);
	assert_memory_equal(line, "[vm0] ", 6);
	for (i = 6; i < len; i++)
		assert_true(line[i] == '\t' || (line[i] >= 0x20 && line[i] <= 0x7e));
	random_lines++;
}

static void test_random_ops(void **state)
{
	static const unsigned int sizes[4] = {1, 2, 4, 8};
	uint64_t x = 0x243f6a8885a308d3ULL;
	unsigned int step;

	(void)state;
	vpl011_init(&uart, "vm0", emit_check, NULL);
	for (step = 0; step < 200000; step++) {
		uint64_t v;
		uint64_t off;

		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		v = x * 0x2545f4914f6cdd1dULL;
		off = (v & 1) ? ((v >> 8) % 0x13) * 4 : (v >> 8) % 0x1100;
		if ((v >> 40) % 8 == 0) {
			(void)vpl011_rx(&uart, (char)(v >> 48));
		} else if ((v >> 40) % 8 < 4) {
			uint64_t c = v >> 48;

			(void)vpl011_access(&uart, 0, 1, true, &c); /* DR */
		} else {
			uint64_t val = v >> 20;

			(void)vpl011_access(&uart, off, sizes[(v >> 4) & 3], (v >> 6) & 1, &val);
		}
		assert_true(uart.rx_count <= VPL011_FIFO_DEPTH);
		assert_true(uart.rx_head < VPL011_FIFO_DEPTH);
		assert_true(uart.len >= uart.prefix_len && uart.len < VPL011_LINE_MAX);
		assert_int_equal(vpl011_irq_level(&uart), (uart.ris & uart.imsc) != 0);
	}
	vpl011_flush(&uart);
	assert_true(random_lines > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_reset_and_ids, setup),
	    cmocka_unit_test_setup(test_plain_regs, setup),
	    cmocka_unit_test_setup(test_rejects, setup),
	    cmocka_unit_test_setup(test_lines, setup),
	    cmocka_unit_test_setup(test_prefix, setup),
	    cmocka_unit_test_setup(test_tx_irq, setup),
	    cmocka_unit_test_setup(test_rx, setup),
	    cmocka_unit_test_setup(test_loopback, setup),
	    cmocka_unit_test(test_random_ops),
	};

	return cmocka_run_group_tests_name("vpl011", tests, NULL, NULL);
}
