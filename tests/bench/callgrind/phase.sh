#!/usr/bin/env bash
# fanout.sh --callgrind's phase hook (puente-loadgen run --phase-hook): zeroes the instruction
# counts of each server process under Callgrind when a phase begins, dumps them when its
# deliveries are in, and appends one line per process to OUT:
#   <label> <phase> <role> <pid> <instructions> <deliveries received> <of them on a clock>
# Instructions are the user-space work a process did for the phase, the same on any run of the
# same load: what this VM's missing hardware counters (perf stat) cannot give. Work on a clock
# does not depend on the load, and a phase lasts longer under Callgrind the slower the server
# and the busier the machine: Redis's serverCron (10 times a second: memory statistics, expiry,
# the log's fsync) and puented's token sweep (every socket's token, once a second) are counted
# apart, and fanout.sh reports each count also without them.
#
#   phase.sh OUT LABEL ROLE=PID... begin PHASE
#   phase.sh OUT LABEL ROLE=PID... end PHASE RECEIVED
set -euo pipefail

out=$1 label=$2
shift 2
roles=()
while [[ $1 != begin && $1 != end ]]; do roles+=("$1"); shift; done
step=$1 phase=$2 received=${3:-}

for role in "${roles[@]}"; do
  pid=${role#*=}
  if [[ $step == begin ]]; then
    callgrind_control --zero "$pid" >/dev/null
  else
    # Each dump is a new file <out-file>.<n>; its "totals:" line is the count since the zero.
    callgrind_control --dump="phase $phase" "$pid" >/dev/null
    dump=$(ls -t "$(dirname "$out")"/callgrind.out."$pid".* | head -1)
    instructions=$(awk '/^(totals|summary):/ {print $2; exit}' "$dump")
    clock=$(callgrind_annotate --inclusive=yes --threshold=100 "$dump" 2>/dev/null |
      awk '(/:serverCron / || /wait_handler\.hpp:boost::asio::detail::wait_handler<puente::app::TokenService::tick\(\)/) \
           && !found {gsub(",", "", $1); print $1; found = 1}')  # reads it all: no SIGPIPE
    echo "$label $phase ${role%%=*} $pid $instructions $received ${clock:-0}" >>"$out"
  fi
done
