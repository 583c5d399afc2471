#!/usr/bin/env bash
# The model-file commands as a user runs them: export-keras of the presets, and evaluate/predict
# refusing what is not a model file. (Saving a .dlm is `train --save`; round trips are covered by
# tests/core/test_ModelFile.cpp.)
set -uo pipefail
bin=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "FAIL - $1"; fail=1; fi; }

"$bin" export-keras cnn -o "$tmp/cnn.py" > "$tmp/out.txt"; rc=$?
check "export-keras exits 0" "[[ $rc == 0 ]]"
check "export-keras writes the CNN's layers" "grep -q 'layers.Conv2D(64, kernel_size=(5, 5)' '$tmp/cnn.py'"
check "export-keras writes the optimizer" "grep -q 'keras.optimizers.Adam(learning_rate=0.0001)' '$tmp/cnn.py'"
if command -v python3 > /dev/null; then
  check "the script compiles as Python" "python3 -m py_compile '$tmp/cnn.py'"
fi
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
"$bin" --help > "$tmp/help.txt"
check "help lists the commands" "grep -q 'digitlab evaluate MODEL.dlm' '$tmp/help.txt' && grep -q 'digitlab export-keras' '$tmp/help.txt'"

exit $fail
