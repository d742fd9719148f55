#!/usr/bin/env bash
# Installs the Debian packages that only the tests need: the real servers the service templates
# front (redis-server for redis-master, mariadb-server for mysql-read-write), sshd, pebble
# (an ACME server), dnsmasq (a DNS server) and libfaketime (a clock that jumps). Uses the machine's
# configured apt sources.
set -euo pipefail

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v mariadbd >/dev/null 2>&1 || need+=(mariadb-server)
# A real sshd reads the SSH login keys the agent writes (tests/agent/sshKeys.int.test.ts).
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
# A real ACME server and its DNS for the names it validates (tests/agent/acme.int.test.ts).
command -v pebble >/dev/null 2>&1 || need+=(pebble)
# A real DNS server whose records the discovery tests change (tests/agent/discovery.int.test.ts):
# the binary only, no system service.
command -v dnsmasq >/dev/null 2>&1 || [ -x /usr/sbin/dnsmasq ] || need+=(dnsmasq-base)
# A wall clock that jumps under a running agent and HAProxy, as NTP's first answer makes it jump on
# a board without a battery (tests/agent/clockJump.int.test.ts). The library only.
compgen -G "/usr/lib/*/faketime/libfaketime.so.1" >/dev/null || need+=(libfaketime)
# shellcheck source=scripts/apt-install.sh
. "$(dirname "$0")/apt-install.sh"
# The tests start their own servers on free ports; the packages' own services are not wanted.
APT_NO_SERVICES=1 apt_install "The tests" "${need[@]}"
