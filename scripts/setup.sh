#!/bin/sh
# Installs the Debian packages vTZ builds and tests with (only those
# missing), and fetches the pinned Debian source packages the freestanding
# images embed. Idempotent: a second run only checks and prints one line.
#
# usage: scripts/setup.sh BUILD_DIR
set -eu

BUILD=${1:-build}
mkdir -p "$BUILD"
BUILD=$(cd "$BUILD" && pwd)

# Pinned versions of the source packages we build from (Debian 12).
# libfdt: from device-tree-compiler; where the archive does not serve that
# tarball (seen on our build machines), from TF-A's source package, which
# embeds the same library (lib/libfdt) the way TF-A itself uses it.
DTC_SRC_VERSION=1.6.1-4
TFA_SRC_VERSION=2.8.0+dfsg-1
# mbedTLS: the monitor's SHA-256 and HKDF (boot measurement, per-TEE keys)
# and the TEE's HKDF. We never hand-write cryptography.
MBEDTLS_SRC_VERSION=2.28.3-1

# clang and libclang-rt-14-dev: the libFuzzer targets (make fuzz); clang
# only recommends the runtime, which -fsanitize=fuzzer links against.
# libc6-dev-arm64-cross: glibc headers and crt files for the Linux guest's
# vtz-client (gcc-aarch64-linux-gnu only recommends them).
# python3-cryptography: the owner's key and the signed CIEE and hypervisor
# images (scripts/vtz_sign.py, make keys; every build signs).
# python3-cryptography, python3-pyelftools: OP-TEE OS's own build scripts
# (signing its TAs, sizing its image) when TEE=optee (mk/optee.mk), and
# signing xtest's TAs (mk/xtest.mk).
# xz-utils: tar's xz, for the OP-TEE release tarballs (optee_os, optee_test
# .tar.xz); Debian's priority "standard", so a minimal system lacks it.
# ovmf, qemu-system-x86, qemu-efi-aarch64: the EBC differential tests (make
# ebc-test): Debian's x86-64 UEFI firmware, whose EBC interpreter is the
# reference, and the arm64 one (AAVMF) that has none.
PACKAGES="make gcc libc6-dev gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu \
qemu-system-arm device-tree-compiler libcmocka-dev python3-pytest \
python3-pexpect dpkg-dev gdb-multiarch clang libclang-rt-14-dev libc6-dev-arm64-cross \
python3-cryptography python3-pyelftools xz-utils ovmf qemu-system-x86 qemu-efi-aarch64"

say() { echo "[setup] $*"; }

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	say "installing missing Debian packages:$missing"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -q
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
else
	say "all Debian packages present"
fi

# --- Debian source packages, through a private apt configuration --------
# A fresh machine has only binary ('deb') sources. We do not touch the
# host's apt configuration: we copy its sources with Types: deb-src into
# our own directory and point apt at it.
APT="$BUILD/apt"
apt_src() {
	apt-get -q -o Dir::Etc::SourceList=/dev/null \
		-o Dir::Etc::SourceParts="$APT/sources.list.d" \
		-o Dir::State::Lists="$APT/lists" \
		-o Dir::Cache="$APT/cache" \
		-o Debug::NoLocking=1 "$@"
}

make_src_lists() {
	mkdir -p "$APT/sources.list.d" "$APT/lists/partial" "$APT/cache/archives/partial"
	out="$APT/sources.list.d/vtz-src.sources"
	: >"$out"
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -e "$f" ] || continue
		sed -e 's/^Types:.*/Types: deb-src/' "$f" >>"$out"
		echo >>"$out"
	done
	if [ -f /etc/apt/sources.list ]; then
		grep -E '^deb ' /etc/apt/sources.list | sed -e 's/^deb /deb-src /' \
			>"$APT/sources.list.d/vtz-src.list" || true
	fi
	say "updating Debian source lists (private to $APT)"
	apt_src update >"$APT/update.log" 2>&1 || {
		cat "$APT/update.log"
		say "error: could not read Debian source package lists"
		exit 1
	}
}

# fetch_source PACKAGE VERSION DEST: unpack a Debian source package into
# DEST. Returns non-zero (after saying why) if it cannot be had.
fetch_source() {
	pkg=$1 ver=$2 dest=$3
	ls "$APT/lists" 2>/dev/null | grep -q Sources || make_src_lists
	say "fetching Debian source package $pkg=$ver"
	work="$BUILD/src/.work-$pkg"
	rm -rf "$work" "$dest"
	mkdir -p "$work"
	if ! (cd "$work" && apt_src source --download-only "$pkg=$ver") >"$work.log" 2>&1; then
		say "cannot download $pkg=$ver: $(grep -E '^E:' "$work.log" | head -1)"
		rm -rf "$work"
		return 1
	fi
	dsc=$(ls "$work"/*.dsc)
	if ! dpkg-source --no-check -x "$dsc" "$dest" >>"$work.log" 2>&1; then
		cat "$work.log"
		say "error: cannot unpack $dsc"
		exit 1
	fi
	rm -rf "$work"
}

# libfdt: one flat directory build/src/libfdt with the library's sources
# and headers, whichever package it came from.
LIBFDT="$BUILD/src/libfdt"
if [ ! -f "$LIBFDT/.vtz-source" ]; then
	mkdir -p "$BUILD/src"
	tmp="$BUILD/src/.pkg"
	if fetch_source device-tree-compiler "$DTC_SRC_VERSION" "$tmp"; then
		origin="device-tree-compiler $DTC_SRC_VERSION"
		rm -rf "$LIBFDT" && mkdir -p "$LIBFDT"
		cp "$tmp"/libfdt/*.c "$tmp"/libfdt/*.h "$LIBFDT"/
	elif fetch_source arm-trusted-firmware "$TFA_SRC_VERSION" "$tmp"; then
		origin="arm-trusted-firmware $TFA_SRC_VERSION (lib/libfdt)"
		rm -rf "$LIBFDT" && mkdir -p "$LIBFDT"
		cp "$tmp"/lib/libfdt/*.c "$tmp"/lib/libfdt/*.h "$tmp"/include/lib/libfdt/*.h "$LIBFDT"/
	else
		say "error: no Debian source package with libfdt could be fetched"
		say "       (check network access to the Debian archive, then re-run)"
		exit 1
	fi
	rm -rf "$tmp"
	echo "$origin" >"$LIBFDT/.vtz-source"
fi
say "libfdt from Debian source package $(cat "$LIBFDT/.vtz-source")"

# mbedTLS: only library/ and include/ are kept (the rest is tests, docs,
# programs); mk/mbedtls.mk builds the few files we need from there.
MBEDTLS="$BUILD/src/mbedtls"
if [ ! -f "$MBEDTLS/.vtz-source" ]; then
	mkdir -p "$BUILD/src"
	tmp="$BUILD/src/.pkg-mbedtls"
	if ! fetch_source mbedtls "$MBEDTLS_SRC_VERSION" "$tmp"; then
		say "error: Debian source package mbedtls=$MBEDTLS_SRC_VERSION could not be fetched"
		say "       (check network access to the Debian archive, then re-run)"
		exit 1
	fi
	rm -rf "$MBEDTLS" && mkdir -p "$MBEDTLS"
	cp -R "$tmp/library" "$tmp/include" "$MBEDTLS"/
	rm -rf "$tmp"
	echo "mbedtls $MBEDTLS_SRC_VERSION" >"$MBEDTLS/.vtz-source"
fi
say "mbedTLS from Debian source package $(cat "$MBEDTLS/.vtz-source")"
