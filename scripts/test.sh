#!/usr/bin/env bash
# The test command (README, CI): installs what is missing, then builds, lints and tests every
# package through turbo, and closes with one "N passed, N failed" line summed over all packages.
set -uo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1

# What the tree looked like before the run: the run must leave it so (issue 17). A lockfile that
# install rewrote, or a file a test left behind, fails the run by name.
tree_before=$(git status --porcelain 2>/dev/null || true)

bash scripts/ensure-system.sh || exit 1
bash scripts/ensure-node-deps.sh || exit 1
bash scripts/ensure-compat-root.sh || exit 1
bash scripts/ensure-test-system.sh || exit 1

rm -f ./*/test-results/vitest.json ./packages/*/test-results/vitest.json
npx turbo run build lint test --continue --output-logs=new-only "$@"
rc=$?
# The appliance image last and alone (it builds a Debian root and boots it in QEMU: minutes of
# CPU that would slow the timing-sensitive suites if it ran beside them).
npx vitest run --root image-build || rc=1
node scripts/summarize-tests.mjs || rc=1
tree_after=$(git status --porcelain 2>/dev/null || true)
if [ "$tree_after" != "$tree_before" ]; then
  echo "The test run changed the working tree (git status before and after):" >&2
  diff <(echo "$tree_before") <(echo "$tree_after") >&2
  rc=1
fi
exit $rc
