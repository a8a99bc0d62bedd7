#!/usr/bin/env bash
# One step from a fresh Debian 12 machine to a running havend: installs what
# is missing, builds, and serves on 127.0.0.1:7070 with its embedded RocksDB
# log in ./data (override with flags, e.g. --listen=0.0.0.0:7070).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/deploy/build.sh" havend havenctl
build="${HAVEN_BUILD_DIR:-$root/build}"
exec "$build/services/server/havend" --data-dir="$root/data" "$@"
