#!/usr/bin/env bash
# Stages the agent and the console as the image runs them, in $1, for Debian architecture $2:
# their built output and package.json files in a small workspace (@tandem/core, the agent, the
# console) and its production dependencies. Native modules (better-sqlite3, node-pty) compile
# from source (allowScripts), with the aarch64 cross compiler for an arm64 image: far faster
# than compiling under qemu-user, and the same Node headers (Node 20's ABI on both sides). The
# dependencies are reinstalled only when the lockfile changed.
set -euo pipefail
cd "$(dirname "$0")/.."
stage=$1 arch=$2
mkdir -p "$stage"
copy() { # copy SRC... into the stage, keeping their paths
  for p in "$@"; do
    mkdir -p "$stage/$(dirname "$p")"
    rm -rf "${stage:?}/$p"
    cp -a "$p" "$stage/$p"
  done
}
copy packages/core/package.json packages/core/dist agent/package.json agent/dist agent/bin \
  web-ui/package.json web-ui/dist-server web-ui/next.config.mjs
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

npm_env=()
npm_cpu=x64
if [ "$arch" = arm64 ]; then
  npm_cpu=arm64
  if [ "$(dpkg --print-architecture)" != arm64 ]; then
    npm_env=(CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ LINK=aarch64-linux-gnu-g++
      AR=aarch64-linux-gnu-ar npm_config_arch=arm64 npm_config_target_arch=arm64)
  fi
fi
lock=$(cat package-lock.json image-build/stage-app.sh | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stage/.lock-sha256" 2>/dev/null || true)" != "$lock" ] || [ ! -d "$stage/node_modules" ]; then
  rm -rf "$stage/node_modules"
  cp package-lock.json "$stage/package-lock.json"
  # --cpu picks the optional packages built for the image's processor (sharp's libvips).
  (cd "$stage" && env "${npm_env[@]}" npm install --omit=dev --cpu="$npm_cpu" --os=linux \
    --libc=glibc --no-audit --no-fund --loglevel=error >/dev/null)
  nm=$stage/node_modules
  # What only compiling needed, and the other platforms' binaries: ~100 MB the unit never reads.
  # The console's config is plain JavaScript (next.config.mjs), so Next.js never loads its SWC
  # compiler at run time.
  rm -rf "$nm"/node-pty/{prebuilds,deps,third_party,src} "$nm"/better-sqlite3/{deps,src} \
    "$nm"/@next/swc-* "$nm"/next/dist/docs
  for m in "$nm/better-sqlite3/build/Release/better_sqlite3.node" "$nm/node-pty/build/Release/pty.node"; do
    # Of a module's build, only the module itself.
    mv "$m" "$stage/.module" && rm -rf "${m%/Release/*}" && mkdir -p "${m%/*}" && mv "$stage/.module" "$m"
  done
  for m in "$nm/better-sqlite3/build/Release/better_sqlite3.node" "$nm/node-pty/build/Release/pty.node"; do
    case "$(file -b "$m")" in
      *"$([ "$arch" = arm64 ] && echo aarch64 || echo x86-64)"*) ;;
      *) echo "stage-app: $m is not built for $arch: $(file -b "$m")" >&2; exit 1 ;;
    esac
  done
  echo "$lock" >"$stage/.lock-sha256"
fi
