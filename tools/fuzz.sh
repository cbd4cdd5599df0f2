#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Fuzzes the parts that read untrusted files (the model-language front end
# and the safetensors reader) with libFuzzer + AddressSanitizer + UBSan.
# Not part of the test suite (it runs for as long as you ask):
#   tools/fuzz.sh [SECONDS_PER_TARGET]      (default 60)
# Installs clang-14 and its runtime if missing. Seeds: the examples and the
# malformed-model tests; crashes land in build-fuzz/<target>/crash-*.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=tools/packages.sh
source tools/packages.sh
seconds=${1:-60}

install_missing fuzz clang-14 libclang-rt-14-dev libfmt-dev nlohmann-json3-dev

out=build-fuzz
mkdir -p "$out"
flags=(-std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I.)
common=(dialects/NN/Rules/OpRules.cpp compiler/support/EditDistance.cpp)
frontend=(compiler/frontend/*.cpp)
weights=(compiler/weights/*.cpp)

clang++-14 "${flags[@]}" tests/fuzz/FuzzModel.cpp "${frontend[@]}" "${common[@]}" -o "$out/fuzz-model"
clang++-14 "${flags[@]}" tests/fuzz/FuzzSafetensors.cpp "${weights[@]}" "${common[@]}" -lfmt -o "$out/fuzz-safetensors"

mkdir -p "$out/model/corpus" "$out/safetensors/corpus"
cp examples/*.act tests/lit/frontend/errors/*.act "$out/model/corpus/" 2>/dev/null || true
cp examples/*.safetensors "$out/safetensors/corpus/" 2>/dev/null || true

status=0
(cd "$out/model" && ../fuzz-model -max_total_time="$seconds" -max_len=4096 -timeout=5 corpus) || status=1
(cd "$out/safetensors" && ../fuzz-safetensors -max_total_time="$seconds" -max_len=65536 -timeout=5 corpus) || status=1
exit $status
