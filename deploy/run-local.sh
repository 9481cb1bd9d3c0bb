#!/usr/bin/env bash
# Runs Puente on this machine: a private redis-server on a loopback port (AOF on), and one
# puented node with config/puented.toml, the example roster and the LA neighborhoods (or, in a
# clone with nothing beside it, the made-up demo neighborhoods; see local_geography below).
# Installs what is missing and builds first. Ctrl-C stops all of it.
#
#   PORT=8080 REDIS_PORT=6380 deploy/run-local.sh
#   PUENTE_NEIGHBORHOODS=/path/to/your-city.geojson deploy/run-local.sh
#   PUENTE_STATE=/tmp/puente deploy/run-local.sh   # Redis's data and the node's journal (build/local)
#   deploy/run-local.sh --print-geography   only say which neighborhoods file it would use
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
port=${PORT:-8080}
redis_port=${REDIS_PORT:-6380}
state=${PUENTE_STATE:-$root/build/local}

# --- geography (issue 24 item 6) ---
# The neighborhoods file: PUENTE_NEIGHBORHOODS if set; else the LA Times "Mapping L.A."
# boundaries at ../shared/data/la/ beside the repository, where the example config points; else
# config/demo-neighborhoods.geojson, six made-up rectangles named for the example roster's
# neighborhoods, so that a clone with nothing beside it runs.
local_geography() {
  if [[ -n "${PUENTE_NEIGHBORHOODS:-}" ]]; then
    echo "$PUENTE_NEIGHBORHOODS"
  elif [[ -f "$root/../shared/data/la/la-city-neighborhoods-v6.geojson" ]]; then
    echo "$root/../shared/data/la/la-city-neighborhoods-v6.geojson"
  else
    echo "$root/config/demo-neighborhoods.geojson"
  fi
}
neighborhoods=$(local_geography)
if [[ "${1:-}" == "--print-geography" ]]; then
  echo "$neighborhoods"
  exit 0
fi
if [[ "$neighborhoods" == "$root/config/demo-neighborhoods.geojson" ]]; then
  cat <<DEMO
  No neighborhoods file beside this clone: using the made-up DEMO neighborhoods
  ($neighborhoods: six rectangles, not real boundaries).
  For a real network, point geography.neighborhoods in your config (or --neighborhoods FILE, or
  PUENTE_NEIGHBORHOODS=FILE for this script) at a GeoJSON FeatureCollection of your city's
  neighborhoods, with a "slug" and a "name" property on each polygon; the roster's
  neighborhoods must be slugs of that file.
DEMO
fi
# --- end geography ---

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

args=(--config "$root/config/puented.toml" --listen "127.0.0.1:$port" --redis "127.0.0.1:$redis_port"
      --neighborhoods "$neighborhoods")
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
