#!/usr/bin/env bash
# npm run image:test -- --target amd64-vm: boots the built image in QEMU and checks it serves,
# survives a power cut and keeps its configuration (image-build/bootTest.mjs). Installs QEMU
# and the UEFI firmware (OVMF) from the machine's apt sources when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=target.sh
. image-build/target.sh
image_target image:test "$@"
[ "$target" = amd64-vm ] || { echo "image:test: --target must be amd64-vm (arm64-efi follows)" >&2; exit 2; }
image=.tandem/image/$target/tandem-$target.qcow2
[ -f "$image" ] || { echo "image:test: no $image: run npm run image -- --target $target first" >&2; exit 1; }
# shellcheck source=../scripts/apt-install.sh
. scripts/apt-install.sh
missing=()
command -v qemu-system-x86_64 >/dev/null 2>&1 || missing+=(qemu-system-x86)
command -v qemu-img >/dev/null 2>&1 || missing+=(qemu-utils)
command -v ssh-keyscan >/dev/null 2>&1 || missing+=(openssh-client)
ls /usr/share/OVMF/OVMF_CODE*.fd >/dev/null 2>&1 || missing+=(ovmf)
[ ${#missing[@]} -eq 0 ] || apt_install "the image boot test" "${missing[@]}"
code=$(ls /usr/share/OVMF/OVMF_CODE_4M.fd /usr/share/OVMF/OVMF_CODE.fd 2>/dev/null | head -n 1)
vars=$(ls /usr/share/OVMF/OVMF_VARS_4M.fd /usr/share/OVMF/OVMF_VARS.fd 2>/dev/null | head -n 1)
exec node image-build/bootTest.mjs "$(realpath "$image")" "$code" "$vars"
