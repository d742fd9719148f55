#!/usr/bin/env bash
# Installs the npm dependencies from the lockfile when node_modules is missing or older than it.
set -euo pipefail
cd "$(dirname "$0")/.."

major=$(node -p 'process.versions.node.split(".")[0]')
minor=$(node -p 'process.versions.node.split(".")[1]')
if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; }; then
  echo "Tandem needs Node.js 20.19 or newer (found $(node --version))." >&2
  exit 1
fi

stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  # `npm ci`: exactly the committed lockfile, which it never rewrites (a plain `npm install` may
  # add optional platform packages to it and leave the tree modified).
  echo "Installing npm dependencies from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
fi
