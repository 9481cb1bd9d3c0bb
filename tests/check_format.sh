#!/usr/bin/env bash
# Fails when a C++ file of the repository differs from what clang-format makes of it with the
# repository's .clang-format, and names each such file. Run by the suite (ctest: FormatCheck),
# so a change that is not formatted does not land. To fix: tests/check_format.sh --fix
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# Pinned: another clang-format version formats some constructs differently.
format=clang-format-14
command -v "$format" >/dev/null || { echo "check_format: $format is missing (deploy/install-deps.sh installs it)" >&2; exit 1; }

cd "$root"
mapfile -t files < <(find server clients proto tests -path '*/node_modules' -prune -o \
  -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) -print | sort)

if [[ "${1:-}" == "--fix" ]]; then
  "$format" -i "${files[@]}"
  exit 0
fi
# One clang-format for every file: a process per file spends most of its time starting up.
# Each file it would change is named in a "<file>:<line>:<column>: error:" line.
if report=$("$format" --dry-run -Werror "${files[@]}" 2>&1); then
  echo "check_format: ${#files[@]} files formatted"
  exit 0
fi
mapfile -t unformatted < <(grep -oE '^[^:]+:[0-9]+:[0-9]+: error:' <<<"$report" | cut -d: -f1 | sort -u)
if [[ ${#unformatted[@]} -eq 0 ]]; then
  echo "check_format: $format failed:" >&2
  echo "$report" >&2
  exit 1
fi
echo "check_format: ${#unformatted[@]} of ${#files[@]} files are not clang-formatted:" >&2
printf '  %s\n' "${unformatted[@]}" >&2
echo "run tests/check_format.sh --fix" >&2
exit 1
