#!/bin/sh
# Fetches the real Linux guest's software from Debian 12 (arm64 binary
# packages) and unpacks it under BUILD_DIR/linux/pkgs/: the cloud kernel
# and its modules, busybox-static, glibc, libteec, tee-supplicant and the
# optee-client headers vtz-client is built against. Then it writes the
# raw kernel Image and the two TEE modules where mk/linux.mk wants them.
#
# The host's apt configuration and dpkg architecture are never touched:
# apt runs with a private configuration under BUILD_DIR/apt-arm64 (its own
# lists, cache and an empty dpkg status) built from the host's Debian
# sources. Idempotent: once everything is unpacked a run only checks.
#
# usage: scripts/fetch_linux_guest.sh BUILD_DIR
set -eu

BUILD=${1:-build}
mkdir -p "$BUILD"
BUILD=$(cd "$BUILD" && pwd)
APT="$BUILD/apt-arm64"
OUT="$BUILD/linux"
PKGS="$OUT/pkgs"
DEBS="$OUT/debs"

# The kernel comes from the cloud metapackage (resolved below); the rest
# by name. glibc: Debian's arm64 libc6 rather than the cross toolchain's
# libc6-arm64-cross, so the guest runs exactly the C library Debian's
# libteec and tee-supplicant were built and tested with, security updates
# included (the cross package is an older, separately rebuilt copy).
KERNEL_META=linux-image-cloud-arm64
USER_PKGS="busybox-static libc6 libteec1 tee-supplicant optee-client-dev"

say() { echo "[linux] $*"; }
die() {
	echo "[linux] error: $*" >&2
	exit 1
}

done_stamp="$OUT/.fetched"
if [ -f "$done_stamp" ] && [ -f "$OUT/VERSIONS" ] && [ -f "$OUT/Image" ] &&
	[ -f "$OUT/modules/tee.ko" ] && [ -f "$OUT/modules/optee.ko" ]; then
	say "Debian arm64 packages already fetched ($(tr '\n' ' ' <"$OUT/VERSIONS"))"
	exit 0
fi

# shellcheck source=scripts/apt_arm64.sh
. "$(dirname "$0")/apt_arm64.sh"
apt_arm64_lists

# --- resolve the kernel metapackage to the real image package -----------
candidate() {
	apt_arm64 apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }'
}
kmeta_ver=$(candidate "$KERNEL_META")
[ -n "$kmeta_ver" ] && [ "$kmeta_ver" != "(none)" ] ||
	die "$KERNEL_META not found in the arm64 lists (remove $APT/lists and re-run)"
kpkg=$(apt_arm64 apt-cache show "$KERNEL_META=$kmeta_ver" 2>/dev/null |
	sed -n 's/^Depends: //p' | tr ',' '\n' |
	grep -o 'linux-image-[0-9][^ ]*-cloud-arm64' | head -1)
[ -n "$kpkg" ] || die "cannot find the linux-image-*-cloud-arm64 dependency of $KERNEL_META=$kmeta_ver"
say "$KERNEL_META $kmeta_ver -> $kpkg"

# --- download (apt-get download checks the archive's signatures) --------
mkdir -p "$DEBS"
: >"$OUT/VERSIONS.tmp"
: >"$OUT/DEBS.tmp"
for p in "$kpkg" $USER_PKGS; do
	v=$(candidate "$p")
	[ -n "$v" ] && [ "$v" != "(none)" ] || die "package $p has no arm64 candidate"
	vfile=$(echo "$v" | sed 's/:/%3a/')
	deb=$(ls "$DEBS/${p}_${vfile}_"*.deb 2>/dev/null | head -1 || true)
	if [ -z "$deb" ]; then
		say "downloading $p=$v (arm64)"
		(cd "$DEBS" && apt_arm64 apt-get download "$p:arm64=$v") >"$DEBS/download.log" 2>&1 || {
			cat "$DEBS/download.log" >&2
			die "could not download $p=$v (arm64); see $DEBS/download.log"
		}
		deb=$(ls "$DEBS/${p}_${vfile}_"*.deb | head -1)
	fi
	say "$p $v ($(du -k "$deb" | cut -f1) KiB)"
	echo "$p $v" >>"$OUT/VERSIONS.tmp"
	echo "$deb" >>"$OUT/DEBS.tmp"
done

# --- unpack --------------------------------------------------------------
rm -rf "$PKGS"
mkdir -p "$PKGS"
# Only this run's debs: debs/ may still hold older versions.
while read -r deb; do
	dpkg-deb -x "$deb" "$PKGS" || die "cannot unpack $deb"
done <"$OUT/DEBS.tmp"
rm -f "$OUT/DEBS.tmp"
say "unpacked into $PKGS"

# --- the raw kernel Image ------------------------------------------------
kver=${kpkg#linux-image-}
vmlinuz="$PKGS/boot/vmlinuz-$kver"
[ -f "$vmlinuz" ] || die "$vmlinuz missing from $kpkg"
# Debian's arm64 vmlinuz is a gzip stream of the raw Image (QEMU's
# -kernel only takes the raw Image or an ELF); check the magic ourselves.
magic=$(od -An -tx1 -N2 "$vmlinuz" | tr -d ' ')
if [ "$magic" = "1f8b" ]; then
	gzip -dc "$vmlinuz" >"$OUT/Image.tmp"
else
	cp "$vmlinuz" "$OUT/Image.tmp"
fi
# arm64 Image header: magic "ARM\x64" at offset 56.
[ "$(dd if="$OUT/Image.tmp" bs=1 skip=56 count=4 2>/dev/null)" = "$(printf 'ARM\144')" ] ||
	die "$vmlinuz is not an arm64 Image (no ARM\\x64 magic at offset 56)"
mv "$OUT/Image.tmp" "$OUT/Image"
echo "$kver" >"$OUT/KERNEL_RELEASE"

# --- the TEE modules -----------------------------------------------------
mdir="$PKGS/lib/modules/$kver"
mkdir -p "$OUT/modules"
for m in tee optee; do
	src=$(ls "$mdir"/kernel/drivers/tee/$m.ko* "$mdir"/kernel/drivers/tee/$m/$m.ko* \
		2>/dev/null | head -1 || true)
	[ -n "$src" ] || die "$m.ko not found under $mdir/kernel/drivers/tee"
	case "$src" in
	*.xz) xz -dc "$src" >"$OUT/modules/$m.ko" ;;
	*.zst) zstd -dc "$src" >"$OUT/modules/$m.ko" ;;
	*.gz) gzip -dc "$src" >"$OUT/modules/$m.ko" ;;
	*) cp "$src" "$OUT/modules/$m.ko" ;;
	esac
	# The deb ships no modules.dep (depmod runs at install time): read
	# the module's own dependency list from its .modinfo strings.
	dep=$(tr '\0' '\n' <"$OUT/modules/$m.ko" | sed -n 's/^depends=//p' | head -1)
	say "module $m: ${src#"$mdir"/}, depends on: ${dep:-nothing}"
done

# text_offset and image_size from the Image header (bytes 8..23, LE).
hdr=$(od -An -tx8 -j8 -N16 "$OUT/Image" | tr -s ' ')
say "Image header: text_offset 0x$(echo $hdr | cut -d' ' -f1), image_size 0x$(echo $hdr | cut -d' ' -f2)"
mv "$OUT/VERSIONS.tmp" "$OUT/VERSIONS"
touch "$done_stamp"
say "kernel $kver: $OUT/Image ($(du -k "$OUT/Image" | cut -f1) KiB)"
say "versions in $OUT/VERSIONS"
