#!/usr/bin/env bash
# Lets this amd64 host run arm64 binaries through qemu user emulation, so that
# `buildah build --platform linux/arm64` can execute RUN steps.
#
# What it does (each step only when needed, so running it again changes nothing):
#   1. installs Debian's qemu-user-static (statically linked emulators plus
#      /usr/lib/binfmt.d/qemu-aarch64.conf);
#   2. mounts binfmt_misc on /proc/sys/fs/binfmt_misc;
#   3. registers qemu-aarch64 by writing the line from qemu-aarch64.conf into
#      /proc/sys/fs/binfmt_misc/register (no binfmt-support or systemd-binfmt needed);
#   4. checks the result by running the arm64 busybox made by scripts/test-prereqs-arm64.sh.
# Needs root. Exits non-zero with a message when arm64 binaries still cannot run.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
binfmt_dir=/proc/sys/fs/binfmt_misc
conf=/usr/lib/binfmt.d/qemu-aarch64.conf
entry="$binfmt_dir/qemu-aarch64"
cache="${SWELL_TEST_CACHE:-$HOME/.cache/swell-test}"
busybox="$cache/arm64/bin/busybox"

fail() {
  echo "setup-qemu-arm64: $*" >&2
  echo "setup-qemu-arm64: arm64 (linux/arm64) builds will not work on this machine." >&2
  exit 1
}

if [[ "$(id -u)" -ne 0 ]]; then
  fail "must run as root (installs packages and registers a binfmt_misc handler)"
fi

# 1. The emulator and its binfmt.d entry.
if ! dpkg -s qemu-user-static >/dev/null 2>&1 || [[ ! -f "$conf" ]]; then
  echo "setup-qemu-arm64: installing qemu-user-static" >&2
  apt-get update -qq >/dev/null
  # No recommends: we register the handler ourselves, so neither binfmt-support nor systemd is needed.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-user-static >/dev/null \
    || fail "apt-get install qemu-user-static failed"
fi
[[ -f "$conf" ]] || fail "qemu-user-static is installed but $conf is missing"

# 2. The binfmt_misc file system (containers often start without it).
if ! grep -qs " $binfmt_dir binfmt_misc " /proc/mounts; then
  grep -qw binfmt_misc /proc/filesystems 2>/dev/null || modprobe binfmt_misc 2>/dev/null || true
  grep -qw binfmt_misc /proc/filesystems 2>/dev/null \
    || fail "the kernel has no binfmt_misc support (CONFIG_BINFMT_MISC) and the module cannot be loaded"
  mount -t binfmt_misc binfmt_misc "$binfmt_dir" 2>/dev/null \
    || fail "cannot mount binfmt_misc on $binfmt_dir (no permission? a container needs CAP_SYS_ADMIN, e.g. --privileged)"
  echo "setup-qemu-arm64: mounted binfmt_misc on $binfmt_dir" >&2
fi
[[ -w "$binfmt_dir/register" ]] || fail "$binfmt_dir/register is not writable (read-only /proc?)"

# binfmt_misc as a whole can be switched off; switch it on.
if [[ "$(head -n1 "$binfmt_dir/status" 2>/dev/null)" == disabled ]]; then
  echo 1 >"$binfmt_dir/status" || fail "cannot enable binfmt_misc ($binfmt_dir/status)"
fi

# 3. The qemu-aarch64 handler.
if [[ ! -e "$entry" ]]; then
  # The first line that is neither empty nor a comment; the kernel decodes the \x.. escapes itself.
  line="$(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$conf" | head -n1)"
  [[ -n "$line" ]] || fail "$conf holds no registration line"
  printf '%s\n' "$line" >"$binfmt_dir/register" 2>/dev/null \
    || fail "the kernel refused the registration line from $conf: $line"
  echo "setup-qemu-arm64: registered qemu-aarch64 from $conf" >&2
elif [[ "$(head -n1 "$entry")" == disabled ]]; then
  echo 1 >"$entry" || fail "cannot enable $entry"
  echo "setup-qemu-arm64: re-enabled the disabled qemu-aarch64 handler" >&2
fi

# 4. Proof: an arm64 binary runs.
if [[ ! -x "$busybox" ]]; then
  bash "$here/test-prereqs-arm64.sh" || fail "cannot fetch the arm64 busybox (scripts/test-prereqs-arm64.sh failed)"
fi
out="$("$busybox" echo ok 2>&1)" \
  || fail "qemu-aarch64 is registered but the arm64 busybox does not run: $out ($(tr '\n' ' ' <"$entry"))"
[[ "$out" == ok ]] || fail "the arm64 busybox printed '$out' instead of 'ok'"
echo "setup-qemu-arm64: arm64 emulation works ($(grep -m1 '^interpreter' "$entry"), flags: $(grep -m1 '^flags' "$entry" | cut -d' ' -f2))"
