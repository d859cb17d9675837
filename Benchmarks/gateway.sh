#!/usr/bin/env bash
# Gateway overhead of /v1/chat/completions: what Anvil adds over calling the upstream directly, measured in one
# run against a fast fake upstream on loopback. Prints a Markdown table for BENCHMARKS.md.
#
#   Benchmarks/gateway.sh            # release build, 15 s per load phase
#   DURATION=30 Benchmarks/gateway.sh
#
# Needs wrk (apt-get install wrk). Traffic goes to 127.0.0.1 only, bounded in time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly duration=${DURATION:-15}
readonly upstream_port=${UPSTREAM_PORT:-19090}
readonly anvil_port=${ANVIL_PORT_BENCH:-19080}
command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }

work=$(mktemp -d /tmp/anvil-bench.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf -- "$work"
}
trap cleanup EXIT

echo "building release binaries..." >&2
swift build -c release --product anvil >&2
swift build -c release --product anvil-bench-upstream >&2
bin=$(swift build -c release --show-bin-path)

wait_for() {
    for _ in $(seq 1 200); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.05; done
    echo "not ready: $1" >&2; return 1
}
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }

"$bin/anvil-bench-upstream" "$upstream_port" &
pids+=($!)
wait_for "http://127.0.0.1:$upstream_port/v1/models"

start_ns=$(date +%s%N)
ANVIL_DATA_DIR="$work/data" ANVIL_PORT=$anvil_port ANVIL_LOG_LEVEL=error ANVIL_MANIFESTS_DIR="$work/manifests" \
    OPENAI_BASE_URL="http://127.0.0.1:$upstream_port/v1" OPENAI_API_KEY=sk-bench \
    "$bin/anvil" serve &
anvil_pid=$!
pids+=("$anvil_pid")
wait_for "http://127.0.0.1:$anvil_port/health"
startup_ms=$((($(date +%s%N) - start_ns) / 1000000))
sleep 1
idle_rss=$(rss_kib "$anvil_pid")

token=$(curl -fsS "http://127.0.0.1:$anvil_port/api/v1/auth/register" -H 'content-type: application/json' \
    -d '{"email":"bench@example.com","password":"benchmark-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
key=$(curl -fsS "http://127.0.0.1:$anvil_port/api/v1/auth/api-keys" -H "authorization: Bearer $token" \
    -H 'content-type: application/json' -d '{"name":"bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')

# One phase: prints "requests non2xx errors p50 p90 p99 rps".
phase() { # url model stream connections
    BENCH_API_KEY=$key BENCH_MODEL=$2 BENCH_STREAM=$3 \
        wrk -t"$(( $4 < 2 ? 1 : 2 ))" -c"$4" -d"${duration}s" --latency -s Benchmarks/chat-completion.lua "$1" \
        | awk '/^BENCH/ {for (i = 2; i <= NF; i++) { split($i, kv, "="); printf "%s ", kv[2] } print ""}'
}
direct="http://127.0.0.1:$upstream_port/v1/chat/completions"
through="http://127.0.0.1:$anvil_port/v1/chat/completions"

# Warm up both paths (connection pools, caches) before measuring.
phase "$through" openai:bench 0 8 >/dev/null

echo "measuring ($duration s per phase)..." >&2
read -r d1_req d1_non d1_err d1_p50 d1_p90 d1_p99 d1_rps < <(phase "$direct" bench 0 1)
read -r a1_req a1_non a1_err a1_p50 a1_p90 a1_p99 a1_rps < <(phase "$through" openai:bench 0 1)
read -r dn_req dn_non dn_err dn_p50 dn_p90 dn_p99 dn_rps < <(phase "$direct" bench 0 64)
read -r an_req an_non an_err an_p50 an_p90 an_p99 an_rps < <(phase "$through" openai:bench 0 64)
read -r as_req as_non as_err as_p50 as_p90 as_p99 as_rps < <(phase "$through" openai:bench 1 64)
loaded_hwm=$(hwm_kib "$anvil_pid")
loaded_rss=$(rss_kib "$anvil_pid")

us_to_ms() { awk -v v="$1" 'BEGIN { printf "%.3f", v / 1000 }'; }
cat <<TABLE
Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m); $(date -u +%Y-%m-%d)

| measurement | direct to upstream | through Anvil /v1 | added by Anvil |
|---|---|---|---|
| latency p50, 1 connection | $(us_to_ms "$d1_p50") ms | $(us_to_ms "$a1_p50") ms | $(us_to_ms $((a1_p50 - d1_p50))) ms |
| latency p99, 1 connection | $(us_to_ms "$d1_p99") ms | $(us_to_ms "$a1_p99") ms | $(us_to_ms $((a1_p99 - d1_p99))) ms |
| throughput, 1 connection | $d1_rps req/s | $a1_rps req/s | |
| throughput, 64 connections | $dn_rps req/s | $an_rps req/s | |
| latency p50 / p99, 64 connections | $(us_to_ms "$dn_p50") / $(us_to_ms "$dn_p99") ms | $(us_to_ms "$an_p50") / $(us_to_ms "$an_p99") ms | |
| streaming throughput, 64 connections | | $as_rps req/s (p99 $(us_to_ms "$as_p99") ms) | |
| non-2xx or socket errors | $((d1_non + d1_err + dn_non + dn_err)) | $((a1_non + a1_err + an_non + an_err + as_non + as_err)) | |

| process | value |
|---|---|
| Anvil startup to first /health | $startup_ms ms |
| Anvil resident memory, idle | $((idle_rss / 1024)) MiB |
| Anvil resident memory, after load (peak) | $((loaded_rss / 1024)) MiB ($((loaded_hwm / 1024)) MiB) |
TABLE
