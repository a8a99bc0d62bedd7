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
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
data_dir="$1"
shift
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${HAVEN_BUILD_DIR:-$root/build}"
"$root/deploy/build.sh" havend havenctl haven_seed >&2

mkdir -p "$data_dir"
log="$(mktemp "${TMPDIR:-/tmp}/havend-seed.XXXXXX.log")"
"$build/services/server/havend" --data-dir="$data_dir" --listen=127.0.0.1:0 2>"$log" &
havend_pid=$!
stop_havend() {
  if kill -0 "$havend_pid" 2>/dev/null; then
    kill -TERM "$havend_pid"
    wait "$havend_pid" || echo "seed_data_dir: havend exited with status $?" >&2
  fi
}
trap stop_havend EXIT
trap 'exit 130' INT TERM

# The port havend picked, from its "server listening ... port=N" line.
port=""
for _ in $(seq 1 300); do
  if ! kill -0 "$havend_pid" 2>/dev/null; then
    echo "seed_data_dir: havend did not start:" >&2
    cat "$log" >&2
    exit 1
  fi
  port="$(sed -n 's/.*server listening .* port=\([0-9]*\).*/\1/p' "$log" | head -n1)"
  [[ -n "$port" ]] && break
  sleep 0.1
done
if [[ -z "$port" ]]; then
  echo "seed_data_dir: havend did not report its port; log: $log" >&2
  exit 1
fi
server="127.0.0.1:$port"
for _ in $(seq 1 100); do
  "$build/clients/havenctl/havenctl" --server="$server" --timeout=2 health >/dev/null 2>&1 && break
  sleep 0.2
done
"$build/clients/havenctl/havenctl" --server="$server" health >/dev/null
echo "seed_data_dir: havend serving $data_dir on $server (log $log)" >&2

status=0
"$build/clients/seed/haven_seed" --server="$server" "$@" || status=$?
stop_havend
trap - EXIT
rm -f "$log"
exit "$status"
