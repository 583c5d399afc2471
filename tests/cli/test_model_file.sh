#!/usr/bin/env bash
# The model-file commands as a user runs them: export-keras of the presets, evaluate/predict
# refusing what is not a model file, and a trained model through evaluate, predict, summary,
# plot-model and export-keras. (Saving a .dlm is `train --save`; round trips are covered by
# tests/core/test_ModelFile.cpp.)
set -uo pipefail
bin=$(realpath "$1")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "FAIL - $1"; fail=1; fi; }

"$bin" export-keras cnn -o "$tmp/cnn.py" > "$tmp/out.txt"; rc=$?
check "export-keras exits 0" "[[ $rc == 0 ]]"
check "export-keras writes the CNN's layers" "grep -q 'layers.Conv2D(64, kernel_size=(5, 5)' '$tmp/cnn.py'"
check "export-keras writes the optimizer" "grep -q 'keras.optimizers.Adam(learning_rate=0.0001)' '$tmp/cnn.py'"
# A spec file (an existing .json) is a spec, not a model file to unzip.
cat > "$tmp/spec.json" <<'JSON'
{"name": "tiny", "input_shape": [784],
 "layers": [{"class_name": "Dense", "units": 10, "activation": "softmax"}]}
JSON
"$bin" export-keras "$tmp/spec.json" -o "$tmp/spec.py" > "$tmp/spec_out.txt" 2>&1; rc=$?
check "export-keras of an existing spec .json reads it as a spec" "[[ $rc == 0 ]] && grep -q 'layers.Dense(10' '$tmp/spec.py'"
check "the script compiles as Python" "python3 -m py_compile '$tmp/cnn.py'"
"$bin" export-keras mlp --data fashion > "$tmp/mlp.py"; rc=$?
check "export-keras writes to standard output" "[[ $rc == 0 ]] && grep -q 'fashion_mnist.load_data()' '$tmp/mlp.py'"
"$bin" export-keras resnet > /dev/null 2> "$tmp/err.txt"; rc=$?
check "export-keras of an unknown model fails and names it" "[[ $rc == 1 ]] && grep -q 'resnet' '$tmp/err.txt'"

echo "not a zip" > "$tmp/bad.dlm"
"$bin" evaluate "$tmp/bad.dlm" > /dev/null 2> "$tmp/err.txt"; rc=$?
check "evaluate refuses a broken model file and names it" "[[ $rc == 1 ]] && grep -q 'bad.dlm: not a DigitLab model file' '$tmp/err.txt'"
"$bin" evaluate > /dev/null 2>&1; rc=$?
check "evaluate without a model is a usage error" "[[ $rc == 2 ]]"
"$bin" predict "$tmp/bad.dlm" > /dev/null 2>&1; rc=$?
check "predict without pictures is a usage error" "[[ $rc == 2 ]]"
"$bin" predict "$tmp/bad.dlm" "$tmp/x.png" > /dev/null 2> "$tmp/err.txt"; rc=$?
check "predict refuses a broken model file" "[[ $rc == 1 ]] && grep -q 'bad.dlm' '$tmp/err.txt'"
# A real model: train one epoch, save it, then use it the ways a user does.
"$bin" train --model mlp --epochs 1 --threads 1 --json --save "$tmp/mlp.dlm" > "$tmp/train.txt" 2>&1; rc=$?
check "train --save writes a model file" "[[ $rc == 0 && -s '$tmp/mlp.dlm' ]]"
"$bin" evaluate "$tmp/mlp.dlm" --threads 1 --json > "$tmp/eval.txt" 2>&1; rc=$?
check "evaluate exits 0 and prints the tutorial's line" "[[ $rc == 0 ]] && grep -Eq '^Test loss: [0-9.]+ - Test accuracy: 0\.[0-9]{4}$' '$tmp/eval.txt'"
tail -n 1 "$tmp/train.txt" > "$tmp/train.json"; tail -n 1 "$tmp/eval.txt" > "$tmp/eval.json"
check "evaluate --json ends with one JSON line matching train's test figures" "python3 - '$tmp/train.json' '$tmp/eval.json' <<'PY'
import json, sys
t = json.load(open(sys.argv[1])); e = json.load(open(sys.argv[2]))
assert e['test']['count'] == 2000, e
assert abs(e['test']['accuracy'] - t['test']['accuracy']) < 1e-9, (e, t)
assert abs(e['test']['loss'] - t['test']['loss']) < 1e-4, (e, t)
PY"
"$bin" summary --model "$tmp/mlp.dlm" > "$tmp/summary.txt"; rc=$?
check "summary takes a .dlm" "[[ $rc == 0 ]] && grep -q 'Total params: 178,110' '$tmp/summary.txt'"
"$bin" plot-model --model "$tmp/mlp.dlm" -o "$tmp/mlp.png" --show-shapes > /dev/null 2>&1; rc=$?
check "plot-model takes a .dlm" "[[ $rc == 0 ]] && head -c 8 '$tmp/mlp.png' | od -An -c | grep -q 'P   N   G'"
(cd "$tmp" && "$bin" export-keras mlp.dlm -o "$tmp/trained.py" > /dev/null); rc=$?
check "export-keras of a .dlm loads the weights by absolute path" "[[ $rc == 0 ]] && grep -qF 'DIGITLAB_WEIGHTS = \"$tmp/mlp.dlm\"' '$tmp/trained.py'"
check "that script compiles as Python" "python3 -m py_compile '$tmp/trained.py'"
cp "$tmp/mlp.dlm" "$tmp/mlp.model"
"$bin" evaluate "$tmp/mlp.model" --threads 1 > /dev/null 2>&1; rc=$?
check "evaluate takes a model file saved under another suffix" "[[ $rc == 0 ]]"

# predict: ten real test digits written as PGM pictures (Qt reads PGM), and a blank one.
python3 - "$DIGITLAB_SOURCE_DIR/resources/mnist" "$tmp" <<'PY'
import gzip, sys
src, out = sys.argv[1], sys.argv[2]
images = gzip.open(src + '/t10k-images-idx3-ubyte.gz').read()[16:]
labels = gzip.open(src + '/t10k-labels-idx1-ubyte.gz').read()[8:]
with open(out + '/labels.txt', 'w') as f:
    for i in range(10):
        with open('%s/digit%d.pgm' % (out, i), 'wb') as p:
            p.write(b'P5 28 28 255\n' + images[i * 784:(i + 1) * 784])
        f.write('%d\n' % labels[i])
with open(out + '/blank.pgm', 'wb') as p:
    p.write(b'P5 28 28 255\n' + bytes(784))
PY
"$bin" predict "$tmp/mlp.dlm" "$tmp"/digit?.pgm > "$tmp/predict.txt" 2>&1; rc=$?
check "predict exits 0 and prints a digit per picture" "[[ $rc == 0 ]] && [[ \$(grep -Ec '^$tmp/digit[0-9].pgm: [0-9] \(0\.[0-9]{4}\)' '$tmp/predict.txt') == 10 ]]"
check "predict prints the 10 probabilities" "grep -Eq '^  0: 0\.[0-9]{4}( [0-9]: [01]\.[0-9]{4}){9}$' '$tmp/predict.txt'"
"$bin" predict "$tmp/mlp.dlm" "$tmp"/digit?.pgm "$tmp/blank.pgm" --json > "$tmp/predict.json" 2>&1; rc=$?
check "predict --json: one JSON line, probabilities sum to 1, most digits right, blank flagged" "[[ $rc == 0 ]] && python3 - '$tmp/predict.json' '$tmp/labels.txt' <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
d = json.loads(lines[0])
labels = [int(x) for x in open(sys.argv[2]).read().split()]
preds = d['predictions']
assert len(preds) == 11, preds
right = 0
for p, label in zip(preds[:10], labels):
    assert len(p['probabilities']) == 10 and abs(sum(p['probabilities']) - 1) < 1e-4, p
    assert p['digit'] == max(range(10), key=lambda k: p['probabilities'][k]) and not p['empty'], p
    right += p['digit'] == label
assert right >= 8, (right, [p['digit'] for p in preds], labels)
assert preds[10]['empty'] is True, preds[10]
PY"
"$bin" predict "$tmp/mlp.dlm" "$tmp/missing.png" > /dev/null 2> "$tmp/err.txt"; rc=$?
check "predict names a picture it cannot read" "[[ $rc == 1 ]] && grep -q 'missing.png: cannot read the picture' '$tmp/err.txt'"

"$bin" --help > "$tmp/help.txt"
check "help lists the commands" "grep -q 'digitlab evaluate MODEL.dlm' '$tmp/help.txt' && grep -q 'digitlab export-keras' '$tmp/help.txt'"

exit $fail
