#!/usr/bin/env bash
# Installs code-server 4.100.3 (= VS Code 1.100.3) into .vscode-test/code-server, offline-friendly.
# Follows shared/notes/vscode-offline.md: the package's postinstall downloads ripgrep from GitHub,
# so it is skipped and its work done by hand with Debian's ripgrep. Idempotent.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="$root/.vscode-test/code-server"
entry="$dir/node_modules/code-server/out/node/entry.js"
stamp="$dir/.installed-4.100.3"

if [[ -f "$stamp" ]] && node "$entry" --version >/dev/null 2>&1; then
  echo "code-server 4.100.3 already installed in $dir"
  exit 0
fi
for bin in rg chromium; do
  command -v "$bin" >/dev/null || { echo "missing $bin: apt-get install -y chromium ripgrep libkrb5-dev" >&2; exit 1; }
done

mkdir -p "$dir"
cd "$dir"
[[ -f package.json ]] || echo '{"name":"code-server-host","private":true}' > package.json
npm install --no-save --no-audit --no-fund --ignore-scripts code-server@4.100.3

vs="$dir/node_modules/code-server/lib/vscode"
(cd "$vs" && npm install --omit=dev --ignore-scripts --no-audit --no-fund)
mkdir -p "$vs/node_modules/@vscode/ripgrep/bin"
cp "$(command -v rg)" "$vs/node_modules/@vscode/ripgrep/bin/rg"
(cd "$vs" && npm_config_yes=true npm rebuild kerberos node-pty @parcel/watcher @vscode/spdlog native-watchdog @vscode/deviceid)
ln -sfn node_modules "$vs/node_modules.asar"
(cd "$vs/extensions" && npm install --omit=dev --ignore-scripts --no-audit --no-fund)
npm_config_yes=true npm rebuild argon2

node "$entry" --version
touch "$stamp"
