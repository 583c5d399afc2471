#!/usr/bin/env bash
# Builds a portable .deb (no -march=native) into build-pkg/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh build
cmake -S . -B build-pkg -DCMAKE_BUILD_TYPE=Release -DDIGITLAB_NATIVE=OFF -DDIGITLAB_BUILD_TESTS=OFF -DDIGITLAB_BUILD_BENCH=OFF
cmake --build build-pkg -j"$(nproc)"
(cd build-pkg && cpack)
ls -1 build-pkg/*.deb
