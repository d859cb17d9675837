#!/usr/bin/env bash
# End-to-end tests against a real `anvil serve` with real third-party clients.
# Run by .ci/run after `swift build`; usable locally: `.ci/e2e.sh` (needs python3 with venv).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly repo_root=$PWD
readonly venv=${ANVIL_E2E_VENV:-/tmp/anvil-e2e-venv}
# Radicale and the caldav client live in a venv of their own: caldav pulls in urllib3-future, which breaks the
# requests/schemathesis stack of the e2e venv.
readonly radicale_venv=${ANVIL_RADICALE_VENV:-/tmp/anvil-radicale-venv}

# The clients are installed first, while the network is there; then everything else runs in a network namespace
# of its own with only loopback, so nothing the tests provoke (a fuzzer's URL handed to web_browse, say) can
# reach beyond this machine.
if [[ -z ${ANVIL_E2E_ISOLATED:-} ]]; then
    echo "== python venv: $venv"
    if [[ ! -x $venv/bin/python ]]; then
        python3 -m venv "$venv"
    fi
    "$venv/bin/pip" install -q -r Tests/e2e/requirements.txt
    echo "== radicale venv: $radicale_venv"
    if [[ ! -x $radicale_venv/bin/python ]]; then
        python3 -m venv "$radicale_venv"
    fi
    "$radicale_venv/bin/pip" install -q radicale==3.9.0 caldav==3.6.0
    binary=$(swift build --show-bin-path)/anvil
    [[ -x $binary ]] || swift build --product anvil
    if unshare --net true 2>/dev/null; then
        exec unshare --net env ANVIL_E2E_ISOLATED=1 ANVIL_E2E_BINARY="$binary" "$0" "$@"
    fi
    echo "warning: cannot create a network namespace (needs root); running without network isolation" >&2
else
    ip link set lo up
fi

readonly port=${ANVIL_E2E_PORT:-18080}
work=$(mktemp -d /tmp/anvil-e2e.XXXXXX)
server_pid=""

stop_server() {
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid"
        wait "$server_pid" || true
    fi
    server_pid=""
}
cleanup() {
    local rc=$?
    stop_server
    if ((rc != 0)) && [[ -f $work/server.log ]]; then
        echo "---- server log (last 50 lines) ----" >&2
        tail -n 50 "$work/server.log" >&2
    fi
    rm -rf -- "$work"
    exit "$rc"
}
trap cleanup EXIT

binary=${ANVIL_E2E_BINARY:-$(swift build --show-bin-path)/anvil}

start_server() {
    ANVIL_DATA_DIR="$work/data" ANVIL_PORT=$port ANVIL_LOG_LEVEL=warning ANVIL_BCRYPT_COST=4 \
        ANVIL_MANIFESTS_DIR="${manifests_dir:-$repo_root/manifests}" \
        "$binary" serve >>"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do
        if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then return 0; fi
        kill -0 "$server_pid" 2>/dev/null || { echo "server exited during startup" >&2; return 1; }
        sleep 0.1
    done
    echo "server did not become healthy" >&2
    return 1
}

export ANVIL_E2E_BASE_URL="http://127.0.0.1:$port"
export ANVIL_E2E_STATE="$work/state.json"

echo "== quick start: register, chats, restart, data intact"
start_server
"$venv/bin/python" Tests/e2e/quickstart.py before-restart
stop_server
start_server
"$venv/bin/python" Tests/e2e/quickstart.py after-restart

api_key=$("$venv/bin/python" Tests/e2e/quickstart.py api-key)

echo "== command line: user create, tools list, tools call"
echo 'cli-created-password' | ANVIL_DATA_DIR="$work/data" "$binary" user create --email cli@example.com
curl -fsS "http://127.0.0.1:$port/api/v1/auth/login" -H 'content-type: application/json' \
    -d '{"email":"cli@example.com","password":"cli-created-password"}' >/dev/null
"$binary" tools list --json | "$venv/bin/python" -c '
import json, sys
names = [tool["name"] for tool in json.load(sys.stdin)]
assert {"current_time", "web_browse", "web_fetch_text"} <= set(names), names'
"$binary" tools call current_time --args '{"timezone":"Asia/Tokyo"}' | grep -q '+09:00'
if "$binary" tools call current_time --args '{"timezone":5}' 2>/dev/null; then
    echo "tools call accepted arguments that do not match the schema" >&2
    exit 1
fi
printf 'Dinner for {{guests: integer(1..20) = 2}} on {{date: date}} at {{time: time}}.' >"$work/dinner.prompt"
"$binary" prompt compile "$work/dinner.prompt" | grep -q '"format" : "date"'
"$binary" prompt extract "$work/dinner.prompt" --text 'four of us tomorrow at 7pm' --timezone Europe/Paris \
    --now 2026-01-31T10:00:00Z | grep -q '"time" : "19:00:00+01:00"'
printf 'Hi {{name: nope}}' >"$work/broken.prompt"
if "$binary" prompt compile "$work/broken.prompt" 2>"$work/prompt-errors.txt"; then
    echo "prompt compile accepted a template with an unknown type" >&2
    exit 1
fi
grep -q 'broken.prompt:1:12: error: unknown type' "$work/prompt-errors.txt"
echo "command line ok"

echo "== official OpenAI Python SDK against /v1"
OPENAI_BASE_URL="http://127.0.0.1:$port/v1" OPENAI_API_KEY="$api_key" "$venv/bin/python" Tests/e2e/openai_sdk.py

echo "== schemathesis against /openapi.json"
# Operations that would end the test user's session or delete the key in use are left out. Schemathesis keeps only
# the last of repeated --exclude-path-regex options, hence one alternation each.
session_enders='/auth/(change-password|delete-account|logout)$|/auth/api-keys/\{id\}$'
# CalDAV sync makes outbound requests to the configured server, so it is never fuzzed.
session_enders="$session_enders|/calendar/caldav/sync$"
st_common=(--checks all -H "Authorization: Bearer $api_key" --max-examples 20 --seed 1 --workers 1)
"$venv/bin/st" run "http://127.0.0.1:$port/openapi.json" "${st_common[@]}" \
    --exclude-path-regex "$session_enders" \
    --exclude-checks positive_data_acceptance
# Schema-valid input must be accepted, except where a rule no schema can state applies: a model name must be one
# that is configured, an API key's expiry must lie in the future, a chat's budget may be spent, a tool's
# arguments must match that tool's own schema, and a prompt template must compile (its grammar is no JSON Schema
# pattern), extraction needs exactly one of `template` and `schema`, optimizing needs a language model (this
# server has only the offline one, which answers 422), and a template's values must fill it. Calendar events must
# end after they start, list ranges must run forwards and span at most 366 days, recurrence rules and iCalendar
# texts must parse, and a CalDAV URL must resolve to an address the server may reach. An uploaded document must be
# of a type the server can read, which a multipart part's content type cannot state.
prompt_rules='/prompts/(compile|compile/form|extract|render|optimize)$|/prompts/templates(/\{id\}(/chats)?)?$'
calendar_rules='/calendar/events$|/calendar/events/\{id\}$|/calendar/import$|/calendar/caldav$'
"$venv/bin/st" run "http://127.0.0.1:$port/openapi.json" "${st_common[@]}" \
    --exclude-path-regex "$session_enders|$calendar_rules|/auth/api-keys$|/chat/completions$|/chats/\{id\}/messages$|/v1/embeddings$|/tools/\\{name\\}/invoke$|/documents$|$prompt_rules"

echo "== declared tools: an HTTP tool and a Python MCP server"
stop_server
manifests_dir="$work/manifests"
cp -r "$repo_root/manifests" "$manifests_dir"
fixture_port=$((port + 1))
mkdir -p "$work/fixture"
echo '{"greeting": "hello from the fixture"}' >"$work/fixture/greeting.json"
"$venv/bin/python" -m http.server "$fixture_port" --bind 127.0.0.1 --directory "$work/fixture" >/dev/null 2>&1 &
fixture_pid=$!
cat >"$manifests_dir/tools/greeting.yaml" <<YAML
type: http
name: fixture_greeting
description: Read the greeting of the local fixture service.
url: http://127.0.0.1:$fixture_port/greeting.json
allow: ["127.0.0.1"]
YAML
cat >"$manifests_dir/tools/calc.yaml" <<YAML
type: mcp
name: calc
command: $venv/bin/python
args: ["$repo_root/Tests/ManifestToolsTests/Fixtures/mcp_server.py"]
tool_prefix: calc_
YAML
start_server
"$venv/bin/python" Tests/e2e/declared_tools.py
stop_server
kill "$fixture_pid" 2>/dev/null || true
wait "$fixture_pid" 2>/dev/null || true

echo "== CalDAV sync against Radicale"
radicale_port=$((port + 10))
radicale_dir="$work/radicale"
mkdir -p "$radicale_dir/collections"
echo "e2e-dav:e2e-dav-password" >"$radicale_dir/users"
"$radicale_venv/bin/python" -m radicale --server-hosts "127.0.0.1:$radicale_port" \
    --auth-type htpasswd --auth-htpasswd-filename "$radicale_dir/users" --auth-htpasswd-encryption plain \
    --rights-type owner_only --storage-filesystem-folder "$radicale_dir/collections" \
    >"$radicale_dir/radicale.log" 2>&1 &
radicale_pid=$!
for _ in $(seq 1 100); do
    if curl -sS -o /dev/null "http://127.0.0.1:$radicale_port/" 2>/dev/null; then break; fi
    kill -0 "$radicale_pid" 2>/dev/null || { cat "$radicale_dir/radicale.log" >&2; exit 1; }
    sleep 0.1
done
# The CalDAV server is on loopback, which the calendar refuses unless told otherwise.
manifests_dir="$repo_root/manifests" ANVIL_CALDAV_ALLOW_PRIVATE=1 start_server
caldav_rc=0
ANVIL_E2E_RADICALE_URL="http://127.0.0.1:$radicale_port/" ANVIL_E2E_RADICALE_USER=e2e-dav \
    ANVIL_E2E_RADICALE_PASSWORD=e2e-dav-password "$radicale_venv/bin/python" Tests/e2e/caldav_sync.py || caldav_rc=$?
stop_server
kill "$radicale_pid" 2>/dev/null || true
wait "$radicale_pid" 2>/dev/null || true
if ((caldav_rc != 0)); then
    echo "---- radicale log (last 30 lines) ----" >&2
    tail -n 30 "$radicale_dir/radicale.log" >&2
    exit "$caldav_rc"
fi

echo "e2e passed"
