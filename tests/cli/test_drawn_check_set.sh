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
# predict normalises a picture's stroke width: one 7 drawn with a thin pen, a heavy pen, and small
# with a heavy pen gets (nearly) the same probabilities; merely fitted, the three would differ a lot.
if command -v convert > /dev/null; then
  convert -size 280x280 xc:white -fill none -stroke black -strokewidth 4 -draw "polyline 60,50 220,50 120,240" "$tmp/thin.png"
  convert -size 280x280 xc:white -fill none -stroke black -strokewidth 34 -draw "polyline 60,50 220,50 120,240" "$tmp/heavy.png"
  convert -size 280x280 xc:white -fill none -stroke black -strokewidth 11 -draw "polyline 180,30 230,30 197,93" "$tmp/small.png"
  "$bin" predict "$tmp/mlp.dlm" "$tmp/thin.png" "$tmp/heavy.png" "$tmp/small.png" --json > "$tmp/predict.json" 2>&1; rc=$?
  check "predict reads the three pictures" "[[ $rc == 0 ]]"
  check "the same 7 with any pen and size gets nearly the same probabilities" "python3 - '$tmp/predict.json' <<'PY'
import json, sys
p = [x['probabilities'] for x in json.load(open(sys.argv[1]))['predictions']]
assert len(p) == 3, p
for a in p:
    for b in p:
        d = sum(abs(u - v) for u, v in zip(a, b))
        assert d < 0.15, (d, p)
PY"
else
  echo "ok - skipped: ImageMagick's convert is not installed (the pen-width check of predict)"
fi
exit $fail
