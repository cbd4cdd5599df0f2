#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# The end-to-end benchmark of issue 6 (a benchmark, not a test: nothing here
# runs in CI). In one run:
#  1. examples/mlp.act with fixed weights against ONNX Runtime on the same
#     model exported to ONNX (export_mlp_onnx.py checks both give the same
#     outputs within 1e-4 first), batch 1 and 64, 1 and 2 threads, through
#     the JIT (`actc bench`) and ahead of time (the library of `actc compile
#     -o` linked into aot_bench.c);
#  2. fused vs unfused (ACTC_NO_FUSION=1, docs/kern-dialect.md): a dense
#     layer as three ops (dense_layer.act, batch 64, 1024 -> 1024) and a
#     chain of three elementwise ops on 16M floats (eltwise_chain.act),
#     after checking that both variants compute the same output.
# actc times are JIT timings (`actc bench`, docs/run-check-bench.md), and
# AOT ones for the MLP.
# Results: JSON lines in $OUT/results.jsonl and a markdown table on stdout
# (docs/benchmarks.md holds a copy).
#
# Usage: benchmarks/e2e/run-bench.sh [BUILD_DIR]   (default build-bench)
# Needs the peer venv: tools/setup-bench.sh (ONNX Runtime + onnx).
# Env: RUNS_SCALE (default 1) multiplies every run count; OUT (default
# /tmp/actc-e2e-bench) the work directory.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-build-bench}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
ACTC=$BUILD/bin/actc
PY=$ROOT/build-bench-venv/bin/python
OUT=${OUT:-/tmp/actc-e2e-bench}
SCALE=${RUNS_SCALE:-1}
E2E=$ROOT/benchmarks/e2e
[ -x "$ACTC" ] || { echo "run-bench.sh: no $ACTC (build actc first)" >&2; exit 1; }
[ -x "$PY" ] || { echo "run-bench.sh: no $PY (run tools/setup-bench.sh)" >&2; exit 1; }
mkdir -p "$OUT"
RES=$OUT/results.jsonl
: > "$RES"
runs() { echo $(( $1 * SCALE )); }
tag() { # tag KEY=VALUE...: adds fields to each JSON line on stdin
  "$PY" -c '
import json, sys
extra = dict(a.split("=", 1) for a in sys.argv[1:])
for line in sys.stdin:
    if line.startswith("{"):
        d = json.loads(line); d.update(extra); print(json.dumps(d), flush=True)
' "$@"
}

echo "# machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC')" >&2
echo "# actc $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?'), build $BUILD" >&2

# 1. MLP vs ONNX Runtime.
"$PY" "$E2E/export_mlp_onnx.py" "$ACTC" "$OUT/mlp" | tag bench=check >> "$RES"
for batch in 1 64; do
  n=$(runs $([ $batch = 1 ] && echo 5000 || echo 1000))
  "$ACTC" bench "$OUT/mlp/mlp.act" --runs "$n" --threads 1,2 --dim batch=$batch --json \
    | tag bench=mlp impl=actc >> "$RES"
  "$PY" "$E2E/ort_bench.py" "$OUT/mlp/mlp.onnx" $batch "$n" 1,2 \
    | tag bench=mlp impl=ort >> "$RES"
done

# 1b. The same MLP ahead of time: `actc compile -o`, linked into
# aot_bench.c, timed through its C API.
"$ACTC" compile "$OUT/mlp/mlp.act" -o "$OUT/mlp-aot"
${CC:-cc} -std=c99 -O2 "$E2E/aot_bench.c" -I "$OUT/mlp-aot" "$OUT/mlp-aot/libmlp.a" \
  -lpthread -ldl -lm -o "$OUT/mlp-aot/aot_bench"
for batch in 1 64; do
  n=$(runs $([ $batch = 1 ] && echo 5000 || echo 1000))
  for threads in 1 2; do
    "$OUT/mlp-aot/aot_bench" "$OUT/mlp-aot/mlp.weights" $batch "$n" $threads \
      | tag bench=mlp impl=aot >> "$RES"
  done
done

# 2. Fused vs unfused: same output first, then time.
for m in dense_layer eltwise_chain; do
  "$ACTC" run "$E2E/$m.act" --output "y=$OUT/$m.fused.npy"
  ACTC_NO_FUSION=1 "$ACTC" run "$E2E/$m.act" --output "y=$OUT/$m.unfused.npy"
  "$PY" "$E2E/compare_npy.py" "$m fused vs unfused" \
    "$OUT/$m.fused.npy" "$OUT/$m.unfused.npy" 1e-5 | tag bench=check >> "$RES"
  rm -f "$OUT/$m.fused.npy" "$OUT/$m.unfused.npy"
  if [ $m = dense_layer ]; then n=$(runs 300); dims=(--dim batch=64); else n=$(runs 30); dims=(); fi
  "$ACTC" bench "$E2E/$m.act" --runs "$n" --threads 1,2 "${dims[@]}" --json \
    | tag bench=$m impl=actc variant=fused >> "$RES"
  ACTC_NO_FUSION=1 "$ACTC" bench "$E2E/$m.act" --runs "$n" --threads 1,2 "${dims[@]}" --json \
    | tag bench=$m impl=actc variant=unfused >> "$RES"
done

"$PY" "$E2E/table.py" "$RES"
