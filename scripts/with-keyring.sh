#!/usr/bin/env bash
# Runs "$@" with a real, unlocked Secret Service: a fresh gnome-keyring in throwaway
# dirs on the current session bus. Use inside `dbus-run-session -- bash scripts/with-keyring.sh …`.
set -euo pipefail
export XDG_RUNTIME_DIR="${GTX_KEYRING_RUNTIME_DIR:-$(mktemp -d)}"
export XDG_DATA_HOME_KEYRING="$(mktemp -d)"
# gnome-keyring keeps its keyrings under $XDG_DATA_HOME/keyrings; give it its own.
XDG_DATA_HOME="$XDG_DATA_HOME_KEYRING" sh -c "echo -n 'gtx-test-keyring' | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null 2>&1"
for _ in $(seq 100); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    ready=1
    break
  fi
  sleep 0.1
done
if [ -z "${ready:-}" ]; then
  echo "with-keyring: gnome-keyring-daemon did not take org.freedesktop.secrets" >&2
  exit 1
fi
export GTX_TEST_KEYRING=1
echo "with-keyring: Secret Service ready on $DBUS_SESSION_BUS_ADDRESS" >&2
"$@"
