#!/usr/bin/env bash
# --data my: the person's own digits (kept by the app in <XDG_DATA_HOME>/DigitLab/DigitLab/my-digits)
# as a dataset for train and evaluate. HOME and XDG_DATA_HOME point at a scratch folder: the test
# never reads or writes the real user's digits.
set -uo pipefail
bin=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache" XDG_CONFIG_HOME="$tmp/config"
mkdir -p "$HOME"
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "FAIL - $1"; fail=1; fi; }
mine="$XDG_DATA_HOME/DigitLab/DigitLab/my-digits"

"$bin" train --model mlp --data my --epochs 1 --threads 1 > "$tmp/empty.txt" 2>&1; rc=$?
check "train --data my with no digits fails" "[[ $rc == 1 ]]"
check "and says how to get some" "grep -q 'My digits is empty: draw digits and press Add to my digits' '$tmp/empty.txt'"

# 60 real digits (the embedded test set's first ones) as my digits, in the app's file format.
mkdir -p "$mine"
python3 - "$DIGITLAB_SOURCE_DIR/resources/mnist" "$mine" <<'PY'
import gzip, struct, sys
src, dst = sys.argv[1], sys.argv[2]
n = 60
images = gzip.open(src + "/t10k-images-idx3-ubyte.gz").read()
labels = gzip.open(src + "/t10k-labels-idx1-ubyte.gz").read()
open(dst + "/my-digits-images-idx3-ubyte", "wb").write(struct.pack(">IIII", 0x803, n, 28, 28) + images[16:16 + n * 784])
open(dst + "/my-digits-labels-idx1-ubyte", "wb").write(struct.pack(">II", 0x801, n) + labels[8:8 + n])
PY

"$bin" train --model mlp --data my --epochs 3 --threads 1 --save "$tmp/m.dlm" > "$tmp/train.txt" 2>&1; rc=$?
check "train --data my exits 0" "[[ $rc == 0 ]]"
check "train names my digits and their count" "grep -q 'on My digits: 60 train / 60 test images' '$tmp/train.txt'"
check "train on 60 digits takes 2 steps of 32" "grep -Eq '^2/2 ' '$tmp/train.txt'"
"$bin" evaluate "$tmp/m.dlm" --data my --threads 1 --json > "$tmp/eval.txt" 2>&1; rc=$?
check "evaluate --data my exits 0" "[[ $rc == 0 ]]"
check "evaluate scores the 60 digits of My digits" "python3 - '$tmp/eval.txt' <<'PY'
import json, sys
d = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
assert d['data'] == 'My digits' and d['test']['count'] == 60, d
a = d['test']['accuracy']
assert 0 <= a <= 1 and abs(a * 60 - round(a * 60)) < 1e-6, d  # a whole number of the 60 right
PY"

"$bin" evaluate "$tmp/m.dlm" --threads 1 > "$tmp/default.txt" 2>&1; rc=$?
check "evaluate without --data scores a model trained on my digits on them" \
  "[[ $rc == 0 ]] && grep -q 'on My digits: 60 test images' '$tmp/default.txt'"

# A damaged labels file: a clear error naming it, and the file is left exactly as it was.
printf '\x00\x00\x08\x01\x00\x00\x00\x3d' > "$tmp/hdr" && cat "$tmp/hdr" > "$mine/my-digits-labels-idx1-ubyte"
head -c 60 /dev/zero >> "$mine/my-digits-labels-idx1-ubyte"
before=$(sha256sum "$mine/my-digits-labels-idx1-ubyte")
"$bin" evaluate "$tmp/m.dlm" --data my --threads 1 > "$tmp/bad.txt" 2>&1; rc=$?
check "a damaged my-digits file fails evaluate" "[[ $rc == 1 ]]"
check "the error names the file and the defect" "grep -q 'my-digits-labels-idx1-ubyte: truncated' '$tmp/bad.txt'"
check "the damaged file is left as it was" "[[ \"\$(sha256sum '$mine/my-digits-labels-idx1-ubyte')\" == \"$before\" ]]"

exit $fail
