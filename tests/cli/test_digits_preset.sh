#!/usr/bin/env bash
# The Digits preset reaches the figures the README gives for it: trained on the embedded digits
# with three seeds, the median test accuracy (embedded MNIST test digits) and the median accuracy
# on the report part of the drawn check set (tests/data/drawn/report, hands the network never saw)
# are at least the README's figures less a margin of 0.015 (the spread over seeds is about 0.005).
# About a minute per seed on two cores.
set -uo pipefail
bin=$1
drawn=${DIGITLAB_SOURCE_DIR:?}/tests/data/drawn/report
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "FAIL - $1"; fail=1; fi; }

readme_test=0.987   # README: "Digits ... 0.987 on MNIST's test digits"
readme_drawn=0.985  # README: "... 0.985 on the drawn check set"
margin=0.015

accuracy() { grep -Eo 'Test accuracy: [0-9.]+' "$1" | tail -1 | grep -Eo '[0-9.]+$'; }

tests=() drawns=()
for seed in 1 2 3; do
  "$bin" train --model digits --seed "$seed" --save "$tmp/d$seed.dlm" > "$tmp/train$seed.txt" 2>&1
  check "seed $seed trains and saves" "[[ $? == 0 && -f '$tmp/d$seed.dlm' ]]"
  "$bin" evaluate "$tmp/d$seed.dlm" --data "$drawn" > "$tmp/drawn$seed.txt" 2>&1
  tests+=("$(accuracy "$tmp/train$seed.txt")")
  drawns+=("$(accuracy "$tmp/drawn$seed.txt")")
  echo "# seed $seed: test ${tests[-1]}, drawn ${drawns[-1]}"
done
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
mt=$(median "${tests[@]}")
md=$(median "${drawns[@]}")
echo "# median test $mt, median drawn $md"
check "median test accuracy $mt >= $readme_test - $margin" "python3 -c 'import sys; sys.exit(not ($mt >= $readme_test - $margin))'"
check "median drawn accuracy $md >= $readme_drawn - $margin" "python3 -c 'import sys; sys.exit(not ($md >= $readme_drawn - $margin))'"
# The model file says what it is: augmentation layers, run in training only, saved as Keras writes them.
check "the saved model keeps its augmentation layers" \
  "python3 -c \"import zipfile,sys; sys.exit(b'RandomRotation' not in zipfile.ZipFile('$tmp/d1.dlm').read('config.json'))\""
exit $fail
