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
case "$target" in
  amd64-vm) arch=amd64 ;;
  arm64-efi | arm64-rpi)
    echo "image: target $target is not built yet (amd64-vm is; see image-build/README.md)" >&2
    exit 2 ;;
  *) echo "image: --target must be amd64-vm (arm64-efi and arm64-rpi follow)" >&2; exit 2 ;;
esac
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
for tool in mmdebstrap:mmdebstrap sfdisk:fdisk mkfs.ext4:e2fsprogs mkfs.vfat:dosfstools \
  mcopy:mtools qemu-img:qemu-utils zstd:zstd; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "installing the host tools the build needs: ${missing[*]}"
  apt_install "the image build" "${missing[@]}"
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
awk 'BEGIN{RS="";ORS="\n"} NR==1' "$src" | sed -e '/^#/d' -e 's/^Suites:.*/Suites: trixie trixie-updates/' >"$work/sources"

step "the agent and the console, built and staged with their production dependencies"
bash scripts/ensure-node-deps.sh
npx turbo run build --filter=@tandem/agent --filter=@tandem/web-ui --output-logs=errors-only >/dev/null
bash image-build/stage-app.sh "$cache/app"

step "the root filesystem (mmdebstrap, Debian 13, $arch)"
rootfs=$work/rootfs
packages=(
  systemd-sysv udev dbus kmod initramfs-tools linux-image-amd64 systemd-boot-efi
  systemd-resolved systemd-repart e2fsprogs haproxy keepalived nodejs ca-certificates iproute2 iputils-ping
  openssh-server socat curl less nano tcpdump procps
)
mmdebstrap --quiet --variant=minbase --architectures="$arch" \
  --include="$(
    IFS=,
    echo "${packages[*]}"
  )" \
  --customize-hook="bash $repo/image-build/customize.sh \"\$1\" $repo $repo/$cache/app" \
  trixie "$rootfs" "$work/sources"

step "partitions as files: ESP (systemd-boot), root A (read-only), root B (reserved), data"
bash image-build/assemble.sh "$rootfs" "$out/tandem-$target.img" "$work"

step "qcow2, compressed image, SHA-256 sums and the package manifest"
qemu-img convert -f raw -O qcow2 "$out/tandem-$target.img" "$out/tandem-$target.qcow2"
zstd -q -f -T0 -9 "$out/tandem-$target.img" -o "$out/tandem-$target.img.zst"
chroot "$rootfs" dpkg-query -W -f '${Package} ${Version}\n' >"$out/manifest.txt"
(cd "$out" && sha256sum "tandem-$target.img" "tandem-$target.qcow2" "tandem-$target.img.zst" >SHA256SUMS)
rm -rf "$work"
step "done: $out/tandem-$target.img ($(du -h "$out/tandem-$target.img.zst" | cut -f1) compressed)"
