#!/usr/bin/env bash
# Keras's callbacks from the command line: EarlyStopping stops the run and prints Keras's line,
# ReduceLROnPlateau prints Keras's line and lowers the rate, ModelCheckpoint writes a .dlm that
# loads and evaluates, a missing monitor warns as Keras does, and bad values are usage errors.
set -uo pipefail
bin=$(realpath "$1")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "FAIL - $1"; fail=1; fi; }

# min_delta 100 on the training loss: only the first epoch improves; patience 1 stops after epoch 2.
"$bin" train --model mlp --epochs 6 --threads 1 --early-stopping 1 --early-stopping-monitor loss --min-delta 100 \
  --restore-best-weights --checkpoint "$tmp/best.dlm" --save-best-only --checkpoint-monitor loss --json \
  > "$tmp/es.txt" 2> "$tmp/es.err"; rc=$?
check "train with callbacks exits 0" "[[ $rc == 0 ]]"
check "it stops after epoch 2 with Keras's line" "grep -qx 'Epoch 2: early stopping' '$tmp/es.txt'"
check "no epoch 3 is trained" "! grep -q '^Epoch 3/6' '$tmp/es.txt'"
check "it restores epoch 1's weights, saying so" \
  "grep -qx 'Restoring model weights from the end of the best epoch: 1.' '$tmp/es.txt'"
check "the checkpoint says it saved epoch 1" \
  "grep -Eqx 'Epoch 1: loss improved from None to [0-9]+\.[0-9]{5}, saving model to $tmp/best.dlm' '$tmp/es.txt'"
check "an epoch's callback lines come before its closing line, as Keras prints them" \
  "grep -A1 '^Epoch 1: loss improved' '$tmp/es.txt' | grep -Eq '^250/250 '"
check "the training end's lines come after the last one" \
  "grep -A1 -E '^250/250 ' '$tmp/es.txt' | tail -n 1 | grep -qx 'Epoch 2: early stopping'"
tail -n 1 "$tmp/es.txt" > "$tmp/es.json"
check "--json says it stopped early after 2 epochs" "python3 - '$tmp/es.json' <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d['stopped_early'] is True, d
assert len(d['epochs']) == 2, d
assert all(e['learning_rate'] == 0.2 for e in d['epochs']), d
PY"
check "the checkpoint is a model file that evaluates" "'$bin' evaluate '$tmp/best.dlm' > '$tmp/eval.txt' 2>&1"

# ReduceLROnPlateau from a spec file (min_delta 100: only the first epoch improves): Keras's line
# after epoch 2 with the float32 rate halved, and the rate in --json.
cat > "$tmp/spec.json" <<'JSON'
{"name": "tiny", "input_shape": [784],
 "layers": [{"class_name": "Dense", "units": 10, "activation": "softmax"}],
 "training": {"optimizer": {"class_name": "SGD", "learning_rate": 0.2}, "epochs": 3,
              "callbacks": [{"class_name": "ReduceLROnPlateau", "monitor": "loss", "min_delta": 100,
                             "patience": 1, "factor": 0.5}]}}
JSON
"$bin" train --model "$tmp/spec.json" --threads 1 --json > "$tmp/lr.txt" 2> "$tmp/lr.err"; rc=$?
check "train with ReduceLROnPlateau from a spec exits 0" "[[ $rc == 0 ]]"
check "it prints Keras's line after epoch 2" \
  "grep -qx 'Epoch 2: ReduceLROnPlateau reducing learning rate to 0.10000000149011612.' '$tmp/lr.txt'"
check "and again after epoch 3" \
  "grep -qx 'Epoch 3: ReduceLROnPlateau reducing learning rate to 0.05000000074505806.' '$tmp/lr.txt'"
tail -n 1 "$tmp/lr.txt" > "$tmp/lr.json"
check "--json has each epoch's closing rate" "python3 - '$tmp/lr.json' <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert [e['learning_rate'] for e in d['epochs']] == [0.2, 0.10000000149011612, 0.05000000074505806], d
assert d['stopped_early'] is False
PY"

# val_loss without validation: Keras's warning, and the run goes on to its last epoch.
"$bin" train --model mlp --epochs 2 --threads 1 --early-stopping 0 > "$tmp/w.txt" 2> "$tmp/w.err"; rc=$?
check "a missing monitor is no error" "[[ $rc == 0 ]]"
check "it warns as Keras does, once" \
  "[[ \$(grep -c 'Early stopping conditioned on metric \`val_loss\` which is not available. Available metrics are: accuracy,loss' '$tmp/w.err') == 1 ]]"
check "and trains every epoch" "grep -q '^Epoch 2/2' '$tmp/w.txt' && ! grep -q 'early stopping' '$tmp/w.txt'"

# Usage errors.
"$bin" train --model mlp --early-stopping -1 > /dev/null 2> "$tmp/e1.txt"; rc=$?
check "a negative patience is a usage error" "[[ $rc == 2 ]] && grep -q 'early-stopping must be a whole number' '$tmp/e1.txt'"
"$bin" train --model mlp --reduce-lr-on-plateau 2 --lr-factor 1 > /dev/null 2> "$tmp/e2.txt"; rc=$?
check "factor 1 is refused" "[[ $rc == 2 ]] && grep -q 'lr-factor' '$tmp/e2.txt'"
"$bin" train --model mlp --min-delta 0.1 > /dev/null 2> "$tmp/e3.txt"; rc=$?
check "--min-delta needs --early-stopping" "[[ $rc == 2 ]] && grep -q 'min-delta needs --early-stopping' '$tmp/e3.txt'"
"$bin" train --model mlp --early-stopping 1 --early-stopping-monitor val_acc > /dev/null 2> "$tmp/e4.txt"; rc=$?
check "an unknown monitor is refused" "[[ $rc == 2 ]] && grep -q 'loss, accuracy, val_loss or val_accuracy' '$tmp/e4.txt'"
"$bin" train --help > "$tmp/help.txt"
check "train's help lists the callbacks" \
  "grep -q -- '--early-stopping <PATIENCE>' '$tmp/help.txt' && grep -q -- '--reduce-lr-on-plateau' '$tmp/help.txt' && grep -q -- '--checkpoint <FILE>' '$tmp/help.txt'"
exit $fail
