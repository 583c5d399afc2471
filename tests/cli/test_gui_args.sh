#!/usr/bin/env bash
# `digitlab FILE.dlm` and Qt's own options start the desktop app (it keeps running until the
# timeout ends it: exit 124), while a mistyped sub-command is still a usage error. What the window
# does with the file is tested in tests/ui (MainWindow::openPath).
set -uo pipefail
bin=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "FAIL - $1"; fail=1; fi; }

"$bin" train --model mlp --epochs 1 --threads 1 --save "$tmp/m.dlm" > /dev/null 2>&1
check "a model file to open" "[[ -f '$tmp/m.dlm' ]]"

QT_QPA_PLATFORM=offscreen timeout 4 "$bin" "$tmp/m.dlm" > "$tmp/out.txt" 2>&1; rc=$?
check "digitlab FILE.dlm starts the app (ran until the timeout, rc $rc)" "[[ $rc == 124 ]]"
check "digitlab FILE.dlm prints no usage" "! grep -q 'Usage' '$tmp/out.txt'"

# No display and no QT_QPA_PLATFORM: only Qt's own -platform option lets the app start.
env -u QT_QPA_PLATFORM -u DISPLAY -u WAYLAND_DISPLAY timeout 4 "$bin" -platform offscreen "$tmp/m.dlm" > /dev/null 2>&1; rc=$?
check "Qt's -platform option reaches Qt (rc $rc)" "[[ $rc == 124 ]]"

"$bin" trian > /dev/null 2> "$tmp/err.txt"; rc=$?
check "a mistyped sub-command is a usage error" "[[ $rc == 2 ]] && grep -q \"unknown command 'trian'\" '$tmp/err.txt'"

exit $fail
