#!/usr/bin/env bash
# axe-core for the accessibility tests, from the npm registry into the git-ignored .cache/node (never committed).
# Chromium itself is Debian's package (scripts/system-deps.sh); nothing here downloads a browser build.
# Without npm it says so and returns 0: outside CI the browser tests then skip with that reason, under CI they fail.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.cache/node
if [ -f "$dir/node_modules/axe-core/axe.min.js" ]; then exit 0; fi
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is missing: axe-core cannot be installed (apt-get install npm); the accessibility tests cannot run" >&2
  exit 0
fi
mkdir -p "$dir"
[ -f "$dir/package.json" ] || echo '{"private": true}' > "$dir/package.json"
npm install --prefix "$dir" --no-audit --no-fund --silent axe-core@4 >&2
