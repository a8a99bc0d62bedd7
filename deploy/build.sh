#!/usr/bin/env bash
# Installs dependencies, configures (once) and builds Haven into build/.
# The build directory survives between runs; ccache keeps rebuilds cheap.
# Usage: deploy/build.sh [ninja targets...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/deploy/install-deps.sh"
build="${HAVEN_BUILD_DIR:-$root/build}"
# Paths relative to the checkout, so another clone (CI's) reuses the cache.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build" -j "${HAVEN_JOBS:-2}" ${1:+--target "$@"}
