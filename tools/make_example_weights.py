#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
#
# Writes examples/yolo_block.safetensors: the weights of examples/yolo_block.act
# as a PyTorch state_dict would hold them (conv weights, batch-norm weight,
# bias, running statistics and num_batches_tracked), in the safetensors
# format written by hand with numpy, so the example exercises actc's reader
# on a real file without needing PyTorch. Deterministic (fixed seed).
import json
import struct
import sys

import numpy as np

rng = np.random.default_rng(2024)
tensors = {}


def conv(name, filters, channels, k, bias):
    bound = 1.0 / np.sqrt(channels * k * k)
    tensors[f"{name}.weight"] = rng.uniform(-bound, bound, (filters, channels, k, k))
    if bias:
        tensors[f"{name}.bias"] = rng.uniform(-bound, bound, (filters,))


def batch_norm(name, channels):
    tensors[f"{name}.weight"] = rng.uniform(0.5, 1.5, (channels,))
    tensors[f"{name}.bias"] = rng.uniform(-0.2, 0.2, (channels,))
    tensors[f"{name}.running_mean"] = rng.uniform(-0.5, 0.5, (channels,))
    tensors[f"{name}.running_var"] = rng.uniform(0.5, 2.0, (channels,))
    tensors[f"{name}.num_batches_tracked"] = np.array(1000, dtype=np.int64)


conv("conv1", 16, 3, 3, False); batch_norm("bn1", 16)
conv("conv2", 32, 16, 3, False); batch_norm("bn2", 32)
conv("conv3", 16, 32, 1, False); batch_norm("bn3", 16)
conv("conv4", 32, 16, 3, False); batch_norm("bn4", 32)
conv("head", 255, 64, 1, True)

header, blobs, offset = {}, [], 0
for name in sorted(tensors):
    array = tensors[name]
    if array.dtype != np.int64:
        array = array.astype("<f4")
    data = array.tobytes()
    header[name] = {
        "dtype": "I64" if array.dtype == np.int64 else "F32",
        "shape": list(array.shape),
        "data_offsets": [offset, offset + len(data)],
    }
    blobs.append(data)
    offset += len(data)
text = json.dumps(header, separators=(",", ":")).encode()
text += b" " * (-len(text) % 8)

path = sys.argv[1] if len(sys.argv) > 1 else "examples/yolo_block.safetensors"
with open(path, "wb") as f:
    f.write(struct.pack("<Q", len(text)))
    f.write(text)
    for blob in blobs:
        f.write(blob)
