# Sourced by build.sh and boot-test.sh: `image_target WHO "$@"` reads `--target NAME` (or
# `--target=NAME`) into $target and refuses anything else, naming WHO in the message.
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
}
