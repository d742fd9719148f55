# Sourced by build.sh and boot-test.sh: `image_target WHO "$@"` reads `--target NAME` (or
# `--target=NAME`) into $target, refuses anything else naming WHO in the message, and sets what
# the target is made of:
#   arch     Debian architecture of the image
#   boot     efi (GPT, ESP with systemd-boot) or rpi (MBR, FAT boot partition, the Pi firmware)
#   serial   the kernel's serial console (where the setup token is printed)
#   foreign  1 when the image's architecture is not this machine's (qemu-user runs its scripts)
image_target() {
  local who=$1
  shift
  target=
  while [ $# -gt 0 ]; do
    case "$1" in
      --target) target=${2:-}; shift 2 ;;
      --target=*) target=${1#--target=}; shift ;;
      *) echo "$who: unknown argument $1 (usage: npm run $who -- --target amd64-vm)" >&2; exit 2 ;;
    esac
  done
  case "$target" in
    amd64-vm) arch=amd64 boot=efi serial=ttyS0 ;;
    arm64-efi) arch=arm64 boot=efi serial=ttyAMA0 ;;
    arm64-rpi) arch=arm64 boot=rpi serial=ttyS1 ;;
    *)
      echo "$who: --target must be one of amd64-vm, arm64-efi, arm64-rpi (got '${target}')" >&2
      exit 2 ;;
  esac
  foreign=0
  [ "$arch" = "$(dpkg --print-architecture)" ] || foreign=1
}
