#!/usr/bin/env bash
# digitlab plot-model without a display: PNG sizes by rankdir and dpi, SVG, errors.
set -uo pipefail
bin=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "FAIL - $1"; fail=1; fi; }
size() { python3 -c "import struct,sys; d=open(sys.argv[1],'rb').read(24); print(*struct.unpack('>II', d[16:24]))" "$1"; }

unset DISPLAY
"$bin" plot-model --model cnn -o "$tmp/cnn.png" --show-shapes > /dev/null; rc=$?
check "cnn TB exits 0" "[[ $rc == 0 ]]"
read -r w h < <(size "$tmp/cnn.png")
check "cnn TB is taller than wide ($w x $h)" "(( h > 2 * w ))"
"$bin" plot-model --model mlp -o "$tmp/mlp.png" --show-shapes --rankdir LR > /dev/null
read -r w1 h1 < <(size "$tmp/mlp.png")
check "mlp LR is wider than tall ($w1 x $h1)" "(( w1 > 3 * h1 ))"
"$bin" plot-model --model mlp -o "$tmp/mlp200.png" --show-shapes --rankdir LR --dpi 192 > /dev/null
read -r w2 h2 < <(size "$tmp/mlp200.png")
check "dpi 192 doubles the size ($w2 vs $w1)" "(( w2 > 19 * w1 / 10 && w2 < 21 * w1 / 10 ))"
"$bin" plot-model --model cnn -o "$tmp/cnn.svg" > /dev/null
check "svg written with the layer names" "grep -q 'conv2d_1 (Conv2D)' '$tmp/cnn.svg'"
"$bin" plot-model --model cnn -o "$tmp/x.png" --rankdir XY > /dev/null 2>&1; rc=$?
check "bad --rankdir is a usage error" "[[ $rc == 2 ]]"
"$bin" plot-model --model cnn > /dev/null 2>&1; rc=$?
check "missing -o is a usage error" "[[ $rc == 2 ]]"
"$bin" plot-model --model cnn -o /nonexistent/x.png 2> "$tmp/err" > /dev/null; rc=$?
check "unwritable output fails and names it" "[[ $rc == 1 ]] && grep -q /nonexistent/x.png '$tmp/err'"
exit $fail
