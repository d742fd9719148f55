# Sourced by assemble-efi.sh and assemble-rpi.sh: the pieces both disk layouts share. Every
# partition is a file; the table is written on the image file by sfdisk and each partition placed
# at its offset by dd: no loop devices.
MiB=$((1024 * 1024))

# root_fs ROOT FILE: slot A's ext4 (label tandem-root-a, no journal: it is mounted read-only),
# sized to what the root needs and a third more; prints its size in MiB.
root_fs() {
  local used mib
  used=$(du -s --block-size=1 "$1" | cut -f1)
  mib=$((used / MiB * 4 / 3 + 128))
  rm -f "$2"
  mkfs.ext4 -q -L tandem-root-a -O ^has_journal -d "$1" "$2" "${mib}M" >/dev/null
  echo "$mib"
}

# data_fs FILE MIB: the data partition's empty, journaled ext4 (grown to the medium at first boot).
data_fs() {
  rm -f "$1"
  mkfs.ext4 -q -L tandem-data "$1" "${2}M" >/dev/null
}

# slot_and_data ROOT WORK: root A's and the data partition's file systems as WORK/root-a.img and
# WORK/data.img; sets root_mib and data_mib.
slot_and_data() {
  root_mib=$(root_fs "$1" "$2/root-a.img")
  data_mib=512
  data_fs "$2/data.img" "$data_mib"
}

# blank IMAGE MIB: a sparse, empty image file of MIB MiB for sfdisk to write a table on.
blank() {
  rm -f "$1"
  truncate -s "${2}M" "$1"
}

# boot_fs FILE MIB LABEL: an empty FAT32 file system for mtools to fill.
boot_fs() {
  rm -f "$1"
  mkfs.vfat -C -F 32 -n "$3" "$1" $(($2 * 1024)) >/dev/null
}

# place IMAGE FILE N: writes FILE at the start of partition N of IMAGE.
place() {
  local start
  start=$(sfdisk --json "$1" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).partitiontable.partitions[$3-1].start))")
  dd if="$2" of="$1" bs=1M seek=$((start * 512 / MiB)) conv=notrunc,sparse status=none
}

# newest KIND ROOT: the newest kernel (vmlinuz) or initramfs (initrd.img) in ROOT/boot.
newest() {
  ls "$2"/boot/"$1"-* | sort -V | tail -n 1
}
