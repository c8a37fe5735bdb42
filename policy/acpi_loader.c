/* SPDX-License-Identifier: MIT */
/*
 * The ACPI linker/loader (policy/acpi_loader.h). Commands are taken in
 * order, as SeaBIOS and OVMF do: a file must be allocated before another
 * command names it. Pointers are patched only to land inside their source
 * file, and checksums only over ranges inside their file.
 */
#include <policy/acpi_loader.h>

#include <string.h>

#define CMD_OFF 4
#define NAME2_OFF (CMD_OFF + ACPI_LOADER_NAME_SIZE)
#define ARGS1_OFF NAME2_OFF			      /* after one name */
#define ARGS2_OFF (NAME2_OFF + ACPI_LOADER_NAME_SIZE) /* after two names */

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void put_le(uint8_t *p, unsigned n, uint64_t v)
{
	unsigned i;

	for (i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static int size_ok(uint8_t n)
{
	return n == 1 || n == 2 || n == 4 || n == 8;
}

/* Does @v fit in @n bytes? */
static int fits(uint64_t v, uint8_t n)
{
	return n == 8 || v >> (8 * n) == 0;
}

/* A NUL-terminated, non-empty name of at most 55 characters. */
static int name_ok(const uint8_t *p)
{
	return p[0] != 0 && memchr(p, 0, ACPI_LOADER_NAME_SIZE) != NULL;
}

static struct acpi_loader_file *find(struct acpi_loader *st, const uint8_t *name)
{
	unsigned i;

	for (i = 0; i < st->n_files; i++)
		if (strcmp(st->file[i].name, (const char *)name) == 0)
			return &st->file[i];
	return NULL;
}

const struct acpi_loader_file *acpi_loader_find(const struct acpi_loader *st, const char *name)
{
	unsigned i;

	for (i = 0; i < st->n_files; i++)
		if (strcmp(st->file[i].name, name) == 0)
			return &st->file[i];
	return NULL;
}

static int allocate(const uint8_t *c, const struct acpi_loader_ops *ops, struct acpi_loader *st)
{
	const uint8_t *name = c + CMD_OFF;
	uint32_t align = (uint32_t)le(c + ARGS1_OFF, 4);
	uint8_t zone = c[ARGS1_OFF + 4];
	struct acpi_loader_file *f;

	if (!name_ok(name))
		return ACPI_LOADER_ERR_NAME;
	if (align == 0 || (align & (align - 1)) || align > ACPI_LOADER_MAX_ALIGN)
		return ACPI_LOADER_ERR_ALLOC_ALIGN;
	if (zone != ACPI_LOADER_ZONE_HIGH && zone != ACPI_LOADER_ZONE_FSEG)
		return ACPI_LOADER_ERR_ALLOC_ZONE;
	if (find(st, name))
		return ACPI_LOADER_ERR_ALLOC_TWICE;
	if (st->n_files >= ACPI_LOADER_MAX_FILES)
		return ACPI_LOADER_ERR_ALLOC_TOO_MANY;
	f = &st->file[st->n_files];
	memset(f, 0, sizeof(*f));
	memcpy(f->name, name, strlen((const char *)name) + 1);
	st->cb_err = ops->allocate(ops->ctx, f->name, align, zone, f);
	if (st->cb_err)
		return ACPI_LOADER_ERR_ALLOC_FAILED;
	if (!f->bytes || f->size == 0 || (f->addr & (align - 1)) || f->addr + f->size < f->addr)
		return ACPI_LOADER_ERR_ALLOC_PLACED;
	st->n_files++;
	return ACPI_LOADER_OK;
}

static int add_pointer(const uint8_t *c, struct acpi_loader *st)
{
	const uint8_t *dname = c + CMD_OFF, *sname = c + NAME2_OFF;
	uint32_t off = (uint32_t)le(c + ARGS2_OFF, 4);
	uint8_t size = c[ARGS2_OFF + 4];
	struct acpi_loader_file *dst, *src;
	uint64_t v;

	if (!name_ok(dname) || !name_ok(sname))
		return ACPI_LOADER_ERR_NAME;
	dst = find(st, dname);
	src = find(st, sname);
	if (!dst || !src)
		return ACPI_LOADER_ERR_FILE_UNKNOWN;
	if (!size_ok(size))
		return ACPI_LOADER_ERR_PTR_SIZE;
	if (off > dst->size || size > dst->size - off)
		return ACPI_LOADER_ERR_PTR_OFFSET;
	v = le(dst->bytes + off, size);
	if (v >= src->size)
		return ACPI_LOADER_ERR_PTR_TARGET;
	/* allocate() checked that addr + size does not wrap, and v < size. */
	v += src->addr;
	if (!fits(v, size))
		return ACPI_LOADER_ERR_PTR_OVERFLOW;
	put_le(dst->bytes + off, size, v);
	return ACPI_LOADER_OK;
}

static int add_checksum(const uint8_t *c, struct acpi_loader *st)
{
	const uint8_t *name = c + CMD_OFF;
	uint32_t off = (uint32_t)le(c + ARGS1_OFF, 4);
	uint32_t start = (uint32_t)le(c + ARGS1_OFF + 4, 4);
	uint32_t len = (uint32_t)le(c + ARGS1_OFF + 8, 4);
	struct acpi_loader_file *f;
	uint8_t sum = 0;
	uint32_t i;

	if (!name_ok(name))
		return ACPI_LOADER_ERR_NAME;
	f = find(st, name);
	if (!f)
		return ACPI_LOADER_ERR_FILE_UNKNOWN;
	if (start > f->size || len > f->size - start)
		return ACPI_LOADER_ERR_CKSUM_RANGE;
	/* Outside the range, the byte would not make the range sum to zero. */
	if (off < start || off - start >= len)
		return ACPI_LOADER_ERR_CKSUM_OFFSET;
	for (i = 0; i < len; i++)
		sum = (uint8_t)(sum + f->bytes[start + i]);
	f->bytes[off] = (uint8_t)(f->bytes[off] - sum);
	return ACPI_LOADER_OK;
}

static int write_pointer(const uint8_t *c, const struct acpi_loader_ops *ops,
			 struct acpi_loader *st)
{
	const uint8_t *dname = c + CMD_OFF, *sname = c + NAME2_OFF;
	uint32_t dst_off = (uint32_t)le(c + ARGS2_OFF, 4);
	uint32_t src_off = (uint32_t)le(c + ARGS2_OFF + 4, 4);
	uint8_t size = c[ARGS2_OFF + 8];
	struct acpi_loader_file *src;
	uint64_t v;

	if (!name_ok(dname) || !name_ok(sname))
		return ACPI_LOADER_ERR_NAME;
	src = find(st, sname);
	if (!src)
		return ACPI_LOADER_ERR_FILE_UNKNOWN;
	if (!size_ok(size))
		return ACPI_LOADER_ERR_WPTR_SIZE;
	if (src_off >= src->size)
		return ACPI_LOADER_ERR_WPTR_SRC_OFFSET;
	v = src->addr + src_off;
	if (!fits(v, size))
		return ACPI_LOADER_ERR_WPTR_OVERFLOW;
	st->cb_err = ops->write_pointer(ops->ctx, (const char *)dname, dst_off, v, size);
	return st->cb_err ? ACPI_LOADER_ERR_WPTR_FAILED : ACPI_LOADER_OK;
}

static int run_one(const uint8_t *c, const struct acpi_loader_ops *ops, struct acpi_loader *st)
{
	static const uint8_t zero[ACPI_LOADER_CMD_SIZE];

	switch (le(c, 4)) {
	case ACPI_LOADER_ALLOCATE:
		return allocate(c, ops, st);
	case ACPI_LOADER_ADD_POINTER:
		return add_pointer(c, st);
	case ACPI_LOADER_ADD_CHECKSUM:
		return add_checksum(c, st);
	case ACPI_LOADER_WRITE_POINTER:
		return write_pointer(c, ops, st);
	default:
		/* QEMU pads the script with all-zero commands. */
		if (memcmp(c, zero, sizeof(zero)) == 0)
			return ACPI_LOADER_OK;
		return ACPI_LOADER_ERR_UNKNOWN_CMD;
	}
}

int acpi_loader_run(const uint8_t *script, size_t len, const struct acpi_loader_ops *ops,
		    struct acpi_loader *st)
{
	size_t i, n = len / ACPI_LOADER_CMD_SIZE;
	int ret;

	memset(st, 0, sizeof(*st));
	if (len == 0 || len % ACPI_LOADER_CMD_SIZE)
		return ACPI_LOADER_ERR_LENGTH;
	if (n > ACPI_LOADER_MAX_CMDS)
		return ACPI_LOADER_ERR_TOO_MANY_CMDS;
	for (i = 0; i < n; i++) {
		ret = run_one(script + i * ACPI_LOADER_CMD_SIZE, ops, st);
		if (ret) {
			st->failed_cmd = (unsigned)i;
			return ret;
		}
	}
	return ACPI_LOADER_OK;
}

#define ACPI_LOADER_ERR_CASE(n, name, msg)                                                         \
	case ACPI_LOADER_ERR_##name:                                                               \
		return msg;

const char *acpi_loader_strerror(int err)
{
	switch (err) {
	case ACPI_LOADER_OK:
		return "success";
		ACPI_LOADER_ERRORS(ACPI_LOADER_ERR_CASE)
	default:
		return "unknown error";
	}
}
