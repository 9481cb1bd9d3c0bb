#!/usr/bin/env bash
# The fan-out benchmark: Puente (one node, then two behind one Redis) against the socket.io
# peer (tests/bench/peer) and the Nchan peer (tests/bench/nchan), all driven by the same
# puente-loadgen on this machine, on the same Redis, rooms/channels = neighborhoods.
#
#   tests/bench/fanout.sh                 full run: prints one table, writes docs/benchmarks.md
#   tests/bench/fanout.sh --smoke         a few seconds, puented only: 1 and 2 nodes, 1 node on a
#                                         Redis Cluster; fails if an alert is lost or duplicated
#                                         (never on speed): ctest runs it
#   tests/bench/fanout.sh --aof-bytes     what a report writes to Redis's append-only log (issue
#                                         22): 1 node, a small load (bytes do not depend on the
#                                         rate), then the log's growth per report, by key
#   tests/bench/fanout.sh --callgrind     instructions per delivery (issue 22): each server and
#                                         its Redis under Valgrind's Callgrind at a small load
#                                         (the same count on any run: this VM has no hardware
#                                         counters), puented and Nchan (or as --only says:
#                                         "puente puente2" for one node and two); keeps the
#                                         profiles
# Options: --build DIR (default build/release; the smoke test passes its own), --observers N,
#   --neighborhoods R, --deliveries "50000 300000" (deliveries/s, one phase each), --flood N
#   (reports/s into other neighborhoods, in a last phase), --seconds S (per phase),
#   --only "puente puente2 puente-cluster socketio nchan" (puente-cluster: one node on a Redis
#   Cluster of 3 primaries, issue 23; not in the default list), --threads N (puented's [node]
#   threads; default 0, one a core plus the Redis thread), --no-docs.
set -Eeuo pipefail  # -E: the ERR trap below also names a failure inside a function

root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build/release"
smoke=0 docs=1 aof_bytes=0 callgrind=0
observers=10000 neighborhoods=100 deliveries="50000 300000" flood=5000 seconds=10 per_worker=5000
threads=0
only="puente puente2 socketio nchan"
args=("$@")
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) smoke=1 ;;
    --aof-bytes) aof_bytes=1 ;;
    --callgrind) callgrind=1 ;;
    --build) build=$2; shift ;;
    --observers) observers=$2; shift ;;
    --neighborhoods) neighborhoods=$2; shift ;;
    --deliveries) deliveries=$2; shift ;;
    --flood) flood=$2; shift ;;
    --seconds) seconds=$2; shift ;;
    --threads) threads=$2; shift ;;
    --only) only=$2; shift ;;
    --no-docs) docs=0 ;;
    *) echo "fanout.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if [[ $smoke -eq 1 ]]; then
  # Small and short; 2 workers of 100 observers still exercise the multi-process path.
  observers=200 neighborhoods=10 deliveries=2000 flood=50 seconds=2 per_worker=100 docs=0
  [[ " ${args[*]} " == *" --only "* ]] || only="puente puente2 puente-cluster"
fi
if [[ $aof_bytes -eq 1 ]]; then
  # 1,000 reports (100/s for 10 s, 20 observers live in each of 10 neighborhoods, so every
  # report sends a VERIFY that is delivered), each a new incident at its own place.
  observers=200 neighborhoods=10 deliveries=2000 flood=0 seconds=10 per_worker=100 docs=0
  only="puente"
fi
# Every server, and the Redis behind it, runs under Callgrind; what it counts does not depend on
# the rate, so the load is small enough for a 50-fold slowdown: 5 neighborhoods of 100 (each
# alert goes to 100 observers, as in the full run), 5 alerts/s for 20 s. Under Valgrind nginx
# cannot raise its limit of open files past 1,024, hence 500 observers.
wrap=() patience=1
if [[ $callgrind -eq 1 ]]; then
  observers=500 neighborhoods=5 deliveries=500 flood=0 seconds=20 per_worker=500 docs=0
  [[ " ${args[*]} " == *" --only "* ]] || only="puente nchan"
  callgrind_dir=/tmp/puente-callgrind.$$
  mkdir -p "$callgrind_dir"
  wrap=(valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$callgrind_dir/callgrind.out.%p")
  patience=20
fi

loadgen="$build/clients/loadgen/puente-loadgen"
puented="$build/server/app/puented"
geojson="$root/../shared/data/la/la-city-neighborhoods-v6.geojson"
for f in "$loadgen" "$puented" "$geojson"; do
  [[ -e $f ]] || { echo "fanout.sh: missing $f (build first: cmake --build $build)" >&2; exit 2; }
done

# Each observer is a file on both ends: raise the soft limit as far as the hard one allows.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

tmp=$(mktemp -d /tmp/puente-fanout.XXXXXX)
started=()
stop_all() {
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
  started=()
}
stop() {  # pids we started, by id
  local keep=() pid
  kill "$@" 2>/dev/null || true
  wait "$@" 2>/dev/null || true
  for pid in "${started[@]}"; do [[ " $* " == *" $pid "* ]] || keep+=("$pid"); done
  started=("${keep[@]}")
}
trap 'stop_all; rm -rf "$tmp"' EXIT
# set -e stops at the first failing command: name it and show what the servers logged.
trap 'echo "fanout.sh: line $LINENO failed: $BASH_COMMAND" >&2; tail -n 20 "$tmp"/*.log >&2 || true' ERR

# Ports below the kernel's ephemeral range (ip_local_port_range): the tests that run beside the
# smoke run take theirs from that range (free_port.cpp binds port 0), and so do outgoing
# connections, so a port picked there can be gone by the time a server binds it.
ephemeral_low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
free_port() {  # [highest]: a port below it (a Redis Cluster's bus port is the port + 10000)
  local port highest=${1:-$ephemeral_low}
  while :; do
    port=$((10000 + RANDOM % (highest - 10000)))
    (: </dev/tcp/127.0.0.1/$port) 2>/dev/null || { echo "$port"; return; }
  done
}

wait_for_file() {  # file, seconds
  for _ in $(seq $(($2 * 10))); do [[ -s $1 ]] && return 0; sleep 0.1; done
  echo "fanout.sh: $1 did not appear" >&2
  return 1
}

# Redis as production runs it (deploy/redis/redis.conf: AOF, fsync every second), for all. A
# port taken between the check and the bind gets another try on another port.
mkdir -p "$tmp/redis"
# --aof-bytes reads the log's growth from one file: no rewrite may start a new one meanwhile.
aof_rewrite_percentage=100
[[ $aof_bytes -eq 1 ]] && aof_rewrite_percentage=0
for attempt in 1 2 3 4 5; do
  redis_port=$(free_port)
  "${wrap[@]}" redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$tmp/redis" --save '' --appendonly yes \
    --appendfsync everysec --appenddirname appendonlydir --auto-aof-rewrite-percentage "$aof_rewrite_percentage" \
    --daemonize no >"$tmp/redis.log" 2>&1 &
  redis_pid=$!
  started+=("$redis_pid")
  for _ in $(seq $((50 * patience))); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break 2; sleep 0.1; done
  echo "fanout.sh: redis-server did not answer on port $redis_port (attempt $attempt):" >&2
  cat "$tmp/redis.log" >&2
  stop "$redis_pid"
  [[ $attempt -lt 5 ]] || exit 1
done
flush() { redis-cli -p "$redis_port" flushall >/dev/null; }
redis_pids=("$redis_pid")  # whose CPU the loadgen reports as Redis's

# A Redis Cluster of 3 primaries (no replicas: the bench measures the way alerts take, and a
# replica only adds the primary's replication stream), each as the single Redis above, joined
# by redis-cli as an operator would. Sets cluster_pids and cluster_seeds ("host:port,...").
start_cluster() {
  local ports=() port i attempt
  cluster_pids=()
  for i in 1 2 3; do
    mkdir -p "$tmp/cluster/$i"
    for attempt in 1 2 3 4 5; do
      while :; do  # the bus port must be free and below the ephemeral range too
        port=$(free_port $((ephemeral_low - 10000)))
        (: </dev/tcp/127.0.0.1/$((port + 10000))) 2>/dev/null || break
      done
      redis-server --port "$port" --bind 127.0.0.1 --dir "$tmp/cluster/$i" --save '' --appendonly yes \
        --appendfsync everysec --cluster-enabled yes --cluster-config-file nodes.conf \
        --cluster-node-timeout 5000 --daemonize no >"$tmp/cluster/$i.log" 2>&1 &
      cluster_pids+=($!)
      started+=($!)
      for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break 2; sleep 0.1; done
      echo "fanout.sh: cluster redis-server did not answer on port $port (attempt $attempt):" >&2
      cat "$tmp/cluster/$i.log" >&2
      stop "${cluster_pids[-1]}"
      unset 'cluster_pids[-1]'
      rm -f "$tmp/cluster/$i/nodes.conf"
      [[ $attempt -lt 5 ]] || return 1
    done
    ports+=("$port")
  done
  redis-cli --cluster create "${ports[@]/#/127.0.0.1:}" --cluster-replicas 0 --cluster-yes \
    >"$tmp/cluster/create.log" 2>&1 || { cat "$tmp/cluster/create.log" >&2; return 1; }
  for port in "${ports[@]}"; do
    for _ in $(seq 100); do
      redis-cli -p "$port" cluster info 2>/dev/null | grep -q "cluster_state:ok" && break
      sleep 0.1
    done
  done
  cluster_seeds=$(printf '"127.0.0.1:%s",' "${ports[@]}")
  cluster_seeds="[${cluster_seeds%,}]"
}

"$loadgen" roster --observers "$observers" --neighborhoods "$neighborhoods" --geojson "$geojson" --out "$tmp/roster"

# The bench config differs from config/puented.toml only where the load needs it: logs at warn
# (thousands of reports a second), dedup at its minimum (1 m, 1 s: the loadgen's reports vary
# place and kind anyway), a 4 MiB socket queue, no rate limits (one operator token posts them all).
cat >"$tmp/puented.toml" <<EOF
[node]
listen = "127.0.0.1:0"
threads = $threads
[redis]
address = "127.0.0.1:$redis_port"
[geography]
neighborhoods = "$geojson"
[roster]
file = "$tmp/roster/roster.toml"
[limits]
ws_queue_bytes = 4194304
[rate_limits]
reports_per_token_per_second = 0
requests_per_token_per_second = 0
requests_per_address_per_second = 0
[log]
level = "warn"
[network]
templates = "$root/config/templates"
[policy]
dedup_meters = 1
dedup_window_seconds = 1
EOF

start_node() {  # name [config] -> sets node_pid, node_port
  rm -f "$tmp/$1.port"
  "${wrap[@]}" "$puented" --config "${2:-$tmp/puented.toml}" --node-id "$1" --port-file "$tmp/$1.port" \
    --journal "$tmp/$1.journal" --state-dir "$tmp" >"$tmp/$1.log" 2>&1 &
  node_pid=$!
  started+=("$node_pid")
  wait_for_file "$tmp/$1.port" $((20 * patience))
  node_port=$(cat "$tmp/$1.port")
}

results="$tmp/results.jsonl"
rows="$tmp/rows.md"
: >"$rows"
failed=0
drive() {  # label, target, servers, pids...
  local label=$1 target=$2 servers=$3
  shift 3
  local pid_args=()
  for p in "$@"; do pid_args+=(--pid "$p"); done
  local delivery_args=()
  for d in $deliveries; do delivery_args+=(--deliveries "$d"); done
  local extra=()
  [[ $target == puente && $flood -gt 0 && $label != *"2 nodes"* ]] && extra+=(--flood "$flood")
  [[ $smoke -eq 1 ]] && extra+=(--require-complete)
  if [[ $callgrind -eq 1 ]]; then
    local roles=() p
    for p in "$@"; do roles+=("server=$p"); done
    for p in "${redis_pids[@]}"; do roles+=("redis=$p"); done
    # One word per server setup: the table's rows are by it (two nodes apart from one).
    local setup=$target
    [[ $label == *"2 nodes"* ]] && setup="$target-2-nodes"
    extra+=(--phase-hook "$root/tests/bench/callgrind/phase.sh $callgrind_dir/phases.txt $setup ${roles[*]}")
  fi
  "$loadgen" run --target "$target" --server "$servers" "${pid_args[@]}" "${redis_pids[@]/#/--redis-pid=}" --roster "$tmp/roster" \
    --observers "$observers" --neighborhoods "$neighborhoods" --per-worker "$per_worker" "${delivery_args[@]}" \
    --seconds "$seconds" --label "$label" --json "$results" "${extra[@]}" | tee -a "$rows" || failed=1
}

check_sanitizers() {  # a node's log must hold no sanitizer report
  if grep -qE "ERROR: (Address|Leak)Sanitizer|runtime error:" "$tmp/$1.log"; then
    echo "fanout.sh: sanitizer report in node $1's log:" >&2
    cat "$tmp/$1.log" >&2
    failed=1
  fi
}

header="| server | load | observers | deliveries/s | p50 ms | p99 ms | p99.9 ms | max ms | lost | dup | server CPU µs/delivery (user + sys) | Redis CPU µs/delivery | RSS MB | idle KiB/observer | connects/s | reports/s accepted |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
echo "$header"

# The append-only log Redis writes now (Redis 7: the incremental file of appendonlydir).
aof_file() { ls -t "$tmp"/redis/appendonlydir/*.incr.aof | head -1; }

if [[ " $only " == *" puente "* ]]; then
  flush
  start_node a
  [[ $aof_bytes -eq 1 ]] && aof_from=$(stat -c %s "$(aof_file)")
  drive "puented, 1 node" puente "127.0.0.1:$node_port" "$node_pid"
  if [[ $aof_bytes -eq 1 ]]; then
    sleep 2  # what the node writes just after (delivery records, rung checks) counts too
    reports=$(redis-cli -p "$redis_port" zcard puente:incidents)
    node "$root/tests/bench/aof/aof_breakdown.js" "$(aof_file)" "$aof_from" "$reports" puente:
  fi
  stop "$node_pid"
  check_sanitizers a
fi

if [[ " $only " == *" puente2 "* ]]; then
  flush
  start_node a; pa=$node_pid port_a=$node_port
  start_node b; pb=$node_pid port_b=$node_port
  drive "puented, 2 nodes" puente "127.0.0.1:$port_a,127.0.0.1:$port_b" "$pa" "$pb"
  stop "$pa" "$pb"
  check_sanitizers a
  check_sanitizers b
fi

if [[ " $only " == *" puente-cluster "* ]]; then
  start_cluster
  # The same config on the cluster: the network's keys under one hash tag, so one slot.
  sed -e "s|^address = .*|cluster = $cluster_seeds\nkey_prefix = \"puente:{bench}:\"|" \
    "$tmp/puented.toml" >"$tmp/puented-cluster.toml"
  redis_pids=("${cluster_pids[@]}")
  start_node a "$tmp/puented-cluster.toml"
  drive "puented, 1 node, Redis Cluster (3 primaries)" puente "127.0.0.1:$node_port" "$node_pid"
  stop "$node_pid"
  check_sanitizers a
  stop "${cluster_pids[@]}"
  redis_pids=("$redis_pid")
fi

if [[ " $only " == *" socketio "* ]]; then
  flush
  peer="$root/tests/bench/peer"
  [[ -d $peer/node_modules ]] || (cd "$peer" && npm ci --no-audit --no-fund >/dev/null)
  node "$peer/server.js" --port 0 --redis "127.0.0.1:$redis_port" --port-file "$tmp/socketio.port" \
    >"$tmp/socketio.log" 2>&1 &
  sio_pid=$!
  started+=("$sio_pid")
  wait_for_file "$tmp/socketio.port" 20
  drive "socket.io + redis-adapter" socketio "127.0.0.1:$(cat "$tmp/socketio.port")" "$sio_pid"
  stop "$sio_pid"
fi

if [[ " $only " == *" nchan "* ]]; then
  flush
  module=/usr/lib/nginx/modules/ngx_nchan_module.so
  [[ -e $module ]] || { echo "fanout.sh: $module missing (deploy/install-deps.sh --bench)" >&2; exit 2; }
  prefix="$tmp/nchan"
  mkdir -p "$prefix/logs"
  nchan_port=$(free_port)
  sed -e "s|@NCHAN_MODULE@|$module|" -e "s|@PREFIX@|$prefix|g" -e "s|@PORT@|$nchan_port|" \
    -e "s|@REDIS_PORT@|$redis_port|" "$root/tests/bench/nchan/nginx.conf.in" >"$prefix/nginx.conf"
  # Callgrind's control reaches a process blocked in a system call through ptrace, which a
  # worker that dropped root to "nobody" refuses: under Callgrind the worker stays root.
  user=()
  [[ $callgrind -eq 1 ]] && user=(-g "user root;")
  "${wrap[@]}" nginx -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/error.log" "${user[@]}" &
  nginx_pid=$!
  started+=("$nginx_pid")
  worker_pid=""
  for _ in $(seq $((50 * patience))); do worker_pid=$(pgrep -P "$nginx_pid" | head -1 || true); [[ -n $worker_pid ]] && break; sleep 0.1; done
  [[ -n $worker_pid ]] || { echo "fanout.sh: nginx did not start:" >&2; cat "$prefix/error.log" >&2; exit 1; }
  drive "nginx + Nchan (1 worker)" nchan "127.0.0.1:$nchan_port" "$worker_pid"
  stop "$nginx_pid"
fi

stop "$redis_pid"

if [[ $callgrind -eq 1 ]]; then
  echo
  # In brackets: without the work on a clock (callgrind/phase.sh says which and why).
  echo "| server | deliveries | server instructions/delivery (without its clock) | Redis instructions/delivery (without serverCron) |"
  echo "| --- | --- | --- | --- |"
  awk '{ key = $1 " " $2; received[key] = $6; n[key] = 1
         if ($3 == "server") { server[key] += $5; server_clock[key] += $7 }
         else { redis[key] += $5; redis_clock[key] += $7 } }
       END { for (k in n) { split(k, f, " "); r = received[k]
               printf "| %s | %d | %.0f (%.0f) | %.0f (%.0f) |\n", f[1], r, server[k] / r,
                 (server[k] - server_clock[k]) / r, redis[k] / r, (redis[k] - redis_clock[k]) / r } }' \
    "$callgrind_dir/phases.txt" | sort
  echo "fanout.sh: the profiles (callgrind_annotate) are in $callgrind_dir" >&2
fi

if [[ $docs -eq 1 ]]; then
  # The generated part of docs/benchmarks.md sits between two markers; the notes around it
  # (what the load is, what each optimization bought) are kept.
  out="$root/docs/benchmarks.md"
  mkdir -p "$root/docs"
  [[ -e $out ]] || printf '# Fan-out benchmark\n\n<!-- fanout:begin -->\n<!-- fanout:end -->\n' >"$out"
  cpu=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  mem=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
  {
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $cpu, $(nproc) cores, $mem; the load generator on the"
    echo "same machine (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))."
    echo "Command: \`tests/bench/fanout.sh ${args[*]}\`"
    echo
    echo "$header"
    cat "$rows"
  } >"$tmp/generated.md"
  awk -v generated="$tmp/generated.md" '
    /<!-- fanout:end -->/ { while ((getline line < generated) > 0) print line; skip = 0 }
    !skip { print }
    /<!-- fanout:begin -->/ { skip = 1 }' "$out" >"$tmp/benchmarks.md"
  mv "$tmp/benchmarks.md" "$out"
  echo "fanout.sh: wrote $out" >&2
fi
exit $failed
