#!/bin/sh
# Tandem: the unit's name from its first wired interface's MAC (tandem-XXXX, the same at every
# boot on the same hardware), and a login banner saying where the console is. The interface may
# be probed after this starts (a PCIe NIC on an arm64 VM, a USB one on a board): it waits for
# one, up to 30 s, rather than naming the unit tandem-0000.
set -eu
wired() { # the first physical, non-wireless Ethernet interface by name
  for dev in /sys/class/net/*; do
    [ -e "$dev/device" ] && [ "$(cat "$dev/type")" = 1 ] || continue
    [ -e "$dev/wireless" ] || [ -e "$dev/phy80211" ] && continue
    echo "$dev"
    return 0
  done
  return 1
}
mac=
for _ in $(seq 30); do
  udevadm settle --timeout=5 || true
  if dev=$(wired); then
    mac=$(cat "$dev/address")
    break
  fi
  sleep 1
done
suffix=$(echo "${mac:-00:00:00:00:00:00}" | tr -d ':' | tail -c 5)
name="tandem-$suffix"
hostname "$name"
mkdir -p /run/issue.d
cat >/run/issue.d/50-tandem.issue <<ISSUE
Tandem unit $name: open https://\4/ in a browser.
Before the first administrator exists, the one-time setup token is shown by: tandemctl setup-token

ISSUE
