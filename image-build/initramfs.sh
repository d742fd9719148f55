#!/usr/bin/env bash
# mmdebstrap's essential hook (before the kernel is installed): $1 the new root, $2 the
# repository, $3 the architecture, $4 the boot kind. On arm64 the initramfs carries an explicit
# module list (appliance/initramfs/modules-arm64): made under qemu-user, Debian's default
# MODULES=most spends ~14 minutes scanning modules. amd64 keeps Debian's default (native, fast).
set -euo pipefail
root=$1 repo=$2 arch=$3 boot=$4
if [ "$arch" = arm64 ]; then
  mkdir -p "$root/etc/initramfs-tools/conf.d"
  echo MODULES=list >"$root/etc/initramfs-tools/conf.d/tandem.conf"
  grep -v '^#' "$repo/appliance/initramfs/modules-arm64" >"$root/etc/initramfs-tools/modules"
fi
# The Pi firmware's kernel hook copies into /boot/firmware, the boot partition at run time.
[ "$boot" = rpi ] && mkdir -p "$root/boot/firmware"
exit 0
