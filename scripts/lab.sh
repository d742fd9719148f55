#!/usr/bin/env bash
# The two-unit lab (docs/lab.md): npm run lab -- up|down|status [--json]|fail <unit> <how>|heal <unit>
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1
if [ "$(id -u)" -ne 0 ]; then
  echo "The lab creates network namespaces: run it as root." >&2
  exit 1
fi
bash scripts/ensure-system.sh
bash scripts/ensure-node-deps.sh
npx turbo run build --filter=@tandem/lab... --output-logs=errors-only >/dev/null
exec node lab/dist/labMain.js "$@"
