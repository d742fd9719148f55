#!/usr/bin/env bash
# Assembles a Raspberry Pi image from files: $1 the root filesystem, $2 the image, $3 a work dir,
# $4 the architecture (arm64), $5 the serial console. MBR, as the Pi's boot ROM reads it: a FAT32
# boot partition (Debian's raspi-firmware blobs, the kernel's Broadcom device trees, slot A's
# kernel and initrd, config.txt and cmdline.txt), root A (read-only), root B (reserved), data
# (grown to the medium at first boot by tandem-grow-data.service).
set -euo pipefail
root=$1 img=$2 work=$3 serial=$5
# shellcheck source=partitions.sh
. "$(dirname "$0")/partitions.sh"
firmware=$root/usr/lib/raspi-firmware
[ -f "$firmware/bootcode.bin" ] || { echo "assemble: no Raspberry Pi firmware in the root filesystem ($firmware)" >&2; exit 1; }
kernel=$(newest vmlinuz "$root")
dtbs=$root/usr/lib/linux-image-${kernel##*/vmlinuz-}/broadcom
[ -d "$dtbs" ] || { echo "assemble: no Broadcom device trees for the kernel ($dtbs)" >&2; exit 1; }
# The disk's identifier names the root partition on the kernel command line (MBR has no labels).
disk_id=$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')

boot_mib=256
boot=$work/boot.img
boot_fs "$boot" "$boot_mib" TANDEMBOOT
export MTOOLS_SKIP_CHECK=1
mcopy -i "$boot" "$firmware"/* ::/
# The Pi 3 and Zero 2 W are bcm2837 boards, the Pi 4 and 400 bcm2711, the Pi 5 bcm2712.
mcopy -i "$boot" "$dtbs"/bcm2837-rpi-*.dtb "$dtbs"/bcm2711-rpi-*.dtb "$dtbs"/bcm2712-rpi-*.dtb ::/
mcopy -i "$boot" "$kernel" ::/vmlinuz
mcopy -i "$boot" "$(newest initrd.img "$root")" ::/initrd.img
cat >"$work/config.txt" <<CONFIG
# Tandem: the Pi firmware starts Debian's arm64 kernel (image-build/assemble-rpi.sh).
arm_64bit=1
enable_uart=1
upstream_kernel=1
kernel=vmlinuz
initramfs initrd.img followkernel
disable_overscan=1
[pi3]
# The Pi 3's serial console is the mini UART: its clock must not follow the core's.
core_freq=250
[all]
CONFIG
echo "console=tty0 console=$serial,115200 root=PARTUUID=$disk_id-02 ro rootwait fsck.repair=yes" >"$work/cmdline.txt"
mcopy -i "$boot" "$work/config.txt" "$work/cmdline.txt" ::/

slot_and_data "$root" "$work"
blank "$img" $((4 + boot_mib + 2 * root_mib + data_mib + 1))
sfdisk --quiet "$img" <<TABLE
label: dos
label-id: 0x$disk_id
start=4MiB, size=${boot_mib}MiB, type=c, bootable
size=${root_mib}MiB, type=83
size=${root_mib}MiB, type=83
size=${data_mib}MiB, type=83
TABLE
place "$img" "$boot" 1
place "$img" "$work/root-a.img" 2
place "$img" "$work/data.img" 4
