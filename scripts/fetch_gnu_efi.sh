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

apt_arm64() {
	tool=$1
	shift
	"$tool" -q -o APT::Architecture=arm64 -o APT::Architectures=arm64 \
		-o Dir::Etc::SourceList=/dev/null \
		-o Dir::Etc::SourceParts="$APT/sources.list.d" \
		-o Dir::Etc::Preferences=/dev/null \
		-o Dir::Etc::PreferencesParts="$APT/preferences.d" \
		-o Dir::State::Lists="$APT/lists" \
		-o Dir::State::status="$APT/status" \
		-o Dir::Cache="$APT/cache" \
		-o Debug::NoLocking=1 "$@"
}

if ! ls "$APT/lists" 2>/dev/null | grep -q '_Packages'; then
	mkdir -p "$APT/sources.list.d" "$APT/preferences.d" "$APT/lists/partial" \
		"$APT/cache/archives/partial"
	: >"$APT/status"
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -e "$f" ] || continue
		grep -q 'debian\.org' "$f" || continue
		cat "$f" >>"$APT/sources.list.d/vtz-arm64.sources"
		echo >>"$APT/sources.list.d/vtz-arm64.sources"
	done
	if [ -f /etc/apt/sources.list ]; then
		grep -E '^deb .*debian\.org' /etc/apt/sources.list \
			>"$APT/sources.list.d/vtz-arm64.list" || true
	fi
	say "reading Debian's arm64 package lists"
	apt_arm64 apt-get update >"$APT/update.log" 2>&1 ||
		die "could not read Debian's arm64 package lists; see $APT/update.log"
fi

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
