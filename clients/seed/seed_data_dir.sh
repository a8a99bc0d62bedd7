#!/usr/bin/env bash
# Seeds a Haven data directory in one command: builds haven_seed if needed
# and runs it on DATA_DIR in-process (haven_seed --data-dir), which moves
# the server's clock day by day through the simulated past (540 days up to
# now unless --history-days says otherwise), so that every fact is recorded
# on the day it happened.  Ctrl-C finishes the current clock tick and stops
# cleanly; the same command continues (pass the --now it printed).
#
# Usage: clients/seed/seed_data_dir.sh DATA_DIR [haven_seed flags]
#   e.g. clients/seed/seed_data_dir.sh ./data --cases=100000 --seed=1
# No havend may serve DATA_DIR meanwhile.  Afterwards serve the data as
# usual, e.g. deploy/serve.sh (which uses ./data) or havend --data-dir=DATA_DIR.
# Environment: HAVEN_BUILD_DIR (default build/), HAVEN_JOBS.
set -euo pipefail
if [[ $# -lt 1 || "$1" == -* ]]; then
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
data_dir="$1"
shift
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${HAVEN_BUILD_DIR:-$root/build}"
"$root/deploy/build.sh" haven_seed >&2
exec "$build/clients/seed/haven_seed" --data-dir="$data_dir" "$@"
