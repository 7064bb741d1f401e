#!/usr/bin/env bash
# Side-by-side timings (hyperfine): cached `gtx token get` (file and keyring stores)
# against `gh auth token` and `cat` of a token file, `gtx token generate` against curl
# sending the same request to the local emulator, and `gtx request GET /api/v1/orders`
# against curl with the same cached token; then the peak RSS (/usr/bin/time -v) of each
# piping a 50 MB body to /dev/null; `gtx token generate` with a client that signs a
# private_key_jwt assertion (ES256 and RS256 keys from tests/fixtures/keys) against curl sending
# a precomputed request of the same size, and with a DPoP proof against curl sending a header
# of the proof's size; then, on GitHub's REST API description (npm
# @octokit/openapi, 13 MB, installed into a temp dir, never committed), `gtx api sync` against
# `jq -c .` of the same file (with sync's peak RSS), and `gtx api list`, `gtx api show` and the
# completion of `gtx request <TAB>` against a cached `gtx token get`; and what one signature of each
# key type costs (examples/sign_cost.rs). Prints Markdown tables of
# medians and ratios (the tables in docs/benchmarks.md).
#
#   scripts/bench.sh            # needs: hyperfine, gh, curl, python3, jq, npm, /usr/bin/time (apt-get install hyperfine gh curl jq time)
#   RUNS=100 scripts/bench.sh   # fewer runs
#   GTX_BASELINE=/path/to/older/gtx scripts/bench.sh   # adds that build's token get/generate rows, side by side
#
# The keyring row runs when a Secret Service is reachable; the script starts a private
# one (dbus-run-session + gnome-keyring) when those are installed.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${GTX_TEST_KEYRING:-}" ] && command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  exec dbus-run-session -- bash scripts/with-keyring.sh bash scripts/bench.sh "$@"
fi
for tool in hyperfine gh curl python3 jq npm /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench.sh: $tool is missing (apt-get install -y hyperfine gh curl jq npm time)" >&2; exit 1; }
done
RUNS="${RUNS:-300}"
cargo build --release --locked -q
GTX="$PWD/target/release/gtx"
EMU="$PWD/target/release/gtx-emulator"
work=$(mktemp -d)
trap 'kill "${emu_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
export HOME="$work" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" GTX_CONFIG="$work/config.toml" NO_COLOR=1
unset GTX_ENV GTX_CREDENTIAL GTX_STORE GTX_CLIENT_ID GTX_CLIENT_SECRET GTX_TOKEN
secret="bench-secret-0123456789"
"$EMU" --port 0 --json --quiet --client "bench-client:$secret" \
  --key-client "bench-ec:$PWD/tests/fixtures/keys/ec.pub.pem" \
  --key-client "bench-rsa:$PWD/tests/fixtures/keys/rsa.pub.pem" > "$work/emu.json" &
emu_pid=$!
for _ in $(seq 100); do [ -s "$work/emu.json" ] && break; sleep 0.05; done
base=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["base_url"])' "$work/emu.json")
"$GTX" env add bench --api-base "$base" --token-url /oauth2/token --scopes "orders.read orders.write" 2>/dev/null
"$GTX" env use bench 2>/dev/null
echo "$secret" | "$GTX" login --client-credentials --client-id bench-client --client-secret-stdin --store file 2>/dev/null
"$GTX" token get --store file > "$work/token.txt"
keyring_cmds=()
baseline_get=() baseline_gen=()
if [ -n "${GTX_BASELINE:-}" ]; then
  baseline_get=(-n "gtx token get (file, baseline)" "$GTX_BASELINE token get --store file")
  baseline_gen=(-n "gtx token generate (memory, baseline)" "$GTX_BASELINE token generate --store memory")
fi
if [ -n "${GTX_TEST_KEYRING:-}" ]; then
  echo "$secret" | "$GTX" login --client-credentials --client-id bench-client --client-secret-stdin --store keyring 2>/dev/null
  keyring_cmds=(-n "gtx token get (keyring)" "$GTX token get --store keyring")
fi
export GH_TOKEN=dummy-gh-token-for-benchmark GH_CONFIG_DIR="$work/gh"
hyperfine -N --warmup 20 --runs "$RUNS" --export-json "$work/get.json" \
  -n "cat token file" "cat $work/token.txt" \
  -n "gtx token get (file)" "$GTX token get --store file" \
  "${baseline_get[@]}" \
  "${keyring_cmds[@]}" \
  -n "gh auth token" "gh auth token" >&2
token=$(cat "$work/token.txt")
hyperfine -N --warmup 20 --runs "$RUNS" --export-json "$work/req.json" \
  -n "curl GET /api/v1/orders" "curl -sS -H 'Authorization: Bearer $token' $base/api/v1/orders" \
  -n "gtx request GET /api/v1/orders" "$GTX request GET /api/v1/orders --store file" >&2
big=$((50 * 1024 * 1024))
peak_kb() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}'; }
curl_kb=$(peak_kb curl -sS -H "Authorization: Bearer $token" "$base/api/v1/bytes/$big")
gtx_kb=$(peak_kb "$GTX" request "/api/v1/bytes/$big" --store file)
export GTX_CLIENT_ID=bench-client GTX_CLIENT_SECRET="$secret"
hyperfine -N --warmup 10 --runs "$RUNS" --export-json "$work/gen.json" \
  -n "curl POST /oauth2/token" "curl -s -o /dev/null -X POST -d grant_type=client_credentials -d client_id=bench-client -d client_secret=$secret -d scope=orders.read+orders.write $base/oauth2/token" \
  -n "gtx token generate (memory)" "$GTX token generate --store memory" \
  "${baseline_gen[@]}" \
  -n "gtx token generate (file)" "$GTX token generate --store file" >&2
# private_key_jwt: the same mint, the client proving itself with a fresh signed assertion.
# curl cannot sign, and the emulator refuses a replayed assertion, so curl sends the secret
# padded with an ignored parameter to the byte length of gtx's request (read back from the
# emulator's request log).
unset GTX_CLIENT_ID GTX_CLIENT_SECRET   # the stored clients below, not the exported one
"$GTX" env add bench-jwt --api-base "$base" --token-url /oauth2/token --scopes "orders.read orders.write" --client-auth private_key_jwt 2>/dev/null
for k in ec rsa; do
  "$GTX" login --env bench-jwt --credential "$k" --client-credentials --client-id "bench-$k" --client-key-stdin --store file < "tests/fixtures/keys/$k.pem" 2>/dev/null
done
"$GTX" token generate --env bench-jwt --credential ec --store file >/dev/null
jwt_len=$(curl -s "$base/_emulator/requests" | python3 -c '
import json, sys
reqs = [r for r in json.load(sys.stdin)["requests"] if r["path"] == "/oauth2/token"]
print(reqs[-1]["headers"]["content-length"])')
plain="grant_type=client_credentials&client_id=bench-client&client_secret=$secret&scope=orders.read+orders.write&pad="
python3 -c 'import sys; sys.stdout.write(sys.argv[2] + "x" * max(0, int(sys.argv[1]) - len(sys.argv[2])))' "$jwt_len" "$plain" > "$work/jwt-sized.form"
# DPoP: the secret mint with a fresh ES256 proof in a DPoP header; curl sends the same form
# with a header of the proof's length that the emulator ignores.
"$GTX" env add bench-dpop --api-base "$base" --token-url /oauth2/token --scopes "orders.read orders.write" --dpop true 2>/dev/null
echo "$secret" | "$GTX" login --env bench-dpop --client-credentials --client-id bench-client --client-secret-stdin --store file 2>/dev/null
"$GTX" token generate --env bench-dpop --store file >/dev/null
proof_len=$(curl -s "$base/_emulator/requests" | python3 -c '
import json, sys
reqs = [r for r in json.load(sys.stdin)["requests"] if r["path"] == "/oauth2/token"]
print(len(reqs[-1]["headers"]["dpop"]))')
pad_header="X-Pad: $(python3 -c 'import sys; print("x" * int(sys.argv[1]))' "$proof_len")"
hyperfine -N --warmup 10 --runs "$RUNS" --export-json "$work/jwt.json" \
  -n "curl POST /oauth2/token (same size)" "curl -s -o /dev/null -X POST --data-binary @$work/jwt-sized.form -H 'Content-Type: application/x-www-form-urlencoded' $base/oauth2/token" \
  -n "gtx token generate (secret, file)" "$GTX token generate --env bench --store file" \
  -n "gtx token generate (private_key_jwt ES256, file)" "$GTX token generate --env bench-jwt --credential ec --store file" \
  -n "gtx token generate (private_key_jwt RS256, file)" "$GTX token generate --env bench-jwt --credential rsa --store file" \
  -n "curl POST /oauth2/token (same size as DPoP)" "curl -s -o /dev/null -X POST -H '$pad_header' -d grant_type=client_credentials -d client_id=bench-client -d client_secret=$secret -d scope=orders.read+orders.write $base/oauth2/token" \
  -n "gtx token generate (DPoP ES256, file)" "$GTX token generate --env bench-dpop --store file" >&2
unset GTX_CLIENT_ID GTX_CLIENT_SECRET
# The API's operations on a large description: GitHub's, fetched here, never committed.
(cd "$work" && npm install --no-save --no-audit --no-fund --silent @octokit/openapi >&2)
doc="$work/node_modules/@octokit/openapi/generated/api.github.com.json"
"$GTX" env add gh --api-base https://api.github.com --openapi-url "$doc" 2>/dev/null
"$GTX" api sync --env gh >&2
SYNC_RUNS="${SYNC_RUNS:-20}"
hyperfine -N --warmup 2 --runs "$SYNC_RUNS" --export-json "$work/sync.json" \
  -n "jq -c . > /dev/null" "jq -c . $doc" \
  -n "gtx api sync (13 MB)" "$GTX api sync --env gh" >&2
sync_kb=$(peak_kb "$GTX" api sync --env gh)
hyperfine -N --warmup 20 --runs "$RUNS" --export-json "$work/api.json" \
  -n "gtx token get (file)" "$GTX token get --store file" \
  -n "gtx api list" "$GTX api list --env gh" \
  -n "gtx api show repos/get" "$GTX api show repos/get --env gh" \
  -n "complete gtx request <TAB>" "env COMPLETE=fish GTX_ENV=gh $GTX -- gtx request ''" >&2
python3 - "$work/get.json" "$work/gen.json" "$work/req.json" "$curl_kb" "$gtx_kb" "$work/jwt.json" "$work/sync.json" "$work/api.json" "$sync_kb" <<'PY'
import json, sys
def rows(path):
    return [(r["command"], sorted(r["times"])[len(r["times"]) // 2] * 1000) for r in json.load(open(path))["results"]]
get, gen, req = rows(sys.argv[1]), rows(sys.argv[2]), rows(sys.argv[3])
sync, api = rows(sys.argv[7]), rows(sys.argv[8])
d = dict(get)
print("| command | median (ms) | vs cat | vs gh auth token |")
print("| --- | ---: | ---: | ---: |")
for name, ms in get:
    print(f"| `{name}` | {ms:.2f} | {ms / d['cat token file']:.2f}x | {ms / d['gh auth token']:.3f}x |")
c = dict(gen)["curl POST /oauth2/token"]
print()
print("| command | median (ms) | vs curl |")
print("| --- | ---: | ---: |")
for name, ms in gen:
    print(f"| `{name}` | {ms:.2f} | {ms / c:.2f}x |")
c = dict(req)["curl GET /api/v1/orders"]
print()
print("| command | median (ms) | vs curl |")
print("| --- | ---: | ---: |")
for name, ms in req:
    print(f"| `{name}` | {ms:.2f} | {ms / c:.2f}x |")
curl_kb, gtx_kb = int(sys.argv[4]), int(sys.argv[5])
print()
print("| 50 MB body piped to /dev/null | peak RSS (MB) |")
print("| --- | ---: |")
print(f"| `curl` | {curl_kb / 1024:.1f} |")
print(f"| `gtx request` | {gtx_kb / 1024:.1f} |")
jwt = rows(sys.argv[6])
d = dict(jwt)
print()
print("| command | median (ms) | vs curl of the same size |")
print("| --- | ---: | ---: |")
for name, ms in jwt:
    c = d["curl POST /oauth2/token (same size as DPoP)"] if "DPoP" in name else d["curl POST /oauth2/token (same size)"]
    print(f"| `{name}` | {ms:.2f} | {ms / c:.2f}x |")
j = dict(sync)["jq -c . > /dev/null"]
print()
print("| GitHub's description (13 MB, 1,223 operations) | median (ms) | vs jq -c . | peak RSS (MB) |")
print("| --- | ---: | ---: | ---: |")
for name, ms in sync:
    rss = f"{int(sys.argv[9]) / 1024:.1f}" if name.startswith("gtx") else ""
    print(f"| `{name}` | {ms:.2f} | {ms / j:.2f}x | {rss} |")
t = dict(api)["gtx token get (file)"]
print()
print("| reading the index | median (ms) | vs cached token get |")
print("| --- | ---: | ---: |")
for name, ms in api:
    print(f"| `{name}` | {ms:.2f} | {ms / t:.2f}x |")
PY
# What one signature costs (CPU time of one thread, so a busy machine inflates it little).
echo
cargo run --release --locked -q --example sign_cost -- 400
