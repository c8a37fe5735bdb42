#!/bin/sh
# Stages the Linux guest's root file system (the initramfs contents) in
# STAGE from the unpacked Debian packages, our init and vtz-client, then
# copies each TREE over it in order (the build's own, e.g. xtest's, then
# the user's EXTRA_ROOTFS with their own programs and files).
# Shared libraries are found the way the loader will need them: every
# DT_NEEDED of every ELF program, recursively (cross readelf).
#
# usage: guests/linux/mkrootfs.sh LINUX_DIR VTZ_CLIENT STAGE [TREE...]
#   LINUX_DIR: BUILD/linux (pkgs/, modules/ from fetch_linux_guest.sh)
set -eu

LINUX=$1 CLIENT=$2 STAGE=$3
shift 3
PKGS="$LINUX/pkgs"
HERE=$(dirname "$0")
READELF=${READELF:-aarch64-linux-gnu-readelf}
STRIP=${STRIP:-aarch64-linux-gnu-strip}
LIBDIRS="$PKGS/lib/aarch64-linux-gnu $PKGS/usr/lib/aarch64-linux-gnu"

die() {
	echo "[linux] error: $*" >&2
	exit 1
}
[ -x "$PKGS/bin/busybox" ] || die "$PKGS/bin/busybox missing: run scripts/fetch_linux_guest.sh first"

rm -rf "$STAGE"
mkdir -p "$STAGE"
cd "$STAGE"
mkdir -p bin sbin usr/bin usr/sbin lib/aarch64-linux-gnu lib/modules/vtz \
	proc sys dev tmp run root etc/vtz var/lib/optee-client/data/tee \
	usr/lib/tee-supplicant/plugins
cd - >/dev/null

cp "$PKGS/bin/busybox" "$STAGE/bin/busybox"
# The applets /init, demo.sh and an interactive user need (ifconfig: the loopback).
for a in sh ash cat cp cut date dd df dmesg echo env false find free grep \
	head hexdump insmod kill ln ls lsmod mkdir mknod modprobe more mount \
	mv od poweroff printf ps reboot rm rmmod sed seq setsid cttyhack sleep ifconfig \
	sort stat sync tail tee test time top touch tr true umount uname vi wc \
	xxd; do
	ln -sf busybox "$STAGE/bin/$a"
done
cp "$HERE/rootfs/init" "$STAGE/init"
cp -R "$HERE/rootfs/etc/." "$STAGE/etc/"
cp "$LINUX/modules/tee.ko" "$LINUX/modules/optee.ko" "$STAGE/lib/modules/vtz/"
cp "$PKGS/usr/sbin/tee-supplicant" "$STAGE/usr/sbin/"
# Stripped: the debug copy stays in BUILD/linux for gdb, and the
# initramfs does not depend on where the build directory was.
"$STRIP" -o "$STAGE/usr/bin/vtz-client" "$CLIENT"
# Our test programs (mk/linux.mk: LINUX_TOOLS), e.g. vtz-fpcheck.
for t in "$LINUX"/tools/*; do
	[ -f "$t" ] && "$STRIP" -o "$STAGE/usr/bin/$(basename "$t")" "$t"
done
for tree in "$@"; do
	[ -d "$tree" ] || die "$tree is not a directory (EXTRA_ROOTFS, or a tree of the build's own)"
	cp -R "$tree/." "$STAGE/"
	echo "[linux] added $tree"
done

# The loader at the path every program names (PT_INTERP), then every
# library any ELF in the tree needs, until nothing new is needed.
cp "$PKGS/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1" "$STAGE/lib/aarch64-linux-gnu/"
ln -sf aarch64-linux-gnu/ld-linux-aarch64.so.1 "$STAGE/lib/ld-linux-aarch64.so.1"
while :; do
	added=0
	for f in $(find "$STAGE" -type f); do
		"$READELF" -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
	done | sort -u >"$STAGE.needed"
	for lib in $(cat "$STAGE.needed"); do
		[ -e "$STAGE/lib/aarch64-linux-gnu/$lib" ] && continue
		src=""
		for d in $LIBDIRS; do
			[ -e "$d/$lib" ] && src="$d/$lib" && break
		done
		[ -n "$src" ] || die "library $lib (needed in the initramfs) not in $LIBDIRS"
		# -L: the file, not the symlink chain (libteec.so.1 -> ...1.0.0).
		cp -L "$src" "$STAGE/lib/aarch64-linux-gnu/$lib"
		added=1
	done
	rm -f "$STAGE.needed"
	[ $added -eq 1 ] || break
done
echo "[linux] staged $STAGE: libraries $(ls "$STAGE/lib/aarch64-linux-gnu" | tr '\n' ' ')"
