# Sourced by the install tests: the files deploy/installed-files.txt promises, expanded (a
# "FOLDER/ = SOURCE/" line stands for every file of that source folder), one path a line, sorted.
# $root: the repository.
promised_files() {
  local line folder source
  while IFS= read -r line; do
    [[ -z $line || $line == \#* ]] && continue
    if [[ $line == *" = "* ]]; then
      folder=${line%% = *}
      source=${line#* = }
      (cd "$root/$source" && find . -type f | sed "s|^\./|$folder|")
    else
      echo "$line"
    fi
  done <"$root/deploy/installed-files.txt" | LC_ALL=C sort
}

# Compares a listing ($2, a file) with the promise; $1 names what was listed. Prints the
# difference and fails when they differ.
check_against_promise() {
  local what=$1 listing=$2
  if ! diff <(promised_files) "$listing" >"$listing.diff"; then
    echo "FAIL: $what differs from deploy/installed-files.txt (< promised only, > installed only):"
    cat "$listing.diff"
    return 1
  fi
  echo "ok: $what holds exactly the $(wc -l <"$listing") files of deploy/installed-files.txt"
}

# A tiny geography and roster, so an installed node can start with nothing from this repository
# or beside it: one square neighborhood ("downtown", which the example config names) and one
# operator.
write_tiny_network() {
  local dir=$1
  cat >"$dir/downtown.geojson" <<'JSON'
{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"slug":"downtown","name":"Downtown"},
 "geometry":{"type":"Polygon","coordinates":[[[-118.25,34.0],[-118.2,34.0],[-118.2,34.05],[-118.25,34.05],[-118.25,34.0]]]}}]}
JSON
  cat >"$dir/roster.toml" <<'TOML'
[[responder]]
id = "op"
name = "Test op"
roles = ["operator"]
neighborhoods = []
languages = ["en"]
token_sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
TOML
}
