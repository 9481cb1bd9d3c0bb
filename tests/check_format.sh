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
unformatted=()
for f in "${files[@]}"; do
  "$format" --dry-run -Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
done
if [[ ${#unformatted[@]} -gt 0 ]]; then
  echo "check_format: ${#unformatted[@]} of ${#files[@]} files are not clang-formatted:" >&2
  printf '  %s\n' "${unformatted[@]}" >&2
  echo "run tests/check_format.sh --fix" >&2
  exit 1
fi
echo "check_format: ${#files[@]} files formatted"
