#!/usr/bin/env bash
# Installs what is missing and runs every test of the repository: the unit, component and
# database tests of all packages (SQLite always; PostgreSQL and MariaDB from this machine,
# required when CI=true). Ends with one line: "N passed, N failed, N skipped".
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$REPO_ROOT/scripts/test-databases.sh"
cd "$REPO_ROOT"

ensure_installed
start_databases
export_test_databases

results="$REPO_ROOT/.cache/test-results"
rm -rf "$results" && mkdir -p "$results"

status=0
# CI=true keeps jest from watching; the JSON report is what the summary line counts.
CI=true yarn backstage-cli repo test --json --outputFile="$results/jest.json" || status=$?

node "$REPO_ROOT/scripts/summarize-tests.js" "$results"/*.json || status=$?
exit "$status"
