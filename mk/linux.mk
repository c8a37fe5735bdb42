# The real Linux guest (issue 5, user-space half): Debian 12's arm64 cloud
# kernel with its tee/optee modules, busybox, glibc, libteec and
# tee-supplicant, fetched at build time (scripts/fetch_linux_guest.sh),
# our vtz-client, all in one initramfs (guests/linux/README.md).
#
#   make linux-guest   fetch + build: $(BUILD)/linux/{Image,initramfs.cpio.gz}
#   make linux-smoke   boot it on plain QEMU (no vTZ) and check it (pytest)
#   make linux-run     boot it on plain QEMU, console on the terminal
# Options: EXTRA_ROOTFS=dir (a tree copied over the initramfs; remembered,
#   so later goals that rebuild the initramfs keep it: EXTRA_ROOTFS= drops it),
#   XTEST=1 (OP-TEE's xtest and its TAs in the initramfs, mk/xtest.mk;
#   remembered the same way: XTEST=0 drops them),
#   LINUX_RUN=cmd[,cmd...] (vtz.run=, words separated by ':'),
#   LINUX_APPEND=... (more kernel command line).

LINUX_DIR := $(BUILD)/linux
LINUX_PKGS := $(LINUX_DIR)/pkgs
LINUX_CLIENT := $(LINUX_DIR)/vtz-client
LINUX_INITRAMFS := $(LINUX_DIR)/initramfs.cpio.gz
LINUX_CLIENT_SRCS := $(wildcard guests/linux/client/*.c)
LINUX_CLIENT_OBJS := $(patsubst guests/linux/client/%.c,$(LINUX_DIR)/client/%.o,$(LINUX_CLIENT_SRCS))
LINUX_LIBDIRS := $(LINUX_PKGS)/usr/lib/aarch64-linux-gnu $(LINUX_PKGS)/lib/aarch64-linux-gnu

# A hosted C11 program for the guest: Debian's optee-client-dev headers and
# libteec.so from the unpacked arm64 packages, the cross toolchain's glibc
# headers (libc6-dev-arm64-cross); -rpath-link lets ld check libteec's own
# needs against the arm64 glibc the guest will run.
# The prefix map keeps the build directory's name out of the debug info
# (and so out of the build ID): the same sources give the same binary.
LINUX_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g -Iinclude -I$(LINUX_PKGS)/usr/include \
	-ffile-prefix-map=$(LINUX_PKGS)=debian-arm64 -MMD -MP
comma := ,
LINUX_LDFLAGS := $(addprefix -L,$(LINUX_LIBDIRS)) $(addprefix -Wl$(comma)-rpath-link$(comma),$(LINUX_LIBDIRS))

EXTRA_ROOTFS ?=
LINUX_RUN ?=
LINUX_APPEND ?=
LINUX_QEMU := qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a57 -smp 2 -m 512M \
	-nographic -nic none -no-reboot -kernel $(LINUX_DIR)/Image -initrd $(LINUX_INITRAMFS) \
	-append "console=ttyAMA0 panic=-1 $(if $(LINUX_RUN),vtz.run=$(LINUX_RUN)) $(LINUX_APPEND)"

.PHONY: linux-guest linux-files linux-smoke linux-run
linux-guest: setup
	$(Q)sh scripts/fetch_linux_guest.sh $(BUILD)
	$(Q)$(MAKE) --no-print-directory linux-files

linux-files: $(LINUX_INITRAMFS)

$(LINUX_DIR)/client/%.o: guests/linux/client/%.c $(LINUX_DIR)/.fetched
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(LINUX_CFLAGS) -c $< -o $@

$(LINUX_CLIENT): $(LINUX_CLIENT_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(LINUX_LDFLAGS) $^ -lteec -o $@

-include $(LINUX_CLIENT_OBJS:.o=.d)

# Small test programs of ours for the guest (statically linked, no libteec).
LINUX_TOOLS := $(patsubst guests/linux/tools/%.c,$(LINUX_DIR)/tools/%,$(wildcard guests/linux/tools/*.c))
$(LINUX_DIR)/tools/%: guests/linux/tools/%.c $(LINUX_DIR)/.fetched
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) -std=c11 -Wall -Wextra -Werror -O2 -static -ffile-prefix-map=$(CURDIR)=. $< -o $@

# The initramfs is remade when EXTRA_ROOTFS names another tree (the stamp
# holds its name) or a file in it changes. The stamp is also the memory of
# the user's choice: a make that does not set EXTRA_ROOTFS at all (make run
# SCENARIO=linux after make linux-guest EXTRA_ROOTFS=dir, as the README has
# it) takes the tree named last, so a rebuild never drops a user's programs
# unasked; EXTRA_ROOTFS= (set, empty) goes back to our tree alone.
LINUX_EXTRA_STAMP := $(LINUX_DIR)/extra-rootfs
ifeq ($(origin EXTRA_ROOTFS),file)
ifeq ($(EXTRA_ROOTFS),)
EXTRA_ROOTFS := $(shell cat $(LINUX_EXTRA_STAMP) 2>/dev/null)
endif
endif
$(shell mkdir -p $(LINUX_DIR); [ -f $(LINUX_EXTRA_STAMP) ] && \
	[ "$$(cat $(LINUX_EXTRA_STAMP))" = "$(EXTRA_ROOTFS)" ] || echo "$(EXTRA_ROOTFS)" >$(LINUX_EXTRA_STAMP))
LINUX_ROOTFS_FILES := $(shell find guests/linux/rootfs $(EXTRA_ROOTFS) 2>/dev/null)
# Trees of the build's own, copied before the user's EXTRA_ROOTFS (which
# may replace their files); the makefile that adds one also makes the
# initramfs depend on it (mk/xtest.mk: XTEST=1, OP-TEE's xtest and TAs).
LINUX_ROOTFS_TREES :=

$(LINUX_INITRAMFS): $(LINUX_CLIENT) $(LINUX_TOOLS) $(LINUX_ROOTFS_FILES) $(LINUX_EXTRA_STAMP) \
		guests/linux/mkrootfs.sh scripts/mkinitramfs.py $(LINUX_DIR)/.fetched
	$(if $(EXTRA_ROOTFS),@echo "[linux] EXTRA_ROOTFS=$(EXTRA_ROOTFS) (kept until EXTRA_ROOTFS= is given)")
	$(Q)sh guests/linux/mkrootfs.sh $(LINUX_DIR) $(LINUX_CLIENT) $(LINUX_DIR)/rootfs \
		$(LINUX_ROOTFS_TREES) $(EXTRA_ROOTFS)
	$(Q)$(PYTHON) scripts/mkinitramfs.py --root $(LINUX_DIR)/rootfs \
		--node /dev/console:c:5:1:0600 --node /dev/null:c:1:3:0666 -o $@

linux-smoke: linux-guest
	@echo "[test] Linux guest on plain QEMU (pytest)"
	$(Q)VTZ_BUILD_ROOT=$(BUILD) $(PYTHON) -m pytest -q test/linux

linux-run: linux-guest
	$(Q)$(LINUX_QEMU)

# Objects and the initramfs need the unpacked packages: fetch them if a
# goal other than linux-guest got here first.
$(LINUX_DIR)/.fetched:
	$(Q)sh scripts/fetch_linux_guest.sh $(BUILD)
