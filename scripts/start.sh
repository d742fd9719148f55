#!/usr/bin/env bash
# The project's main job. For now: render every template example and seed recipe and have the
# installed HAProxy check each one. (The agent issue turns this into a running unit.)
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1

bash scripts/ensure-system.sh
bash scripts/ensure-node-deps.sh
npx turbo run build --filter=@tandem/agent... --output-logs=errors-only
exec node agent/dist/commands/examplesMain.js
