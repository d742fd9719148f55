#!/bin/sh
# Tandem: grows the data partition (the last one) to the end of its disk, on an MBR medium.
# Idempotent: a partition already at the end is left as it is, so an interrupted first boot just
# does it again. The kernel learns the new size with partx; the file system grows on mount.
set -eu
part=$(basename "$(readlink -f /dev/disk/by-label/tandem-data)")
sys=$(readlink -f "/sys/class/block/$part")
disk=/dev/$(basename "$(dirname "$sys")")
number=$(cat "$sys/partition")
echo ', +' | sfdisk --quiet --no-reread --no-tell-kernel -N "$number" "$disk"
partx --update --nr "$number" "$disk"
# The new size reaches udev as events on the partition, which take its device away and back:
# processed before this unit finishes, they cannot stop the data mount that follows it (an
# emulated Pi 3 unmounted /var/lib/tandem right after mounting it, and the agent never started).
udevadm settle --timeout=60
