#!/usr/bin/env bash
# Builds Puente once with AddressSanitizer and UndefinedBehaviorSanitizer and runs the whole
# test suite with ctest. Tests start (and stop) their own redis-server and puented processes
# on free loopback ports; the browser tests (ctest label "browser") drive Debian's Chromium
# with playwright-core and leave screenshots in build/debug/browser-artifacts/. Installs what
# is missing (what the tests alone need while the build runs), and the npm dependencies of the
# browser tests, the loopback push service (tests/push_service) and the OpenAPI check exactly
# as locked (npm ci).
#
#   tests/run.sh                 everything (the fuzzing runs beside the suite, below)
#   tests/run.sh -L unit         only the unit tests (ctest label)
#   tests/run.sh -R Api          only tests matching a regex
#   FUZZ=0 tests/run.sh          everything but the fuzzing; FUZZ=1 fuzzes beside a subset too
#
# Fuzzing (tests/fuzz): a clang build of its own, build/fuzz, holding only the fuzz targets and
# the libraries they link, with libFuzzer, ASan and UBSan; ctest runs each target for a fixed
# number of inputs from its committed seeds and regressions (Fuzz.*; the counts are in
# tests/fuzz/CMakeLists.txt). A fuzzing failure is reported after the rest has run.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$root/build"
# What compiling needs first; what only the tests need (servers, Chromium, Kannel, clang for
# the fuzzing...) and the tests' npm packages while the build runs: on a fresh machine their
# download and unpacking would otherwise come before a build that does not need them.
"$root/deploy/install-deps.sh" --build
test_deps_log="$root/build/test-deps.log"
(
  "$root/deploy/install-deps.sh" --browser
  npm ci --prefix "$root/tests/browser" --no-audit --no-fund --loglevel=error >/dev/null
  npm ci --prefix "$root/tests/push_service" --no-audit --no-fund --loglevel=error >/dev/null
  # The OpenAPI document's checker (tests/openapi: the OpenAPI 3.1 schema validator, Ajv).
  npm ci --prefix "$root/tests/openapi" --no-audit --no-fund --loglevel=error >/dev/null
) >"$test_deps_log" 2>&1 &
test_deps_pid=$!
# Here a browser test (or a push test or the OpenAPI check, which need Node.js too) that cannot
# run fails instead of skipping.
export PUENTE_REQUIRE_BROWSER=1

jobs=$(nproc)
# Leaks are real failures; UBSan stops at the first finding (-fno-sanitize-recover).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

fuzz=${FUZZ:-$([[ $# -eq 0 ]] && echo 1 || echo 0)}

build_status=0
{ cmake --preset debug -S "$root" >/dev/null && cmake --build "$root/build/debug" -j "$jobs"; } ||
  build_status=$?
# apt is never left half done, even when the build failed.
wait "$test_deps_pid" || {
  cat "$test_deps_log"
  echo "run.sh: installing what the tests need failed (above)" >&2
  exit 1
}
[[ $build_status == 0 ]] || exit "$build_status"

# The fuzzing (its clang build, then the runs) goes on beside the suite at the lowest CPU
# priority: the suite waits far more than it computes (about 1.5 of 2 cores busy), so the
# fuzzing fills what the tests leave idle instead of adding its minutes before them. Its
# output is printed once the suite is done.
fuzz_log="$root/build/fuzz.log"
if [[ $fuzz == 1 ]]; then
  nice -n 19 bash -c '
    set -e
    cmake -S "$1" -B "$1/build/fuzz" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++-14 \
      -DPUENTE_FUZZ=ON -DCMAKE_UNITY_BUILD=ON >/dev/null
    cmake --build "$1/build/fuzz" -j "$2"
    cd "$1/build/fuzz" && ctest --output-on-failure -j "$2" --timeout 600' fuzz "$root" "$jobs" \
    >"$fuzz_log" 2>&1 &
  fuzz_pid=$!
fi

cd "$root/build/debug"
status=0
# Twice as many tests as cores: most of an integration test is waiting (for a timer, a
# failover, a socket). At -j 4 on 2 cores the suite keeps about 1.5 of them busy (986 tests:
# 854 s wall, 818 s user + 434 s system); at -j 2 it kept about 1.2 busy (docs/benchmarks.md
# "The test suite"). The browser tests run one at a time (RESOURCE_LOCK, tests/CMakeLists.txt).
# ctest starts the longest tests first by what each took in the last run here; a fresh build
# (CI's) starts from tests/ctest_costs.txt, those times from a full run of this suite, so the
# long tests do not begin last. (After a full run, copy Testing/Temporary/CTestCostData.txt
# there to refresh it; a test missing from it only starts later.)
costs=Testing/Temporary/CTestCostData.txt
[[ -f $costs ]] || { mkdir -p "$(dirname "$costs")" && cp "$root/tests/ctest_costs.txt" "$costs"; }
ctest --output-on-failure -j "$((2 * jobs))" --timeout 300 "$@" || status=$?

if [[ $fuzz == 1 ]]; then
  fuzz_status=0
  wait "$fuzz_pid" || fuzz_status=$?
  echo "run.sh: the fuzzing (build/fuzz), run beside the suite:"
  cat "$fuzz_log"
  if [[ $fuzz_status != 0 ]]; then
    echo "run.sh: fuzzing failed (see the Fuzz.* output above; crashes in build/fuzz/artifacts/)" >&2
    [[ $status != 0 ]] || status=$fuzz_status
  fi
fi
exit "$status"
