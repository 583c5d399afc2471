#!/usr/bin/env bash
# What a user sees must not change by accident: the `summary` text, the `plot-model` PNG and SVG
# of both presets, the Keras script and the members of a saved .dlm (all but metadata.json, which
# holds the date) are compared with golden copies in tests/data/golden. When a change is meant,
# regenerate them with `bash tests/cli/test_golden.sh build/app/digitlab --update` and review the
# diff. PNGs, SVGs and the .dlm's JSON members are compared by SHA-256 (goldens.sha256), texts as
# text, the weights as weights.txt says.
set -uo pipefail
bin=$1
update=${2:-}
golden="$(cd "$(dirname "$0")/../data/golden" && pwd)"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "FAIL - $1"; fail=1; fi; }

for m in mlp cnn; do
  "$bin" summary --model $m > "$tmp/summary_$m.txt"
  "$bin" export-keras $m -o "$tmp/keras_$m.py" > /dev/null
  "$bin" plot-model --model $m -o "$tmp/plot_$m.png" --show-shapes > /dev/null 2>&1
  "$bin" plot-model --model $m -o "$tmp/plot_$m.svg" --show-shapes --show-activations --rankdir LR > /dev/null 2>&1
done
# A trained model file: one epoch of the MLP on one thread (reproducible to the bit).
"$bin" train --model mlp --epochs 1 --threads 1 --save "$tmp/mlp.dlm" > /dev/null 2>&1
python3 - "$tmp/mlp.dlm" "$tmp/members" <<'PY'
import sys, zipfile, os
z = zipfile.ZipFile(sys.argv[1])
out = sys.argv[2]
os.makedirs(out, exist_ok=True)
for name in sorted(z.namelist()):
    if name == "metadata.json":
        continue
    path = os.path.join(out, name.replace("/", "__"))
    with open(path, "wb") as f:
        f.write(z.read(name))
PY
# The weights' bytes depend on the processor's vector width (sums round differently), so they are
# compared as the .npy header (byte for byte) and a few statistics to 1e-4; everything else by hash.
python3 - "$tmp/members" > "$tmp/weights.txt" <<'PY'
import sys, os, struct, hashlib
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    if not name.endswith(".npy"):
        continue
    data = open(os.path.join(d, name), "rb").read()
    header_len = struct.unpack("<H", data[8:10])[0]
    header, body = data[:10 + header_len], data[10 + header_len:]
    values = struct.unpack("<%df" % (len(body) // 4), body)
    print(name, hashlib.sha256(header).hexdigest()[:16], len(values),
          "%.6g" % sum(values), "%.6g" % sum(abs(v) for v in values), " ".join("%.6g" % v for v in values[:3]))
PY
rm -f "$tmp"/members/*.npy
( cd "$tmp" && sha256sum plot_mlp.png plot_cnn.png plot_mlp.svg plot_cnn.svg members/* ) > "$tmp/goldens.sha256"

if [[ "$update" == "--update" ]]; then
  cp "$tmp"/summary_*.txt "$tmp"/keras_*.py "$tmp/goldens.sha256" "$tmp/weights.txt" "$golden/"
  echo "goldens written to $golden"
  exit 0
fi
for m in mlp cnn; do
  check "summary --model $m is unchanged" "diff -u '$golden/summary_$m.txt' '$tmp/summary_$m.txt'"
  check "export-keras $m is unchanged" "diff -u '$golden/keras_$m.py' '$tmp/keras_$m.py'"
done
check "plot-model PNG/SVG and the .dlm's JSON members are unchanged" "diff -u '$golden/goldens.sha256' '$tmp/goldens.sha256'"
check "the .dlm's weights keep their .npy headers, sizes and values (to 1e-4)" "python3 - '$golden/weights.txt' '$tmp/weights.txt' <<'PY'
import sys
want = [l.split() for l in open(sys.argv[1])]
got = [l.split() for l in open(sys.argv[2])]
assert len(want) == len(got), (len(want), len(got))
for w, g in zip(want, got):
    assert w[:3] == g[:3], (w[:3], g[:3])
    for a, b in zip(w[3:], g[3:]):
        assert abs(float(a) - float(b)) <= 1e-4 * max(1.0, abs(float(a))), (w[0], a, b)
PY"
exit $fail
