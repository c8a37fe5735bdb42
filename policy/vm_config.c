/* SPDX-License-Identifier: MIT */
/*
 * Reads a VM configuration (policy/vm_config.h) from a flattened device
 * tree. The hypervisor runs it on the blob the loader staged, and the
 * loader (scripts/vtz_run.py, through scripts/vmcfg_check.c) runs the very
 * same code on the host first, so a bad file is refused before QEMU starts
 * with the message the hypervisor would have printed.
 *
 * Strict by design: a property the reader does not know is refused rather
 * than ignored, so a misspelt "memory-mb" never silently gives a VM the
 * default of something. Errors are checked in a fixed order (the root,
 * then each VM in blob order: its properties as the blob lists them for
 * unknown and repeated ones, then each known property in the order of
 * struct vmcfg_vm, then its TEE, then the names and the memory), so one
 * file always gives the same message.
 */
#include <policy/vm_config.h>

#include <lib/fmt.h>
#include <libfdt.h>
#include <stdarg.h>
#include <string.h>

#define MIB (1ULL << 20)
#define CELL_BYTES 4

struct ctx {
	const void *fdt;
	int budget; /* nodes and properties we may still visit */
	struct vmcfg_error *err;
	char where[48]; /* the node being read, for messages: "vm0", "vm0/tee" */
};

/* A property's value as found, before it is checked. */
struct pval {
	const void *v;
	int len;
	bool seen;
};

/* Names reach the console: anything unprintable shows as '?', and long ones are cut. */
static void sanitize(char *dst, size_t n, const char *src, size_t src_len)
{
	size_t i;

	for (i = 0; i + 1 < n && i < src_len && src[i]; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : '?';
	if (n)
		dst[i] = '\0';
}

static int fail(struct ctx *c, int code, const char *prop, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Record code with "WHERE: PROP: detail" (no "PROP: " if prop is NULL). */
static int fail(struct ctx *c, int code, const char *prop, const char *fmt, ...)
{
	char p[40];
	int len;
	va_list ap;

	if (!c->err)
		return code;
	c->err->code = code;
	if (prop) {
		sanitize(p, sizeof(p), prop, sizeof(p));
		len = fmt_snprintf(c->err->msg, sizeof(c->err->msg), "%s: %s: ", c->where, p);
	} else {
		len = fmt_snprintf(c->err->msg, sizeof(c->err->msg), "%s: ", c->where);
	}
	if (len < 0 || (size_t)len >= sizeof(c->err->msg))
		return code;
	va_start(ap, fmt);
	fmt_vsnprintf(c->err->msg + len, sizeof(c->err->msg) - (size_t)len, fmt, ap);
	va_end(ap);
	return code;
}

static bool plain_name(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

/*
 * Where the next message points: "node" or "node/sub". A node name that is
 * not a plain one (empty, or with characters a VM's name may not have,
 * as a crafted blob's) is shown quoted, so the message still starts with
 * the place.
 */
static void set_where(struct ctx *c, const char *node, const char *sub)
{
	char n[VMCFG_NAME_MAX + 8];
	bool quote = strcmp(node, "/") && (!node[0] || !plain_name(node));

	sanitize(n, sizeof(n), node, sizeof(n));
	fmt_snprintf(c->where, sizeof(c->where), "%s%s%s%s%s", quote ? "\"" : "", n,
		     quote ? "\"" : "", sub ? "/" : "", sub ? sub : "");
}

static bool step(struct ctx *c)
{
	return --c->budget >= 0;
}

static int check_blob(struct ctx *c, size_t max_size)
{
	int r;

	/* fdt_check_header reads the header, so it must lie inside the buffer. */
	if (!c->fdt || max_size < sizeof(struct fdt_header))
		return fail(c, VMCFG_ERR_BLOB, NULL, "not a device tree blob (%zu bytes)", max_size);
	r = fdt_check_header(c->fdt);
	if (r)
		return fail(c, VMCFG_ERR_BLOB, NULL, "not a device tree blob (%s)", fdt_strerror(r));
	if (fdt_totalsize(c->fdt) > max_size)
		return fail(c, VMCFG_ERR_BLOB, NULL, "%u bytes: at most %zu", fdt_totalsize(c->fdt),
			    max_size);
	/* libfdt loads tags as aligned 32-bit words: the structure block must be aligned. */
	if (fdt_off_dt_struct(c->fdt) % CELL_BYTES)
		return fail(c, VMCFG_ERR_BLOB, NULL, "structure block not 4-byte aligned");
	/* Every node and property costs at least one tag of the structure block. */
	c->budget = (int)(fdt_size_dt_struct(c->fdt) / CELL_BYTES) + 1;
	return VMCFG_OK;
}

/*
 * The properties of node into vals[] (by their index in names[]): an
 * unknown one or one given twice is refused here, in the blob's order.
 */
static int collect_props(struct ctx *c, int node, const char *const *names, unsigned int n,
			 struct pval *vals)
{
	int off;
	unsigned int i;

	memset(vals, 0, n * sizeof(*vals));
	fdt_for_each_property_offset(off, c->fdt, node) {
		const char *name;
		const void *v;
		int len;

		if (!step(c))
			return fail(c, VMCFG_ERR_STRUCTURE, NULL, "too many nodes and properties");
		v = fdt_getprop_by_offset(c->fdt, off, &name, &len);
		if (!v || !name)
			return fail(c, VMCFG_ERR_STRUCTURE, NULL, "unreadable property (%s)",
				    fdt_strerror(len));
		for (i = 0; i < n && strcmp(name, names[i]); i++)
			;
		if (i == n)
			return fail(c, VMCFG_ERR_UNKNOWN_PROP, name, "unknown property");
		if (vals[i].seen)
			return fail(c, VMCFG_ERR_DUP_PROP, name, "given twice");
		vals[i] = (struct pval){ v, len, true };
	}
	if (off != -FDT_ERR_NOTFOUND)
		return fail(c, VMCFG_ERR_STRUCTURE, NULL, "unreadable properties (%s)",
			    fdt_strerror(off));
	return VMCFG_OK;
}

/*
 * One NUL-terminated string of 1..max-1 bytes; printable: only ASCII
 * 0x20..0x7e (a file name or a command line reaches logs and the loader).
 */
static int get_string(struct ctx *c, const struct pval *p, const char *prop, size_t max,
		      bool printable, const char **out)
{
	const char *s = p->v;
	size_t len, i;

	if (!p->seen)
		return fail(c, VMCFG_ERR_MISSING, prop, "missing");
	if (p->len < 1 || s[p->len - 1] != '\0' || memchr(s, '\0', (size_t)p->len - 1))
		return fail(c, VMCFG_ERR_NOT_STRING, prop, "not one string (%d bytes)", p->len);
	len = (size_t)p->len - 1;
	if (len == 0)
		return fail(c, VMCFG_ERR_LENGTH, prop, "empty");
	if (len >= max)
		return fail(c, VMCFG_ERR_LENGTH, prop, "%zu bytes: at most %zu", len, max - 1);
	for (i = 0; printable && i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return fail(c, VMCFG_ERR_CHARS, prop, "byte %zu is not printable ASCII", i);
	*out = s;
	return VMCFG_OK;
}

/* One 32-bit cell within [lo, hi]. */
static int get_cell(struct ctx *c, const struct pval *p, const char *prop, uint32_t lo,
		    uint32_t hi, uint32_t *out)
{
	uint32_t v;

	if (!p->seen)
		return fail(c, VMCFG_ERR_MISSING, prop, "missing");
	if (p->len != CELL_BYTES)
		return fail(c, VMCFG_ERR_NOT_CELL, prop, "%d bytes: one 32-bit cell <N> expected",
			    p->len);
	v = fdt32_ld(p->v);
	if (v < lo || v > hi)
		return fail(c, VMCFG_ERR_RANGE, prop, "%u: must be %u..%u", v, lo, hi);
	*out = v;
	return VMCFG_OK;
}

/* A string that must be one of choices[]; its index in *out. */
static int get_choice(struct ctx *c, const struct pval *p, const char *prop,
		      const char *const *choices, unsigned int n, const char *expect,
		      unsigned int *out)
{
	const char *s;
	char shown[24];
	unsigned int i;
	int r = get_string(c, p, prop, 32, true, &s);

	if (r == VMCFG_ERR_LENGTH || r == VMCFG_ERR_CHARS)
		return fail(c, VMCFG_ERR_VALUE, prop, "must be %s", expect);
	if (r)
		return r;
	for (i = 0; i < n; i++) {
		if (!strcmp(s, choices[i])) {
			*out = i;
			return VMCFG_OK;
		}
	}
	sanitize(shown, sizeof(shown), s, sizeof(shown));
	return fail(c, VMCFG_ERR_VALUE, prop, "\"%s\": must be %s", shown, expect);
}

/*
 * A console name: 1..max-1 of [a-z0-9_-], and not a trusted component's
 * or the runner's prefix, so no VM's or TEE's line passes for theirs.
 */
static bool name_ok(const char *s, size_t len, size_t max)
{
	static const char *const reserved[] = { "mon", "ciee", "hyp", "run" };
	size_t i;

	if (len == 0 || len >= max)
		return false;
	for (i = 0; i < len; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' ||
		      ch == '-'))
			return false;
	}
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strlen(reserved[i]) == len && !memcmp(s, reserved[i], len))
			return false;
	return true;
}

enum { T_NAME, T_IMAGE, T_MEMORY, T_VCPUS, T_COUNT };
static const char *const tee_props[T_COUNT] = { "console-name", "image", "memory-mib",
						 "vcpus" };

static int read_tee(struct ctx *c, int node, unsigned int index, struct vmcfg_vm *vm)
{
	struct pval p[T_COUNT];
	uint32_t vcpus;
	int r, sub;

	set_where(c, vm->name, "tee");
	r = collect_props(c, node, tee_props, T_COUNT, p);
	if (r)
		return r;
	sub = fdt_first_subnode(c->fdt, node);
	if (sub >= 0)
		return fail(c, VMCFG_ERR_UNKNOWN_NODE, fdt_get_name(c->fdt, sub, NULL),
			    "unknown node (a TEE has none)");
	if (sub != -FDT_ERR_NOTFOUND)
		return fail(c, VMCFG_ERR_STRUCTURE, NULL, "unreadable (%s)", fdt_strerror(sub));
	if (p[T_NAME].seen) {
		const char *s;

		r = get_string(c, &p[T_NAME], "console-name", VMCFG_TEE_NAME_MAX, true, &s);
		if (r == VMCFG_ERR_LENGTH || r == VMCFG_ERR_CHARS ||
		    (!r && !name_ok(s, strlen(s), VMCFG_TEE_NAME_MAX)))
			return fail(c, VMCFG_ERR_NAME, "console-name",
				    "1..7 of [a-z0-9_-], not mon, ciee, hyp or run");
		if (r)
			return r;
		memcpy(vm->tee.name, s, strlen(s) + 1);
	} else {
		/* Derived from the VM's place in the file, as the default scenario names them. */
		int len = fmt_snprintf(vm->tee.name, sizeof(vm->tee.name), "tee%u", index);

		if (len < 0 || (size_t)len >= sizeof(vm->tee.name))
			return fail(c, VMCFG_ERR_NAME, "console-name", "none given, and tee%u is too long",
				    index);
	}
	r = get_string(c, &p[T_IMAGE], "image", VMCFG_PATH_MAX, true, &vm->tee.image.path);
	if (!r)
		r = get_cell(c, &p[T_MEMORY], "memory-mib", 1, VMCFG_TEE_MAX_MIB,
			     &vm->tee.memory_mib);
	if (r || !p[T_VCPUS].seen)
		return r;
	r = get_cell(c, &p[T_VCPUS], "vcpus", 1, VMCFG_MAX_VCPUS, &vcpus);
	if (!r && vcpus != vm->vcpus)
		return fail(c, VMCFG_ERR_TEE_VCPUS, "vcpus",
			    "%u: a TEE has one vCPU per VM vCPU (its VM has %u)", vcpus, vm->vcpus);
	return r;
}

enum { V_COMPATIBLE, V_KIND, V_VCPUS, V_MEMORY, V_KERNEL, V_INITRAMFS, V_BOOTARGS,
       V_ON_POWEROFF, V_NUMA, V_COUNT };
static const char *const vm_props[V_COUNT] = { "compatible", "kind", "vcpus", "memory-mib",
					       "kernel", "initramfs", "bootargs",
					       "on-poweroff", "numa-node" };
static const char *const kinds[] = { "bare", "linux" };
static const char *const on_poweroff[] = { "stop", "restart", "destroy" };

static int read_vm_props(struct ctx *c, const struct pval *p, struct vmcfg_vm *vm)
{
	unsigned int choice;
	const char *s;
	uint32_t v;
	int r;

	r = get_string(c, &p[V_COMPATIBLE], "compatible", 64, false, &s);
	if (r)
		return r;
	if (strcmp(s, "vtz,vm"))
		return fail(c, VMCFG_ERR_VALUE, "compatible", "must be \"vtz,vm\"");
	r = get_choice(c, &p[V_KIND], "kind", kinds, 2, "\"bare\" or \"linux\"", &choice);
	if (r)
		return r;
	vm->kind = choice;
	r = get_cell(c, &p[V_VCPUS], "vcpus", 1, VMCFG_MAX_VCPUS, &vm->vcpus);
	if (!r)
		r = get_cell(c, &p[V_MEMORY], "memory-mib", VMCFG_CHUNK_MIB, UINT32_MAX,
			     &vm->memory_mib);
	if (r)
		return r;
	if (vm->memory_mib % VMCFG_CHUNK_MIB)
		return fail(c, VMCFG_ERR_ALIGN, "memory-mib",
			    "%u MiB: not a multiple of %u MiB (the hypervisor's chunk)",
			    vm->memory_mib, VMCFG_CHUNK_MIB);
	r = get_string(c, &p[V_KERNEL], "kernel", VMCFG_PATH_MAX, true, &vm->kernel.path);
	if (r)
		return r;
	if (vm->kind == VMCFG_KIND_LINUX) {
		r = get_string(c, &p[V_INITRAMFS], "initramfs", VMCFG_PATH_MAX, true,
			       &vm->initramfs.path);
		if (!r && p[V_BOOTARGS].seen)
			r = get_string(c, &p[V_BOOTARGS], "bootargs", VMCFG_BOOTARGS_MAX, true,
				       &vm->bootargs);
		if (r)
			return r;
	} else if (p[V_INITRAMFS].seen || p[V_BOOTARGS].seen) {
		return fail(c, VMCFG_ERR_KIND_PROP, p[V_INITRAMFS].seen ? "initramfs" : "bootargs",
			    "only for a Linux VM (kind = \"linux\")");
	}
	if (p[V_ON_POWEROFF].seen) {
		r = get_choice(c, &p[V_ON_POWEROFF], "on-poweroff", on_poweroff, 3,
			       "\"stop\", \"restart\" or \"destroy\"", &choice);
		if (r)
			return r;
		vm->on_poweroff = choice;
	}
	vm->numa_node = -1;
	if (p[V_NUMA].seen) {
		r = get_cell(c, &p[V_NUMA], "numa-node", 0, VMCFG_NUMA_NODES - 1, &v);
		if (r)
			return r;
		vm->numa_node = (int)v;
	}
	return VMCFG_OK;
}

/* Names already taken by vms[0..i) and vm's own: VM names and TEE console names. */
static int check_names(struct ctx *c, const struct vmcfg_vm *vms, unsigned int i)
{
	const struct vmcfg_vm *vm = &vms[i];
	char other[VMCFG_NAME_MAX];
	unsigned int j;

	for (j = 0; j < i; j++) {
		sanitize(other, sizeof(other), vms[j].name, sizeof(other));
		if (!strcmp(vm->name, vms[j].name))
			return fail(c, VMCFG_ERR_DUP_NAME, NULL, "a second VM of that name");
		if (vms[j].has_tee && !strcmp(vm->name, vms[j].tee.name))
			return fail(c, VMCFG_ERR_DUP_TEE_NAME, NULL,
				    "its name is %s's TEE's name too", other);
	}
	if (!vm->has_tee)
		return VMCFG_OK;
	set_where(c, vm->name, "tee");
	if (!strcmp(vm->tee.name, vm->name))
		return fail(c, VMCFG_ERR_DUP_TEE_NAME, "console-name", "\"%s\" is its VM's name too",
			    vm->tee.name);
	for (j = 0; j < i; j++) {
		sanitize(other, sizeof(other), vms[j].name, sizeof(other));
		if (!strcmp(vm->tee.name, vms[j].name))
			return fail(c, VMCFG_ERR_DUP_TEE_NAME, "console-name",
				    "\"%s\" is a VM's name too",
				    vm->tee.name);
		if (vms[j].has_tee && !strcmp(vm->tee.name, vms[j].tee.name))
			return fail(c, VMCFG_ERR_DUP_TEE_NAME, "console-name",
				    "\"%s\" is %s's TEE's name too", vm->tee.name, other);
	}
	return VMCFG_OK;
}

uint64_t vmcfg_vm_bytes(const struct vmcfg_vm *vm)
{
	const uint64_t chunk = VMCFG_CHUNK_MIB * MIB;
	uint64_t tee = vm->has_tee ? ((uint64_t)vm->tee.memory_mib * MIB + chunk - 1) / chunk * chunk
				   : 0;

	return (uint64_t)vm->memory_mib * MIB + tee;
}

static int read_vm(struct ctx *c, int node, unsigned int index, struct vmcfg_vm *vms,
		   uint64_t *left)
{
	struct vmcfg_vm *vm = &vms[index];
	struct pval p[V_COUNT];
	int len, r, sub;
	uint64_t need;

	memset(vm, 0, sizeof(*vm));
	vm->name = fdt_get_name(c->fdt, node, &len);
	if (!vm->name)
		return fail(c, VMCFG_ERR_STRUCTURE, NULL, "unreadable node (%s)", fdt_strerror(len));
	set_where(c, vm->name, NULL);
	if (!name_ok(vm->name, (size_t)len, VMCFG_NAME_MAX))
		return fail(c, VMCFG_ERR_NAME, NULL,
			    "a VM's name is 1..15 of [a-z0-9_-], not mon, ciee, hyp or run");
	r = collect_props(c, node, vm_props, V_COUNT, p);
	if (!r)
		r = read_vm_props(c, p, vm);
	if (r)
		return r;
	fdt_for_each_subnode(sub, c->fdt, node) {
		const char *name = fdt_get_name(c->fdt, sub, NULL);

		set_where(c, vm->name, NULL);
		if (!step(c))
			return fail(c, VMCFG_ERR_STRUCTURE, NULL, "too many nodes and properties");
		if (!name || strcmp(name, "tee"))
			return fail(c, VMCFG_ERR_UNKNOWN_NODE, name ? name : "?",
				    "unknown node (a VM has only \"tee\")");
		if (vm->has_tee)
			return fail(c, VMCFG_ERR_UNKNOWN_NODE, name, "a second TEE node");
		vm->has_tee = true;
		r = read_tee(c, sub, index, vm);
		if (r)
			return r;
	}
	if (sub != -FDT_ERR_NOTFOUND)
		return fail(c, VMCFG_ERR_STRUCTURE, NULL, "unreadable (%s)", fdt_strerror(sub));
	set_where(c, vm->name, NULL);
	r = check_names(c, vms, index);
	if (r)
		return r;
	set_where(c, vm->name, NULL);
	need = vmcfg_vm_bytes(vm);
	if (need > *left)
		return fail(c, VMCFG_ERR_NOMEM, "memory-mib", "%u MiB%s does not fit: %llu MiB left",
			    vm->memory_mib, vm->has_tee ? " with its TEE" : "",
			    (unsigned long long)(*left / MIB));
	*left -= need;
	return VMCFG_OK;
}

static const char *const firmware_names[] = { "dt", "acpi" };

static int read_root(struct ctx *c)
{
	static const char *const root_props[] = { "compatible", "firmware-tables" };
	struct pval p[2];
	const char *s;
	unsigned int choice;
	int r;

	set_where(c, "/", NULL);
	r = collect_props(c, 0, root_props, 2, p);
	if (r)
		return r;
	r = get_string(c, &p[0], "compatible", 64, false, &s);
	if (!r && strcmp(s, "vtz,vm-config"))
		r = -1;
	if (r)
		return fail(c, VMCFG_ERR_ROOT, "compatible",
			    "must be \"vtz,vm-config\" (a VM configuration)");
	if (p[1].seen)
		return get_choice(c, &p[1], "firmware-tables", firmware_names, 2,
				  "\"dt\" or \"acpi\"", &choice);
	return VMCFG_OK;
}

enum vmcfg_firmware vmcfg_firmware_tables(const void *blob, size_t max_size)
{
	const char *v;
	int len;

	if (max_size < 8 || fdt_check_header(blob) || fdt_totalsize(blob) > max_size)
		return VMCFG_FIRMWARE_DT;
	v = fdt_getprop(blob, 0, "firmware-tables", &len);
	return v && len == 5 && !memcmp(v, "acpi", 5) ? VMCFG_FIRMWARE_ACPI : VMCFG_FIRMWARE_DT;
}

int vmcfg_read(const void *blob, size_t max_size, uint64_t mem_avail, struct vmcfg_vm *out,
	       unsigned int max, unsigned int *n, struct vmcfg_error *err)
{
	struct ctx c = { .fdt = blob, .err = err };
	uint64_t left = mem_avail;
	unsigned int count = 0;
	int node, r;

	if (err)
		memset(err, 0, sizeof(*err));
	set_where(&c, "/", NULL);
	if (!n || (!out && max))
		return fail(&c, VMCFG_ERR_ARGS, NULL, "no table for the VMs");
	*n = 0;
	r = check_blob(&c, max_size);
	if (!r)
		r = read_root(&c);
	if (r)
		goto out;
	fdt_for_each_subnode(node, blob, 0) {
		const char *name = fdt_get_name(blob, node, NULL);

		if (!step(&c)) {
			r = fail(&c, VMCFG_ERR_STRUCTURE, NULL, "too many nodes and properties");
			goto out;
		}
		/* The loader's record of where it staged the files: vmcfg_resolve()'s. */
		if (name && !strcmp(name, "loaded"))
			continue;
		if (count >= max) {
			set_where(&c, name ? name : "?", NULL);
			r = fail(&c, VMCFG_ERR_TOO_MANY, NULL, "more than %u VMs", max);
			goto out;
		}
		r = read_vm(&c, node, count, out, &left);
		if (r)
			goto out;
		count++;
	}
	set_where(&c, "/", NULL);
	if (node != -FDT_ERR_NOTFOUND)
		r = fail(&c, VMCFG_ERR_STRUCTURE, NULL, "unreadable (%s)", fdt_strerror(node));
	else if (!count)
		r = fail(&c, VMCFG_ERR_NO_VMS, NULL, "no VM in the configuration");
out:
	if (r) {
		if (out)
			memset(out, 0, max * sizeof(*out));
		return r;
	}
	*n = count;
	return VMCFG_OK;
}

/* ------------------------------------------------------------ /loaded */

struct loaded {
	const char *path;
	uint64_t addr, size;
	const char *node;
};

enum { L_PATH, L_ADDR, L_SIZE, L_COUNT };
static const char *const loaded_props[L_COUNT] = { "path", "addr", "size" };

static int get_u64(struct ctx *c, const struct pval *p, const char *prop, uint64_t *out)
{
	if (!p->seen)
		return fail(c, VMCFG_ERR_MISSING, prop, "missing");
	if (p->len != 8)
		return fail(c, VMCFG_ERR_LOADED, prop,
			    "%d bytes: one 64-bit number (/bits/ 64 <N>) expected", p->len);
	*out = fdt64_ld(p->v);
	return VMCFG_OK;
}

static int read_entry(struct ctx *c, int node, const struct vmcfg_area *areas,
		      unsigned int n_areas, struct loaded *e)
{
	struct pval p[L_COUNT];
	unsigned int i;
	int r, sub;

	e->node = fdt_get_name(c->fdt, node, NULL);
	if (!e->node)
		return fail(c, VMCFG_ERR_STRUCTURE, NULL, "unreadable node");
	set_where(c, "loaded", e->node);
	r = collect_props(c, node, loaded_props, L_COUNT, p);
	if (r)
		return r;
	sub = fdt_first_subnode(c->fdt, node);
	if (sub >= 0)
		return fail(c, VMCFG_ERR_UNKNOWN_NODE, fdt_get_name(c->fdt, sub, NULL),
			    "unknown node");
	r = get_string(c, &p[L_PATH], "path", VMCFG_PATH_MAX, true, &e->path);
	if (!r)
		r = get_u64(c, &p[L_ADDR], "addr", &e->addr);
	if (!r)
		r = get_u64(c, &p[L_SIZE], "size", &e->size);
	if (r)
		return r;
	if (e->size == 0)
		return fail(c, VMCFG_ERR_LOADED, "size", "0: an empty file is nothing to load");
	/* Page-aligned, so a Linux Image's header is read with aligned loads. */
	if (e->addr % VMCFG_STAGE_ALIGN)
		return fail(c, VMCFG_ERR_LOADED, "addr", "0x%llx: not 4 KiB aligned",
			    (unsigned long long)e->addr);
	for (i = 0; i < n_areas; i++)
		if (e->addr >= areas[i].base && e->size <= areas[i].size &&
		    e->addr - areas[i].base <= areas[i].size - e->size)
			return VMCFG_OK;
	return fail(c, VMCFG_ERR_AREA, "addr", "0x%llx (+0x%llx) is outside the staging areas",
		    (unsigned long long)e->addr, (unsigned long long)e->size);
}

/* The /loaded entries into e[], each checked, and against each other. */
static int read_loaded(struct ctx *c, int loaded, const struct vmcfg_area *areas,
		       unsigned int n_areas, struct loaded *e, unsigned int *n)
{
	unsigned int i, count = 0;
	int node, r;

	fdt_for_each_subnode(node, c->fdt, loaded) {
		if (!step(c))
			return fail(c, VMCFG_ERR_STRUCTURE, NULL, "too many nodes and properties");
		if (count >= VMCFG_MAX_LOADED) {
			set_where(c, "loaded", NULL);
			return fail(c, VMCFG_ERR_LOADED, NULL, "more than %u files",
				    VMCFG_MAX_LOADED);
		}
		r = read_entry(c, node, areas, n_areas, &e[count]);
		if (r)
			return r;
		for (i = 0; i < count; i++) {
			char other[24];

			sanitize(other, sizeof(other), e[i].node, sizeof(other));
			if (!strcmp(e[i].path, e[count].path))
				return fail(c, VMCFG_ERR_LOADED, "path", "also loaded/%s's", other);
			/* Both within one area, so neither end wraps. */
			if (e[count].addr < e[i].addr + e[i].size &&
			    e[i].addr < e[count].addr + e[count].size)
				return fail(c, VMCFG_ERR_OVERLAP, "addr", "overlaps loaded/%s",
					    other);
		}
		count++;
	}
	if (node != -FDT_ERR_NOTFOUND)
		return fail(c, VMCFG_ERR_STRUCTURE, NULL, "unreadable (%s)", fdt_strerror(node));
	*n = count;
	return VMCFG_OK;
}

static int resolve_file(struct ctx *c, const char *vm, const char *sub, const char *prop,
			struct vmcfg_file *f, const struct loaded *e, unsigned int n)
{
	char shown[40];
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!strcmp(e[i].path, f->path)) {
			f->addr = e[i].addr;
			f->size = e[i].size;
			return VMCFG_OK;
		}
	}
	set_where(c, vm, sub);
	sanitize(shown, sizeof(shown), f->path, sizeof(shown));
	return fail(c, VMCFG_ERR_NOT_LOADED, prop, "\"%s\" was not staged (no /loaded entry)",
		    shown);
}

int vmcfg_resolve(const void *blob, size_t max_size, struct vmcfg_vm *vms, unsigned int n,
		  const struct vmcfg_area *areas, unsigned int n_areas, struct vmcfg_error *err)
{
	struct ctx c = { .fdt = blob, .err = err };
	struct loaded e[VMCFG_MAX_LOADED];
	unsigned int i, n_loaded = 0;
	int node, loaded = -1, r;

	if (err)
		memset(err, 0, sizeof(*err));
	set_where(&c, "/", NULL);
	if ((!vms && n) || (!areas && n_areas))
		return fail(&c, VMCFG_ERR_ARGS, NULL, "no VMs or no areas");
	r = check_blob(&c, max_size);
	if (r)
		return r;
	fdt_for_each_subnode(node, blob, 0) {
		const char *name = fdt_get_name(blob, node, NULL);

		if (!step(&c))
			return fail(&c, VMCFG_ERR_STRUCTURE, NULL, "too many nodes and properties");
		if (!name || strcmp(name, "loaded"))
			continue;
		if (loaded >= 0) {
			set_where(&c, "loaded", NULL);
			return fail(&c, VMCFG_ERR_LOADED, NULL, "a second /loaded node");
		}
		loaded = node;
	}
	if (node != -FDT_ERR_NOTFOUND)
		return fail(&c, VMCFG_ERR_STRUCTURE, NULL, "unreadable (%s)", fdt_strerror(node));
	if (loaded < 0 && n) {
		set_where(&c, "loaded", NULL);
		return fail(&c, VMCFG_ERR_NOT_LOADED, NULL,
			    "missing: the loader records there where it staged each file");
	}
	if (loaded >= 0) {
		static const char *const none[1] = { "" };
		struct pval p;

		set_where(&c, "loaded", NULL);
		r = collect_props(&c, loaded, none, 0, &p);
		if (!r)
			r = read_loaded(&c, loaded, areas, n_areas, e, &n_loaded);
		if (r)
			return r;
	}
	for (i = 0; i < n; i++) {
		struct vmcfg_vm *vm = &vms[i];

		r = resolve_file(&c, vm->name, NULL, "kernel", &vm->kernel, e, n_loaded);
		if (!r && vm->initramfs.path)
			r = resolve_file(&c, vm->name, NULL, "initramfs", &vm->initramfs, e,
					 n_loaded);
		if (!r && vm->has_tee)
			r = resolve_file(&c, vm->name, "tee", "image", &vm->tee.image, e, n_loaded);
		if (r)
			return r;
	}
	return VMCFG_OK;
}

const char *vmcfg_kind_name(enum vmcfg_kind kind)
{
	return (unsigned int)kind < 2 ? kinds[kind] : "?";
}

const char *vmcfg_on_poweroff_name(enum vmcfg_on_poweroff p)
{
	return (unsigned int)p < 3 ? on_poweroff[p] : "?";
}
