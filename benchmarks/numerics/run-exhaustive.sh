#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The exhaustive 2^32 sweep of every case in both modes. Builds the kernels
# ahead of time for AVX2+FMA (actc-numerics-aot) and links them with the
# reference into one static binary with no Halide or LLVM inside, so that it
# can run on any many-core x86-64 Linux machine (about 70 s per case on 16
# cores); then runs it here unless ACTC_EXHAUSTIVE_BUILD_ONLY=1, appending to
# docs/accuracy-data/exhaustive.jsonl. Arguments: case names (default: all).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
build=${ACTC_BUILD_DIR:-build-numerics}
aot=$build/numerics/aot
bin=$build/numerics/device/actc-numerics-exhaustive-static
mkdir -p "$aot" "$(dirname "$bin")"
ninja -C "$build" actc-numerics-aot
"$build/bin/actc-numerics-aot" "$aot"
g++ -std=c++17 -O2 -DACTC_AOT_KERNELS -I. -I/usr/include/halide14 \
  benchmarks/numerics/ExhaustiveSweep.cpp tests/unit/numerics/Reference.cpp \
  "$aot/registry.cpp" "$aot"/*.o -static -pthread -o "$bin" 2>&1 |
  grep -v "statically linked applications requires at runtime" || true
echo "run-exhaustive: built $bin"
if [ "${ACTC_EXHAUSTIVE_BUILD_ONLY:-0}" = 1 ]; then exit 0; fi
nice "$bin" "$@" >> docs/accuracy-data/exhaustive.jsonl
