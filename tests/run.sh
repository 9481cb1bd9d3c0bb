#!/usr/bin/env bash
# Builds Puente once with AddressSanitizer and UndefinedBehaviorSanitizer and runs the whole
# test suite with ctest. Tests start (and stop) their own redis-server and puented processes
# on free loopback ports; the browser tests (ctest label "browser") drive Debian's Chromium
# with playwright-core and leave screenshots in build/debug/browser-artifacts/. Installs what
# is missing first, and the browser tests' npm dependency exactly as locked (npm ci).
#
#   tests/run.sh                 everything
#   tests/run.sh -L unit         only the unit tests (ctest label)
#   tests/run.sh -R Api          only tests matching a regex
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/install-deps.sh" --browser
npm ci --prefix "$root/tests/browser" --no-audit --no-fund --loglevel=error >/dev/null
# Here a browser test that cannot run fails instead of skipping.
export PUENTE_REQUIRE_BROWSER=1

jobs=$(nproc)
cmake --preset debug -S "$root" >/dev/null
cmake --build "$root/build/debug" -j "$jobs"

# Leaks are real failures; UBSan stops at the first finding (-fno-sanitize-recover).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
cd "$root/build/debug"
ctest --output-on-failure -j "$jobs" --timeout 300 "$@"
