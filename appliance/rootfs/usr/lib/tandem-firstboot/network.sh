#!/bin/sh
# Tandem: copies the confirmed network unit (if any) into networkd's runtime directory.
set -eu
saved=/var/lib/tandem/network/10-tandem.network
if [ -f "$saved" ]; then
  install -D -m 0644 "$saved" /run/systemd/network/10-tandem.network
fi
