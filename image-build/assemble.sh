#!/usr/bin/env bash
# Assembles the disk image from files: $1 the root filesystem, $2 the image, $3 a work dir.
# GPT: ESP (FAT32, systemd-boot, the kernel and initrd of slot A), root A (ext4 from the root
# filesystem, mounted read-only), root B (the same size, reserved for the upgrade that fills
# it), data (ext4, grown to the medium at first boot). sfdisk writes the table on the file and
# dd places each partition at its offset: no loop devices.
set -euo pipefail
root=$1 img=$2 work=$3
MiB=$((1024 * 1024))
mib() { echo $(($1 / MiB)); }

kernel=$(ls "$root"/boot/vmlinuz-* | sort -V | tail -n 1)
initrd=$(ls "$root"/boot/initrd.img-* | sort -V | tail -n 1)
efi=$root/usr/lib/systemd/boot/efi/systemd-bootx64.efi
[ -f "$efi" ] || { echo "assemble: no systemd-boot in the root filesystem ($efi)" >&2; exit 1; }

esp_mib=256
esp=$work/esp.img
rm -f "$esp"
mkfs.vfat -C -F 32 -n ESP "$esp" $((esp_mib * 1024)) >/dev/null
export MTOOLS_SKIP_CHECK=1
mmd -i "$esp" ::/EFI ::/EFI/BOOT ::/loader ::/loader/entries
mcopy -i "$esp" "$efi" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$esp" "$kernel" ::/vmlinuz-a
mcopy -i "$esp" "$initrd" ::/initrd-a
printf 'default tandem-a.conf\ntimeout 0\nconsole-mode keep\n' >"$work/loader.conf"
mcopy -i "$esp" "$work/loader.conf" ::/loader/loader.conf
cat >"$work/tandem-a.conf" <<ENTRY
title   Tandem (slot A)
linux   /vmlinuz-a
initrd  /initrd-a
options root=PARTLABEL=tandem-root-a ro rootwait console=tty0 console=ttyS0,115200
ENTRY
mcopy -i "$esp" "$work/tandem-a.conf" ::/loader/entries/tandem-a.conf

# Root slots: what the root filesystem needs and a third more, in whole MiB.
used=$(du -s --block-size=1 "$root" | cut -f1)
root_mib=$(($(mib "$used") * 4 / 3 + 128))
rootfs=$work/root-a.img
rm -f "$rootfs"
mkfs.ext4 -q -L tandem-root -O ^has_journal -d "$root" "$rootfs" "${root_mib}M"
data_mib=512
data=$work/data.img
rm -f "$data"
mkfs.ext4 -q -L tandem-data "$data" "${data_mib}M"

total_mib=$((1 + esp_mib + 2 * root_mib + data_mib + 1))
rm -f "$img"
truncate -s "${total_mib}M" "$img"
sfdisk --quiet "$img" <<TABLE
label: gpt
start=1MiB, size=${esp_mib}MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="ESP"
size=${root_mib}MiB, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, name="tandem-root-a"
size=${root_mib}MiB, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, name="tandem-root-b"
size=${data_mib}MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="tandem-data"
TABLE
place() { # place FILE at the start of partition N
  local start
  start=$(sfdisk --json "$img" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).partitiontable.partitions[$2-1].start))")
  dd if="$1" of="$img" bs=1M seek=$((start * 512 / MiB)) conv=notrunc,sparse status=none
}
place "$esp" 1
place "$rootfs" 2
place "$data" 4
