#!/usr/bin/env bash
# Append benchmark: havend's EventStore.Append (gRPC, group commit, synced
# RocksDB writes) against the storage limit, raw synced RocksDB WriteBatches
# from as many threads, on the same filesystem.
#
# Builds havend and both benchmarks, starts havend on a fresh temporary data
# directory and a free loopback port, runs single-event appends with
# 1/16/64/256 in flight and 100-event appends with 4/16 in flight, stops
# havend with SIGTERM, runs the raw RocksDB benchmark with the same
# configurations, and prints a side-by-side table.  The last line is
#   append_ratio_vs_rocksdb_64=<haven events/s / rocksdb events/s at N=64, batch 1>
#
# Environment:
#   HAVEN_BUILD_DIR       build directory (default <repo>/build)
#   BENCH_SECONDS         measured seconds per configuration (default 10)
#   BENCH_WARMUP          warm-up seconds per configuration (default 2)
#   BENCH_INFLIGHT        in-flight counts for single-event appends (default "1 16 64 256")
#   BENCH_BATCH_INFLIGHT  in-flight counts for 100-event appends (default "4 16")
#   BENCH_TMPDIR          parent of the temporary directories (default the build dir)
#   BENCH_SKIP_BUILD=1    use the binaries already built
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${HAVEN_BUILD_DIR:-$root/build}"
export HAVEN_BUILD_DIR="$build"
secs="${BENCH_SECONDS:-10}"
warmup="${BENCH_WARMUP:-2}"
single_inflight="${BENCH_INFLIGHT:-1 16 64 256}"
batch_inflight="${BENCH_BATCH_INFLIGHT:-4 16}"
batch_size=100

log() { echo "append.sh: $*" >&2; }
die() { log "$*"; exit 1; }

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  "$root/deploy/build.sh" havend haven_append_bench haven_rocksdb_raw_bench >&2
fi
havend="$build/services/server/havend"
client="$build/tests/bench/haven_append_bench"
raw="$build/tests/bench/haven_rocksdb_raw_bench"
for b in "$havend" "$client" "$raw"; do [[ -x "$b" ]] || die "missing $b"; done

# One temporary parent for both the server's data and the raw DBs, so both
# write to the same filesystem.
tmp_parent="${BENCH_TMPDIR:-$build}"
mkdir -p "$tmp_parent"
work="$(mktemp -d "$tmp_parent/append-bench.XXXXXX")"
data_dir="$work/havend-data"
raw_parent="$work/rocksdb-raw"
mkdir -p "$data_dir" "$raw_parent"
havend_log="$work/havend.log"
havend_pid=""

# shellcheck source=tests/bench/havend_lib.sh
source "$root/tests/bench/havend_lib.sh"
cleanup() {
  stop_havend || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  if command -v python3 >/dev/null 2>&1 &&
     python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null; then
    return 0
  fi
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 40000))
    if [[ -z "$(ss -Htln "sport = :$p" 2>/dev/null)" ]]; then echo "$p"; return 0; fi
  done
  return 1
}

# Starts havend and waits until it reports SERVING (or accepts an append).
start_havend() {
  local attempt
  for attempt in 1 2 3; do
    port="$(free_port)" || die "no free port"
    server="127.0.0.1:$port"
    "$havend" --listen="$server" --data-dir="$data_dir" --insecure-plaintext 2>>"$havend_log" &
    havend_pid=$!
    local deadline=$((SECONDS + 60))
    while ((SECONDS < deadline)); do
      if ! kill -0 "$havend_pid" 2>/dev/null; then
        wait "$havend_pid" 2>/dev/null || true
        havend_pid=""
        log "havend exited during start-up (attempt $attempt); log tail:"
        tail -n 20 "$havend_log" >&2 || true
        continue 2
      fi
      if "$client" --server="$server" --wait-ready=1 --health-only 2>/dev/null; then
        return 0
      fi
    done
    die "havend not ready after 60 s; log tail: $(tail -n 20 "$havend_log")"
  done
  die "could not start havend"
}

declare -A eps p50 p99 p999 errs
failed=()

# run_one KIND INFLIGHT BATCH: runs one configuration, stores its results.
run_one() {
  local kind="$1" n="$2" b="$3" out rc=0
  local key="$kind/$n/$b"
  # Start every run with no dirty pages left over from the previous one: on
  # ext4 a synced write can otherwise wait for their writeback.
  sync
  if [[ "$kind" == haven ]]; then
    out="$("$client" --server="$server" --inflight="$n" --batch="$b" --duration="$secs" --warmup="$warmup" \
           --wait-ready=10)" || rc=$?
  else
    out="$("$raw" --threads="$n" --batch="$b" --duration="$secs" --warmup="$warmup" \
           --db-parent="$raw_parent")" || rc=$?
  fi
  local result
  result="$(grep '^RESULT ' <<<"$out" | tail -n 1 || true)"
  grep -v '^RESULT ' <<<"$out" >&2 || true
  if [[ -z "$result" ]]; then
    failed+=("$key (exit $rc, no result)")
    return 0
  fi
  field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result"; }
  eps[$key]="$(field events_per_s)"
  p50[$key]="$(field p50_ms)"
  p99[$key]="$(field p99_ms)"
  p999[$key]="$(field p999_ms)"
  errs[$key]="$(field errors)"
  ((rc == 0)) || failed+=("$key (exit $rc, errors ${errs[$key]})")
}

configs=()
for n in $single_inflight; do configs+=("$n:1"); done
for n in $batch_inflight; do configs+=("$n:$batch_size"); done

log "commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, ${secs}s + ${warmup}s warm-up per configuration"
log "temporary data on $(df -P "$work" | awk 'NR==2 {print $1 " mounted on " $6}') ($work)"

start_havend
log "havend pid $havend_pid listening on $server"
for c in "${configs[@]}"; do run_one haven "${c%%:*}" "${c##*:}"; done
stop_rc=0
stop_havend || stop_rc=$?
if ((stop_rc == 0)); then
  log "havend stopped cleanly on SIGTERM"
else
  log "havend exited with status $stop_rc after SIGTERM"
  failed+=("havend shutdown (exit $stop_rc)")
fi
if grep -qiE '\b(error|critical)\b' "$havend_log"; then
  log "havend logged errors:"
  grep -iE '\b(error|critical)\b' "$havend_log" | head -n 10 >&2
fi

for c in "${configs[@]}"; do run_one rocksdb "${c%%:*}" "${c##*:}"; done

lat() {  # lat KEY: "p50/p99/p99.9"
  if [[ -n "${eps[$1]:-}" ]]; then
    printf '%.2f/%.2f/%.2f' "${p50[$1]}" "${p99[$1]}" "${p999[$1]}"
  else
    printf 'n/a'
  fi
}
num() { if [[ -n "${1:-}" ]]; then printf '%.0f' "$1"; else printf 'n/a'; fi; }
ratio() {  # ratio HAVEN_EPS ROCKSDB_EPS
  if [[ -n "${1:-}" && -n "${2:-}" ]]; then
    awk -v h="$1" -v r="$2" 'BEGIN { if (r > 0) printf "%.2f", h / r; else printf "n/a" }'
  else
    printf 'n/a'
  fi
}

echo
printf '%-16s | %14s | %14s | %6s | %-24s | %-24s\n' \
  "config" "haven events/s" "rocksdb ev/s" "ratio" "haven p50/p99/p99.9 ms" "rocksdb p50/p99/p99.9 ms"
printf '%s\n' "-----------------+----------------+----------------+--------+--------------------------+--------------------------"
for c in "${configs[@]}"; do
  n="${c%%:*}" b="${c##*:}"
  h="haven/$n/$b" r="rocksdb/$n/$b"
  printf '%-16s | %14s | %14s | %6s | %-24s | %-24s\n' \
    "N=$n batch=$b" "$(num "${eps[$h]:-}")" "$(num "${eps[$r]:-}")" \
    "$(ratio "${eps[$h]:-}" "${eps[$r]:-}")" "$(lat "$h")" "$(lat "$r")"
done
echo

if ((${#failed[@]})); then
  for f in "${failed[@]}"; do log "FAILED: $f"; done
  exit 1
fi
ratio64="$(ratio "${eps[haven/64/1]:-}" "${eps[rocksdb/64/1]:-}")"
[[ "$ratio64" != n/a ]] || die "no N=64 single-event result (set BENCH_INFLIGHT to include 64)"
echo "append_ratio_vs_rocksdb_64=$ratio64"
