#!/usr/bin/env bash
# The Web Push bench, in rounds, each running two programs one after the other so both see the
# same machine: puente-push-bench (tests/bench/push/push_bench.cpp: the protocol layer alone,
# pushes encrypted and signed per core, and sent by PushSender to the tests' own push service on
# loopback, tests/push_service, Node.js), then puente-push-pipeline-bench
# (tests/bench/push/pipeline_bench.cpp: the whole pipeline, a real puented and redis-server,
# reports to N observers' phones, pushes per CPU-second of puented). Prints the tables and
# rewrites the part of docs/benchmarks.md between <!-- push:begin --> and <!-- push:end -->.
#
#   tests/bench/push.sh [--build DIR] [--rounds R] [--messages N] [--sends N] [--concurrency N]
#                       [--observers N] [--reports K] [--no-docs] [--smoke]
#
# --build: default build/release (cmake --build build/release --target puente-push-bench
# puente-push-pipeline-bench). --rounds: default 3. --observers, --reports: the pipeline's
# phones and reports (K * N pushes measured), default 500 and 10. --smoke: one small round, no
# docs (ctest PushPipelineBenchSmoke). Needs node and `npm ci` in tests/push_service
# (deploy/install-deps.sh --browser, tests/run.sh). Fails only if a push is refused, lost or sent
# twice, never on speed.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build/release"
docs=1 rounds=3
bench_args=() pipeline_args=()
args=("$@")
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --messages|--sends|--concurrency|--payload-bytes) bench_args+=("$1" "$2"); shift ;;
    --observers|--reports) pipeline_args+=("$1" "$2"); shift ;;
    --no-docs) docs=0 ;;
    --smoke)
      rounds=1 docs=0
      bench_args+=(--messages 200 --sends 100 --concurrency 8)
      pipeline_args+=(--observers 20 --reports 3) ;;
    *) echo "push.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

bench="$build/tests/puente-push-bench"
pipeline="$build/tests/puente-push-pipeline-bench"
for f in "$bench" "$pipeline"; do
  [[ -x $f ]] || { echo "push.sh: missing $f (build first: cmake --build $build --target $(basename "$f"))" >&2; exit 2; }
done
[[ -d $root/tests/push_service/node_modules/http_ece ]] ||
  npm ci --prefix "$root/tests/push_service" --no-audit --no-fund --loglevel=error >/dev/null

tmp=$(mktemp -d /tmp/puente-push-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
for round in $(seq "$rounds"); do
  echo "push.sh: round $round of $rounds" >&2
  "$bench" "${bench_args[@]}" >"$tmp/protocol-$round.md"
  header=()
  [[ $round -eq 1 ]] && header=(--header)
  "$pipeline" "${pipeline_args[@]}" "${header[@]}" >>"$tmp/pipeline.md"
  cat "$tmp/protocol-$round.md" >&2
  tail -n 1 "$tmp/pipeline.md" >&2
done

# The protocol layer's table as the first round measured it, its sending row from every round
# beside the pipeline's rows.
{
  echo "The protocol layer alone (\`puente-push-bench\`, round 1):"
  echo
  cat "$tmp/protocol-1.md"
  echo
  echo "Sent by the protocol layer alone, each round:"
  echo
  sed -n '1,2p' "$tmp/protocol-1.md"
  for round in $(seq "$rounds"); do grep '^| sent to' "$tmp/protocol-$round.md"; done
  echo
  echo "The whole pipeline (\`puente-push-pipeline-bench\`), each round:"
  echo
  cat "$tmp/pipeline.md"
} >"$tmp/table.md"
echo >&2
cat "$tmp/table.md"

if [[ $docs -eq 1 ]]; then
  out="$root/docs/benchmarks.md"
  grep -q '<!-- push:begin -->' "$out" || printf '\n# Web Push bench\n\n<!-- push:begin -->\n<!-- push:end -->\n' >>"$out"
  cpu=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  mem=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
  {
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $cpu, $(nproc) cores, $mem, OpenSSL"
    echo "$(openssl version | cut -d' ' -f2), Redis $(redis-server --version | grep -o 'v=[0-9.]*' | cut -c3-), Node.js $(node --version); everything on the same machine (load average at the"
    echo "end: $(cut -d' ' -f1-3 /proc/loadavg)). Command: \`tests/bench/push.sh ${args[*]}\`"
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
