/* SPDX-License-Identifier: MIT */
/*
 * Runs QEMU's ACPI linker/loader script (fw_cfg "etc/table-loader", the
 * format of QEMU's hw/acpi/bios-linker-loader.c): 128-byte commands that
 * ALLOCATE a fw_cfg file in guest memory, ADD_POINTER (patch a pointer in
 * one file with another file's address), ADD_CHECKSUM (fix a checksum
 * byte) and WRITE_POINTER (tell QEMU where a file landed). The script and
 * the files come from the hypervisor-visible device model, so every name,
 * offset, size and alignment is checked before use; each failure has its
 * own code, and acpi_loader_strerror() names the command and the field.
 * Hardware-free: placing a file and writing back to fw_cfg are the
 * caller's (struct acpi_loader_ops).
 */
#ifndef POLICY_ACPI_LOADER_H
#define POLICY_ACPI_LOADER_H

#include <stddef.h>
#include <stdint.h>

#define ACPI_LOADER_CMD_SIZE 128
#define ACPI_LOADER_NAME_SIZE 56 /* fw_cfg file names, NUL included */
#define ACPI_LOADER_MAX_CMDS 64
#define ACPI_LOADER_MAX_FILES 4
#define ACPI_LOADER_MAX_ALIGN 4096

enum {
	ACPI_LOADER_ALLOCATE = 1,
	ACPI_LOADER_ADD_POINTER = 2,
	ACPI_LOADER_ADD_CHECKSUM = 3,
	ACPI_LOADER_WRITE_POINTER = 4,
};
enum { ACPI_LOADER_ZONE_HIGH = 1, ACPI_LOADER_ZONE_FSEG = 2 };

struct acpi_loader_file {
	char name[ACPI_LOADER_NAME_SIZE];
	uint8_t *bytes; /* its contents, where the caller placed them */
	uint64_t addr;  /* the physical address of bytes[0] */
	uint32_t size;
};

struct acpi_loader_ops {
	/*
	 * Reads fw_cfg file @name in full into memory aligned to @align
	 * (a power of two) and fills f->bytes, f->addr and f->size.
	 * Returns 0, or nonzero (kept in acpi_loader.cb_err) to fail.
	 */
	int (*allocate)(void *ctx, const char *name, uint32_t align, uint8_t zone,
			struct acpi_loader_file *f);
	/* Writes the @size low bytes of @value at @offset of fw_cfg file @name; 0 or fail. */
	int (*write_pointer)(void *ctx, const char *name, uint32_t offset, uint64_t value,
			     uint8_t size);
	void *ctx;
};

struct acpi_loader {
	unsigned n_files;
	struct acpi_loader_file file[ACPI_LOADER_MAX_FILES];
	unsigned failed_cmd; /* index of the command that failed */
	int cb_err;          /* an ops callback's own code, when it failed */
};

/* X(code, name, message): codes are -1, -2, ... in this order. */
#define ACPI_LOADER_ERRORS(X)                                                                 \
	X(1, LENGTH, "table-loader: script is empty or not whole 128-byte commands")           \
	X(2, TOO_MANY_CMDS, "table-loader: more than ACPI_LOADER_MAX_CMDS commands")           \
	X(3, UNKNOWN_CMD, "table-loader: unknown command")                                    \
	X(4, NAME, "table-loader: file name empty or not NUL-terminated in 56 bytes")          \
	X(5, ALLOC_ALIGN, "table-loader: ALLOCATE alignment not a power of two up to 4096")   \
	X(6, ALLOC_ZONE, "table-loader: ALLOCATE zone is neither HIGH (1) nor FSEG (2)")       \
	X(7, ALLOC_TWICE, "table-loader: ALLOCATE of a file already allocated")               \
	X(8, ALLOC_TOO_MANY, "table-loader: more ALLOCATEs than ACPI_LOADER_MAX_FILES")        \
	X(9, ALLOC_FAILED, "table-loader: ALLOCATE: the file could not be placed")            \
	X(10, ALLOC_PLACED, "table-loader: ALLOCATE: placed misaligned, empty or wrapping")   \
	X(11, FILE_UNKNOWN, "table-loader: command names a file not allocated")               \
	X(12, PTR_SIZE, "table-loader: ADD_POINTER size not 1, 2, 4 or 8")                    \
	X(13, PTR_OFFSET, "table-loader: ADD_POINTER offset + size beyond the file")          \
	X(14, PTR_TARGET, "table-loader: ADD_POINTER pointer not inside its source file")     \
	X(15, PTR_OVERFLOW, "table-loader: ADD_POINTER result does not fit its size")         \
	X(16, CKSUM_RANGE, "table-loader: ADD_CHECKSUM start + length beyond the file")        \
	X(17, CKSUM_OFFSET, "table-loader: ADD_CHECKSUM offset not inside the summed range")  \
	X(18, WPTR_SIZE, "table-loader: WRITE_POINTER size not 1, 2, 4 or 8")                 \
	X(19, WPTR_SRC_OFFSET, "table-loader: WRITE_POINTER source offset beyond the file")   \
	X(20, WPTR_OVERFLOW, "table-loader: WRITE_POINTER address does not fit its size")     \
	X(21, WPTR_FAILED, "table-loader: WRITE_POINTER: fw_cfg refused the write")

#define ACPI_LOADER_ERR_ENUM(n, name, msg) ACPI_LOADER_ERR_##name = -(n),
enum acpi_loader_err { ACPI_LOADER_OK = 0, ACPI_LOADER_ERRORS(ACPI_LOADER_ERR_ENUM) };
#undef ACPI_LOADER_ERR_ENUM

/*
 * Runs @len bytes of script (a trusted copy: read once). All-zero
 * commands are padding. Returns ACPI_LOADER_OK with st->file[] the placed
 * files, or an error with st->failed_cmd (and st->cb_err) saying where.
 */
int acpi_loader_run(const uint8_t *script, size_t len, const struct acpi_loader_ops *ops,
		    struct acpi_loader *st);
/* The placed file called @name, or NULL. */
const struct acpi_loader_file *acpi_loader_find(const struct acpi_loader *st, const char *name);
const char *acpi_loader_strerror(int err);

#endif
