/* SPDX-License-Identifier: MIT */
/* Recording system registers and TLB maintenance for host tests; see arch/sysreg.h. */
#include <arch/sysreg.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAKE_SYSREGS_MAX 32

static struct {
	const char *name; /* the stringified register, a string literal */
	uint64_t value;
	unsigned int writes;
} regs[FAKE_SYSREGS_MAX];
static unsigned int n_regs;

static struct fake_tlbi_rec tlbi_log[FAKE_TLBI_LOG_MAX];
static unsigned int n_tlbi;

static unsigned int reg_index(const char *name)
{
	unsigned int i;

	for (i = 0; i < n_regs; i++)
		if (!strcmp(regs[i].name, name))
			return i;
	if (n_regs == FAKE_SYSREGS_MAX) {
		fprintf(stderr, "fake sysreg: too many registers (%s)\n", name);
		abort();
	}
	regs[n_regs].name = name;
	regs[n_regs].value = 0;
	regs[n_regs].writes = 0;
	return n_regs++;
}

uint64_t fake_read_sysreg(const char *name)
{
	return regs[reg_index(name)].value;
}

void fake_write_sysreg(const char *name, uint64_t value)
{
	unsigned int i = reg_index(name);

	regs[i].value = value;
	regs[i].writes++;
}

void fake_tlbi(const char *op)
{
	/* Count past the log's end, so a count is never silently capped. */
	if (n_tlbi < FAKE_TLBI_LOG_MAX) {
		tlbi_log[n_tlbi].op = op;
		tlbi_log[n_tlbi].vttbr = fake_read_sysreg("vttbr_el2");
	}
	n_tlbi++;
}

void fake_arch_reset(void)
{
	n_regs = 0;
	n_tlbi = 0;
}

unsigned int fake_sysreg_writes(const char *name)
{
	return regs[reg_index(name)].writes;
}

unsigned int fake_tlbi_count(const char *op)
{
	unsigned int i, n = 0;

	if (!op)
		return n_tlbi;
	if (n_tlbi > FAKE_TLBI_LOG_MAX) {
		fprintf(stderr, "fake tlbi: log overflow, cannot count %s\n", op);
		abort();
	}
	for (i = 0; i < n_tlbi; i++)
		if (!strcmp(tlbi_log[i].op, op))
			n++;
	return n;
}

const struct fake_tlbi_rec *fake_tlbi_get(unsigned int i)
{
	return i < n_tlbi && i < FAKE_TLBI_LOG_MAX ? &tlbi_log[i] : NULL;
}
