#!/usr/bin/env bash
# Stages the agent and the console as the image runs them, in $1: their built output and
# package.json files in a small workspace (@tandem/core, the agent, the console) and its
# production dependencies, native modules (better-sqlite3, node-pty) compiled from source by
# npm (allowScripts). The dependencies are reinstalled only when the lockfile changed.
set -euo pipefail
cd "$(dirname "$0")/.."
stage=$1
mkdir -p "$stage"
copy() { # copy SRC... into the stage, keeping their paths
  for p in "$@"; do
    mkdir -p "$stage/$(dirname "$p")"
    rm -rf "${stage:?}/$p"
    cp -a "$p" "$stage/$p"
  done
}
copy packages/core/package.json packages/core/dist agent/package.json agent/dist agent/bin \
  web-ui/package.json web-ui/dist-server web-ui/next.config.ts
mkdir -p "$stage/web-ui/.next"
# The production build without its compiler cache.
(cd web-ui/.next && tar --exclude=./cache -cf - .) | (cd "$stage/web-ui/.next" && tar -xf -)
cat >"$stage/package.json" <<'JSON'
{
  "name": "tandem-appliance",
  "private": true,
  "type": "module",
  "workspaces": ["packages/core", "agent", "web-ui"],
  "allowScripts": { "better-sqlite3": true, "node-pty": true }
}
JSON
lock=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stage/.lock-sha256" 2>/dev/null || true)" != "$lock" ] || [ ! -d "$stage/node_modules" ]; then
  cp package-lock.json "$stage/package-lock.json"
  (cd "$stage" && npm install --omit=dev --no-audit --no-fund --loglevel=error >/dev/null)
  echo "$lock" >"$stage/.lock-sha256"
fi
