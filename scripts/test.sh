#!/usr/bin/env bash
# The one test command: every unit and integration test, with the keyring tests on a real
# Secret Service when dbus-run-session and gnome-keyring-daemon are installed.
# Before running it says which test groups this machine will skip, and why
# (`scripts/test.sh --plan` prints only that).
set -euo pipefail
cd "$(dirname "$0")/.."

plan() {
  local skipped=0 fate="will be skipped"
  [ "${CI:-}" = "true" ] && fate="will FAIL (CI=true: nothing may be skipped)"
  if [ -z "${GTX_TEST_KEYRING:-}" ] && ! { command -v dbus-run-session && command -v gnome-keyring-daemon; } >/dev/null 2>&1; then
    echo "test.sh: keyring tests (tests/keyring.rs) $fate: dbus-run-session or gnome-keyring-daemon missing (apt-get install gnome-keyring dbus libsecret-tools)" >&2
    skipped=$((skipped + 1))
  fi
  if ! command -v node >/dev/null 2>&1; then
    echo "test.sh: third-party server test (tests/peer.rs) $fate: node is not installed (needs node >= 20.19, then npm ci)" >&2
    skipped=$((skipped + 1))
  elif [ ! -f node_modules/oauth2-mock-server/package.json ] || [ ! -f node_modules/oidc-provider/package.json ]; then
    echo "test.sh: third-party server tests (tests/peer.rs) $fate: node_modules/oauth2-mock-server or oidc-provider missing (run npm ci)" >&2
    skipped=$((skipped + 1))
  fi
  if ! command -v python3 >/dev/null 2>&1; then
    echo "test.sh: module-cycle check (scripts/module-cycles.py) $fate: python3 is not installed (apt-get install python3)" >&2
    skipped=$((skipped + 1))
  fi
  if ! command -v strace >/dev/null 2>&1; then
    echo "test.sh: store fault-injection tests (tests/store_faults.rs) $fate: strace is not installed (apt-get install strace)" >&2
    skipped=$((skipped + 1))
  fi
  if [ "$skipped" -eq 0 ]; then
    echo "test.sh: no test group will be skipped on this machine" >&2
  fi
}

if [ "${1:-}" = "--plan" ]; then
  plan
  exit 0
fi
if [ -z "${GTX_TEST_SH_PLANNED:-}" ]; then
  plan
  export GTX_TEST_SH_PLANNED=1
fi
if [ -z "${GTX_TEST_KEYRING:-}" ] && command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  exec dbus-run-session -- bash scripts/with-keyring.sh bash scripts/test.sh "$@"
fi
# No cycle between modules (docs/architecture.md, "No cycles between modules"): a second's
# work, so it runs first and fails before anything compiles.
if command -v python3 >/dev/null 2>&1; then
  python3 scripts/module-cycles.py --self-test
  if ! python3 scripts/module-cycles.py; then
    echo "test.sh: the modules above form a cycle (each line: who names whom, and where); docs/architecture.md (\"No cycles between modules\") says how to break a cycle" >&2
    exit 1
  fi
elif [ "${CI:-}" = "true" ]; then
  echo "test.sh: python3 is missing, and with CI=true the module-cycle check may not be skipped" >&2
  exit 1
fi
cargo test --locked "$@"
