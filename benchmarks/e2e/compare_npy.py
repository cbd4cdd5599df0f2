#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
#
# compare_npy.py LABEL A.npy B.npy TOL: prints the max abs difference of two
# arrays of the same shape as a JSON line; exits 1 when it exceeds TOL.
import json
import sys

import numpy as np

label, a, b, tol = sys.argv[1], np.load(sys.argv[2]), np.load(sys.argv[3]), float(sys.argv[4])
same_shape = a.shape == b.shape
diff = float(np.max(np.abs(a.astype(np.float64) - b))) if same_shape else float("inf")
print(json.dumps({"check": label, "shape": list(a.shape), "max_abs_diff": diff,
                  "bitwise_equal": bool(same_shape and np.array_equal(a, b))}))
sys.exit(0 if diff <= tol else 1)
