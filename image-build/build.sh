#!/usr/bin/env bash
# npm run image -- --target amd64-vm   (root)
#
# Builds a flashable Tandem image from Debian 13 (docs/install.md, image-build/README.md):
# mmdebstrap with this machine's own apt sources switched to trixie, the agent and console staged
# under /usr/lib/tandem, and a GPT disk with an EFI system partition (systemd-boot), two root
# slots (A active and mounted read-only, B reserved for upgrades) and a data partition. Every
# partition is built as a file (mkfs.ext4 -d, mkfs.vfat + mtools) and placed with sfdisk and dd:
# no loop devices, so it also builds in a container.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

# shellcheck source=target.sh
. image-build/target.sh
image_target image "$@"
if [ "$(id -u)" -ne 0 ]; then
  echo "image: building an image needs root (mmdebstrap, file ownership in the root filesystem)" >&2
  exit 1
fi

start=$SECONDS
n=0
step() {
  n=$((n + 1))
  printf '[%d] %s (%d s)\n' "$n" "$*" "$((SECONDS - start))"
}

# shellcheck source=../scripts/apt-install.sh
. scripts/apt-install.sh
missing=()
tools=(mmdebstrap:mmdebstrap sfdisk:fdisk mkfs.ext4:e2fsprogs mkfs.vfat:dosfstools mcopy:mtools
  qemu-img:qemu-utils zstd:zstd file:file)
# A foreign architecture: its maintainer scripts run under qemu-user (binfmt_misc), and the
# native modules are cross-compiled.
[ "$foreign" = 1 ] && tools+=(qemu-aarch64-static:qemu-user-static update-binfmts:binfmt-support arch-test:arch-test
  aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu aarch64-linux-gnu-g++:g++-aarch64-linux-gnu)
for tool in "${tools[@]}"; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "installing the host tools the build needs: ${missing[*]}"
  apt_install "the image build" "${missing[@]}"
fi
if [ "$foreign" = 1 ] && [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
  mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || true
  update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
  if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
    echo "image: $target needs qemu-aarch64 registered with binfmt_misc (update-binfmts --enable qemu-aarch64 failed: is /proc/sys/fs/binfmt_misc writable here?)" >&2
    exit 1
  fi
fi

out=.tandem/image/$target
cache=.tandem/image/cache
work=$out/work
mkdir -p "$out" "$cache" "$work"
rm -rf "$work"/*

step "apt sources from this machine's own .sources file (suite trixie)"
src=$(ls /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1 || true)
if [ -z "$src" ]; then
  echo "image: no deb822 .sources file under /etc/apt/sources.list.d to take the mirror from" >&2
  exit 1
fi
# The Pi's firmware is in Debian's non-free-firmware component.
components=main
[ "$boot" = rpi ] && components="main non-free-firmware"
awk 'BEGIN{RS="";ORS="\n"} NR==1' "$src" | sed -e '/^#/d' -e 's/^Suites:.*/Suites: trixie trixie-updates/' \
  -e "s/^Components:.*/Components: $components/" >"$work/sources"

step "the agent and the console, built and staged with their production dependencies"
bash scripts/ensure-node-deps.sh
npx turbo run build --filter=@tandem/agent --filter=@tandem/web-ui --output-logs=errors-only >/dev/null
bash image-build/stage-app.sh "$cache/app-$arch" "$arch"

step "the root filesystem (mmdebstrap, Debian 13, $arch)"
rootfs=$work/rootfs
packages=(
  systemd-sysv udev dbus kmod initramfs-tools "linux-image-$arch"
  systemd-resolved systemd-repart e2fsprogs haproxy keepalived nodejs ca-certificates iproute2 iputils-ping
  openssh-server socat curl less nano tcpdump procps systemd-timesyncd
)
case "$boot" in
  efi) packages+=(systemd-boot-efi) ;;
  rpi) packages+=(raspi-firmware fdisk) ;; # sfdisk grows the data partition on MBR (no repart)
esac
mkdir -p "$cache/apt-$arch"
# A build is "cached" when packages downloaded by an earlier build are there to reuse.
cached=false
ls "$cache/apt-$arch"/*.deb >/dev/null 2>&1 && cached=true
# The essential hook runs before the kernel is installed: its initramfs config is in place when
# the initramfs is made. Downloaded packages are kept between builds in the cache.
mmdebstrap --quiet --variant=minbase --architectures="$arch" \
  --include="$(
    IFS=,
    echo "${packages[*]}"
  )" \
  --skip=essential/unlink \
  --setup-hook="mkdir -p \"\$1/var/cache/apt/archives/\"" \
  --setup-hook="sync-in $repo/$cache/apt-$arch /var/cache/apt/archives/" \
  --essential-hook="bash $repo/image-build/initramfs.sh \"\$1\" $repo $arch $boot" \
  --customize-hook="sync-out /var/cache/apt/archives $repo/$cache/apt-$arch" \
  --customize-hook="bash $repo/image-build/customize.sh \"\$1\" $repo $repo/$cache/app-$arch $boot $serial" \
  trixie "$rootfs" "$work/sources"

step "partitions as files: boot ($boot), root A (read-only), root B (reserved), data"
bash "image-build/assemble-$boot.sh" "$rootfs" "$out/tandem-$target.img" "$work" "$arch" "$serial"

step "compressed image, SHA-256 sums and the package manifest"
outputs=("tandem-$target.img" "tandem-$target.img.zst")
if [ "$target" = amd64-vm ]; then
  qemu-img convert -f raw -O qcow2 "$out/tandem-$target.img" "$out/tandem-$target.qcow2"
  outputs+=("tandem-$target.qcow2")
fi
zstd -q -f -T0 -9 "$out/tandem-$target.img" -o "$out/tandem-$target.img.zst"
# dpkg-query reads the database only: no need to run the image's own binaries.
dpkg-query --admindir="$rootfs/var/lib/dpkg" -W -f '${Package} ${Version}\n' >"$out/manifest.txt"
(cd "$out" && sha256sum "${outputs[@]}" >SHA256SUMS)
installed=$(du -s --block-size=1M "$rootfs" | cut -f1)
# One line per build (npm run bench -- image reads the latest cold and cached one per target).
printf '{"target":"%s","cached":%s,"buildSeconds":%d,"installedMiB":%d,"imageMiB":%d,"compressedMiB":%d,"builtAt":"%s"}\n' \
  "$target" "$cached" "$((SECONDS - start))" "$installed" "$(($(stat -c %s "$out/tandem-$target.img") / 1048576))" \
  "$(($(stat -c %s "$out/tandem-$target.img.zst") / 1048576))" "$(date -u +%FT%TZ)" >>.tandem/image/builds.jsonl
rm -rf "$work"
step "done: $out/tandem-$target.img ($(du -h "$out/tandem-$target.img.zst" | cut -f1) compressed)"
