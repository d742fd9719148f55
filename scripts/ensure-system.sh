#!/usr/bin/env bash
# Installs the Debian packages Tandem needs on this machine when they are missing.
# Uses the machine's configured apt sources; never downloads anything else.
set -euo pipefail

need=()
command -v haproxy >/dev/null 2>&1 || need+=(haproxy)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# keepalived for VRRP; iproute2 for the network-namespace lab and the HA tests (ADR 0010).
command -v keepalived >/dev/null 2>&1 || need+=(keepalived)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
# arping: split-brain detection (ARP duplicate address probe of a VIP).
command -v arping >/dev/null 2>&1 || need+=(iputils-arping)
# Debian's chromium for the console's end-to-end tests (Playwright drives it; no browser download).
command -v chromium >/dev/null 2>&1 || need+=(chromium)

# The console server runs as its own unprivileged user when started by root (the appliance's
# sysusers.d file makes the same user).
ensure_console_user() {
  if [ "$(id -u)" -eq 0 ] && ! id -u tandem-console >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
      --user-group --comment "Tandem console" tandem-console
  fi
}
ensure_console_user
# shellcheck source=scripts/apt-install.sh
. "$(dirname "$0")/apt-install.sh"
apt_install Tandem "${need[@]}"
