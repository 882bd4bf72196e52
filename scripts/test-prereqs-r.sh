#!/usr/bin/env bash
# Prepares what CranBuildIT needs to build an R package offline (needs root and Debian's apt repositories):
#  - r-base-core and debootstrap on the host (R CMD build and tools::write_PACKAGES make the test's repository);
#  - a Debian bookworm minbase root filesystem with r-base-core, as one uncompressed tarball at
#    ${SWELL_TEST_CACHE:-$HOME/.cache/swell-test}/r-base/rootfs.tar (the test pushes it as a one-layer base image).
# Idempotent: does nothing when the tarball is already there.
set -euo pipefail

cache="${SWELL_TEST_CACHE:-$HOME/.cache/swell-test}/r-base"
target="$cache/rootfs.tar"

missing=()
for p in debootstrap r-base-core; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [[ -s "$target" ]]; then
  echo "R base rootfs already present: $target"
  exit 0
fi

mkdir -p "$cache"
root="$cache/rootfs"
rm -rf "$root"
mirror=$(awk '/^deb / && / bookworm / {print $2; exit}' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
if [[ -z "$mirror" ]]; then
  mirror=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2; exit}' || true)
fi
debootstrap --variant=minbase bookworm "$root" "${mirror:-http://deb.debian.org/debian}" >"$cache/debootstrap.log" 2>&1 \
  || { tail -n 30 "$cache/debootstrap.log" >&2; exit 1; }

mounted=0
cleanup() { if [[ $mounted -eq 1 ]]; then umount "$root/proc" || true; fi; }
trap cleanup EXIT
mount -t proc proc "$root/proc" && mounted=1
log="$cache/r-install.log"
{
  chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends r-base-core
  chroot "$root" apt-get clean
} >"$log" 2>&1 || { tail -n 30 "$log" >&2; exit 1; }
rm -rf "$root"/var/lib/apt/lists/*
umount "$root/proc"; mounted=0

# Write to a temporary name first so a crash never leaves a half-written tarball the check above would accept.
tar --numeric-owner --xattrs -C "$root" -cf "$target.tmp" .
mv "$target.tmp" "$target"
rm -rf "$root"
echo "R base rootfs written: $target"
