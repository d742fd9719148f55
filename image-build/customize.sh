#!/usr/bin/env bash
# mmdebstrap's customize hook: $1 is the new root, $2 the repository, $3 the staged app, $4 the
# boot kind (efi or rpi). Puts the on-device files of appliance/rootfs and the app in place,
# completes /etc/fstab with the target's root and boot lines, creates the console's user (the
# root is read-only at run time, so users cannot be made at boot), and enables the units.
set -euo pipefail
root=$1 repo=$2 app=$3 boot=$4
cp -a "$repo/appliance/rootfs/." "$root/"
mkdir -p "$root/usr/lib/tandem" "$root/var/lib/tandem"
cp -a "$app/." "$root/usr/lib/tandem/"
rm -f "$root/usr/lib/tandem/.lock-sha256"
units=(systemd-networkd.service systemd-resolved.service tandem-unit-name.service tandem-network.service
  tandem-agent.service tandem-console.socket tandem-ssh-keys.service ssh.service)
fstab=$(cat "$root/etc/fstab")
case "$boot" in
  efi)
    mkdir -p "$root/boot/efi"
    {
      echo "PARTLABEL=tandem-root-a  /                ext4   ro,noatime            0 1"
      echo "PARTLABEL=ESP            /boot/efi        vfat   ro,umask=0077,nofail  0 0"
    } >"$root/etc/fstab" ;;
  rpi)
    # MBR has no partition names: file system labels. systemd-repart only knows GPT, so the data
    # partition is grown by sfdisk at first boot instead (tandem-grow-data.service).
    mkdir -p "$root/boot/firmware"
    rm -rf "$root/usr/lib/repart.d"
    units+=(tandem-grow-data.service)
    {
      echo "LABEL=tandem-root-a      /                ext4   ro,noatime            0 1"
      echo "LABEL=TANDEMBOOT         /boot/firmware   vfat   ro,umask=0077,nofail  0 0"
    } >"$root/etc/fstab" ;;
esac
echo "$fstab" >>"$root/etc/fstab"
chroot "$root" systemd-sysusers
echo tandem >"$root/etc/hostname"
# The unit files HAProxy and keepalived ship with stay off: the agent runs both.
for unit in haproxy.service keepalived.service; do
  chroot "$root" systemctl disable "$unit" >/dev/null 2>&1 || true
done
chroot "$root" systemctl enable "${units[@]}" >/dev/null
# Each unit makes its own machine-id and SSH host keys at first boot (never baked into an image).
rm -f "$root"/etc/ssh/ssh_host_*
: >"$root/etc/machine-id"
