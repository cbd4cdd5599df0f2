#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# One command for docs/accuracy.md and docs/accuracy-error-curves.png: builds
# the numerics benchmarks, runs the speed benchmark (1 and 2 threads) and the
# peers (oneDNN, PyTorch, ONNX Runtime: tools/setup-bench.sh installs them;
# a missing peer is skipped) in one session, a strided accuracy sweep of the
# piecewise-linear cases and the math functions, the dense-sample report of
# the unit test, and then make_report.py. The exhaustive 2^32 data comes
# from docs/accuracy-data/exhaustive.jsonl (run-exhaustive.sh refreshes it;
# it takes about 70 s per case on 16 cores, hours on 2).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
build=${ACTC_BUILD_DIR:-build-numerics}
venv=${ACTC_BENCH_VENV:-build-bench-venv}
out=$build/numerics
mkdir -p "$out/sample" "$out/exhaustive"
ninja -C "$build" actc-numerics-speed actc-numerics-exhaustive actc-numerics-tests
ninja -C "$build" actc-numerics-onednn 2>/dev/null || echo "run-benchmarks: no oneDNN peer"

"$build/bin/actc-numerics-speed" --write-sample "$out/sample" --reps 0
for t in 1 2; do
  # Three runs (make_report takes the median of each figure).
  : > "$out/speed_t$t.jsonl"
  for run in 1 2 3; do
    HL_NUM_THREADS=$t "$build/bin/actc-numerics-speed" --reps 9 relu \
      leaky_relu relu6 clip hard_sigmoid hard_swish elu selu celu sigmoid \
      tanh silu gelu gelu_tanh mish softplus softsign >> "$out/speed_t$t.jsonl"
  done
  if [ -x "$build/bin/actc-numerics-onednn" ]; then
    OMP_NUM_THREADS=$t "$build/bin/actc-numerics-onednn" "$out/sample" > "$out/peers_onednn_t$t.jsonl"
  fi
  if /usr/bin/python3 -c "import torch" 2>/dev/null; then
    /usr/bin/python3 benchmarks/numerics/run_peers.py torch "$out/sample" $t > "$out/peers_torch_t$t.jsonl"
  fi
  if [ -x "$venv/bin/python" ]; then
    "$venv/bin/python" benchmarks/numerics/run_peers.py ort "$out/sample" $t > "$out/peers_ort_t$t.jsonl"
  fi
done
if ls "$out"/sample/onednn_*.f32 > /dev/null 2>&1; then
  /usr/bin/python3 benchmarks/numerics/run_peers.py onednn-ulp "$out/sample" > "$out/peers_onednn_ulp.jsonl"
fi
nice "$build/bin/actc-numerics-exhaustive" --stride 256 relu leaky_relu \
  leaky_relu_alpha0.2 prelu relu6 leaky_relu6 clip clip_-0.5_2 \
  thresholded_relu hard_sigmoid hard_sigmoid_onnx hard_swish math.exp \
  math.log > "$out/exhaustive/strided256.jsonl"
"$build/tests/unit/actc-numerics-tests" --gtest_filter='All/*' | grep ' inputs, ' > "$out/dense-sample.txt" || true
"$build/tests/unit/actc-numerics-tests" --gtest_list_tests |
  sed -n 's/^  [^ ]*  *# GetParam() = "\(.*\)"/{"case": "\1"}/p' > "$out/dense-sample-order.jsonl"
/usr/bin/python3 benchmarks/numerics/make_report.py "$out" docs
