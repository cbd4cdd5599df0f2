#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
#
# Exports examples/mlp.act to ONNX for the end-to-end benchmark (issue 6):
# fixed weights (numpy, seed 6) written to OUT/mlp.safetensors as PyTorch's
# nn.Linear holds them (weight [out, in], bias [out]); OUT/mlp.act, a copy of
# the example with a `weights "mlp.safetensors"` line; OUT/mlp.onnx, the same
# model built from the same arrays with the onnx package (Gemm transB=1,
# LeakyRelu alpha 0.01, Gemm; dynamic batch). Then checks on one random
# input (batch 4) that `actc run` and ONNX Runtime agree within 1e-4
# (absolute, outputs are O(1)) and exits 1 if they do not.
#
# Usage: export_mlp_onnx.py ACTC OUT   (run with the venv's python that has
# onnx and onnxruntime: build-bench-venv/bin/python, tools/setup-bench.sh)
import json
import os
import struct
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
import onnxruntime as ort


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        data = np.ascontiguousarray(tensors[name], dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def write_npy(path, a):
    np.save(path, np.ascontiguousarray(a, dtype=np.float32))


def main():
    actc, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    example = os.path.join(here, "..", "..", "examples", "mlp.act")

    rng = np.random.default_rng(6)

    def linear(fan_in, fan_out):
        bound = 1.0 / np.sqrt(fan_in)
        w = rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32)
        b = rng.uniform(-bound, bound, (fan_out,)).astype(np.float32)
        return w, b

    w1, b1 = linear(784, 128)
    w2, b2 = linear(128, 10)
    write_safetensors(os.path.join(out, "mlp.safetensors"),
                      {"fc1.weight": w1, "fc1.bias": b1,
                       "fc2.weight": w2, "fc2.bias": b2})

    lines = open(example).read().splitlines()
    act = []
    for line in lines:
        act.append(line)
        if line.startswith("model "):
            act.append('weights "mlp.safetensors"')
    with open(os.path.join(out, "mlp.act"), "w") as f:
        f.write("\n".join(act) + "\n")

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 784])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 10])
    inits = [numpy_helper.from_array(a, n) for n, a in
             [("fc1.weight", w1), ("fc1.bias", b1),
              ("fc2.weight", w2), ("fc2.bias", b2)]]
    nodes = [
        helper.make_node("Gemm", ["x", "fc1.weight", "fc1.bias"], ["h0"],
                         transB=1),
        helper.make_node("LeakyRelu", ["h0"], ["h"], alpha=0.01),
        helper.make_node("Gemm", ["h", "fc2.weight", "fc2.bias"], ["y"],
                         transB=1),
    ]
    graph = helper.make_graph(nodes, "mlp", [x], [y], inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 9
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, "mlp.onnx"))

    # Same outputs on one input before any timing.
    xin = np.random.default_rng(7).uniform(-1, 1, (4, 784)).astype(np.float32)
    write_npy(os.path.join(out, "check_x.npy"), xin)
    subprocess.run([actc, "run", os.path.join(out, "mlp.act"),
                    "--input", "x=" + os.path.join(out, "check_x.npy"),
                    "--output", "y=" + os.path.join(out, "check_y.npy")],
                   check=True)
    ya = np.load(os.path.join(out, "check_y.npy"))
    sess = ort.InferenceSession(os.path.join(out, "mlp.onnx"),
                                providers=["CPUExecutionProvider"])
    yo = sess.run(None, {"x": xin})[0]
    ref = np.where((h := xin.astype(np.float64) @ w1.T + b1) > 0, h, 0.01 * h)
    ref = ref @ w2.T + b2
    diff = float(np.max(np.abs(ya - yo)))
    print(json.dumps({"check": "mlp actc vs ort", "max_abs_diff": diff,
                      "actc_vs_f64": float(np.max(np.abs(ya - ref))),
                      "ort_vs_f64": float(np.max(np.abs(yo - ref))),
                      "max_abs_output": float(np.max(np.abs(yo)))}))
    if not diff <= 1e-4:
        print(f"export_mlp_onnx: actc and ONNX Runtime differ by {diff}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
