#!/usr/bin/env bash
# Fails when a C++ file of the project is not formatted as the root .clang-format says (Debian's
# clang-format 14, as `clang-format -i` would leave it). Run by ctest; fix with
#   git ls-files '*.cpp' '*.h' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "$0")/.."
formatter=$(command -v clang-format-14 || command -v clang-format || true)
if [[ -z "$formatter" ]]; then
  echo "check_format: clang-format not found (Debian package clang-format)" >&2
  exit 1
fi
mapfile -t files < <(git ls-files '*.cpp' '*.h' 2>/dev/null || find core ui app tests bench tools -name '*.cpp' -o -name '*.h')
bad=0
for f in "${files[@]}"; do
  if ! "$formatter" --style=file --dry-run --Werror "$f" > /dev/null 2>&1; then
    echo "not formatted: $f"
    bad=1
  fi
done
if [[ $bad -ne 0 ]]; then
  echo "check_format: run clang-format -i on the files above" >&2
  exit 1
fi
echo "check_format: ${#files[@]} files formatted"
