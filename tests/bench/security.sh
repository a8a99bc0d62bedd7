#!/usr/bin/env bash
# The cost of security: case appends and case queries through havend with
# mutual TLS, authorisation and the read audit on, against the same calls
# over plaintext, in the same run, side by side.
#
# Builds havend and haven_security_bench; makes development certificates in
# a temporary TLS directory (deploy/make-dev-certs.sh); starts havend with
# TLS (--bootstrap-admin=dev-admin) on a fresh temporary data directory and
# a free loopback port, runs haven_security_bench --mode=secure (dev-admin
# creates two units and registers dev-operator and the system user
# bench-system; dev-operator opens the cases over her own certificate; then
# at each concurrency: GetCase with a declared purpose, an audited read;
# EventStore.ReadStream of the same case streams as bench-system, the same
# events raw and not audited; AddNote), stops havend with SIGTERM; then the
# same with
# --insecure-plaintext on another fresh data directory and
# --mode=plaintext (the same calls, the users named in haven-actor
# metadata).  SECURITY_BENCH_ROUNDS rounds of both, each on fresh data
# directories.  Prints a table (with the server's and the load generator's
# CPU time per rpc, which the machine's other load disturbs less than
# throughput); the last line is
#   secure_vs_plaintext_ratio=<secure / plaintext GetCase ops/s at N=64>
# (N is SECURITY_BENCH_RATIO_N).  Goal: at least 0.7.
#
# Environment:
#   HAVEN_BUILD_DIR              build directory (default <repo>/build)
#   SECURITY_BENCH_SECONDS       measured seconds per operation and N (default 10)
#   SECURITY_BENCH_WARMUP        warm-up seconds before each (default 2)
#   SECURITY_BENCH_CONCURRENCY   rpcs in flight, comma-separated (default 16,64)
#   SECURITY_BENCH_CHANNELS      client connections at most (default 8)
#   SECURITY_BENCH_CASES         cases opened before measuring (default 2000)
#   SECURITY_BENCH_RATIO_N       the N of the ratio line (default 64)
#   SECURITY_BENCH_ROUNDS        rounds of both modes (default 2; each figure is
#                                the best round's, the order alternates)
#   BENCH_TMPDIR                 parent of the temporary directory (default the build dir)
#   BENCH_SKIP_BUILD=1           use the binaries already built
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${HAVEN_BUILD_DIR:-$root/build}"
export HAVEN_BUILD_DIR="$build"
secs="${SECURITY_BENCH_SECONDS:-10}"
warmup="${SECURITY_BENCH_WARMUP:-2}"
concurrency="${SECURITY_BENCH_CONCURRENCY:-16,64}"
channels="${SECURITY_BENCH_CHANNELS:-8}"
cases="${SECURITY_BENCH_CASES:-2000}"
ratio_n="${SECURITY_BENCH_RATIO_N:-64}"
rounds="${SECURITY_BENCH_ROUNDS:-2}"
ops=(get_case read_stream add_note)

log() { echo "security.sh: $*" >&2; }
die() { log "$*"; exit 1; }

[[ ",$concurrency," == *",$ratio_n,"* ]] || die "SECURITY_BENCH_CONCURRENCY ($concurrency) lacks the ratio's N=$ratio_n"
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  "$root/deploy/build.sh" havend haven_security_bench >&2
fi
havend="$build/services/server/havend"
client="$build/tests/bench/haven_security_bench"
for b in "$havend" "$client"; do [[ -x "$b" ]] || die "missing $b"; done

tmp_parent="${BENCH_TMPDIR:-$build}"
mkdir -p "$tmp_parent"
work="$(mktemp -d "$tmp_parent/security-bench.XXXXXX")"
tls_dir="$work/tls"
havend_log=""
havend_pid=""

# shellcheck source=tests/bench/havend_lib.sh
source "$root/tests/bench/havend_lib.sh"
cleanup() {
  stop_havend || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$root/deploy/make-dev-certs.sh" "$tls_dir" bench-system >&2 || die "deploy/make-dev-certs.sh failed"

# start_havend MODE ROUND: havend on a fresh data directory and a port it
# picks itself; sets $server from its "server listening ... port=N" line.
start_havend() {
  local mode="$1" round="$2" data_dir="$work/data-$1"
  local flags=(--listen=127.0.0.1:0 --data-dir="$data_dir")
  if [[ "$mode" == secure ]]; then
    flags+=(--tls-dir="$tls_dir" --bootstrap-admin=dev-admin)
  else
    flags+=(--insecure-plaintext)
  fi
  mkdir -p "$data_dir"
  havend_log="$work/havend-$mode-$round.log"
  : >"$havend_log"
  "$havend" "${flags[@]}" 2>>"$havend_log" &
  havend_pid=$!
  local port=""
  for _ in $(seq 1 600); do
    if ! kill -0 "$havend_pid" 2>/dev/null; then
      wait "$havend_pid" 2>/dev/null || true
      havend_pid=""
      die "havend ($mode) exited during start-up; log tail: $(tail -n 20 "$havend_log")"
    fi
    port="$(sed -n 's/.*server listening .* port=\([0-9]*\).*/\1/p' "$havend_log" | head -n1)"
    [[ -n "$port" ]] && break
    sleep 0.1
  done
  [[ -n "$port" ]] || die "havend ($mode) did not report its port within 60 s; log tail: $(tail -n 20 "$havend_log")"
  server="127.0.0.1:$port"
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'; }
log "commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, $cases cases, N=$concurrency over at most $channels connections, ${secs}s + ${warmup}s warm-up per operation and N, $rounds rounds"
log "load average before: $(loadavg) (the figures are only comparable on an otherwise idle machine)"

declare -A rate p50 p99 scpu ccpu
failed=()
# run_mode MODE ROUND: one server, one client run; keeps each operation's
# best round (the one least disturbed by anything else on the machine).
run_mode() {
  local mode="$1" round="$2" rc=0 stop_rc=0 line key
  sync  # no dirty pages left over to slow the synced writes of this run
  start_havend "$mode" "$round"
  log "round $round: havend ($mode) pid $havend_pid serving on $server"
  local out_file="$work/bench-$mode-$round.out"
  "$client" --server="$server" --mode="$mode" --tls-dir="$tls_dir" --cases="$cases" \
    --concurrency="$concurrency" --channels="$channels" --duration="$secs" --warmup="$warmup" \
    --server-pid="$havend_pid" >"$out_file" || rc=$?
  grep -v '^RESULT ' "$out_file" >&2 || true
  ((rc == 0)) || failed+=("haven_security_bench --mode=$mode, round $round (exit $rc)")
  stop_havend || stop_rc=$?
  ((stop_rc == 0)) || failed+=("havend ($mode), round $round, exited with status $stop_rc after SIGTERM")
  if grep -qiE '\b(error|critical)\b' "$havend_log"; then
    log "havend ($mode) logged errors:"
    grep -iE '\b(error|critical)\b' "$havend_log" | head -n 10 >&2
  fi
  rm -rf "$work/data-$mode"
  while read -r line; do
    field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
    key="$mode/$(field op)/$(field concurrency)"
    if [[ -z "${rate[$key]:-}" ]] || awk -v a="$(field ops_per_s)" -v b="${rate[$key]}" 'BEGIN { exit !(a > b) }'; then
      rate[$key]="$(field ops_per_s)"
      p50[$key]="$(field p50_ms)"
      p99[$key]="$(field p99_ms)"
      scpu[$key]="$(field server_cpu_us)"
      ccpu[$key]="$(field client_cpu_us)"
    fi
  done < <(grep '^RESULT ' "$out_file" || true)
}

# Rounds alternate the order, so that a drift in the machine's load does
# not always favour the same mode.
for round in $(seq 1 "$rounds"); do
  if ((round % 2 == 1)); then order=(secure plaintext); else order=(plaintext secure); fi
  for mode in "${order[@]}"; do run_mode "$mode" "$round"; done
done
log "load average after: $(loadavg)"

num() { if [[ -n "${1:-}" ]]; then printf '%.0f' "$1"; else printf 'n/a'; fi; }
lat() { if [[ -n "${p50[$1]:-}" ]]; then printf '%.2f/%.2f' "${p50[$1]}" "${p99[$1]}"; else printf 'n/a'; fi; }
ratio() {
  if [[ -n "${1:-}" && -n "${2:-}" ]]; then
    awk -v s="$1" -v p="$2" 'BEGIN { if (p > 0) printf "%.2f", s / p; else printf "n/a" }'
  else
    printf 'n/a'
  fi
}

cpu() { if [[ -n "${scpu[$1]:-}" ]]; then printf '%.0f/%.0f' "${scpu[$1]}" "${ccpu[$1]}"; else printf 'n/a'; fi; }
echo
echo "secure: mutual TLS, authorisation, read audit; plain: --insecure-plaintext (GetCase audited too)"
echo "read_stream: the events GetCase folds, read raw by a system user, not audited"
echo "best of $rounds rounds; cpu/op: microseconds of CPU per rpc, server/load generator"
printf '%-16s | %9s | %9s | %5s | %-15s | %-15s | %-11s | %-11s\n' \
  "operation" "secure/s" "plain/s" "ratio" "secure p50/p99" "plain p50/p99" "secure cpu" "plain cpu"
printf '%s\n' "-----------------+-----------+-----------+-------+-----------------+-----------------+-------------+------------"
for op in "${ops[@]}"; do
  for n in ${concurrency//,/ }; do
    s="secure/$op/$n" p="plaintext/$op/$n"
    printf '%-16s | %9s | %9s | %5s | %-15s | %-15s | %-11s | %-11s\n' "$op N=$n" \
      "$(num "${rate[$s]:-}")" "$(num "${rate[$p]:-}")" "$(ratio "${rate[$s]:-}" "${rate[$p]:-}")" \
      "$(lat "$s")" "$(lat "$p")" "$(cpu "$s")" "$(cpu "$p")"
  done
done
echo

if ((${#failed[@]})); then
  for f in "${failed[@]}"; do log "FAILED: $f"; done
  exit 1
fi
final="$(ratio "${rate[secure/get_case/$ratio_n]:-}" "${rate[plaintext/get_case/$ratio_n]:-}")"
[[ "$final" != n/a ]] || die "no get_case N=$ratio_n result in both modes"
echo "ratio: GetCase throughput at N=$ratio_n, secure / plaintext (goal >= 0.7)"
echo "secure_vs_plaintext_ratio=$final"
