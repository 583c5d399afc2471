#!/usr/bin/env bash
# The command line as a user runs it: summary, a short training run with --json, and errors.
set -uo pipefail
bin=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "FAIL - $1"; fail=1; fi; }

"$bin" summary --model cnn > "$tmp/summary.txt"; rc=$?
check "summary exits 0" "[[ $rc == 0 ]]"
check "summary shows the CNN's total" "grep -q 'Total params: 3,274,634 (12.49 MB)' '$tmp/summary.txt'"
check "summary shows conv2d's output shape" "grep -q '(None, 28, 28, 32)' '$tmp/summary.txt'"

"$bin" train --model mlp --epochs 2 --threads 1 --json > "$tmp/train.txt" 2> "$tmp/train.err"; rc=$?
check "train exits 0" "[[ $rc == 0 ]]"
check "train prints Epoch 1/2" "grep -q '^Epoch 1/2' '$tmp/train.txt'"
check "train prints a Keras progress line" "grep -Eq '^250/250 .* - accuracy: 0\.[0-9]{4} - loss: [0-9]+\.[0-9]{4}' '$tmp/train.txt'"
check "train prints test accuracy" "grep -Eq '^Test loss: [0-9.]+ - Test accuracy: 0\.[0-9]+' '$tmp/train.txt'"
tail -n 1 "$tmp/train.txt" > "$tmp/result.json"
check "train --json ends with the documented JSON" "python3 - '$tmp/result.json' <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d['epochs']) == 2, d
for e in d['epochs']:
    assert e['seconds'] > 0 and 0 < e['accuracy'] <= 1 and e['loss'] > 0
assert d['epochs'][1]['loss'] < d['epochs'][0]['loss']
assert 0.85 < d['test']['accuracy'] <= 1 and d['train']['loss'] > 0  # learns (0.89-0.92 over seeds after 2 epochs)
assert d['samples_per_second'] > 0
PY"

# The flags: optimizer, learning rate, batch size, seed and a data folder.
mnist_dir="$DIGITLAB_SOURCE_DIR/resources/mnist"
flags=(--model mlp --epochs 1 --threads 1 --optimizer adam --lr 0.001 --batch-size 64 --data "$mnist_dir" --json)
"$bin" train "${flags[@]}" --seed 7 > "$tmp/a.txt" 2>&1; rc=$?
check "train with flags exits 0" "[[ $rc == 0 ]]"
check "train reports the flags it used" "grep -q 'batch 64, 1 epoch, adam lr 0.001' '$tmp/a.txt'"
check "batch 64 makes 125 steps of 8,000 images" "grep -Eq '^125/125 ' '$tmp/a.txt'"
"$bin" train "${flags[@]}" --seed 7 > "$tmp/b.txt" 2>&1
"$bin" train "${flags[@]}" --seed 8 > "$tmp/c.txt" 2>&1
check "the same seed reproduces the run" "[[ \"\$(tail -n1 '$tmp/a.txt' | grep -o '\"train\":{[^}]*}')\" == \"\$(tail -n1 '$tmp/b.txt' | grep -o '\"train\":{[^}]*}')\" ]]"
check "another seed gives another run" "[[ \"\$(tail -n1 '$tmp/a.txt' | grep -o '\"train\":{[^}]*}')\" != \"\$(tail -n1 '$tmp/c.txt' | grep -o '\"train\":{[^}]*}')\" ]]"
check "Adam learns in one epoch" "python3 -c \"import json,sys; d=json.loads(open('$tmp/a.txt').read().splitlines()[-1]); assert d['test']['accuracy'] > 0.85, d\""
"$bin" train --model mlp --seed 2147483647 --epochs 1 --threads 1 --json --save "$tmp/seed.dlm" > /dev/null 2>&1; rc=$?
check "the largest seed (2^31 - 1) is kept as given" "[[ $rc == 0 ]] && python3 -c \"import json,zipfile; t=json.loads(zipfile.ZipFile('$tmp/seed.dlm').read('training.json')); assert t['seed'] == 2147483647, t\""
"$bin" train --model mlp --seed 2147483648 > /dev/null 2> "$tmp/err.txt"; rc=$?
check "a seed beyond 2^31 - 1 is a usage error" "[[ $rc == 2 ]] && grep -q -- '--seed must be a whole number from 0 to 2147483647' '$tmp/err.txt'"
"$bin" train --model mlp --seed -1 > /dev/null 2> "$tmp/err.txt"; rc=$?
check "a negative seed is a usage error" "[[ $rc == 2 ]] && grep -q -- '--seed' '$tmp/err.txt'"
if [[ -d /usr/share/datasets/fashion-mnist ]]; then
  "$bin" train --model mlp --epochs 1 --data fashion --json > "$tmp/f.txt" 2>&1; rc=$?
  check "--data fashion trains on Debian's 60,000 Fashion-MNIST images" "[[ $rc == 0 ]] && grep -q 'Fashion-MNIST: 60000 train / 10000 test' '$tmp/f.txt' && grep -Eq '^1875/1875 ' '$tmp/f.txt'"
fi

"$bin" train --model nonsense > /dev/null 2> "$tmp/err.txt"; rc=$?
check "unknown model fails with exit 1" "[[ $rc == 1 ]]"
check "and says what is wrong" "grep -qi 'nonsense' '$tmp/err.txt'"
check "and what --model takes" "grep -q \"unknown model 'nonsense': expected mlp, cnn, digits, a spec file (.json) or a model file (.dlm)\" '$tmp/err.txt'"
# --model takes a spec file whatever the case of its suffix.
python3 - "$tmp/spec.JSON" <<'PY'
import json, sys
json.dump({"name": "tiny", "input_shape": [784],
           "layers": [{"class_name": "Dense", "units": 10, "activation": "softmax"}]}, open(sys.argv[1], "w"))
PY
"$bin" summary --model "$tmp/spec.JSON" > "$tmp/tiny.txt" 2>&1; rc=$?
check "summary --model SPEC.JSON reads the spec file" "[[ $rc == 0 ]] && grep -q 'Total params: 7,850' '$tmp/tiny.txt'"
"$bin" train --model mlp --epochs zero > /dev/null 2> "$tmp/err.txt"; rc=$?
check "bad --epochs is a usage error (exit 2)" "[[ $rc == 2 ]] && grep -q -- '--epochs' '$tmp/err.txt'"
"$bin" train --model mlp --data /nonexistent/folder > /dev/null 2> "$tmp/err.txt"; rc=$?
check "missing data folder fails and names it" "[[ $rc == 1 ]] && grep -q '/nonexistent/folder' '$tmp/err.txt'"
"$bin" frobnicate > /dev/null 2>&1; rc=$?
check "unknown command is a usage error" "[[ $rc == 2 ]]"

echo "{ not json" > "$tmp/bad.json"
"$bin" summary --model "$tmp/bad.json" > /dev/null 2> "$tmp/err.txt"; rc=$?
check "malformed spec file fails and names the file" "[[ $rc == 1 ]] && grep -q 'bad.json' '$tmp/err.txt'"

# --save writes a model file that evaluate reads back with the same test accuracy.
"$bin" train --model mlp --epochs 1 --threads 1 --save "$tmp/m.dlm" > "$tmp/saved.txt" 2>/dev/null; rc=$?
check "train --save exits 0 and writes the file" "[[ $rc == 0 && -s '$tmp/m.dlm' ]]"
acc=$(grep -Eo 'Test accuracy: [0-9.]+' "$tmp/saved.txt" | grep -Eo '[0-9.]+$')
"$bin" evaluate "$tmp/m.dlm" > "$tmp/eval.txt" 2>/dev/null; rc=$?
check "evaluate of the saved model gives the same test accuracy ($acc)" "[[ $rc == 0 ]] && grep -q 'Test accuracy: $acc' '$tmp/eval.txt'"
"$bin" train --model "$tmp/m.dlm" --epochs 1 --threads 1 > "$tmp/cont.txt" 2>/dev/null; rc=$?
check "train --model FILE.dlm continues from its weights" "[[ $rc == 0 ]] && grep -q 'Continuing from the weights' '$tmp/cont.txt'"

exit $fail
