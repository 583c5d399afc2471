#!/usr/bin/env bash
# `digitlab evaluate MODEL --data tests/data/drawn/PART` reads the drawn-digits check set (made by
# tools/drawn_digits): 400 digits per part, 40 of each class, scored by a freshly trained model.
set -uo pipefail
bin=$(realpath "$1")
src=${DIGITLAB_SOURCE_DIR:-$(dirname "$0")/../..}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "FAIL - $1"; fail=1; fi; }

"$bin" train --model mlp --epochs 1 --threads 1 --save "$tmp/mlp.dlm" > "$tmp/train.txt" 2>&1; rc=$?
check "train --save writes a model file" "[[ $rc == 0 && -s '$tmp/mlp.dlm' ]]"
for part in tune report; do
  "$bin" evaluate "$tmp/mlp.dlm" --threads 1 --data "$src/tests/data/drawn/$part" --json > "$tmp/$part.txt" 2>&1; rc=$?
  check "evaluate --data tests/data/drawn/$part exits 0" "[[ $rc == 0 ]]"
  tail -n 1 "$tmp/$part.txt" > "$tmp/$part.json"
  check "it scores the $part part's 400 digits, better than chance" "python3 - '$tmp/$part.json' <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
assert e['test']['count'] == 400, e
assert e['test']['accuracy'] > 0.3, e
assert e['data'].endswith('drawn/$part'), e
PY"
done
exit $fail
