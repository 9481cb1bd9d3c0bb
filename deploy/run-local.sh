#!/usr/bin/env bash
# Runs Puente on this machine: a private redis-server on a loopback port (AOF on), and one
# puented node with config/puented.toml, the example roster and the LA neighborhoods.
# Installs what is missing and builds first. Ctrl-C stops all of it.
#
#   PORT=8080 REDIS_PORT=6380 deploy/run-local.sh
#   PUENTE_NEIGHBORHOODS=/path/to/your-city.geojson deploy/run-local.sh
#   PUENTE_STATE=/tmp/puente deploy/run-local.sh   # Redis's data and the node's journal (build/local)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
port=${PORT:-8080}
redis_port=${REDIS_PORT:-6380}
state=${PUENTE_STATE:-$root/build/local}

"$root/deploy/install-deps.sh"
cmake --preset release -S "$root" >/dev/null
cmake --build "$root/build/release" --target puented puente

mkdir -p "$state/redis"
pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "stopping..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$state/redis" --appendonly yes \
  --appendfsync everysec --save "" --daemonize no --logfile "$state/redis.log" &
pids+=($!)
for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

args=(--config "$root/config/puented.toml" --listen "127.0.0.1:$port" --redis "127.0.0.1:$redis_port")
[[ -n "${PUENTE_NEIGHBORHOODS:-}" ]] && args+=(--neighborhoods "$PUENTE_NEIGHBORHOODS")
# The node's state (its journal, revoked tokens) beside Redis's, never in config/.
args+=(--state-dir "$state")
"$root/build/release/server/app/puented" "${args[@]}" &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

cat <<INFO

  Puente is running at http://127.0.0.1:$port  (Redis on 127.0.0.1:$redis_port, data in $state)
  Pages: http://127.0.0.1:$port/ — hotline intake, live board, observer alerts (sign in with a token)

  Demo tokens (config/roster.toml; for a laptop only):
    demo-operator        hotline operator (op-carmen)
    demo-dispatcher      dispatcher (disp-rosa)
    demo-observer-maria  legal observer: boyle-heights, lincoln-heights, el-sereno
    demo-observer-jose   legal observer: downtown, westlake, pico-union
    demo-volunteer-ana   volunteer: boyle-heights, downtown
    demo-attorney-luis   attorney: boyle-heights, downtown, westlake

  Try it:
    curl -s -X POST http://127.0.0.1:$port/v1/reports -H 'Authorization: Bearer demo-operator' \\
      -d '{"location":{"lat":34.0335,"lon":-118.2110,"description":"car wash on Cesar Chavez"},"kind":"RAID"}'

    PUENTE_SERVER=http://127.0.0.1:$port PUENTE_TOKEN=demo-observer-maria \\
      $root/build/release/clients/puente/puente tail boyle-heights

  Ctrl-C stops the server and Redis.
INFO
wait -n "${pids[@]}"
