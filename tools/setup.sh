#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Sets up what is missing on a Debian 12 machine and builds actc into build/.
# Idempotent and fast when everything is present: packages are installed
# only when dpkg says one is missing (with one apt-get update first), CMake
# configures only once, and ninja + ccache rebuild only what changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=tools/packages.sh
source tools/packages.sh

packages=(
  # LLVM/MLIR 22: headers, static MLIR libraries, mlir-tblgen, lit, FileCheck
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools
  # Halide 14 (loads its own LLVM 14)
  libhalide14-0-dev
  # libraries
  libfmt-dev libgtest-dev libcli11-dev nlohmann-json3-dev
  # build tools
  cmake ninja-build lld ccache g++ binutils
  # tests
  python3 python3-numpy
)

install_missing setup "${packages[@]}"

build_dir=${ACTC_BUILD_DIR:-build}
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$build_dir"
