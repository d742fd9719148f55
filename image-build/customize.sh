#!/usr/bin/env bash
# mmdebstrap's customize hook: $1 is the new root, $2 the repository, $3 the staged app. Puts
# the on-device files of appliance/rootfs and the app in place, creates the console's user
# (the root is read-only at run time, so users cannot be made at boot), and enables the units.
set -euo pipefail
root=$1 repo=$2 app=$3
cp -a "$repo/appliance/rootfs/." "$root/"
mkdir -p "$root/usr/lib/tandem" "$root/var/lib/tandem" "$root/boot/efi"
cp -a "$app/." "$root/usr/lib/tandem/"
chroot "$root" systemd-sysusers
echo tandem >"$root/etc/hostname"
# The unit files HAProxy and keepalived ship with stay off: the agent runs both.
for unit in haproxy.service keepalived.service; do
  chroot "$root" systemctl disable "$unit" >/dev/null 2>&1 || true
done
chroot "$root" systemctl enable systemd-networkd.service systemd-resolved.service \
  tandem-unit-name.service tandem-agent.service tandem-console.socket \
  tandem-ssh-keys.service ssh.service >/dev/null
# Each unit makes its own machine-id and SSH host keys at first boot (never baked into an image).
rm -f "$root"/etc/ssh/ssh_host_*
: >"$root/etc/machine-id"
