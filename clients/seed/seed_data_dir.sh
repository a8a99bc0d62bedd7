#!/usr/bin/env bash
# Seeds a Haven data directory in one command: builds havend, havenctl and
# haven_seed if needed, starts havend on DATA_DIR (on a free loopback port),
# waits until it is healthy, runs haven_seed with the remaining arguments,
# and stops havend cleanly (SIGTERM), whatever happens.
#
# Usage: clients/seed/seed_data_dir.sh DATA_DIR [haven_seed flags]
#   e.g. clients/seed/seed_data_dir.sh ./data --cases=100000 --seed=1
# Afterwards serve the data as usual, e.g. deploy/serve.sh (which uses
# ./data) or havend --data-dir=DATA_DIR.
# Environment: HAVEN_BUILD_DIR (default build/), HAVEN_JOBS.
set -euo pipefail
if [[ $# -lt 1 || "$1" == -* ]]; then
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
data_dir="$1"
shift
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${HAVEN_BUILD_DIR:-$root/build}"
"$root/deploy/build.sh" havend havenctl haven_seed >&2

mkdir -p "$data_dir"
log="$(mktemp "${TMPDIR:-/tmp}/havend-seed.XXXXXX.log")"
havend_pid=""
stop_havend() {
  if [[ -n "$havend_pid" ]] && kill -0 "$havend_pid" 2>/dev/null; then
    kill -TERM "$havend_pid"
    wait "$havend_pid" || echo "seed_data_dir: havend exited with status $?" >&2
  fi
}
trap stop_havend EXIT
trap 'exit 130' INT TERM

# A random loopback port; another one if it is taken (havend exits 4).
server=""
for _ in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 40000))
  # Warnings only: a line per command would slow a bulk load and fill the log.
  "$build/services/server/havend" --data-dir="$data_dir" --listen="127.0.0.1:$port" \
    --log-level=warn 2>"$log" &
  havend_pid=$!
  for _ in $(seq 1 300); do
    if ! kill -0 "$havend_pid" 2>/dev/null; then break; fi
    if "$build/clients/havenctl/havenctl" --server="127.0.0.1:$port" --timeout=2 health \
        >/dev/null 2>&1; then
      server="127.0.0.1:$port"
      break
    fi
    sleep 0.2
  done
  [[ -n "$server" ]] && break
  if kill -0 "$havend_pid" 2>/dev/null; then
    echo "seed_data_dir: havend did not become healthy within a minute; log: $log" >&2
    exit 1
  fi
  status=0
  wait "$havend_pid" || status=$?
  havend_pid=""
  if [[ "$status" -ne 4 ]]; then
    echo "seed_data_dir: havend did not start (status $status):" >&2
    cat "$log" >&2
    exit 1
  fi
done
if [[ -z "$server" ]]; then
  echo "seed_data_dir: found no free port for havend; log: $log" >&2
  exit 1
fi
echo "seed_data_dir: havend serving $data_dir on $server (log $log)" >&2

# The seeder runs in the background so that an interrupt reaches it as
# SIGTERM: it finishes the cases under way, then havend stops cleanly.
"$build/clients/seed/haven_seed" --server="$server" "$@" &
seed_pid=$!
trap 'kill -TERM "$seed_pid" 2>/dev/null || true' INT TERM
status=0
wait "$seed_pid" || status=$?
if kill -0 "$seed_pid" 2>/dev/null; then  # wait returned for the signal
  status=0
  wait "$seed_pid" || status=$?
fi
stop_havend
trap - EXIT
rm -f "$log"
exit "$status"
