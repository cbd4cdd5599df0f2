#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
#
# table.py RESULTS.jsonl: the markdown tables of benchmarks/e2e/run-bench.sh.
import json
import sys

rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]

print("Checks before timing:\n")
for r in rows:
    if r["bench"] == "check":
        print(f"- {r['check']}: max abs diff {r['max_abs_diff']:.3g}"
              + (", bitwise equal" if r.get("bitwise_equal") else ""))

mlp = {(r["impl"], r["dims"]["batch"], r["threads"]): r
       for r in rows if r["bench"] == "mlp"}
for impl, label in (("actc", "JIT, `actc bench`"),
                    ("aot", "AOT, the library of `actc compile -o` in a C program")):
    print(f"\nMLP (examples/mlp.act, fixed weights), actc ({label}) vs "
          "ONNX Runtime; ratio = actc / ORT:\n")
    print("| batch | threads | actc min ms | actc median ms | ORT min ms | "
          "ORT median ms | ratio (min) | ratio (median) |")
    print("|---|---|---|---|---|---|---|---|")
    for batch in (1, 64):
        for threads in (1, 2):
            a, o = mlp.get((impl, batch, threads)), mlp.get(("ort", batch, threads))
            if not a or not o:
                continue
            print(f"| {batch} | {threads} | {a['min_ms']:.4f} | {a['median_ms']:.4f} | "
                  f"{o['min_ms']:.4f} | {o['median_ms']:.4f} | "
                  f"{a['min_ms'] / o['min_ms']:.2f} | "
                  f"{a['median_ms'] / o['median_ms']:.2f} |")

print("\nFused vs unfused (ACTC_NO_FUSION=1), actc JIT; speedup = unfused / fused "
      "(median):\n")
print("| model | threads | fused min ms | fused median ms | unfused min ms | "
      "unfused median ms | speedup |")
print("|---|---|---|---|---|---|---|")
fu = {(r["bench"], r["variant"], r["threads"]): r
      for r in rows if r.get("variant")}
for m, label in (("dense_layer", "dense 64x1024 -> 1024 + bias + leaky_relu"),
                 ("eltwise_chain", "add, mul, leaky_relu on 16M floats")):
    for threads in (1, 2):
        f, u = fu.get((m, "fused", threads)), fu.get((m, "unfused", threads))
        if not f or not u:
            continue
        print(f"| {label} | {threads} | {f['min_ms']:.3f} | {f['median_ms']:.3f} | "
              f"{u['min_ms']:.3f} | {u['median_ms']:.3f} | "
              f"{u['median_ms'] / f['median_ms']:.2f}x |")
