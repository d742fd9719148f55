#!/usr/bin/env bash
# The project's main job: a running unit on this machine (agent, HAProxy, the console, demo
# backends and a demo service). Ctrl-C stops it. `npm run examples` renders and checks the example configs instead.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1

bash scripts/ensure-system.sh
bash scripts/ensure-node-deps.sh
npx turbo run build --filter=@tandem/agent... --filter=@tandem/web-ui... --output-logs=errors-only
exec node agent/dist/commands/devUnit.js
