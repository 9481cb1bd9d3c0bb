#!/usr/bin/env bash
# Installs, by Debian package name, whatever building, running and testing Puente needs and
# this machine lacks. Safe to run again: it asks apt only for what is missing.
#   deploy/install-deps.sh            build + run + test dependencies
#   deploy/install-deps.sh --build    only what compiling needs, and Node.js (configuring the
#                                     build looks for it: the pages' tests); tests/run.sh
#                                     installs the rest while the build runs
#   deploy/install-deps.sh --browser  build + run + test, and Chromium and Node.js with npm, for
#                                     the browser tests and the loopback push service (tests/push_service)
#   deploy/install-deps.sh --bench    build + run + test, and the benchmark's peers and tools
#                                     (tests/bench/fanout.sh): the Nchan module for nginx, Node.js
#                                     (then `npm ci` of the socket.io peer from its lock file), perf
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)

# What compiling needs (CMakeLists.txt's find_package and pkg_check_modules).
build_packages=(
  build-essential cmake ninja-build pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libhiredis-dev libprotobuf-dev protobuf-compiler
  libspdlog-dev libfmt-dev libgtest-dev libgmock-dev
  libssl-dev libtomlplusplus-dev libcli11-dev zlib1g-dev
  # The evidence bundle's ZIP (server/evidence/, docs/evidence.md).
  libzip-dev
  # The node's allocator (release builds; see CMakeLists.txt).
  libjemalloc-dev
)
# What running and testing need besides.
packages=(
  "${build_packages[@]}"
  redis-server redis-tools haproxy nginx curl tzdata
  # Test certificates for the TLS tests are made with the openssl program.
  openssl
  # The fuzz build (tests/run.sh): clang, and libFuzzer with clang's sanitizer runtimes.
  clang-14 libclang-rt-14-dev
  # The suite's format check (tests/check_format.sh).
  clang-format-14
  # The SMS gateway (deploy/kannel/): bearerbox and smsbox; kannel-extras ships fakesmsc, Kannel's
  # fake SMS centre, which the SMS tests start (tests/support/kannel_gateway.hpp).
  kannel kannel-extras
  # promtool, which checks and unit-tests deploy/monitoring/'s alert rules (tests/monitoring).
  prometheus
  # The install tests (tests/install): systemd-analyze verifies and rates deploy/systemd's units
  # (no systemd need run), man checks the manual pages.
  systemd man-db
)
case "${1:-}" in
  --build) packages=("${build_packages[@]}") ;;
  --browser) packages+=(chromium) ;;
  --bench) packages+=(libnginx-mod-nchan linux-perf) ;;
esac
if [[ "${1:-}" == "--browser" || "${1:-}" == "--bench" || "${1:-}" == "--build" ]]; then
  # Any Node.js will do if one is there (a vendor's nodejs package bundles npm, and Debian's npm
  # would conflict with it); else Debian's. playwright-core 1.65 wants Node.js 20 or later.
  command -v node >/dev/null || packages+=(nodejs)
  command -v npm >/dev/null || packages+=(npm)
fi
bench_peer() {
  [[ "${1:-}" == "--bench" && ! -d $root/tests/bench/peer/node_modules ]] || return 0
  (cd "$root/tests/bench/peer" && npm ci --no-audit --no-fund >/dev/null)
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  bench_peer "${1:-}"
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts a system redis-server (haproxy, nginx, kannel's bearerbox) on install; Puente's
# tests and benchmark run their own on private ports.
if command -v systemctl >/dev/null; then
  for service in redis-server haproxy nginx kannel; do
    if systemctl is-active --quiet "$service" 2>/dev/null; then
      $sudo systemctl disable --now "$service" >/dev/null 2>&1 || true
    fi
  done
fi
bench_peer "${1:-}"
