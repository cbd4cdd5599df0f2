# SPDX-License-Identifier: Apache-2.0
#
# Compares two float32 .npy files as the actc tools write them (version 1.0,
# '<f4', C order), without NumPy:
#   compare_npy.py A B [--rel R] [--abs X]
# fails unless the shapes match, NaN positions match and every element is
# within abs X or rel R (defaults 1e-4 and 1e-5), and prints the worst
# errors;
#   compare_npy.py A B --identical
# fails unless the two files are byte for byte the same.
import ast
import math
import struct
import sys


def read(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x93NUMPY\x01\x00":
        sys.exit(f"{path}: not a version 1.0 .npy file")
    hlen = struct.unpack("<H", data[8:10])[0]
    header = ast.literal_eval(data[10:10 + hlen].decode("latin1"))
    if header["descr"] != "<f4" or header["fortran_order"]:
        sys.exit(f"{path}: expected '<f4' C order, found {header}")
    shape = tuple(header["shape"])
    body = data[10 + hlen:]
    return shape, struct.unpack("<%df" % (len(body) // 4), body), data


args = sys.argv[1:]
a, b = args[0], args[1]
sa, va, ra = read(a)
sb, vb, rb = read(b)
if "--identical" in args:
    if ra != rb:
        sys.exit(f"{a} and {b} differ")
    print("identical")
    sys.exit(0)
rel = float(args[args.index("--rel") + 1]) if "--rel" in args else 1e-4
abs_tol = float(args[args.index("--abs") + 1]) if "--abs" in args else 1e-5
if sa != sb:
    sys.exit(f"shapes differ: {sa} vs {sb}")
worst_abs = worst_rel = 0.0
for x, y in zip(va, vb):
    if math.isnan(x) or math.isnan(y):
        if math.isnan(x) != math.isnan(y):
            sys.exit(f"NaN positions differ: {x} vs {y}")
        continue
    if x == y:
        continue
    err = abs(x - y)
    r = err / abs(x) if x else math.inf
    worst_abs = max(worst_abs, err)
    worst_rel = max(worst_rel, r)
    if err > abs_tol and r > rel:
        sys.exit(f"{x} vs {y}: abs error {err}, rel error {r}")
print(f"shape {list(sa)}: within tolerance")
