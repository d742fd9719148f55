# Sourced by the ensure-* scripts: installs Debian packages from the machine's configured apt
# sources, as root or through sudo. `apt_install "<who needs them>" pkg...`; with
# APT_NO_SERVICES=1 the packages' own services are not started (tests start their own).
apt_install() {
  local who=$1
  shift
  [ $# -eq 0 ] && return 0
  local SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=(sudo); else
      echo "$who needs these Debian packages: $*. Run as root or install them with apt-get." >&2
      return 1
    fi
  fi
  echo "Installing Debian packages${APT_NO_SERVICES:+ for the tests}: $*"
  export DEBIAN_FRONTEND=noninteractive
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [ "${APT_NO_SERVICES:-0}" = 1 ] && [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
    "${SUDO[@]}" chmod 755 "$policy"
    created_policy=1
  fi
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  [ "$created_policy" -eq 1 ] && "${SUDO[@]}" rm -f "$policy"
  return 0
}
