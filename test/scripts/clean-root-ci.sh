#!/usr/bin/env bash
# Runs `.ci/run` on a machine that has nothing but Debian 12 and Node: a minimal debootstrap of
# bookworm, Node 20 (the oldest supported major) from npm's `node` package, npm from the npm
# registry, and a git clone of one commit with ../shared beside it. As root:
#
#   test/scripts/clean-root-ci.sh [REPO [COMMIT]]      # defaults: this repository, HEAD
#
# REPO is any git repository (a worktree will do); COMMIT any commit on one of its branches.
# Environment: CLEAN_ROOT (the chroot, default /var/tmp/pigeonhole-ci/root; made afresh each run from
# the debootstrap kept in CLEAN_ROOT.base, which is reused), CLEAN_ROOT_FRESH=1 (debootstrap again),
# CLEAN_ROOT_NODE (default 20), CLEAN_ROOT_SHARED (default REPO/../shared), CLEAN_ROOT_LOG (default
# /var/tmp/pigeonhole-ci/ci-COMMIT.log).
# Only Debian's mirrors and the npm registry are reached. Not run by `npm test`: it takes a while.
set -euo pipefail

repo="$(cd "${1:-$(dirname "$0")/../..}" && pwd)"
commit="$(git -C "$repo" rev-parse --verify "${2:-HEAD}^{commit}")"
root="${CLEAN_ROOT:-/var/tmp/pigeonhole-ci/root}"
shared="${CLEAN_ROOT_SHARED:-$repo/../shared}"
log="${CLEAN_ROOT_LOG:-/var/tmp/pigeonhole-ci/ci-${commit:0:12}.log}"
node_major="${CLEAN_ROOT_NODE:-20}"
mirror=http://deb.debian.org/debian

[ "$(id -u)" -eq 0 ] || { echo "run as root (debootstrap, mount and chroot need it)" >&2; exit 1; }
mkdir -p "$(dirname "$root")" "$(dirname "$log")"

# --- The root: minimal Debian 12, as a fresh machine has it -----------------------------------------
# The debootstrap is made once into ROOT.base and kept pristine; each run copies it afresh, so every
# run starts with nothing installed but reuses the download.
base="$root.base"
still_mounted() { grep -q " $1[/ ]" /proc/mounts; }
if still_mounted "$root"; then echo "something is still mounted under $root: unmount it first" >&2; exit 1; fi
if [ "${CLEAN_ROOT_FRESH:-0}" = 1 ]; then rm -rf --one-file-system "$base"; fi
if [ ! -e "$base/etc/debian_version" ]; then
  command -v debootstrap >/dev/null || apt-get install -y -qq --no-install-recommends debootstrap
  rm -rf --one-file-system "$base"
  debootstrap --variant=minbase bookworm "$base" "$mirror"
fi
rm -rf --one-file-system "$root"
cp -a "$base" "$root"
# What an installed Debian 12 has beside the base system: its update and security suites, and the
# loopback names (debootstrap leaves /etc/hosts out).
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
[ -e "$root/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
cp /etc/resolv.conf "$root/etc/resolv.conf"

# --- Mounts, torn down on exit -----------------------------------------------------------------------
mounted=()
# shellcheck disable=SC2317 # called by the EXIT trap
teardown() {
  # Whatever the run left inside the root (a server, a browser) goes first, or its mounts stay busy.
  local proc
  for proc in /proc/[0-9]*; do
    [ "$(readlink "$proc/root" 2>/dev/null)" = "$root" ] && kill -9 "${proc#/proc/}" 2>/dev/null
  done
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" || echo "could not unmount ${mounted[i]}" >&2
  done
}
trap teardown EXIT
mount -t proc proc "$root/proc" && mounted+=("$root/proc")
for dir in /sys /dev /dev/pts /dev/shm; do
  mkdir -p "$root$dir"
  mount --bind "$dir" "$root$dir" && mounted+=("$root$dir")
  # Private, so nothing mounted or unmounted under the root reaches the host's own /dev or /sys.
  mount --make-private "$root$dir"
done

# --- Node and npm from the npm registry ---------------------------------------------------------------
cache="$(dirname "$root")/node-$node_major"
npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error "node@$node_major"
install -m 0755 "$cache/node_modules/node/bin/node" "$root/usr/local/bin/node"
# The npm major that ships with that Node (20 and 22: npm 10; 24: npm 11), as a fresh install has it.
npm_major=$([ "$node_major" -ge 24 ] && echo 11 || echo 10)
rm -rf "$root/usr/local/lib/node_modules/npm"
npm install --global --prefix "$root/usr/local" --no-audit --no-fund --loglevel=error "npm@$npm_major"

# --- The repository at COMMIT, with ../shared beside it ------------------------------------------------
rm -rf "$root/work"
mkdir -p "$root/work"
git clone --quiet --no-checkout "$repo" "$root/work/pigeonhole"
git -C "$root/work/pigeonhole" checkout --quiet --detach "$commit"
if [ -d "$shared" ]; then
  mkdir -p "$root/work/shared"
  tar -C "$shared" --exclude=./hooks -cf - . | tar -C "$root/work/shared" -xf -
fi

# Where this host reaches the registry through a TLS-inspecting egress proxy, Node trusts its CA
# through NODE_EXTRA_CA_CERTS; a clean machine on the same network is given the same file.
extra_ca=()
if [ -r "${NODE_EXTRA_CA_CERTS:-}" ]; then
  cp "$NODE_EXTRA_CA_CERTS" "$root/etc/host-extra-ca.pem"
  extra_ca=(NODE_EXTRA_CA_CERTS=/etc/host-extra-ca.pem)
fi

# --- The run: CI=true, root, a clean environment ------------------------------------------------------
echo "running .ci/run at $commit in $root (log: $log)"
status=0
chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb CI=true \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${extra_ca[@]}" \
  bash -c 'cd /work/pigeonhole && bash .ci/run' >"$log" 2>&1 || status=$?
tail -n 20 "$log"
echo "clean-root .ci/run at $commit exited $status (log: $log)"
exit "$status"
