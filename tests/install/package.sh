#!/usr/bin/env bash
# ctest DebPackage (issue 24 item 1): the .deb CPack makes from this build's install rules (no
# second compile) holds exactly the files deploy/installed-files.txt lists, declares its library
# dependencies by Debian package name and its conffile, installs with dpkg into a throwaway root
# (never this machine's: --root, and maintainer scripts run unchrooted with DPKG_ROOT set, which
# ours skip on), and `puented --version` runs from there.
#   tests/install/package.sh BUILD_DIR VERSION
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$1 version=$2
source "$root/tests/install/manifest.sh"

work=$build/package-check
rm -rf "$work" && mkdir -p "$work"
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 ||
  { echo "FAIL: cpack:"; cat "$work/cpack.log"; exit 1; }
deb=$(echo "$work"/out/puente_*.deb)
[[ -f $deb ]] || { echo "FAIL: no puente_*.deb in $work/out"; ls "$work/out"; exit 1; }
echo "ok: $(basename "$deb") made, $(du -k "$deb" | cut -f1) KiB"

# The data member's regular files and links (folders end in '/'), "./usr/bin/puente" -> path.
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { sub(/^\.\//, "", $6); print $6 }' | LC_ALL=C sort >"$work/deb.txt"
check_against_promise "the .deb" "$work/deb.txt"

fields=$(dpkg-deb -f "$deb" Package Version Depends)
echo "$fields"
grep -qx "Version: $version" <<<"$fields" || { echo "FAIL: not version $version"; exit 1; }
depends=$(dpkg-deb -f "$deb" Depends | tr -d ' ' | tr ',' '\n' | sed 's/(.*//' | sort -u)
grep -qx tzdata <<<"$depends" || { echo "FAIL: Depends lacks tzdata (the node reads time zones)"; exit 1; }
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/puente/example.toml ||
  { echo "FAIL: /etc/puente/example.toml is not a conffile"; exit 1; }

# A throwaway root with an empty package database: this machine's packages are not there, so
# dependencies are not checked (--force-depends), and nothing there is worth an fsync
# (--force-unsafe-io).
target=$work/root
mkdir -p "$target/var/lib/dpkg/info" "$target/var/lib/dpkg/updates"
touch "$target/var/lib/dpkg/status" "$target/var/lib/dpkg/available"
dpkg --root="$target" --force-script-chrootless --force-depends --force-unsafe-io --log=/dev/null -i "$deb" \
  >"$work/dpkg.log" 2>&1 || { echo "FAIL: dpkg -i:"; cat "$work/dpkg.log"; exit 1; }
status=$(dpkg-query --admindir="$target/var/lib/dpkg" -W -f='${Status} ${Conffiles}' puente)
grep -q "install ok installed" <<<"$status" || { echo "FAIL: dpkg says '$status'"; exit 1; }
grep -q /etc/puente/example.toml <<<"$status" || { echo "FAIL: conffile not recorded: $status"; exit 1; }
# Every library the installed programs load comes from a package the .deb depends on.
for program in "$target/usr/sbin/puented" "$target/usr/bin/puente"; do
  ldd "$program" | awk '/=> \// { print $3 }'
done | sort -u | while read -r library; do
  owner=$(dpkg -S "$(readlink -f "$library")" 2>/dev/null || dpkg -S "$library" 2>/dev/null) ||
    { echo "FAIL: no Debian package holds $library"; exit 1; }
  owner=${owner%%:*}
  grep -qx "$owner" <<<"$depends" || { echo "FAIL: the programs load $library of $owner, not in Depends"; exit 1; }
done
echo "ok: Depends names the package of every library puented and puente load"
said=$("$target/usr/sbin/puented" --version)
[[ $said == "puented $version" ]] || { echo "FAIL: the installed puented --version said '$said'"; exit 1; }
echo "ok: dpkg -i into $target: $status; usr/sbin/puented --version: $said"
rm -rf "$target" "$work/out/_CPack_Packages"  # tens of MB each; the .deb itself stays
