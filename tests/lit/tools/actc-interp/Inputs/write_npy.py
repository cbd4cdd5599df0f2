# SPDX-License-Identifier: Apache-2.0
#
# Writes a small .npy file without NumPy (lit's Python may not have it):
#   write_npy.py OUT SHAPE VALUES [--descr D] [--raw-header H]
# SHAPE is "2x3" ("" for 0-d), VALUES comma-separated floats (nan, inf,
# -inf allowed) or "ramp" (a deterministic pattern in [-2, 2) that fills
# the shape). --descr writes '<f8' or '>f4' data instead of '<f4';
# --raw-header replaces the header dict text (to make malformed files).
import struct
import sys

args = sys.argv[1:]
descr = "<f4"
raw = None
if "--descr" in args:
    i = args.index("--descr")
    descr = args[i + 1]
    del args[i:i + 2]
if "--raw-header" in args:
    i = args.index("--raw-header")
    raw = args[i + 1]
    del args[i:i + 2]
out, shape, values = args
dims = [int(d) for d in shape.split("x")] if shape else []
count = 1
for d in dims:
    count *= d
if values == "ramp":
    vals = [((k * 7919) % 400 - 200) / 100.0 for k in range(count)]
else:
    vals = [float(v) for v in values.split(",")] if values else []
tup = "(" + ", ".join(map(str, dims)) + ("," if len(dims) == 1 else "") + ")"
header = raw if raw is not None else (
    "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, tup))
header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
fmt = {"<f4": "<%df", ">f4": ">%df", "<f8": "<%dd"}.get(descr, "<%df")
with open(out, "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
    f.write(header.encode("latin1"))
    f.write(struct.pack(fmt % len(vals), *vals))
