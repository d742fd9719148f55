#!/usr/bin/env bash
# npm run image:test -- --target amd64-vm|arm64-efi [--pair]: boots the built image in QEMU and checks it
# serves, takes an SSH key, survives a power cut and keeps its configuration
# (image-build/bootTest.mjs). Installs QEMU and the UEFI firmware (OVMF for amd64, AAVMF for
# arm64) from the machine's apt sources when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=target.sh
. image-build/target.sh
# --pair: two units on one QEMU socket network, paired and failing over (image-build/pairTest.mjs).
test=bootTest.mjs
args=()
for a in "$@"; do
  if [ "$a" = --pair ]; then test=pairTest.mjs; else args+=("$a"); fi
done
image_target image:test "${args[@]}"
if [ "$boot" = rpi ]; then
  # No UEFI there: QEMU's emulated Pi 3 boots the image's own kernel (image-build/rpiSmoke.mjs).
  command -v qemu-system-aarch64 >/dev/null 2>&1 || { . scripts/apt-install.sh; apt_install "the Pi smoke test" qemu-system-arm; }
  image=.tandem/image/$target/tandem-$target.img
  [ -f "$image" ] || { echo "image:test: no $image: run npm run image -- --target $target first" >&2; exit 1; }
  exec node image-build/rpiSmoke.mjs "$target" "$arch" "$(realpath "$image")"
fi
# shellcheck source=../scripts/apt-install.sh
. scripts/apt-install.sh
missing=()
command -v qemu-img >/dev/null 2>&1 || missing+=(qemu-utils)
command -v ssh-keyscan >/dev/null 2>&1 || missing+=(openssh-client)
case "$arch" in
  amd64)
    command -v qemu-system-x86_64 >/dev/null 2>&1 || missing+=(qemu-system-x86)
    ls /usr/share/OVMF/OVMF_CODE*.fd >/dev/null 2>&1 || missing+=(ovmf)
    image=.tandem/image/$target/tandem-$target.qcow2 format=qcow2 ;;
  arm64)
    command -v qemu-system-aarch64 >/dev/null 2>&1 || missing+=(qemu-system-arm)
    [ -f /usr/share/AAVMF/AAVMF_CODE.fd ] || missing+=(qemu-efi-aarch64)
    image=.tandem/image/$target/tandem-$target.img format=raw ;;
esac
[ -f "$image" ] || { echo "image:test: no $image: run npm run image -- --target $target first" >&2; exit 1; }
[ ${#missing[@]} -eq 0 ] || apt_install "the image boot test" "${missing[@]}"
if [ "$arch" = amd64 ]; then
  code=$(ls /usr/share/OVMF/OVMF_CODE_4M.fd /usr/share/OVMF/OVMF_CODE.fd 2>/dev/null | head -n 1)
  vars=$(ls /usr/share/OVMF/OVMF_VARS_4M.fd /usr/share/OVMF/OVMF_VARS.fd 2>/dev/null | head -n 1)
else
  code=/usr/share/AAVMF/AAVMF_CODE.fd vars=/usr/share/AAVMF/AAVMF_VARS.fd
fi
exec node "image-build/$test" "$target" "$arch" "$(realpath "$image")" "$format" "$code" "$vars"
