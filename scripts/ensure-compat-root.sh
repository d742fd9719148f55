#!/usr/bin/env bash
# Builds (once) a minimal Debian 13 root with HAProxy 3.0 and keepalived 2.3 under
# .tandem/compat/trixie, so the goldens and the quoting proof also run against the appliance's
# versions. The apt sources are
# derived from this machine's own deb822 .sources file (same mirror, suite trixie).
set -euo pipefail
cd "$(dirname "$0")/.."
root=.tandem/compat/trixie
[ -x "$root/usr/sbin/haproxy" ] && [ -x "$root/usr/sbin/keepalived" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Skipping the Debian 13 / HAProxy 3.0 test root: building it needs root (chroot)."
  exit 0
fi
src=$(ls /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1 || true)
if [ -z "$src" ]; then
  echo "Skipping the Debian 13 / HAProxy 3.0 test root: no deb822 .sources file to derive a mirror from."
  exit 0
fi
command -v mmdebstrap >/dev/null 2>&1 || {
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null
}
sources=$(mktemp)
trap 'rm -f "$sources"' EXIT
# First stanza of the machine's sources, with the suite switched to trixie.
awk 'BEGIN{RS="";ORS="\n"} NR==1' "$src" | sed -e '/^#/d' -e 's/^Suites:.*/Suites: trixie/' > "$sources"
if [ -x "$root/usr/sbin/haproxy" ]; then
  # A root from before keepalived was needed: add it with the root's own apt.
  echo "Adding keepalived 2.3 to the Debian 13 root in $root"
  cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
  chroot "$root" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -qq --no-install-recommends keepalived >/dev/null
  exit 0
fi
echo "Building a Debian 13 root with HAProxy 3.0 and keepalived 2.3 in $root (once)"
rm -rf "$root.tmp"
mkdir -p "$(dirname "$root")"
mmdebstrap --quiet --variant=apt --include=haproxy,keepalived trixie "$root.tmp" "$sources"
mv "$root.tmp" "$root"
