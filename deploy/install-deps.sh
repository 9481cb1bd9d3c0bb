#!/usr/bin/env bash
# Installs, by Debian package name, whatever building, running and testing Puente needs and
# this machine lacks. Safe to run again: it asks apt only for what is missing.
#   deploy/install-deps.sh            build + run + test dependencies
#   deploy/install-deps.sh --browser  also Chromium, for the browser tests
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libhiredis-dev libprotobuf-dev protobuf-compiler
  libspdlog-dev libfmt-dev libgtest-dev libgmock-dev
  libssl-dev libtomlplusplus-dev libcli11-dev
  redis-server redis-tools haproxy curl tzdata
  # The fuzz build (tests/run.sh): clang, and libFuzzer with clang's sanitizer runtimes.
  clang-14 libclang-rt-14-dev
)
[[ "${1:-}" == "--browser" ]] && packages+=(chromium)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts a system redis-server (and haproxy) on install; Puente's tests run their own
# on private ports.
if command -v systemctl >/dev/null; then
  for service in redis-server haproxy; do
    if systemctl is-active --quiet "$service" 2>/dev/null; then
      $sudo systemctl disable --now "$service" >/dev/null 2>&1 || true
    fi
  done
fi
