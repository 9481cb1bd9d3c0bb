#!/usr/bin/env bash
# The Web Push bench: pushes encrypted and signed per second per core, and pushes sent per
# second to the tests' own push service on loopback (tests/push_service, Node.js), with
# puente-push-bench (tests/bench/push/push_bench.cpp). Prints one table and rewrites the part of
# docs/benchmarks.md between <!-- push:begin --> and <!-- push:end -->.
#
#   tests/bench/push.sh [--build DIR] [--messages N] [--sends N] [--concurrency N] [--no-docs]
#
# --build: default build/release (cmake --build build/release --target puente-push-bench).
# Needs node and `npm ci` in tests/push_service (deploy/install-deps.sh --browser, tests/run.sh).
# Fails only if a push is refused or lost, never on speed (ctest PushBenchSmoke runs it small).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build/release"
docs=1
bench_args=()
args=("$@")
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build=$2; shift ;;
    --messages|--sends|--concurrency|--payload-bytes) bench_args+=("$1" "$2"); shift ;;
    --no-docs) docs=0 ;;
    *) echo "push.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

bench="$build/tests/puente-push-bench"
[[ -x $bench ]] || { echo "push.sh: missing $bench (build first: cmake --build $build --target puente-push-bench)" >&2; exit 2; }
[[ -d $root/tests/push_service/node_modules/http_ece ]] ||
  npm ci --prefix "$root/tests/push_service" --no-audit --no-fund --loglevel=error >/dev/null

tmp=$(mktemp -d /tmp/puente-push-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
"$bench" "${bench_args[@]}" | tee "$tmp/table.md"

if [[ $docs -eq 1 ]]; then
  out="$root/docs/benchmarks.md"
  grep -q '<!-- push:begin -->' "$out" || printf '\n# Web Push bench\n\n<!-- push:begin -->\n<!-- push:end -->\n' >>"$out"
  cpu=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  mem=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
  {
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $cpu, $(nproc) cores, $mem, OpenSSL"
    echo "$(openssl version | cut -d' ' -f2); the push service on the same machine (load average at the end:"
    echo "$(cut -d' ' -f1-3 /proc/loadavg)). Command: \`tests/bench/push.sh ${args[*]}\`"
    echo
    cat "$tmp/table.md"
  } >"$tmp/generated.md"
  awk -v generated="$tmp/generated.md" '
    /<!-- push:end -->/ { while ((getline line < generated) > 0) print line; skip = 0 }
    !skip { print }
    /<!-- push:begin -->/ { skip = 1 }' "$out" >"$tmp/benchmarks.md"
  mv "$tmp/benchmarks.md" "$out"
  echo "push.sh: wrote $out" >&2
fi
