#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
#
# The ONNX Runtime side of benchmarks/e2e/run-bench.sh: times MODEL.onnx
# (input "x" [batch, 784]) on the CPU provider with intra_op_num_threads =
# THREADS, inter_op 1, sequential execution, graph optimizations all on.
# Inputs uniform [-1, 1) (seed 0). max(3, runs/10) warm-up runs, then RUNS
# timed session.run calls (time.perf_counter around each, Python call
# overhead included: a few microseconds). Prints one JSON line per thread
# count, in the same keys as `actc bench --json`.
#
# Usage: ort_bench.py MODEL.onnx BATCH RUNS THREADS[,THREADS...]
import json
import sys
import time

import numpy as np
import onnxruntime as ort


def main():
    path, batch, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    x = np.random.default_rng(0).uniform(-1, 1, (batch, 784)).astype(np.float32)
    for threads in [int(t) for t in sys.argv[4].split(",")]:
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
        feed = {"x": x}
        for _ in range(max(3, runs // 10)):
            sess.run(None, feed)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            sess.run(None, feed)
            times.append((time.perf_counter() - t) * 1e3)
        times = np.array(times)
        print(json.dumps({"model": "mlp.onnx", "peer": "onnxruntime",
                          "version": ort.__version__, "dims": {"batch": batch},
                          "threads": threads, "runs": runs,
                          "min_ms": float(times.min()),
                          "median_ms": float(np.median(times)),
                          "mean_ms": float(times.mean())}), flush=True)


if __name__ == "__main__":
    main()
