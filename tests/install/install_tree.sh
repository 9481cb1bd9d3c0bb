#!/usr/bin/env bash
# ctest InstallTree (issue 24 item 1): `cmake --install` of this build (prefix /usr, as the .deb)
# into a folder puts there exactly the files deploy/installed-files.txt (README "Install") lists,
# both programs answer --version, and the installed puented finds its pages and alert texts in
# share/puente (not in this source tree) and writes only in its state folder.
#   tests/install/install_tree.sh BUILD_DIR VERSION
# Leaves the tree in BUILD_DIR/install-check/root for SystemdUnits (a ctest fixture).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$1 version=$2
source "$root/tests/install/manifest.sh"

work=$build/install-check
rm -rf "$work" && mkdir -p "$work"
dest=$work/root
# --strip, as the .deb: the sanitized debug programs are hundreds of MB with their line tables.
DESTDIR=$dest cmake --install "$build" --prefix /usr --strip >"$work/install.log"
(cd "$dest" && find . \( -type f -o -type l \) | sed 's|^\./||' | LC_ALL=C sort) >"$work/tree.txt"
check_against_promise "the installed tree" "$work/tree.txt"

for program in usr/sbin/puented usr/bin/puente; do
  said=$("$dest/$program" --version)
  [[ $said == "$(basename $program) $version" ]] || { echo "FAIL: $program --version said '$said'"; exit 1; }
  echo "ok: $program --version: $said"
done

# The installed node, as an admin would run it: its config in etc/puente with nothing beside it
# but a roster and a geography, Redis unreachable (it starts and journals all the same).
etc=$dest/etc/puente
write_tiny_network "$etc"
sed -e 's|^id = "node-1"|id = "installed"|' -e 's|^listen = .*|listen = "127.0.0.1:0"|' \
  -e "s|^port_file = .*|port_file = \"$work/port\"|" -e 's|^address = "127.0.0.1:6379"|address = "127.0.0.1:1"|' \
  -e 's|^neighborhoods = .*|neighborhoods = "downtown.geojson"|' "$etc/example.toml" >"$etc/check.toml"
before=$(cd "$etc" && ls -la --time-style=+ | sort)
STATE_DIRECTORY=$work/state "$dest/usr/sbin/puented" --config "$etc/check.toml" >"$work/puented.log" 2>&1 &
node=$!
trap 'kill $node 2>/dev/null || true' EXIT
for _ in $(seq 600); do [[ -s $work/port ]] && break; kill -0 $node 2>/dev/null || break; sleep 0.1; done
[[ -s $work/port ]] || { echo "FAIL: the installed puented did not start:"; cat "$work/puented.log"; exit 1; }
page=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(cat "$work/port")/board.html")
kill $node && wait $node || true
trap - EXIT
[[ $page == 200 ]] || { echo "FAIL: /board.html answered $page"; exit 1; }
grep -q "web: pages from $dest/usr/share/puente/web" "$work/puented.log" ||
  { echo "FAIL: the pages did not come from share/puente/web:"; grep "web:" "$work/puented.log"; exit 1; }
grep -q "alert texts: 2 languages from $dest/usr/share/puente/templates" "$work/puented.log" ||
  { echo "FAIL: the alert texts did not come from share/puente/templates:"; grep "alert texts" "$work/puented.log"; exit 1; }
grep -q "journal: $work/state/installed.journal" "$work/puented.log" ||
  { echo "FAIL: the journal is not in \$STATE_DIRECTORY:"; grep "journal:" "$work/puented.log"; exit 1; }
[[ $(cd "$etc" && ls -la --time-style=+ | sort) == "$before" ]] ||
  { echo "FAIL: the installed node wrote into etc/puente"; ls -la "$etc"; exit 1; }
echo "ok: the installed puented served /board.html from share/puente/web, read share/puente/templates, journaled in \$STATE_DIRECTORY"
