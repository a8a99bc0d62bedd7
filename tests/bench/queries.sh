#!/usr/bin/env bash
# Query benchmark: latency of the case queries through havend's gRPC API on
# a generated data set (haven_seed, 100,000 cases by default), and the
# projections' full rebuild rate.
#
# Builds havend, haven_seed and haven_query_bench; makes a fresh temporary
# data directory under the build directory; fills it from the cache of
# seeded logs, build/bench-data/cases-<N>-seed-<S>-days-<D>-gen-<hash>
# (seeding that first with haven_seed --data-dir, which spreads the cases
# over D days of simulated past, if it is missing; <hash> is that of the
# seeder's sources, so a changed generator seeds a new cache and the stale
# ones of the same N and S are removed; <cache>.seeded-at holds the seeding's
# --now, in seconds since the epoch); starts havend on a free loopback
# port, waits until it serves and its projections have caught up with the
# log; runs haven_query_bench (GetCaseHistory, ListCases with filters,
# GetStatistics for a county and for the city as of a past day in the middle
# of the seeded period -- it prints how many cases that answer counted --,
# a county's statistics of the programmes over the last 12 months:
# GetLoanStatistics, GetChildrenStatistics, GetMicroHomeCompliance,
# GetProjectStatistics; then RebuildProjections); stops havend with SIGTERM
# and prints a table.  Before the last four lines it prints
#   loans_stats_p99_ms=<x> children_stats_p99_ms=<x>
#   microhome_compliance_p99_ms=<x> projects_stats_p99_ms=<x> (one a line)
#   services_stats_p99_ms=<x>   (the worst of those four; n/a if one is)
# The last four lines are
#   case_history_p99_ms=<x>
#   case_list_p99_ms=<x>
#   county_stats_p99_ms=<x>
#   rebuild_events_per_s=<x>
# (n/a where the server does not offer the query).
#
# The cache holds the event log only, not the read models, so it stays
# valid when the projections' row layout changes: each run's havend builds
# its read models from the log at start-up (the wait reported as
# "caught up").  The cache is copied while no havend runs on it.
#
# Environment:
#   HAVEN_BUILD_DIR        build directory (default <repo>/build)
#   QUERY_BENCH_CASES      cases to seed (default 100000)
#   QUERY_BENCH_SEED       haven_seed --seed (default 1)
#   QUERY_BENCH_HISTORY_DAYS  haven_seed --history-days (default 540)
#   QUERY_BENCH_SECONDS    measured seconds per query (default 10)
#   QUERY_BENCH_WARMUP     unmeasured calls before each query (default 50)
#   QUERY_BENCH_CACHE      cache directory (default <build>/bench-data)
#   QUERY_BENCH_REBUILD=0  skip the rebuild
#   BENCH_TMPDIR           parent of the temporary directory (default the build dir)
#   BENCH_SKIP_BUILD=1     use the binaries already built
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${HAVEN_BUILD_DIR:-$root/build}"
export HAVEN_BUILD_DIR="$build"
cases="${QUERY_BENCH_CASES:-100000}"
seed="${QUERY_BENCH_SEED:-1}"
history_days="${QUERY_BENCH_HISTORY_DAYS:-540}"
secs="${QUERY_BENCH_SECONDS:-10}"
warmup="${QUERY_BENCH_WARMUP:-50}"
cache_parent="${QUERY_BENCH_CACHE:-$build/bench-data}"
rebuild="${QUERY_BENCH_REBUILD:-1}"

log() { echo "queries.sh: $*" >&2; }
die() { log "$*"; exit 1; }

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  "$root/deploy/build.sh" havend haven_seed haven_query_bench >&2
fi
havend="$build/services/server/havend"
seeder="$build/clients/seed/haven_seed"
client="$build/tests/bench/haven_query_bench"
for b in "$havend" "$seeder" "$client"; do [[ -x "$b" ]] || die "missing $b"; done

tmp_parent="${BENCH_TMPDIR:-$build}"
mkdir -p "$tmp_parent" "$cache_parent"
work="$(mktemp -d "$tmp_parent/query-bench.XXXXXX")"
data_dir="$work/havend-data"
havend_log="$work/havend.log"
havend_pid=""
# The generator's version: a hash of its sources.
generator="$(find "$root/clients/seed" -type f \( -name '*.cc' -o -name '*.h' \) | LC_ALL=C sort |
  xargs cat | sha256sum | cut -c1-12)"
cache="$cache_parent/cases-$cases-seed-$seed-days-$history_days-gen-$generator"

# shellcheck source=tests/bench/havend_lib.sh
source "$root/tests/bench/havend_lib.sh"
cleanup() {
  stop_havend || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_havend DIR [FLAGS]: starts havend on DIR and a port it picks itself, sets
# $server from its "server listening ... port=N" line.
start_havend() {
  local dir="$1"
  shift
  : >"$havend_log"
  "$havend" --listen=127.0.0.1:0 --data-dir="$dir" --insecure-plaintext "$@" 2>>"$havend_log" &
  havend_pid=$!
  local port=""
  for _ in $(seq 1 600); do
    if ! kill -0 "$havend_pid" 2>/dev/null; then
      wait "$havend_pid" 2>/dev/null || true
      havend_pid=""
      die "havend exited during start-up; log tail: $(tail -n 20 "$havend_log")"
    fi
    port="$(sed -n 's/.*server listening .* port=\([0-9]*\).*/\1/p' "$havend_log" | head -n1)"
    [[ -n "$port" ]] && break
    sleep 0.1
  done
  [[ -n "$port" ]] || die "havend did not report its port within 60 s; log tail: $(tail -n 20 "$havend_log")"
  server="127.0.0.1:$port"
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'; }
log "commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, $cases cases (seed $seed), ${secs}s per query"
log "load average before: $(loadavg) (the figures are only comparable on an otherwise idle machine)"

# ---- The seeded log: from the cache, or seeded now into the cache.
if [[ ! -f "$cache/CURRENT" ]]; then
  for stale in "$cache_parent/cases-$cases-seed-$seed" "$cache_parent/cases-$cases-seed-$seed"-days-*; do
    [[ -e "$stale" && "$stale" != "$cache" && "$stale" != "$cache.seeded-at" ]] || continue
    log "removing $stale (another generator or history)"
    rm -rf "$stale"
  done
  log "no cached data set at $cache: seeding $cases cases over $history_days days (this takes a while)"
  partial="$cache.partial.$$"
  rm -rf "$partial"
  seed_start=$SECONDS
  seeded_at="$(date +%s)"
  "$seeder" --data-dir="$partial" --cases="$cases" --seed="$seed" \
    --history-days="$history_days" --progress=30 \
    --now="$(date -u -d "@$((seeded_at + 8 * 3600))" '+%Y-%m-%d %H:%M:%S')" >&2 ||
    die "haven_seed failed"
  seed_secs=$((SECONDS - seed_start))
  # Keep the log only (see above).
  rm -rf "$partial/read-models"
  echo "$seeded_at" >"$cache.seeded-at"
  mv "$partial" "$cache"
  log "seeded $cases cases in ${seed_secs}s into $cache"
fi
copy_start=$SECONDS
mkdir -p "$data_dir"
# Everything but the read models and RocksDB's lock and info logs.
(cd "$cache" && find . -mindepth 1 -maxdepth 1 ! -name read-models ! -name LOCK ! -name 'LOG*' \
   -exec cp -a {} "$data_dir/" \;)
log "copied $(du -sh "$data_dir" | cut -f1) of log from $cache in $((SECONDS - copy_start))s"

# ---- havend, the benchmark.
sync
start_havend "$data_dir"
log "havend pid $havend_pid serving $data_dir on $server"
# As of the middle of the seeded period (CST days).
seeded_at="$(cat "$cache.seeded-at" 2>/dev/null || date +%s)"
asof_days_ago=$((($(date +%s) + 8 * 3600) / 86400 - (seeded_at + 8 * 3600) / 86400 + history_days / 2))
bench_args=(--server="$server" --duration="$secs" --warmup="$warmup"
  --asof-days-ago="$asof_days_ago")
[[ "$rebuild" == 1 ]] || bench_args+=(--rebuild=false)
out_file="$work/bench.out"
bench_rc=0
"$client" "${bench_args[@]}" >"$out_file" || bench_rc=$?
grep -v '^RESULT ' "$out_file" >&2 || true

log "load average after: $(loadavg)"
stop_rc=0
stop_havend || stop_rc=$?
if ((stop_rc == 0)); then
  log "havend stopped cleanly on SIGTERM"
else
  log "havend exited with status $stop_rc after SIGTERM"
fi
if grep -qiE '\b(error|critical)\b' "$havend_log"; then
  log "havend logged errors:"
  grep -iE '\b(error|critical)\b' "$havend_log" | head -n 10 >&2
fi
((bench_rc == 0)) || log "haven_query_bench exited with status $bench_rc"

# field LINE NAME
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
result() { grep "^RESULT $1 " "$out_file" | tail -n 1 || true; }
fmt() { if [[ -n "${1:-}" ]]; then printf '%.2f' "$1"; else printf 'n/a'; fi; }

declare -A p99
echo
printf '%-20s | %7s | %9s | %9s | %9s | %-s\n' "query" "count" "p50 ms" "p99 ms" "max ms" "goal"
printf '%s\n' "---------------------+---------+-----------+-----------+-----------+------------"
programme_queries=(loans_stats children_stats microhome_compliance projects_stats)
for q in case_history case_list county_stats city_asof "${programme_queries[@]}"; do
  line="$(result "query=$q")"
  goal=""
  case "$q" in
    case_history) goal="p99 < 5 ms" ;;
    case_list) goal="p99 < 20 ms" ;;
    county_stats | loans_stats | children_stats | microhome_compliance | projects_stats)
      goal="p99 < 50 ms" ;;
  esac
  if [[ -n "$line" && "$(field "$line" available)" == 1 ]]; then
    p99[$q]="$(fmt "$(field "$line" p99_ms)")"
    printf '%-20s | %7s | %9s | %9s | %9s | %-s\n' "$q" "$(field "$line" count)" \
      "$(fmt "$(field "$line" p50_ms)")" "${p99[$q]}" "$(fmt "$(field "$line" max_ms)")" "$goal"
  else
    p99[$q]="n/a"
    printf '%-20s | %7s | %9s | %9s | %9s | %-s\n' "$q" "-" "n/a" "n/a" "n/a" "$goal"
  fi
done
rline="$(result rebuild)"
rate="n/a"
if [[ -n "$rline" && "$(field "$rline" available)" == 1 ]]; then
  rate="$(printf '%.0f' "$(field "$rline" events_per_s)")"
  printf '%-20s | %s events in %.1f s = %s events/s (goal >= 100000)\n' "rebuild" \
    "$(field "$rline" events)" "$(field "$rline" seconds)" "$rate"
else
  printf '%-20s | n/a\n' "rebuild"
fi
grep '^city_asof  *as of ' "$out_file" || true
grep -E '^(loans_stats|children_stats|microhome_compliance|projects_stats) +a county' "$out_file" || true
echo
services_worst=""
for q in "${programme_queries[@]}"; do
  echo "${q}_p99_ms=${p99[$q]}"
  if [[ "${p99[$q]}" == n/a ]]; then
    services_worst=n/a
  elif [[ "$services_worst" != n/a ]]; then
    services_worst="$(awk -v a="${services_worst:-0}" -v b="${p99[$q]}" 'BEGIN { printf "%.2f", (b > a ? b : a) }')"
  fi
done
echo "services_stats_p99_ms=${services_worst:-n/a}"
echo "case_history_p99_ms=${p99[case_history]}"
echo "case_list_p99_ms=${p99[case_list]}"
echo "county_stats_p99_ms=${p99[county_stats]}"
echo "rebuild_events_per_s=$rate"
((bench_rc == 0 && stop_rc == 0)) || exit 1
