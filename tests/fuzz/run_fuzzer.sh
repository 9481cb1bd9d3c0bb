#!/bin/sh
# One bounded libFuzzer run, as the Fuzz.<target> ctest tests make it (see CMakeLists.txt):
#   run_fuzzer.sh FUZZER WORK_DIR ARTIFACT_PREFIX [FLAGS...] -- SEED_DIR...
# WORK_DIR starts empty every time (libFuzzer writes the inputs it finds into its first folder,
# never into the committed seeds), so a run depends only on the seeds and the flags. A crash is
# saved as ARTIFACT_PREFIX<kind>-<sha1>: copy it into tests/fuzz/regressions/<target>/ with the fix.
set -eu
fuzzer=$1 work=$2 artifacts=$3
shift 3
flags=""
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do flags="$flags $1"; shift; done
[ "$#" -gt 0 ] && shift
# A target without regressions has no such folder yet; libFuzzer would refuse a missing one.
for dir in "$@"; do
  shift
  if [ -d "$dir" ]; then set -- "$@" "$dir"; fi
done
rm -rf "$work"
mkdir -p "$work" "$(dirname "$artifacts")"
# 60 s for one input is a hang, not a slow machine; 2 GiB is a leak or an allocation the input chose.
# shellcheck disable=SC2086
exec "$fuzzer" -timeout=60 -rss_limit_mb=2048 -artifact_prefix="$artifacts" $flags "$work" "$@"
