# Sourced by the scripts that fetch Debian arm64 packages
# (fetch_linux_guest.sh, fetch_gnu_efi.sh): apt with a private
# configuration under $APT, so the host's apt configuration and dpkg
# architecture are never touched. The caller sets APT and defines say()
# and die().

# apt_arm64 TOOL ARGS...: apt-get or apt-cache with the private configuration.
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

# apt_arm64_lists: the private configuration (the host's Debian sources
# only, its own lists, cache and an empty dpkg status) and its package
# lists, read once; later calls find them and do nothing.
apt_arm64_lists() {
	if ls "$APT/lists" 2>/dev/null | grep -q '_Packages'; then
		return 0
	fi
	mkdir -p "$APT/sources.list.d" "$APT/preferences.d" "$APT/lists/partial" \
		"$APT/cache/archives/partial"
	: >"$APT/status"
	out="$APT/sources.list.d/vtz-arm64.sources"
	: >"$out"
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -e "$f" ] || continue
		# Only Debian's own archive: other vendors' repositories
		# (nodesource, google, ...) have no arm64 packages for us.
		grep -q 'debian\.org' "$f" || continue
		cat "$f" >>"$out"
		echo >>"$out"
	done
	if [ -f /etc/apt/sources.list ]; then
		grep -E '^deb .*debian\.org' /etc/apt/sources.list \
			>"$APT/sources.list.d/vtz-arm64.list" || true
	fi
	[ -s "$out" ] || [ -s "$APT/sources.list.d/vtz-arm64.list" ] ||
		die "no Debian archive found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"
	say "updating Debian arm64 package lists (private to $APT)"
	apt_arm64 apt-get update >"$APT/update.log" 2>&1 || {
		cat "$APT/update.log" >&2
		die "could not read Debian's arm64 package lists (network access to deb.debian.org?); see $APT/update.log"
	}
}
