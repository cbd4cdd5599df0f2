# SPDX-License-Identifier: Apache-2.0
#
# Writes a safetensors file for the CLI tests, independently of actc's own
# reader: write_safetensors.py OUT NAME:DTYPE:D0xD1... [NAME:...]
# The data is 0, 1, 2, ... in the dtype (F32, F64 or I64). A shape of
# "scalar" is []. Options after the tensors: --truncate N drops N bytes off
# the end, --header-json TEXT replaces the header.
import json
import struct
import sys

sizes = {"F32": ("<f", 4), "F64": ("<d", 8), "I64": ("<q", 8), "F16": ("<e", 2)}
out, args = sys.argv[1], sys.argv[2:]
truncate, header_json = 0, None
tensors = []
i = 0
while i < len(args):
    if args[i] == "--truncate":
        truncate = int(args[i + 1]); i += 2; continue
    if args[i] == "--header-json":
        header_json = args[i + 1]; i += 2; continue
    name, dtype, dims = args[i].split(":")
    shape = [] if dims == "scalar" else [int(d) for d in dims.split("x")]
    tensors.append((name, dtype, shape)); i += 1

header, data = {}, b""
for name, dtype, shape in tensors:
    fmt, size = sizes[dtype]
    count = 1
    for d in shape:
        count *= d
    blob = b"".join(struct.pack(fmt, k) for k in range(count))
    header[name] = {"dtype": dtype, "shape": shape,
                    "data_offsets": [len(data), len(data) + len(blob)]}
    data += blob
text = (header_json if header_json is not None else json.dumps(header)).encode()
blob = struct.pack("<Q", len(text)) + text + data
with open(out, "wb") as f:
    f.write(blob[: len(blob) - truncate] if truncate else blob)
