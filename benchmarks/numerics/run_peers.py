#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
#
# The Python peers of the numerics benchmark: PyTorch (Debian python3-torch,
# run with /usr/bin/python3) and ONNX Runtime (PyPI, from the venv that
# tools/setup-bench.sh makes). For each activation the peer has, times it on
# 16M and 4096 floats (the same uniform [-8, 8] data as SpeedBench; 4096 is
# repeated to 16M elements) with the given thread count, and measures its
# ULP error on the accuracy sample against the double reference that
# SpeedBench --write-sample wrote (same rules as the harness: distance to
# the reference rounded to float; denormal results in 2^-149 steps; NaN and
# Inf mismatches counted). Prints JSON lines.
#
# Usage: run_peers.py {torch|ort|onednn-ulp} SAMPLE_DIR THREADS
import json
import math
import sys
import time

import numpy as np

N_BIG = 1 << 24
ROW = 4096


def ulp_stats(y, ref):
    """(max ULP over normal results, max denormal steps, special errors)."""
    y = np.asarray(y, dtype=np.float32)
    rf = ref.astype(np.float32)
    nan_r, nan_y = np.isnan(rf), np.isnan(y)
    special = int(np.count_nonzero(nan_r != nan_y))
    ok = ~(nan_r | nan_y)
    inf_r = np.isinf(ref) & ok
    special += int(np.count_nonzero(y[inf_r] != rf[inf_r]))
    ok &= ~np.isinf(ref)

    def key(a):
        b = a.view(np.int32).astype(np.int64)
        return np.where(b < 0, -(b & 0x7FFFFFFF), b)

    d = np.abs(key(y[ok]) - key(rf[ok]))
    den = np.abs(rf[ok]) < np.finfo(np.float32).tiny
    max_ulp = int(d[~den].max()) if np.any(~den) else 0
    max_den = int(d[den].max()) if np.any(den) else 0
    return max_ulp, max_den, special


def best_time(fn, reps=7):
    fn()
    fn()
    best = math.inf
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def data():
    rng = np.random.default_rng(1)
    return rng.uniform(-8, 8, N_BIG).astype(np.float32)


def emit(**kw):
    print(json.dumps(kw), flush=True)


def run_torch(sample_dir, threads):
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(threads)
    nn = torch._C._nn
    ops = {
        "relu": lambda x, o: torch.clamp(x, min=0, out=o),
        "leaky_relu": lambda x, o: nn.leaky_relu(x, 0.01, out=o),
        "relu6": lambda x, o: nn.hardtanh(x, 0.0, 6.0, out=o),
        "clip": lambda x, o: nn.hardtanh(x, -1.0, 1.0, out=o),
        "hard_sigmoid": lambda x, o: nn.hardsigmoid(x, out=o),
        "hard_swish": lambda x, o: nn.hardswish(x, out=o),
        "elu": lambda x, o: nn.elu(x, 1.0, 1.0, 1.0, out=o),
        "selu": lambda x, o: o.copy_(F.selu(x)),
        "celu": lambda x, o: o.copy_(F.celu(x)),
        "sigmoid": lambda x, o: torch.sigmoid(x, out=o),
        "tanh": lambda x, o: torch.tanh(x, out=o),
        "silu": lambda x, o: nn.silu(x, out=o),
        "gelu": lambda x, o: nn.gelu(x, out=o),
        "gelu_tanh": lambda x, o: nn.gelu(x, approximate="tanh", out=o),
        "mish": lambda x, o: nn.mish(x, out=o),
        "softplus": lambda x, o: nn.softplus(x, 1.0, 20.0, out=o),
        "softsign": lambda x, o: o.copy_(F.softsign(x)),
    }
    x = torch.from_numpy(data())
    out = torch.empty_like(x)
    row = x[:ROW].clone()
    row_out = torch.empty_like(row)
    emit(peer="torch", case="copy", size="16M", threads=threads,
         ns_per_elem=best_time(lambda: out.copy_(x)) / N_BIG * 1e9)
    sample = torch.from_numpy(np.fromfile(f"{sample_dir}/sample.f32", dtype=np.float32))
    for name, fn in ops.items():
        t_big = best_time(lambda: fn(x, out))

        def small():
            for _ in range(N_BIG // ROW):
                fn(row, row_out)

        t_small = best_time(small, reps=3)
        y = torch.empty_like(sample)
        fn(sample, y)
        ref = np.fromfile(f"{sample_dir}/ref_{name}.f64", dtype=np.float64)
        mu, md, sp = ulp_stats(y.numpy(), ref)
        for size, t in (("16M", t_big), ("4096", t_small)):
            emit(peer="torch", case=name, size=size, threads=threads,
                 ns_per_elem=t / N_BIG * 1e9, max_ulp=mu,
                 max_denormal_steps=md, special_errors=sp)


def run_ort(sample_dir, threads):
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper

    def graph(name):
        x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n"])
        y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n"])
        inits, opset = [], 20
        if name == "silu":
            nodes = [helper.make_node("Sigmoid", ["x"], ["s"]),
                     helper.make_node("Mul", ["x", "s"], ["y"])]
        elif name in ("relu6", "clip"):
            lo, hi = (0.0, 6.0) if name == "relu6" else (-1.0, 1.0)
            inits = [helper.make_tensor("lo", TensorProto.FLOAT, [], [lo]),
                     helper.make_tensor("hi", TensorProto.FLOAT, [], [hi])]
            nodes = [helper.make_node("Clip", ["x", "lo", "hi"], ["y"])]
        else:
            op, attrs = {
                "relu": ("Relu", {}),
                "leaky_relu": ("LeakyRelu", {"alpha": 0.01}),
                "hard_sigmoid": ("HardSigmoid", {"alpha": 1 / 6, "beta": 0.5}),
                "hard_swish": ("HardSwish", {}),
                "elu": ("Elu", {"alpha": 1.0}),
                "selu": ("Selu", {}),
                "celu": ("Celu", {"alpha": 1.0}),
                "sigmoid": ("Sigmoid", {}),
                "tanh": ("Tanh", {}),
                "gelu": ("Gelu", {}),
                "gelu_tanh": ("Gelu", {"approximate": "tanh"}),
                "mish": ("Mish", {}),
                "softplus": ("Softplus", {}),
                "softsign": ("Softsign", {}),
            }[name]
            nodes = [helper.make_node(op, ["x"], ["y"], **attrs)]
        g = helper.make_graph(nodes, name, [x], [y], inits)
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])
        m.ir_version = 9
        return m.SerializeToString()

    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    x = data()
    out = np.empty_like(x)
    row = x[:ROW].copy()
    row_out = np.empty_like(row)
    sample = np.fromfile(f"{sample_dir}/sample.f32", dtype=np.float32)
    names = ["relu", "leaky_relu", "relu6", "clip", "hard_sigmoid", "hard_swish",
             "elu", "selu", "celu", "sigmoid", "tanh", "silu", "gelu",
             "gelu_tanh", "mish", "softplus", "softsign"]
    for name in names:
        try:
            sess = ort.InferenceSession(graph(name), so, providers=["CPUExecutionProvider"])
        except Exception as e:  # an op this build lacks
            emit(peer="ort", case=name, error=str(e)[:200])
            continue

        def runner(a, b):
            io = sess.io_binding()
            io.bind_cpu_input("x", a)
            io.bind_output("y", "cpu", 0, np.float32, list(b.shape), b.ctypes.data)
            return lambda: sess.run_with_iobinding(io)

        t_big = best_time(runner(x, out))
        r_small = runner(row, row_out)

        def small():
            for _ in range(N_BIG // ROW):
                r_small()

        t_small = best_time(small, reps=3)
        y = np.empty_like(sample)
        runner(sample, y)()
        ref = np.fromfile(f"{sample_dir}/ref_{name}.f64", dtype=np.float64)
        mu, md, sp = ulp_stats(y, ref)
        for size, t in (("16M", t_big), ("4096", t_small)):
            emit(peer="ort", case=name, size=size, threads=threads,
                 ns_per_elem=t / N_BIG * 1e9, max_ulp=mu,
                 max_denormal_steps=md, special_errors=sp)


def onednn_ulp(sample_dir):
    import glob
    import os
    for path in sorted(glob.glob(f"{sample_dir}/onednn_*.f32")):
        name = os.path.basename(path)[len("onednn_"):-4]
        y = np.fromfile(path, dtype=np.float32)
        ref = np.fromfile(f"{sample_dir}/ref_{name}.f64", dtype=np.float64)
        mu, md, sp = ulp_stats(y, ref)
        emit(peer="onednn", case=name, max_ulp=mu, max_denormal_steps=md,
             special_errors=sp)


if __name__ == "__main__":
    which, sample_dir = sys.argv[1], sys.argv[2]
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    {"torch": lambda: run_torch(sample_dir, threads),
     "ort": lambda: run_ort(sample_dir, threads),
     "onednn-ulp": lambda: onednn_ulp(sample_dir)}[which]()
