#!/usr/bin/env bash
# One step from a fresh Debian 12 machine to every test run: installs what is
# missing, builds everything, runs the whole suite with ctest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/deploy/build.sh"
build="${HAVEN_BUILD_DIR:-$root/build}"
cd "$build"
ctest --output-on-failure -j "${HAVEN_TEST_JOBS:-2}" --timeout 900
