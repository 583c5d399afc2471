#!/usr/bin/env bash
# digitlab plot-model without a display: PNG sizes by preset, rankdir and dpi, SVG, options,
# usage errors (exit 2) and write failures (exit 1, naming the file).
set -uo pipefail
bin=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "FAIL - $1"; fail=1; fi; }
# Width and height of a PNG, from its IHDR chunk.
size() { python3 -c "import struct,sys; d=open(sys.argv[1],'rb').read(24); assert d[:8]==b'\x89PNG\r\n\x1a\n'; print(*struct.unpack('>II', d[16:24]))" "$1" 2>/dev/null || echo "0 0"; }

unset DISPLAY WAYLAND_DISPLAY QT_QPA_PLATFORM  # plot-model picks the offscreen platform itself
export XDG_RUNTIME_DIR=$tmp

for m in mlp cnn; do
  "$bin" plot-model --model $m -o "$tmp/$m.png" --show-shapes > /dev/null; rc=$?
  check "$m TB exits 0" "[[ $rc == 0 ]]"
  read -r w h < <(size "$tmp/$m.png")
  check "$m TB is a plausible tall picture ($w x $h)" "(( w > 150 && w < 600 && h > 2 * w && h < 3000 ))"
  "$bin" plot-model --model $m -o "$tmp/${m}_lr.png" --show-shapes --rankdir LR > /dev/null; rc=$?
  check "$m LR exits 0" "[[ $rc == 0 ]]"
  read -r w h < <(size "$tmp/${m}_lr.png")
  check "$m LR is a plausible wide picture ($w x $h)" "(( h > 60 && h < 300 && w > 4 * h && w < 4000 ))"
done

# The size is proportional to the dpi, to within a pixel or two: |size(dpi) * 96 - size(96) * dpi| <= 2 * 96.
near() { local a=$1 b=$2 dpi=$3 d; d=$(( a * 96 - b * dpi )); (( d < 0 )) && d=$(( -d )); (( d <= 2 * 96 )); }
for m in mlp cnn; do
  for dir in TB LR; do
    base=$tmp/$m.png; [[ $dir == LR ]] && base=$tmp/${m}_lr.png
    read -r w1 h1 < <(size "$base")
    "$bin" plot-model --model $m -o "$tmp/${m}_200.png" --show-shapes --rankdir ${dir,,} --dpi 200 > /dev/null
    read -r w2 h2 < <(size "$tmp/${m}_200.png")
    check "$m $dir at dpi 200 is 200/96 times as large ($w1 x $h1 -> $w2 x $h2)" "near $w2 $w1 200 && near $h2 $h1 200"
  done
done

"$bin" plot-model --model mlp -o "$tmp/all.png" --show-shapes --show-activations --show-params --show-layer-names > /dev/null
read -r w3 h3 < <(size "$tmp/all.png")
read -r w0 h0 < <(size "$tmp/mlp.png")
check "activation and params rows make the boxes taller ($h0 -> $h3)" "(( h3 > h0 ))"

"$bin" plot-model --model cnn -o "$tmp/cnn.svg" > /dev/null
check "svg is written with the titles 'name: ClassName'" \
  "grep -q '<svg' '$tmp/cnn.svg' && grep -q '>conv2d_1<' '$tmp/cnn.svg' && grep -q '>: Conv2D<' '$tmp/cnn.svg'"
"$bin" plot-model --model cnn -o "$tmp/cnn_shapes.svg" --show-shapes > /dev/null
check "svg has the shapes table" \
  "grep -q '>Input shape<' '$tmp/cnn_shapes.svg' && grep -q '>Output shape<' '$tmp/cnn_shapes.svg' && grep -q '>(None, 28, 28, 1)<' '$tmp/cnn_shapes.svg'"
"$bin" plot-model --model cnn -o "$tmp/cnn300.svg" --dpi 300 > /dev/null
check "--dpi does not change an svg" "cmp -s '$tmp/cnn.svg' '$tmp/cnn300.svg'"
"$bin" plot-model --model cnn -o "$tmp/bare.svg" --no-layer-names > /dev/null
check "--no-layer-names shows classes only" "grep -q 'Conv2D' '$tmp/bare.svg' && ! grep -q 'conv2d_1' '$tmp/bare.svg'"

usage() {  # usage errors: exit 2 and a message on stderr
  "$bin" plot-model "$@" > /dev/null 2> "$tmp/err"; local rc=$?
  check "usage error: $*" "[[ $rc == 2 && -s '$tmp/err' ]]"
}
usage --model cnn -o "$tmp/x.png" --rankdir XY
usage --model cnn -o "$tmp/x.png" --dpi lots
usage --model cnn -o "$tmp/x.png" --dpi 0
usage --model cnn -o "$tmp/x.png" --bogus
usage --model cnn -o "$tmp/x.png" --show-layer-names --no-layer-names
usage --model cnn
usage -o "$tmp/x.png"
check "no file written by usage errors" "[[ ! -e '$tmp/x.png' ]]"

"$bin" plot-model --model cnn -o /nonexistent/x.png 2> "$tmp/err" > /dev/null; rc=$?
check "unwritable output fails with 1 and names it" "[[ $rc == 1 ]] && grep -q /nonexistent/x.png '$tmp/err'"
"$bin" plot-model --model cnn -o "$tmp/x.doc" 2> "$tmp/err" > /dev/null; rc=$?
check "unknown format fails with 1 and names it" "[[ $rc == 1 ]] && grep -q 'x.doc' '$tmp/err'"
"$bin" plot-model --model "$tmp/missing.json" -o "$tmp/y.png" 2> "$tmp/err" > /dev/null; rc=$?
check "missing spec fails with 1" "[[ $rc == 1 && -s '$tmp/err' ]]"
exit $fail
