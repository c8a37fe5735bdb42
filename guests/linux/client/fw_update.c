// SPDX-License-Identifier: MIT
/*
 * vtz-client fw-update FILE: hand a firmware bundle (make firmware-update)
 * to the monitor through this VM's firmware mailbox, emulated by the
 * hypervisor (include/vtz/fw_mailbox.h, GUEST_FWBOX_*; docs/security.md,
 * "Firmware update"). BEGIN, then 4 KiB chunks, then COMMIT; the
 * monitor's answer to each is printed with its name. The hypervisor only
 * carries the bytes: the monitor checks the owner's signature and the
 * anti-rollback counter on what it wrote to flash itself. The new
 * firmware runs from the machine's next boot.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vtz/fw_mailbox.h>

#include "fw_update.h"
#include "result.h"

static const char *fw_err_name(int32_t e)
{
	switch (e) {
	case VTZ_FW_ERR_NOT_FLASH_BOOTED:
		return "the machine did not boot from flash slots (run it with --flash-file)";
	case VTZ_FW_ERR_SIZE:
		return "bundle size 0 or larger than a slot";
	case VTZ_FW_ERR_NO_UPDATE:
		return "no update begun";
	case VTZ_FW_ERR_OFFSET:
		return "chunk not at the next byte";
	case VTZ_FW_ERR_LENGTH:
		return "bad chunk length";
	case VTZ_FW_ERR_BUFFER:
		return "the hypervisor's buffer is not its own";
	case VTZ_FW_ERR_FLASH:
		return "flash erase/program failed";
	case VTZ_FW_ERR_INCOMPLETE:
		return "bundle incomplete";
	case VTZ_FW_ERR_BUNDLE:
		return "not a valid bundle (header)";
	case VTZ_FW_ERR_FORMAT:
		return "an image has no valid signature trailer";
	case VTZ_FW_ERR_DIGEST:
		return "an image was altered after signing";
	case VTZ_FW_ERR_KEY:
		return "signed by another key than the owner's";
	case VTZ_FW_ERR_SIGNATURE:
		return "a signature does not verify";
	case VTZ_FW_ERR_VERSIONS:
		return "its images carry different security versions";
	case VTZ_FW_ERR_ROLLBACK:
		return "rollback: security version below the anti-rollback counter";
	case VTZ_FW_ERR_COMMITTED:
		return "an update is already committed: restart the machine first";
	case FWBOX_ERR_CMD:
		return "the mailbox did not know the command";
	default:
		return "unknown error";
	}
}

/* One mailbox call; 0 or the monitor's (negative) answer, printed. */
static int32_t call(volatile uint32_t *box, const char *what, uint32_t cmd, uint32_t arg,
		    uint32_t off)
{
	int32_t r;

	box[FWBOX_ARG / 4] = arg;
	box[FWBOX_OFF / 4] = off;
	box[FWBOX_CMD / 4] = cmd;
	r = (int32_t)box[FWBOX_RESULT / 4];
	if (r)
		fprintf(stderr, "vtz-client: error: fw-update: %s refused: %s (%d, detail %u)\n", what,
			fw_err_name(r), r, box[FWBOX_X1 / 4]);
	return r;
}

static uint8_t *read_file(const char *path, size_t *size)
{
	struct stat st;
	uint8_t *buf;
	FILE *f = fopen(path, "rb");

	if (!f || fstat(fileno(f), &st) || st.st_size <= 0 || st.st_size > (off_t)FW_SLOT_SIZE) {
		fprintf(stderr, "vtz-client: error: fw-update: %s: %s\n", path,
			!f ? strerror(errno) : "not a file of 1 byte to 8 MiB");
		if (f)
			fclose(f);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 4);
	if (buf && fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (!buf)
		fprintf(stderr, "vtz-client: error: fw-update: cannot read %s\n", path);
	*size = (size_t)st.st_size;
	return buf;
}

int cmd_fw_update(const char *path)
{
	volatile uint32_t *box, *data;
	size_t size, off, n, i;
	uint8_t *b;
	uint32_t w;
	void *map;
	int fd, ret = VTZ_EXIT_FW_REFUSED;

	b = read_file(path, &size);
	if (!b)
		return VTZ_EXIT_FW_IO;
	fd = open("/dev/mem", O_RDWR | O_SYNC);
	map = fd < 0 ? MAP_FAILED : mmap(NULL, GUEST_FWBOX_SIZE, PROT_READ | PROT_WRITE,
					MAP_SHARED, fd, GUEST_FWBOX_IPA);
	if (map == MAP_FAILED) {
		fprintf(stderr, "vtz-client: error: fw-update: cannot map the firmware mailbox at "
			"0x%lx through /dev/mem: %s (run as root)\n", GUEST_FWBOX_IPA, strerror(errno));
		free(b);
		if (fd >= 0)
			close(fd);
		return VTZ_EXIT_FW_IO;
	}
	box = map;
	data = box + FWBOX_DATA / 4;
	memset(b + size, 0, 4);
	if (call(box, "BEGIN", FWBOX_BEGIN, (uint32_t)size, 0))
		goto out;
	printf("vtz-client: fw-update: %zu bytes to slot %c\n", size, box[FWBOX_X1 / 4] ? 'B' : 'A');
	for (off = 0; off < size; off += n) {
		n = size - off < FW_CHUNK_MAX ? size - off : FW_CHUNK_MAX;
		/* One 32-bit store per word: each is one trapped access the hypervisor decodes. */
		for (i = 0; i < n; i += 4) {
			memcpy(&w, b + off + i, 4);
			data[i / 4] = w;
		}
		if (call(box, "CHUNK", FWBOX_CHUNK, (uint32_t)n, (uint32_t)off))
			goto out;
	}
	if (call(box, "COMMIT", FWBOX_COMMIT, 0, 0))
		goto out;
	printf("vtz-client: fw-update: ok: security version %u committed to slot %c; it runs "
	       "from the machine's next boot\n", box[FWBOX_X1 / 4], box[FWBOX_X2 / 4] ? 'B' : 'A');
	ret = VTZ_EXIT_OK;
out:
	munmap(map, GUEST_FWBOX_SIZE);
	close(fd);
	free(b);
	return ret;
}
