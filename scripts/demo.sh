#!/usr/bin/env bash
# Installs what is missing and starts the demo: the app on http://localhost:3000 and the
# backend on http://localhost:7007, with SQLite for all state and demo datasets created
# under data/ on first start. Stop with Ctrl-C.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"
ensure_installed
mkdir -p data
exec node "$REPO_ROOT/.yarn/releases/yarn-4.13.0.cjs" start
