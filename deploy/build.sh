#!/usr/bin/env bash
# Installs dependencies, configures (once) and builds Haven into build/.
# The build directory survives between runs; ccache keeps rebuilds cheap.
# Usage: deploy/build.sh [ninja targets...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/deploy/install-deps.sh"
build="${HAVEN_BUILD_DIR:-$root/build}"
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build" -j "${HAVEN_JOBS:-2}" ${1:+--target "$@"}
