#!/usr/bin/env bash
# The drawn-digits check set stays in sync with its generator: tools/drawn_digits regenerates
# tests/data/drawn byte for byte (so a change to the generator or to the stroke renderer that
# changes the digits must come with the regenerated files), the same seed gives the same bytes,
# another seed other digits, and bad arguments are refused by name.
# Usage: test_drawn_digits.sh GENERATOR STORED_DIR
set -uo pipefail
gen=$(realpath "$1")
stored=$(realpath "$2")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "FAIL - $1"; fail=1; fi; }
files="t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz"

"$gen" check-set "$tmp/a" > /dev/null 2>&1; rc=$?
check "check-set exits 0" "[[ $rc == 0 ]]"
"$gen" check-set "$tmp/b" > /dev/null 2>&1
for part in tune report; do
  for f in $files; do
    check "$part/$f equals the stored file (else: $gen check-set tests/data/drawn)" "cmp -s '$tmp/a/$part/$f' '$stored/$part/$f'"
    check "$part/$f is the same on a second run" "cmp -s '$tmp/a/$part/$f' '$tmp/b/$part/$f'"
  done
done
check "the two parts hold different digits" "! cmp -s '$tmp/a/tune/t10k-images-idx3-ubyte.gz' '$tmp/a/report/t10k-images-idx3-ubyte.gz'"
"$gen" write "$tmp/s1" --part tune --seed 1 --per-class 3 > /dev/null 2>&1
"$gen" write "$tmp/s2" --part tune --seed 2 --per-class 3 > /dev/null 2>&1
"$gen" write "$tmp/s1b" --part tune --seed 1 --per-class 3 > /dev/null 2>&1
check "a seed gives the same digits" "cmp -s '$tmp/s1/t10k-images-idx3-ubyte.gz' '$tmp/s1b/t10k-images-idx3-ubyte.gz'"
check "another seed gives other digits" "! cmp -s '$tmp/s1/t10k-images-idx3-ubyte.gz' '$tmp/s2/t10k-images-idx3-ubyte.gz'"
check "--per-class 3 writes 30 labels" "[[ \$(gzip -dc '$tmp/s1/t10k-labels-idx1-ubyte.gz' | tail -c 30 | od -An -tu1 -v | tr -s ' ' '\n' | grep -c .) == 30 ]]"
"$gen" write "$tmp/x" --part sideways > /dev/null 2> "$tmp/err.txt"; rc=$?
check "an unknown part is refused by name" "[[ $rc == 1 ]] && grep -q 'sideways' '$tmp/err.txt'"
"$gen" write "$tmp/x" --per-class 0 > /dev/null 2> "$tmp/err.txt"; rc=$?
check "--per-class 0 is refused" "[[ $rc == 1 ]] && grep -q 'per-class' '$tmp/err.txt'"
"$gen" > /dev/null 2>&1; rc=$?
check "no command is a usage error" "[[ $rc == 2 ]]"
exit $fail
