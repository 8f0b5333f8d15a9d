#!/usr/bin/env bash
# Browser end-to-end test: starts the demo (fresh data under a temporary folder), drives
# Debian's Chromium through it with @playwright/test (e2e/playwright.config.ts), saves
# screenshots under screenshots/, and writes its totals to the report file given as $1.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"
report="${1:-$REPO_ROOT/.cache/test-results/e2e.json}"

if [ ! -x /usr/bin/chromium ]; then
  if [ "${CI:-}" = "true" ] || [ "$(id -u)" = 0 ]; then
    echo "[e2e] installing Debian's chromium" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2
  fi
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "[e2e] /usr/bin/chromium is missing (apt-get install chromium)" >&2
  echo '{"numPassedTests":0,"numFailedTests":1,"numPendingTests":0}' >"$report"
  exit 1
fi

# E2E_APP_PORT / E2E_BACKEND_PORT let two checkouts run their e2e side by side.
app_port="${E2E_APP_PORT:-3000}"
backend_port="${E2E_BACKEND_PORT:-7007}"
for port in "$app_port" "$backend_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "[e2e] port $port is in use (is the demo running?): stop it first" >&2
    echo '{"numPassedTests":0,"numFailedTests":1,"numPendingTests":0}' >"$report"
    exit 1
  fi
done

# A private copy of the demo's state, so the test never touches data/ of a developer.
workdir="$(mktemp -d)"
export DM_DATA_DIR="$workdir"
mkdir -p screenshots
log="$workdir/demo.log"
cat >"$workdir/app-config.ports.yaml" <<PORTS
app:
  baseUrl: http://localhost:$app_port
backend:
  baseUrl: http://localhost:$backend_port
  listen:
    port: $backend_port
  cors:
    origin: http://localhost:$app_port
PORTS
export E2E_APP_URL="http://localhost:$app_port"
export E2E_BACKEND_URL="http://localhost:$backend_port"
setsid bash -c "node '$REPO_ROOT/.yarn/releases/yarn-4.13.0.cjs' start --config '$REPO_ROOT/app-config.yaml' --config '$REPO_ROOT/e2e/app-config.e2e.yaml' --config '$workdir/app-config.ports.yaml'" >"$log" 2>&1 &
demo_pid=$!
cleanup() {
  kill -- -"$demo_pid" 2>/dev/null || true
  sleep 1
  kill -9 -- -"$demo_pid" 2>/dev/null || true
  rm -rf "$workdir"
}
trap cleanup EXIT

status=0
playwright_json="$workdir/playwright.json"
E2E_PLAYWRIGHT_JSON="$playwright_json" "$REPO_ROOT/node_modules/.bin/playwright" test \
  --config "$REPO_ROOT/e2e/playwright.config.ts" || status=$?
node "$REPO_ROOT/scripts/e2e-totals.js" "$playwright_json" "$report" || status=$?
if [ "$status" != 0 ]; then
  echo "[e2e] demo log tail:" >&2
  tail -40 "$log" >&2
fi
exit "$status"
