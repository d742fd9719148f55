#!/usr/bin/env bash
# Runs one benchmark: npm run bench -- reload|reload-state|logtail|sync|image|discovery|soak|apply|runtime|dataplane|logs|logquery|sampler|failover|console|logviewer
# Each prints its figures and ratios against a reference measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1
name=${1:-}
case "$name" in
  reload) file=reloadUnderLoad ;;
  apply) file=applyLatency ;;
  runtime) file=runtimeLatency ;;
  dataplane) file=dataplaneCost ;;
  logs) file=logIngest ;;
  logquery) file=logQuery ;;
  sampler) file=samplerCpu ;;
  failover) file=failover ;;
  console) file=consoleFigures ;;
  logviewer) file=logViewer ;;
  reload-state) file=reloadState ;;
  logtail) file=logTail ;;
  sync) file=sync ;;
  image) file=imageFigures ;;
  discovery) file=discovery ;;
  soak) file=soak ;;
  *) echo "usage: npm run bench -- reload|reload-state|logtail|sync|image|discovery|soak|apply|runtime|dataplane|logs|logquery|sampler|failover|console|logviewer" >&2; exit 2 ;;
esac
bash scripts/ensure-system.sh
if ! command -v wrk >/dev/null 2>&1; then
  echo "Installing Debian package: wrk"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
case "$name" in reload-state | discovery) bash scripts/ensure-test-system.sh ;; esac
bash scripts/ensure-node-deps.sh
npx turbo run build --filter=@tandem/bench... --output-logs=errors-only >/dev/null
exec node "bench/dist/$file.js"
