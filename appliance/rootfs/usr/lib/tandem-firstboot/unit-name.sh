#!/bin/sh
# Tandem: the unit's name from its first wired interface's MAC (tandem-XXXX, the same at every
# boot on the same hardware), and a login banner saying where the console is.
set -eu
mac=
for dev in /sys/class/net/en* /sys/class/net/eth*; do
  [ -e "$dev/address" ] || continue
  mac=$(cat "$dev/address")
  break
done
suffix=$(echo "${mac:-00:00:00:00:00:00}" | tr -d ':' | tail -c 5)
name="tandem-$suffix"
hostname "$name"
mkdir -p /run/issue.d
cat >/run/issue.d/50-tandem.issue <<ISSUE
Tandem unit $name: open https://\4/ in a browser.
Before the first administrator exists, the one-time setup token is shown by: tandemctl setup-token

ISSUE
