#!/usr/bin/env bash
# Assembles a UEFI disk image from files: $1 the root filesystem, $2 the image, $3 a work dir,
# $4 the architecture (amd64, arm64), $5 the serial console. GPT: ESP (FAT32, systemd-boot, the
# kernel and initrd of slot A), root A (ext4 from the root filesystem, mounted read-only), root B
# (the same size, reserved for the upgrade that fills it), data (ext4, grown to the medium at
# first boot by systemd-repart).
set -euo pipefail
root=$1 img=$2 work=$3 arch=$4 serial=$5
# shellcheck source=partitions.sh
. "$(dirname "$0")/partitions.sh"
# The root slots carry the architecture's own root type: systemd-repart's Type=root matches by it.
case "$arch" in
  amd64) efi_name=x64 root_type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709 ;;
  arm64) efi_name=aa64 root_type=B921B045-1DF0-41C3-AF44-4C6F280D3FAE ;;
esac
efi=$root/usr/lib/systemd/boot/efi/systemd-boot$efi_name.efi
[ -f "$efi" ] || { echo "assemble: no systemd-boot in the root filesystem ($efi)" >&2; exit 1; }

esp_mib=256
esp=$work/esp.img
boot_fs "$esp" "$esp_mib" ESP
export MTOOLS_SKIP_CHECK=1
mmd -i "$esp" ::/EFI ::/EFI/BOOT ::/loader ::/loader/entries
mcopy -i "$esp" "$efi" "::/EFI/BOOT/BOOT${efi_name^^}.EFI"
mcopy -i "$esp" "$(newest vmlinuz "$root")" ::/vmlinuz-a
mcopy -i "$esp" "$(newest initrd.img "$root")" ::/initrd-a
printf 'default tandem-a.conf\ntimeout 0\nconsole-mode keep\n' >"$work/loader.conf"
mcopy -i "$esp" "$work/loader.conf" ::/loader/loader.conf
cat >"$work/tandem-a.conf" <<ENTRY
title   Tandem (slot A)
linux   /vmlinuz-a
initrd  /initrd-a
options root=PARTLABEL=tandem-root-a ro rootwait console=tty0 console=$serial,115200
ENTRY
mcopy -i "$esp" "$work/tandem-a.conf" ::/loader/entries/tandem-a.conf

slot_and_data "$root" "$work"
blank "$img" $((1 + esp_mib + 2 * root_mib + data_mib + 1))
sfdisk --quiet "$img" <<TABLE
label: gpt
start=1MiB, size=${esp_mib}MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="ESP"
size=${root_mib}MiB, type=$root_type, name="tandem-root-a"
size=${root_mib}MiB, type=$root_type, name="tandem-root-b"
size=${data_mib}MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="tandem-data"
TABLE
place "$img" "$esp" 1
place "$img" "$work/root-a.img" 2
place "$img" "$work/data.img" 4
