#!/usr/bin/env bash
# `digitlab inspect` as a user runs it: a tiny CNN and an MLP trained for one epoch, then every
# mode (summary, --layer, --saliency x3, --weights) as text, as PNG pictures of the documented
# size and as JSON of the right shape, and the errors (unknown layer, bad method, usage).
set -uo pipefail
bin=$(realpath "$1")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "FAIL - $1"; fail=1; fi; }
# PNG signature and size (width, height) from the IHDR chunk.
pngsize() { python3 -c "import struct,sys; d=open(sys.argv[1],'rb').read(24); assert d[:8]==b'\x89PNG\r\n\x1a\n'; print(*struct.unpack('>II', d[16:24]))" "$1"; }

python3 - "$tmp/cnn.json" <<'PY'
import json, sys
json.dump({"name": "tiny_cnn", "input_shape": [28, 28, 1],
           "layers": [{"class_name": "Conv2D", "filters": 8, "kernel_size": [3, 3], "activation": "relu"},
                      {"class_name": "MaxPooling2D", "pool_size": [2, 2]},
                      {"class_name": "Conv2D", "filters": 6, "kernel_size": [3, 3], "activation": "relu"},
                      {"class_name": "MaxPooling2D", "pool_size": [2, 2]},
                      {"class_name": "Flatten"},
                      {"class_name": "Dense", "units": 10, "activation": "softmax"}]},
          open(sys.argv[1], "w"))
PY
"$bin" train --model "$tmp/cnn.json" --epochs 1 --optimizer adam --lr 0.003 --threads 2 --save "$tmp/cnn.dlm" > "$tmp/train.txt" 2>&1; rc=$?
check "a tiny CNN trains and is saved" "[[ $rc == 0 && -s '$tmp/cnn.dlm' ]]"
"$bin" train --model mlp --epochs 1 --threads 2 --save "$tmp/mlp.dlm" > /dev/null 2>&1; rc=$?
check "an MLP trains and is saved" "[[ $rc == 0 && -s '$tmp/mlp.dlm' ]]"

# The first test digit as a PGM picture.
python3 - "$DIGITLAB_SOURCE_DIR/resources/mnist" "$tmp" <<'PY'
import gzip, sys
src, out = sys.argv[1], sys.argv[2]
images = gzip.open(src + '/t10k-images-idx3-ubyte.gz').read()[16:]
open(out + '/seven.pgm', 'wb').write(b'P5 28 28 255\n' + images[:784])
PY
img="$tmp/seven.pgm"

"$bin" inspect --help > "$tmp/help.txt"; rc=$?
check "inspect --help exits 0 and lists every option" "[[ $rc == 0 ]] && for o in --layer --saliency --class --gradcam-layer --weights --output --scale --json; do grep -q -- \"\$o\" '$tmp/help.txt' || exit 1; done"
"$bin" --help | grep -q 'digitlab inspect MODEL.dlm'; rc=$?
check "digitlab --help lists inspect" "[[ $rc == 0 ]]"

"$bin" inspect "$tmp/cnn.dlm" "$img" > "$tmp/summary.txt" 2>&1; rc=$?
check "the summary lists every layer and the prediction" "[[ $rc == 0 ]] && grep -Eq '^conv2d +\(Conv2D\) +\(26, 26, 8\) +min' '$tmp/summary.txt' && grep -q '^dense ' '$tmp/summary.txt' && grep -Eq '^Prediction: [0-9] \(' '$tmp/summary.txt'"

"$bin" inspect "$tmp/cnn.dlm" "$img" --layer conv2d -o "$tmp/maps.png" > "$tmp/out.txt"; rc=$?
check "--layer conv2d -o: 8 maps of 26x26 x4 in a 3x3 grid, gap 2" "[[ $rc == 0 && \$(pngsize '$tmp/maps.png') == '316 316' ]]"
"$bin" inspect "$tmp/cnn.dlm" "$img" --layer dense -o "$tmp/dense.png" --scale 2 > /dev/null; rc=$?
check "--layer dense -o: a strip of 10 cells" "[[ $rc == 0 && \$(pngsize '$tmp/dense.png') == '78 6' ]]"
"$bin" inspect "$tmp/cnn.dlm" "$img" --layer max_pooling2d_1 --json > "$tmp/layer.json"; rc=$?
check "--layer --json: that layer's shape and values" "[[ $rc == 0 ]] && python3 - '$tmp/layer.json' <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d['layers']) == 1, d.keys()
l = d['layers'][0]
assert l['name'] == 'max_pooling2d_1' and l['class_name'] == 'MaxPooling2D' and l['shape'] == [5, 5, 6], l['shape']
assert len(l['values']) == 150 and min(l['values']) >= 0
PY"
"$bin" inspect "$tmp/cnn.dlm" "$img" --json > "$tmp/all.json"; rc=$?
check "--json: every layer, the last one probabilities" "[[ $rc == 0 ]] && python3 - '$tmp/all.json' <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
names = [l['name'] for l in d['layers']]
assert names == ['conv2d', 'max_pooling2d', 'conv2d_1', 'max_pooling2d_1', 'flatten', 'dense'], names
for l in d['layers']:
    n = 1
    for s in l['shape']: n *= s
    assert len(l['values']) == n, l['name']
p = d['layers'][-1]['values']
assert abs(sum(p) - 1) < 1e-4 and d['prediction'] == p.index(max(p))
PY"

for m in gradxinput occlusion gradcam; do
  "$bin" inspect "$tmp/cnn.dlm" "$img" --saliency $m -o "$tmp/$m.png" > "$tmp/$m.txt"; rc=$?
  check "--saliency $m -o: a 224x224 overlay" "[[ $rc == 0 && \$(pngsize '$tmp/$m.png') == '224 224' ]] && grep -q 'Wrote' '$tmp/$m.txt'"
  "$bin" inspect "$tmp/cnn.dlm" "$img" --saliency $m --class 3 --json > "$tmp/$m.json"; rc=$?
  check "--saliency $m --json: a 28x28 map for class 3" "[[ $rc == 0 ]] && python3 - '$tmp/$m.json' $m <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d['method'] == sys.argv[2] and d['class'] == 3 and d['shape'] == [28, 28], d.keys()
assert len(d['values']) == 784 and 0 <= d['probability'] <= 1
assert any(v != 0 for v in d['values'])
if sys.argv[2] == 'gradcam':
    assert d['layer'] == 'conv2d_1' and d['cam_shape'] == [11, 11] and len(d['cam']) == 121
    assert min(d['values']) >= 0
PY"
done
"$bin" inspect "$tmp/cnn.dlm" "$img" --saliency gradcam --gradcam-layer conv2d --json > "$tmp/gc.json"; rc=$?
check "--gradcam-layer picks the Conv2D layer" "[[ $rc == 0 ]] && python3 -c \"import json; d=json.load(open('$tmp/gc.json')); assert d['layer']=='conv2d' and d['cam_shape']==[26,26]\""
"$bin" inspect "$tmp/cnn.dlm" "$img" --saliency occlusion > "$tmp/occ.txt"; rc=$?
check "--saliency without -o prints a summary" "[[ $rc == 0 ]] && grep -q '^occlusion for class [0-9] (probability' '$tmp/occ.txt' && grep -q '^strongest pixels' '$tmp/occ.txt'"

"$bin" inspect "$tmp/cnn.dlm" --weights conv2d -o "$tmp/kernels.png" --scale 8 > /dev/null; rc=$?
check "--weights conv2d -o: 8 kernels of 3x3 x8 in a 3x3 grid, no picture needed" "[[ $rc == 0 && \$(pngsize '$tmp/kernels.png') == '76 76' ]]"
"$bin" inspect "$tmp/cnn.dlm" --weights conv2d_1 -o "$tmp/kernels1.png" > /dev/null; rc=$?
check "--weights conv2d_1 -o: 8 input channels x 6 filters, 8 pixels a weight" "[[ $rc == 0 && \$(pngsize '$tmp/kernels1.png') == '154 206' ]]"
"$bin" inspect "$tmp/mlp.dlm" --weights dense -o "$tmp/templates.png" --scale 1 > /dev/null; rc=$?
check "--weights dense -o of the MLP: 64 templates of 28x28 in 8 columns" "[[ $rc == 0 && \$(pngsize '$tmp/templates.png') == '238 238' ]]"
"$bin" inspect "$tmp/cnn.dlm" --weights conv2d --json > "$tmp/w.json"; rc=$?
check "--weights --json: kernel and bias in Keras shapes" "[[ $rc == 0 ]] && python3 -c \"import json; d=json.load(open('$tmp/w.json')); w=d['weights']; assert [x['name'] for x in w]==['kernel','bias'] and w[0]['shape']==[3,3,1,8] and len(w[0]['values'])==72\""
"$bin" inspect "$tmp/mlp.dlm" "$img" --saliency gradxinput --json > "$tmp/mlp.json"; rc=$?
check "an MLP's saliency reads its (784) input as 28x28" "[[ $rc == 0 ]] && python3 -c \"import json; d=json.load(open('$tmp/mlp.json')); assert d['shape']==[28,28]\""

"$bin" inspect "$tmp/cnn.dlm" "$img" --layer foo -o "$tmp/x.png" > /dev/null 2> "$tmp/err.txt"; rc=$?
check "an unknown layer fails (1) and lists the layers" "[[ $rc == 1 ]] && grep -q \"no layer named 'foo'; layers: conv2d, max_pooling2d, conv2d_1, max_pooling2d_1, flatten, dense\" '$tmp/err.txt' && [[ ! -e '$tmp/x.png' ]]"
"$bin" inspect "$tmp/cnn.dlm" "$img" --saliency lime > /dev/null 2> "$tmp/err.txt"; rc=$?
check "an unknown method is a usage error (2) naming the methods" "[[ $rc == 2 ]] && grep -q 'saliency must be gradxinput, occlusion or gradcam' '$tmp/err.txt'"
"$bin" inspect "$tmp/mlp.dlm" "$img" --saliency gradcam > /dev/null 2> "$tmp/err.txt"; rc=$?
check "Grad-CAM of an MLP fails (1) saying why" "[[ $rc == 1 ]] && grep -q 'Grad-CAM needs a Conv2D layer' '$tmp/err.txt'"
"$bin" inspect "$tmp/cnn.dlm" "$img" --saliency gradcam --gradcam-layer dense > /dev/null 2> "$tmp/err.txt"; rc=$?
check "Grad-CAM on a Dense layer fails naming it" "[[ $rc == 1 ]] && grep -q \"'dense' is a Dense layer\" '$tmp/err.txt'"
"$bin" inspect "$tmp/cnn.dlm" "$img" --saliency gradxinput --class 10 > /dev/null 2> "$tmp/err.txt"; rc=$?
check "a class out of range fails (1)" "[[ $rc == 1 ]] && grep -q 'class 10 is out of range' '$tmp/err.txt'"
"$bin" inspect "$tmp/cnn.dlm" --weights dense -o "$tmp/x.png" > /dev/null 2> "$tmp/err.txt"; rc=$?
check "weights with no picture fail (1) naming the layer" "[[ $rc == 1 ]] && grep -q 'dense (Dense) has no picture of its weights' '$tmp/err.txt'"
"$bin" inspect "$tmp/cnn.dlm" "$tmp/missing.png" > /dev/null 2> "$tmp/err.txt"; rc=$?
check "a missing picture fails (1) naming it" "[[ $rc == 1 ]] && grep -q 'missing.png: cannot read the picture' '$tmp/err.txt'"
"$bin" inspect "$tmp/cnn.dlm" > /dev/null 2> "$tmp/err.txt"; rc=$?
check "no picture is a usage error (2)" "[[ $rc == 2 ]] && grep -q 'Usage: digitlab inspect' '$tmp/err.txt'"
"$bin" inspect "$tmp/cnn.dlm" "$img" -o "$tmp/x.png" > /dev/null 2> "$tmp/err.txt"; rc=$?
check "-o without a mode is a usage error (2)" "[[ $rc == 2 ]]"
"$bin" inspect "$tmp/cnn.dlm" "$img" --layer conv2d --weights conv2d > /dev/null 2> "$tmp/err.txt"; rc=$?
check "two modes are a usage error (2)" "[[ $rc == 2 ]] && grep -q 'one of --layer, --saliency and --weights' '$tmp/err.txt'"
"$bin" inspect "$tmp/cnn.dlm" "$img" --layer conv2d --scale 0 > /dev/null 2> "$tmp/err.txt"; rc=$?
check "a bad --scale is a usage error (2)" "[[ $rc == 2 ]] && grep -q -- '--scale' '$tmp/err.txt'"
echo "not a zip" > "$tmp/bad.dlm"
"$bin" inspect "$tmp/bad.dlm" "$img" > /dev/null 2> "$tmp/err.txt"; rc=$?
check "a broken model file fails (1) naming it" "[[ $rc == 1 ]] && grep -q 'bad.dlm' '$tmp/err.txt'"

exit $fail
