#!/usr/bin/env bash
# The one test command: every unit and integration test, with the keyring tests on a real
# Secret Service when dbus-run-session and gnome-keyring-daemon are installed.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${GTX_TEST_KEYRING:-}" ] && command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  exec dbus-run-session -- bash scripts/with-keyring.sh bash scripts/test.sh "$@"
fi
if [ -z "${GTX_TEST_KEYRING:-}" ]; then
  echo "test.sh: dbus-run-session or gnome-keyring-daemon missing: keyring tests will be skipped (apt-get install gnome-keyring dbus libsecret-tools)" >&2
fi
cargo test --locked "$@"
