#!/usr/bin/env bash
# Installs the Debian packages that only the tests need: the real servers the service templates
# front (redis-server for redis-master, mariadb-server for mysql-read-write). Uses the machine's
# configured apt sources.
set -euo pipefail

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v mariadbd >/dev/null 2>&1 || need+=(mariadb-server)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo); else
    echo "The tests need these Debian packages: ${need[*]}. Run as root or install them with apt-get." >&2
    exit 1
  fi
else
  SUDO=()
fi
echo "Installing Debian packages for the tests: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
# The tests start their own servers on free ports; the packages' own services are not wanted.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
  "${SUDO[@]}" chmod 755 "$policy"
  created_policy=1
fi
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
[ "$created_policy" -eq 1 ] && "${SUDO[@]}" rm -f "$policy"
exit 0
