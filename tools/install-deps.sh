#!/usr/bin/env bash
# Installs the Debian packages DigitLab needs, and only those that are missing.
# Usage: tools/install-deps.sh [build|test]   (test adds the test/benchmark extras)
set -euo pipefail

packages=(
  cmake make g++ pkg-config
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-svg-dev
  libquazip1-qt6-dev libeigen3-dev zlib1g-dev
  fonts-dejavu-core
  libgtest-dev  # the build configures the tests too (DIGITLAB_BUILD_TESTS)
)
if [[ "${1:-build}" == "test" ]]; then
  packages+=(libbenchmark-dev xvfb xauth python3 dataset-fashion-mnist clang-format)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing missing Debian packages: ${missing[*]}"
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "error: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
