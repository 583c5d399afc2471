#!/usr/bin/env bash
# Trains both tutorial presets on the full Fashion-MNIST (60,000 images, Debian's
# dataset-fashion-mnist: MNIST's exact format and shapes) with DigitLab and, right after in the
# same run, with the PyTorch peer (../shared/peer/torch_peer.py on OpenBLAS), and prints seconds
# per epoch and samples/s side by side with their ratio.
#
# Usage: bench/run.sh [BUILD_DIR]      (make bench does this)
#   THREADS=2  MODELS="mlp cnn"  PEER=path/to/torch_peer.py  RUNS=3
# Figures are medians over the runs' epochs (without each run's first epoch when it has more than
# one: warm-up), with the range beside them: one noisy epoch does not move the headline.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
THREADS=${THREADS:-2}
MODELS=${MODELS:-mlp cnn}
RUNS=${RUNS:-3}
DATA=/usr/share/datasets/fashion-mnist
PEER=${PEER:-$(cd .. && pwd)/shared/peer/torch_peer.py}
OUT=${OUT:-$BUILD/bench}
mkdir -p "$OUT"

[[ -f $DATA/train-images-idx3-ubyte.gz ]] || { echo "needs Debian's dataset-fashion-mnist (make test-deps)" >&2; exit 1; }

# The peer: Debian's PyTorch, on OpenBLAS with its AVX-512 kernels (see peer/README.md).
have_peer=0
if [[ -f $PEER ]]; then
  need=()
  for p in python3-torch python3-numpy; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
  done
  if [[ ${#need[@]} -gt 0 ]]; then
    sudo=(); [[ $(id -u) -ne 0 ]] && sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y --no-install-recommends "${need[@]}" >/dev/null
  fi
  OB=$OUT/openblas/usr/lib/x86_64-linux-gnu/openblas-openmp
  if [[ ! -d $OB ]]; then
    (cd "$OUT" && apt-get download libopenblas0-openmp >/dev/null 2>&1 && dpkg-deb -x libopenblas0-openmp_*.deb openblas) || true
  fi
  have_peer=1
else
  echo "peer script not found at $PEER: DigitLab figures only" >&2
fi

results=$OUT/results.jsonl
: > "$results"
for model in $MODELS; do
  for run in $(seq 1 "$RUNS"); do
    echo "== DigitLab $model (run $run)" >&2
    "$BUILD/app/digitlab" train --model "$model" --data fashion --threads "$THREADS" --json \
      | tail -n 1 | python3 -c "import json,sys; d=json.load(sys.stdin); d['who']='digitlab'; d['preset']='$model'; print(json.dumps(d))" >> "$results"
    if [[ $have_peer == 1 ]]; then
      echo "== PyTorch $model (run $run)" >&2
      extra=(); [[ $model == cnn ]] && extra=(--channels-last)
      env LD_LIBRARY_PATH="$OB" OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 "$PEER" --model "$model" \
        --threads "$THREADS" --data "$DATA" "${extra[@]}" --json-out "$OUT/peer.jsonl" >&2
      tail -n 1 "$OUT/peer.jsonl" | python3 -c "
import json,sys
d=json.load(sys.stdin)
print(json.dumps({'who':'pytorch','preset':'$model','epochs':[{'seconds':e['seconds'],'samples_per_second':e['samples_per_s'],'loss':e['train_loss'],'accuracy':e['train_acc']} for e in d['epochs']],'test':{'accuracy':d['test_acc']}}))" >> "$results"
    fi
  done
done

python3 - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def epoch_seconds(runs):
    out = []
    for r in runs:
        s = [e['seconds'] for e in r['epochs']]
        out += s[1:] if len(s) > 1 else s
    return out
def fig(runs):
    s = epoch_seconds(runs)
    return statistics.median(s), min(s), max(s), len(s)
print("| model | DigitLab s/epoch (median, range, n) | DigitLab samples/s | PyTorch s/epoch (median, range, n) | PyTorch samples/s | speed-up (medians) | DigitLab test acc | PyTorch test acc |")
print("|---|---|---|---|---|---|---|---|")
for preset in ('mlp', 'cnn'):
    ours = [r for r in rows if r['preset'] == preset and r['who'] == 'digitlab']
    peer = [r for r in rows if r['preset'] == preset and r['who'] == 'pytorch']
    if not ours:
        continue
    o, olo, ohi, on = fig(ours)
    line = f"| {preset} | {o:.2f} ({olo:.2f}–{ohi:.2f}, {on}) | {60000 / o:,.0f} |"
    if peer:
        p, plo, phi, pn = fig(peer)
        line += f" {p:.2f} ({plo:.2f}–{phi:.2f}, {pn}) | {60000 / p:,.0f} | {p / o:.2f}x |"
    else:
        line += " – | – | – |"
    line += f" {ours[-1]['test']['accuracy']:.4f} | {peer[-1]['test']['accuracy']:.4f} |" if peer else f" {ours[-1]['test']['accuracy']:.4f} | – |"
    print(line)
PY
