#!/usr/bin/env bash
# Puts an arm64 busybox binary where swell-testing's TestImages looks for it
# (${SWELL_TEST_CACHE:-$HOME/.cache/swell-test}/arm64/bin/busybox).
# Idempotent: does nothing when the binary is already there. Needs root (apt-get).
# It only downloads and unpacks the arm64 busybox-static .deb from Debian's own
# repositories; it never registers qemu and never touches the host's apt state,
# because the arm64 package lists go to a private directory under the cache.
set -euo pipefail

cache="${SWELL_TEST_CACHE:-$HOME/.cache/swell-test}"
target="$cache/arm64/bin/busybox"

if [[ -x "$target" ]]; then
  echo "arm64 busybox already present: $target"
  exit 0
fi

work="$cache/arm64-apt"
lists="$work/lists"
mkdir -p "$lists/partial" "$work/debs" "$(dirname "$target")"

# The same options for update and download, so apt resolves arm64 packages
# from lists that only this script reads.
apt_opts=(
  -oAPT::Architecture=arm64
  -oAPT::Architectures=arm64
  "-oDir::State::Lists=$lists"
  "-oDir::Cache::pkgcache="
  "-oDir::Cache::srcpkgcache="
  # The private dirs belong to root, so apt's unprivileged _apt user could not write them.
  -oAPT::Sandbox::User=root
)

apt-get "${apt_opts[@]}" update -qq
(cd "$work/debs" && rm -f busybox-static_*.deb && apt-get "${apt_opts[@]}" download busybox-static)

deb=$(ls "$work"/debs/busybox-static_*_arm64.deb | head -n1)
extract="$work/extract"
rm -rf "$extract"
dpkg -x "$deb" "$extract"

# Copy to a temporary name first so a crash never leaves a half-written binary
# that the idempotency check above would accept.
install -m 0755 "$extract/bin/busybox" "$target.tmp"
mv "$target.tmp" "$target"
rm -rf "$extract"
echo "arm64 busybox installed: $target"
