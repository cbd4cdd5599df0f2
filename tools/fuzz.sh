#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Fuzzes the parts that read untrusted files (the model-language front end,
# the safetensors reader, the .npy reader and the runtime's weights-file
# reader) with libFuzzer + AddressSanitizer + UBSan.
# Not part of the test suite (it runs for as long as you ask):
#   tools/fuzz.sh [SECONDS_PER_TARGET]      (default 60)
# Installs clang-14 and its runtime if missing. Seeds: the examples and the
# malformed-model tests, the NumPy test files, a weights file compiled from
# a two-tensor model; crashes land in build-fuzz/<target>/crash-*.
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
clang++-14 "${flags[@]}" tests/fuzz/FuzzNpy.cpp compiler/support/Npy.cpp -o "$out/fuzz-npy"
clang-14 -std=c99 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -Iruntime/include \
  -c runtime/src/weights.c -o "$out/weights.o"
clang-14 -std=c99 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -Iruntime/include \
  -c runtime/src/status.c -o "$out/status.o"
clang++-14 "${flags[@]}" -Iruntime/include tests/fuzz/FuzzWeightsFile.cpp "$out/weights.o" "$out/status.o" -o "$out/fuzz-weights-file"

mkdir -p "$out/model/corpus" "$out/safetensors/corpus"
cp examples/*.act tests/lit/frontend/errors/*.act "$out/model/corpus/" 2>/dev/null || true
cp examples/*.safetensors "$out/safetensors/corpus/" 2>/dev/null || true
mkdir -p "$out/npy/corpus" "$out/weights-file/corpus"
find tests -name '*.npy' -exec cp {} "$out/npy/corpus/" \; 2>/dev/null || true
# The fuzz target's model: fc.weight [2, 2] and fc.bias [2].
if [ -x build/bin/actc ]; then
  printf 'model fuzz\ninput x : f32[batch, 2]\noutput y = dense(x, units=2, name="fc")\n' >"$out/fuzz.act"
  build/bin/actc compile "$out/fuzz.act" --target=x86-64-avx2 -o "$out/fuzz-model-out" >/dev/null &&
    cp "$out/fuzz-model-out/fuzz.weights" "$out/weights-file/corpus/" || true
fi

status=0
(cd "$out/model" && ../fuzz-model -max_total_time="$seconds" -max_len=4096 -timeout=5 corpus) || status=1
(cd "$out/safetensors" && ../fuzz-safetensors -max_total_time="$seconds" -max_len=65536 -timeout=5 corpus) || status=1
(cd "$out/npy" && ../fuzz-npy -max_total_time="$seconds" -max_len=4096 -timeout=5 corpus) || status=1
(cd "$out/weights-file" && ../fuzz-weights-file -max_total_time="$seconds" -max_len=1048576 -timeout=5 corpus) || status=1
exit $status
