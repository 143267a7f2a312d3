#!/usr/bin/env bash
# End-to-end test through the real Orderly desktop window.
#
# Builds the app with the UI embedded, starts a virtual display (Xvfb) and tauri-driver (which drives the
# app through WebKitWebDriver), then runs tests/e2e/test_counter_order.py with Python selenium against a
# fresh database (fresh XDG folders: the app creates its SQLite database and loads demo data by itself).
# Screenshots of every step land in target/e2e-shots/. Everything started here is stopped on exit.
#
# Environment (all optional):
#   ORDERLY_E2E_SKIP_UI_BUILD=1   ui/dist is fresh already (orderly.sh test has just built it)
#   ORDERLY_E2E_SKIP_APP_BUILD=1  target/debug/orderly is fresh already
#   ORDERLY_E2E_PORT              first port to try for tauri-driver (default 4444)
#   ORDERLY_E2E_DISPLAY           first X display number to try for Xvfb (default 99)
#   ORDERLY_E2E_KEEP=1            keep the temporary XDG folders and logs (their path is printed)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# cargo puts the binary under CARGO_TARGET_DIR when that is set.
APP="${CARGO_TARGET_DIR:-$ROOT/target}/debug/orderly"
case "$APP" in /*) ;; *) APP="$ROOT/$APP" ;; esac
VENV="$ROOT/target/e2e-venv"
SHOTS="$ROOT/target/e2e-shots"
NATIVE_DRIVER=/usr/bin/WebKitWebDriver

log() { printf 'e2e: %s\n' "$*"; }
die() { printf 'e2e: %s\n' "$*" >&2; printf 'e2e: 0 passed, 1 failed\n'; exit 1; }

if ! command -v tauri-driver >/dev/null 2>&1 && [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ]; then
    export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
fi
command -v Xvfb >/dev/null 2>&1 || die "Xvfb not found: apt-get install xvfb (or run: bash scripts/orderly.sh test)"
[ -x "$NATIVE_DRIVER" ] || die "$NATIVE_DRIVER not found: apt-get install webkit2gtk-driver"
if ! command -v tauri-driver >/dev/null 2>&1; then
    log "installing tauri-driver 2.1.0 with cargo"
    cargo install tauri-driver --locked --version 2.1.0 </dev/null
fi

# --- build -----------------------------------------------------------------------------------------
if [ "${ORDERLY_E2E_SKIP_UI_BUILD:-}" != 1 ]; then
    [ -d ui/node_modules ] || (cd ui && npm ci)
    log "building the UI (npm run build in ui/)"
    (cd ui && npm run build)
fi
[ -f ui/dist/index.html ] || die "ui/dist/index.html missing: the UI build did not produce it"
if [ "${ORDERLY_E2E_SKIP_APP_BUILD:-}" != 1 ]; then
    log "building the app with the UI embedded (cargo build -p orderly-desktop --features custom-protocol)"
    cargo build -p orderly-desktop --features custom-protocol
fi
[ -x "$APP" ] || die "$APP missing after the build"

# --- Python selenium in a venv under target/ -------------------------------------------------------
PYTHON=python3
[ -x /usr/bin/python3 ] && PYTHON=/usr/bin/python3
if [ ! -x "$VENV/bin/python" ]; then
    log "creating $VENV"
    "$PYTHON" -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import selenium, sys; sys.exit(0 if selenium.__version__.startswith("4.") else 1)' 2>/dev/null; then
    log "installing selenium 4 into $VENV"
    "$VENV/bin/python" -m pip install -q 'selenium>=4.10,<5' </dev/null
fi

# --- processes: Xvfb, tauri-driver -----------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/orderly-e2e.XXXXXX")"
XVFB_PID=""
DRIVER_PID=""

# Stop what this script started, by process id. tauri-driver runs in its own process group (setsid) so
# that WebKitWebDriver and the app it launched go with it.
cleanup() {
    local rc=$?
    if [ -n "$DRIVER_PID" ]; then
        kill -TERM -- "-$DRIVER_PID" 2>/dev/null || kill -TERM "$DRIVER_PID" 2>/dev/null || true
        sleep 0.5
        kill -KILL -- "-$DRIVER_PID" 2>/dev/null || true
    fi
    if [ -n "$XVFB_PID" ]; then
        kill -TERM "$XVFB_PID" 2>/dev/null || true
        wait "$XVFB_PID" 2>/dev/null || true
    fi
    if [ "$rc" -ne 0 ]; then
        for f in "$WORK"/tauri-driver.log "$WORK"/xvfb.log; do
            [ -s "$f" ] && { printf '\n--- last lines of %s ---\n' "$f" >&2; tail -n 40 "$f" >&2; }
        done
    fi
    if [ "${ORDERLY_E2E_KEEP:-}" = 1 ]; then
        log "kept $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

DISPLAY_NUM="${ORDERLY_E2E_DISPLAY:-99}"
while [ -e "/tmp/.X${DISPLAY_NUM}-lock" ] || [ -e "/tmp/.X11-unix/X${DISPLAY_NUM}" ]; do
    DISPLAY_NUM=$(( DISPLAY_NUM + 1 ))
done
PORT="${ORDERLY_E2E_PORT:-4444}"
while port_in_use "$PORT"; do PORT=$(( PORT + 1 )); done

log "starting Xvfb :$DISPLAY_NUM"
Xvfb ":$DISPLAY_NUM" -screen 0 1280x800x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
XVFB_PID=$!
for _ in $(seq 1 50); do
    [ -e "/tmp/.X11-unix/X${DISPLAY_NUM}" ] && break
    kill -0 "$XVFB_PID" 2>/dev/null || die "Xvfb exited at start (see above)"
    sleep 0.1
done
[ -e "/tmp/.X11-unix/X${DISPLAY_NUM}" ] || die "Xvfb :$DISPLAY_NUM did not come up"

# A fresh home for the app's data, config and cache: a new database with the demo shop.
mkdir -p "$WORK/data" "$WORK/config" "$WORK/cache"
log "starting tauri-driver on port $PORT (app data in $WORK)"
env -u ORDERLY_DATABASE_URL \
    DISPLAY=":$DISPLAY_NUM" \
    XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config" XDG_CACHE_HOME="$WORK/cache" \
    setsid tauri-driver --port "$PORT" --native-driver "$NATIVE_DRIVER" >"$WORK/tauri-driver.log" 2>&1 </dev/null &
DRIVER_PID=$!
for _ in $(seq 1 100); do
    port_in_use "$PORT" && break
    kill -0 "$DRIVER_PID" 2>/dev/null || die "tauri-driver exited at start"
    sleep 0.1
done
port_in_use "$PORT" || die "tauri-driver is not listening on port $PORT"

# --- the test ----------------------------------------------------------------------------------------
rm -rf "$SHOTS"
mkdir -p "$SHOTS"
ORDERLY_E2E_APP="$APP" \
ORDERLY_E2E_WEBDRIVER_URL="http://127.0.0.1:$PORT" \
ORDERLY_E2E_SHOTS="$SHOTS" \
    "$VENV/bin/python" "$ROOT/tests/e2e/test_counter_order.py"
