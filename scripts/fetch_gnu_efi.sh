#!/bin/sh
# Fetches Debian 12's gnu-efi for arm64 (the UEFI headers, crt0, linker
# script and libraries the EBC driver for AArch64 is built with) and
# unpacks it under BUILD_DIR/gnu-efi/. Like scripts/fetch_linux_guest.sh
# it never touches the host's apt configuration or dpkg architecture: apt
# runs with a private configuration under BUILD_DIR/apt-arm64 (shared with
# that script). Idempotent.
#
# usage: scripts/fetch_gnu_efi.sh BUILD_DIR
set -eu

BUILD=${1:-build}
mkdir -p "$BUILD"
BUILD=$(cd "$BUILD" && pwd)
APT="$BUILD/apt-arm64"
OUT="$BUILD/gnu-efi"
VERSION=3.0.15-1

say() { echo "[gnu-efi] $*"; }
die() {
	echo "[gnu-efi] error: $*" >&2
	exit 1
}

if [ -f "$OUT/.fetched-$VERSION" ]; then
	exit 0
fi

# shellcheck source=scripts/apt_arm64.sh
. "$(dirname "$0")/apt_arm64.sh"
apt_arm64_lists

rm -rf "$OUT"
mkdir -p "$OUT/deb"
say "downloading gnu-efi=$VERSION (arm64)"
(cd "$OUT/deb" && apt_arm64 apt-get download "gnu-efi:arm64=$VERSION") \
	>"$OUT/download.log" 2>&1 || die "could not download gnu-efi=$VERSION; see $OUT/download.log"
dpkg-deb -x "$OUT"/deb/gnu-efi_*_arm64.deb "$OUT/root"
for f in usr/lib/crt0-efi-aarch64.o usr/lib/elf_aarch64_efi.lds usr/lib/libefi.a \
	usr/lib/libgnuefi.a usr/include/efi/efi.h; do
	[ -f "$OUT/root/$f" ] || die "gnu-efi has no $f"
done
touch "$OUT/.fetched-$VERSION"
say "unpacked under $OUT/root"
