#!/bin/sh
# Stages OP-TEE's test suite, as optee_test's build left it in OUT, into
# ROOTFS, a tree for the Linux guest's initramfs (mk/xtest.mk):
#   /usr/bin/xtest                                  stripped
#   /lib/optee_armtz/<uuid>.ta                      every TA, where Debian's
#       tee-supplicant 3.19 loads them from (its built-in TA load path /lib,
#       TA directory optee_armtz)
#   /usr/lib/tee-supplicant/plugins/<uuid>.plugin   xtest's supplicant
#       plugin (test 1033), in tee-supplicant's built-in plugin path
# The libraries they need are not copied here: each must be in the
# unpacked Debian packages (PKGS), from which guests/linux/mkrootfs.sh adds
# every DT_NEEDED library of every program in the initramfs; this checks
# that it can.
#
# ROOTFS and STAMP change only when a file does, so an initramfs that
# depends on STAMP is remade only when xtest, a TA or the plugin changed.
#
# usage: guests/linux/xtest-rootfs.sh OUT ROOTFS STAMP PKGS
set -eu

OUT=$1 ROOTFS=$2 STAMP=$3 PKGS=$4
READELF=${READELF:-aarch64-linux-gnu-readelf}
STRIP=${STRIP:-aarch64-linux-gnu-strip}
LIBDIRS="$PKGS/lib/aarch64-linux-gnu $PKGS/usr/lib/aarch64-linux-gnu"

die() {
	echo "[xtest] error: $*" >&2
	exit 1
}
[ -f "$OUT/xtest/xtest" ] || die "$OUT/xtest/xtest missing (optee_test's build did not make it)"
plugins=$(ls "$OUT"/supp_plugin/*.plugin 2>/dev/null || true)
[ -n "$plugins" ] || die "no supplicant plugin in $OUT/supp_plugin"
tas=$(find "$OUT/ta" -name '*.ta' | sort)
[ -n "$tas" ] || die "no TA (*.ta) under $OUT/ta"

NEW="$ROOTFS.new"
rm -rf "$NEW"
mkdir -p "$NEW/usr/bin" "$NEW/lib/optee_armtz" "$NEW/usr/lib/tee-supplicant/plugins"
"$STRIP" -o "$NEW/usr/bin/xtest" "$OUT/xtest/xtest"
for p in $plugins; do
	"$STRIP" --strip-unneeded -o "$NEW/usr/lib/tee-supplicant/plugins/$(basename "$p")" "$p"
done
n=0
for ta in $tas; do
	# A TA is loaded by its UUID, its file name: two of one name would
	# mean two builds of one TA, and only one could be loaded.
	[ -e "$NEW/lib/optee_armtz/$(basename "$ta")" ] && die "two TAs named $(basename "$ta") under $OUT/ta"
	cp "$ta" "$NEW/lib/optee_armtz/"
	n=$((n + 1))
done

for f in "$NEW/usr/bin/xtest" "$NEW"/usr/lib/tee-supplicant/plugins/*; do
	for lib in $("$READELF" -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		found=""
		for d in $LIBDIRS; do
			[ -e "$d/$lib" ] && found=1 && break
		done
		[ -n "$found" ] || die "$(basename "$f") needs $lib, which is in no fetched Debian package ($LIBDIRS)"
	done
done

if [ -d "$ROOTFS" ] && diff -r -q "$NEW" "$ROOTFS" >/dev/null 2>&1; then
	rm -rf "$NEW"
	echo "[xtest] $ROOTFS unchanged"
else
	rm -rf "$ROOTFS"
	mv "$NEW" "$ROOTFS"
	touch "$STAMP"
	echo "[xtest] staged $ROOTFS: xtest, $n TAs, $(echo "$plugins" | wc -w) supplicant plugin"
fi
