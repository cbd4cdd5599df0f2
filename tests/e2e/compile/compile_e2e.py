#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
#
# End-to-end tests of `actc compile -o DIR`: the libraries it writes are
# linked into C programs with nothing but `cc app.c -I DIR DIR/libNAME.a
# -lpthread -ldl -lm`, run, and compared with the reference interpreter
# (actc-interp). One ctest test per step; `setup` compiles every model once
# (a ctest fixture) and the other steps reuse the libraries.
#
#   compile_e2e.py ACTC ACTC_INTERP SRC_DIR WORK_DIR STEP
#
# STEP: setup (compiles every example for host, the model `int`, mlp with
# --embed-weights and for x86-64-avx2 / x86-64-avx512), examples (each
# example at batch 2), batches (mlp at 1, 3, 17), targets, embed, deploy
# (examples/deploy/main.c as C99 and C++), two (two models in one program),
# keywords (model `int`, inputs x and X), weights (create's statuses for a
# missing, truncated, corrupt and another model's file), cmake
# (examples/deploy/cmake-project, on its own). Every run is made with 1 and
# 2 threads (NAME_set_num_threads) and must be bit-identical.
#
# Tolerance against the interpreter (which computes in double and rounds
# once): an element passes when |got - want| <= 1e-5 or <= 1e-4 * |want|,
# the bound of tests/unit/backend/halide/LoweringTest.cpp for the same
# pipelines run by the JIT: contractions of up to 4096 f32 products have an
# f32 rounding error of about sqrt(K) * 2^-24 times the sum of |products|,
# and the activations' vector approximations are within a few ULP. The
# measured worst errors are printed ("max abs ..., max rel ...").
#
# No numpy: .npy files are written and read here with struct.

import ast
import concurrent.futures
import os
import struct
import subprocess
import sys

ABS_TOL = 1e-5
REL_TOL = 1e-4

# Example model -> (input name, input shape with -1 for the batch, output
# name). All examples have one input and one output.
EXAMPLES = {
    "mlp": ("x", [-1, 784], "y"),
    "kws_dscnn": ("mfcc", [-1, 1, 49, 10], "scores"),
    "dcgan_discriminator": ("image", [-1, 3, 64, 64], "real"),
    "mobilenet_v3_block": ("image", [1, 3, 64, 64], "logits"),
    "transformer_block": ("tokens", [-1, 16, 64], "probs"),
    "yolo_block": ("image", [1, 3, 64, 64], "detections"),
}

# A model whose name is a C keyword and whose inputs differ only in case:
# the C names are int_x, x and X_2 (docs/c-api.md, "The identifier rule").
KEYWORD_MODEL = """model int
input x : f32[batch, 4]
input X : f32[batch, 4]
output y = dense(add(x, X), units=3, name="fc")
"""

actc, interp, src, work, step = sys.argv[1:6]
cc = os.environ.get("CC", "cc")
cxx = os.environ.get("CXX", "c++")
LIBS = ["-lpthread", "-ldl", "-lm"]


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def run(cmd, **kwargs):
    """Runs cmd; on failure prints it with its output and fails the test."""
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, **kwargs)
    if p.returncode != 0:
        fail("%s\nexit %d\n%s%s" % (" ".join(cmd), p.returncode, p.stdout,
                                     p.stderr))
    return p.stdout


#===----------------------------------------------------------------------===#
# Data
#===----------------------------------------------------------------------===#

def pattern(count, seed):
    """A deterministic input in [-1, 1] (a 32-bit LCG)."""
    state = seed * 2654435761 % 2**32
    values = []
    for _ in range(count):
        state = (1664525 * state + 1013904223) % 2**32
        values.append(state / 2**31 - 1.0)
    return struct.unpack("<%df" % count, struct.pack("<%df" % count, *values))


def write_npy(path, shape, values):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % (
        "".join("%d, " % d for d in shape))
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) +
                header.encode() + struct.pack("<%df" % len(values), *values))


def read_npy(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:6] != b"\x93NUMPY":
        fail(path + " is not a .npy file")
    major = data[6]
    if major == 1:
        (length,) = struct.unpack("<H", data[8:10])
        start = 10
    else:
        (length,) = struct.unpack("<I", data[8:12])
        start = 12
    header = ast.literal_eval(data[start:start + length].decode())
    if header["descr"] != "<f4":
        fail(path + ": expected float32, found " + header["descr"])
    body = data[start + length:]
    return list(header["shape"]), list(
        struct.unpack("<%df" % (len(body) // 4), body))


def write_raw(path, values):
    with open(path, "wb") as f:
        f.write(struct.pack("<%df" % len(values), *values))


def read_raw(path):
    with open(path, "rb") as f:
        body = f.read()
    return list(struct.unpack("<%df" % (len(body) // 4), body))


def compare(label, got, want):
    """Fails unless every element is within the tolerance; returns the
    worst absolute and relative errors."""
    if len(got) != len(want):
        fail("%s: %d values, the interpreter has %d" % (label, len(got),
                                                       len(want)))
    worst_abs = worst_rel = 0.0
    for i, (g, w) in enumerate(zip(got, want)):
        d = abs(g - w)
        if not (d <= ABS_TOL or d <= REL_TOL * abs(w)):
            fail("%s: element %d is %r, the interpreter says %r" %
                 (label, i, g, w))
        worst_abs = max(worst_abs, d)
        if abs(w) > 1e-3:
            worst_rel = max(worst_rel, d / abs(w))
    print("%s: %d values, max abs %.3g, max rel %.3g (within abs %g or rel "
          "%g)" % (label, len(got), worst_abs, worst_rel, ABS_TOL, REL_TOL))
    return worst_abs, worst_rel


#===----------------------------------------------------------------------===#
# Steps
#===----------------------------------------------------------------------===#

def lib_dir(key):
    return os.path.join(work, "lib", key)


def model_file(name):
    if name == "int":
        return os.path.join(work, "int.act")
    return os.path.join(src, "examples", name + ".act")


# key -> (model, extra actc arguments)
COMPILES = {name: (name, []) for name in EXAMPLES}
COMPILES.update({
    "int": ("int", []),
    "mlp-embed": ("mlp", ["--embed-weights"]),
    "mlp-avx2": ("mlp", ["--target", "x86-64-avx2"]),
    "mlp-avx512": ("mlp", ["--target", "x86-64-avx512"]),
})


def step_setup():
    subprocess.run(["rm", "-rf", work], check=True)
    os.makedirs(os.path.join(work, "lib"))
    with open(os.path.join(work, "int.act"), "w") as f:
        f.write(KEYWORD_MODEL)

    def compile_one(key):
        model, extra = COMPILES[key]
        p = subprocess.run([actc, "compile", model_file(model), "-o",
                            lib_dir(key)] + extra, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        return key, p.returncode, p.stdout

    # The largest first, two at a time (the machine has two cores).
    order = sorted(COMPILES, key=lambda k: k.startswith("mlp") or k == "int")
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for key, status, output in pool.map(compile_one, order):
            if status != 0:
                fail("actc compile %s: exit %d\n%s" % (key, status, output))
            print("compiled %s" % key)


def build_harness(key, c_name, macro, exe, extra_flags=()):
    """The generic harness.c over one library."""
    d = lib_dir(key)
    run([cc, "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic",
         "-DACTC_HEADER=\"%s.h\"" % c_name, "-DACTC_MODEL=" + c_name,
         "-DACTC_MACRO=" + macro, *extra_flags,
         os.path.join(src, "tests", "e2e", "compile", "harness.c"), "-I", d,
         os.path.join(d, "lib%s.a" % c_name), *LIBS, "-o", exe])
    return exe


def interpret(model, inputs, output, tag):
    """Runs actc-interp on [(name, shape, values)]; returns the output."""
    args = [interp, model_file(model)]
    for name, shape, values in inputs:
        path = os.path.join(work, "%s.%s.in.npy" % (tag, name))
        write_npy(path, shape, values)
        args += ["--input", "%s=%s" % (name, path)]
    out = os.path.join(work, "%s.out.npy" % tag)
    run(args + ["--output", "%s=%s" % (output, out)])
    return read_npy(out)


def run_harness(exe, weights, threads, batch, nout, inputs, tag):
    files = []
    for i, values in enumerate(inputs):
        files.append(os.path.join(work, "%s.in%d.f32" % (tag, i)))
        write_raw(files[-1], values)
    out = os.path.join(work, "%s.t%d.out.f32" % (tag, threads))
    run([exe, "run", weights, str(threads), str(batch), str(nout), out] +
        files)
    return read_raw(out)


def check_model(key, model, batch, exe, weights, tag, threads=(1, 2)):
    """Runs one compiled example at `batch` with 1 and 2 threads (results
    must be bit-identical) and compares with the interpreter."""
    name, shape, output = EXAMPLES[model]
    shape = [batch if d < 0 else d for d in shape]
    count = 1
    for d in shape:
        count *= d
    x = pattern(count, len(tag))
    want_shape, want = interpret(model, [(name, shape, x)], output, tag)
    results = [run_harness(exe, weights, t, batch, len(want), [x], tag)
               for t in threads]
    for t, r in zip(threads[1:], results[1:]):
        if r != results[0]:
            fail("%s: %d threads differ from %d thread" % (tag, t, threads[0]))
    return compare("%s %s%s" % (key, output, want_shape), results[0], want)


def step_examples():
    for model in EXAMPLES:
        exe = build_harness(model, model, model.upper(),
                            os.path.join(work, "harness-" + model))
        check_model(model, model, 2, exe,
                    os.path.join(lib_dir(model), model + ".weights"),
                    "ex-" + model)


def step_batches():
    exe = build_harness("mlp", "mlp", "MLP", os.path.join(work, "harness-b"))
    for batch in (1, 3, 17):
        check_model("mlp", "mlp", batch, exe,
                    os.path.join(lib_dir("mlp"), "mlp.weights"),
                    "batch%d" % batch)


def step_targets():
    for key in ("mlp-avx2", "mlp-avx512"):
        exe = build_harness(key, "mlp", "MLP", os.path.join(work, "h-" + key))
        check_model(key, "mlp", 3, exe,
                    os.path.join(lib_dir(key), "mlp.weights"), "t-" + key)


def step_embed():
    d = lib_dir("mlp-embed")
    if os.path.exists(os.path.join(d, "mlp.weights")):
        fail("--embed-weights wrote mlp.weights")
    exe = build_harness("mlp-embed", "mlp", "MLP",
                        os.path.join(work, "harness-embed"))
    check_model("mlp-embed", "mlp", 3, exe, "-", "embed")
    # A path for an embedded model is a misuse.
    status = run([exe, "create", os.path.join(lib_dir("mlp"), "mlp.weights")])
    if not status.startswith("1\t"):
        fail("create with a path for embedded weights: " + status)
    print("embedded: a weights path is rejected: " + status.strip())


def step_deploy():
    d = lib_dir("mlp")
    lib = os.path.join(d, "libmlp.a")
    main_c = os.path.join(src, "examples", "deploy", "main.c")
    c_exe = os.path.join(work, "deploy-c")
    cxx_exe = os.path.join(work, "deploy-cxx")
    run([cc, "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", main_c,
         "-I", d, lib, *LIBS, "-o", c_exe])
    run([cxx, "-std=c++17", "-Wall", "-Wextra", "-Werror", "-pedantic",
         "-x", "c++", main_c, "-x", "none", "-I", d, lib, *LIBS, "-o",
         cxx_exe])
    weights = os.path.join(d, "mlp.weights")
    outputs = [run([exe, weights]) for exe in (c_exe, cxx_exe)]
    if outputs[0] != outputs[1]:
        fail("the C and C++ builds print different results")
    check_deploy_output(outputs[0], "examples/deploy (C and C++)")


def check_deploy_output(output, label):
    """Compares what examples/deploy/main.c printed with the interpreter."""
    lines = output.split()
    got = [float(v) for v in lines[:10]]
    # main.c's input: (i * 37) % 101 - 50, over 50.
    x = [((i * 37) % 101 - 50) / 50.0 for i in range(784)]
    _, want = interpret("mlp", [("x", [1, 784], x)], "y", "deploy")
    compare(label, got, want)
    best = max(range(10), key=lambda i: want[i])
    if lines[10:] != ["class", str(best)]:
        fail("deploy printed %s, the interpreter's best class is %d" %
             (lines[10:], best))


def step_cmake():
    """examples/deploy/cmake-project: actc_add_model in a user's build. Runs
    without the setup fixture, in its own WORK_DIR."""
    subprocess.run(["rm", "-rf", work], check=True)
    os.makedirs(work)
    cmake = os.environ.get("ACTC_TEST_CMAKE", "cmake")
    generator = os.environ.get("ACTC_TEST_GENERATOR", "Ninja")
    build = os.path.join(work, "build")
    run([cmake, "-S", os.path.join(src, "examples", "deploy", "cmake-project"),
         "-B", build, "-G", generator, "-DACTC_EXECUTABLE=" + actc,
         "-DCMAKE_BUILD_TYPE=Release"])
    run([cmake, "--build", build])
    for f in ("mlp/libmlp.a", "mlp/mlp.h", "mlp/mlp.weights", "deploy"):
        if not os.path.exists(os.path.join(build, f)):
            fail("the example project did not produce " + f)
    output = run([os.path.join(build, "deploy"),
                  os.path.join(build, "mlp", "mlp.weights")])
    check_deploy_output(output, "examples/deploy/cmake-project")
    # Nothing to redo when nothing changed.
    out = run([cmake, "--build", build])
    if "actc: compiling" in out:
        fail("a second build recompiled the model:\n" + out)


TWO_C = r"""
/* Two models in one program: one source file per header is not needed
   (mlp and kws_dscnn have different macro prefixes). */
#include "mlp.h"
#include "kws_dscnn.h"
#include <stdio.h>
#include <stdlib.h>
static float *load(const char *path, size_t n) {
  float *p = (float *)malloc(n * sizeof(float));
  FILE *f = fopen(path, "rb");
  if (!p || !f || fread(p, sizeof(float), n, f) != n) exit(1);
  fclose(f);
  return p;
}
static void save(const char *path, const float *p, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(p, sizeof(float), n, f) != n) exit(1);
  fclose(f);
}
int main(int argc, char **argv) {
  mlp_model *a = NULL;
  kws_dscnn_model *b = NULL;
  float *x, *m, y[MLP_Y_DIM1], s[KWS_DSCNN_SCORES_DIM1];
  if (argc != 7) return 2;
  x = load(argv[3], MLP_X_DIM1);
  m = load(argv[4], KWS_DSCNN_MFCC_DIM1 * KWS_DSCNN_MFCC_DIM2 *
                    KWS_DSCNN_MFCC_DIM3);
  if (mlp_create(&a, argv[1]) != MLP_OK ||
      kws_dscnn_create(&b, argv[2]) != KWS_DSCNN_OK) {
    fprintf(stderr, "create: %s\n", mlp_last_error(NULL));
    return 1;
  }
  if (mlp_run(a, 1, x, y) != MLP_OK ||
      kws_dscnn_run(b, 1, m, s) != KWS_DSCNN_OK ||
      mlp_run(a, 1, x, y) != MLP_OK) {
    fprintf(stderr, "run: %s %s\n", mlp_last_error(a), kws_dscnn_last_error(b));
    return 1;
  }
  save(argv[5], y, MLP_Y_DIM1);
  save(argv[6], s, KWS_DSCNN_SCORES_DIM1);
  mlp_destroy(a);
  kws_dscnn_destroy(b);
  return 0;
}
"""


def step_two():
    path = os.path.join(work, "two.c")
    with open(path, "w") as f:
        f.write(TWO_C)
    exe = os.path.join(work, "two")
    da, db = lib_dir("mlp"), lib_dir("kws_dscnn")
    run([cc, "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", path,
         "-I", da, "-I", db, os.path.join(da, "libmlp.a"),
         os.path.join(db, "libkws_dscnn.a"), *LIBS, "-o", exe])
    x = pattern(784, 11)
    m = pattern(490, 12)
    files = [os.path.join(work, n) for n in ("two.x", "two.m", "two.y",
                                             "two.s")]
    write_raw(files[0], x)
    write_raw(files[1], m)
    run([exe, os.path.join(da, "mlp.weights"),
         os.path.join(db, "kws_dscnn.weights")] + files)
    _, want_y = interpret("mlp", [("x", [1, 784], x)], "y", "two-mlp")
    _, want_s = interpret("kws_dscnn", [("mfcc", [1, 1, 49, 10], m)],
                          "scores", "two-kws")
    compare("two models: mlp", read_raw(files[2]), want_y)
    compare("two models: kws_dscnn", read_raw(files[3]), want_s)


def step_keywords():
    d = lib_dir("int")
    header = open(os.path.join(d, "int_x.h")).read()
    expected = ("int int_x_run(int_x_model *model, int64_t batch, "
                "const float *x, const float *X_2, float *y);")
    if expected not in header:
        fail("int_x.h does not declare: " + expected)
    exe = build_harness("int", "int_x", "INT_X",
                        os.path.join(work, "harness-int"))
    batch = 3
    x, big_x = pattern(4 * batch, 21), pattern(4 * batch, 22)
    _, want = interpret("int", [("x", [batch, 4], x), ("X", [batch, 4],
                                                        big_x)], "y", "int")
    got = [run_harness(exe, os.path.join(d, "int_x.weights"), t, batch,
                       len(want), [x, big_x], "int") for t in (1, 2)]
    if got[0] != got[1]:
        fail("int: 2 threads differ from 1 thread")
    compare("model int (x, X)", got[0], want)


def step_weights():
    d = lib_dir("mlp")
    exe = build_harness("mlp", "mlp", "MLP", os.path.join(work, "harness-w"))
    good = open(os.path.join(d, "mlp.weights"), "rb").read()
    truncated = os.path.join(work, "truncated.weights")
    corrupt = os.path.join(work, "corrupt.weights")
    with open(truncated, "wb") as f:
        f.write(good[:len(good) // 2])
    data = bytearray(good)
    data[len(data) - 100] ^= 0x55  # inside the last tensor's data
    with open(corrupt, "wb") as f:
        f.write(bytes(data))
    version = os.path.join(work, "version.weights")
    data = bytearray(good)
    data[8] = 2  # format version 2 (checked before the header's checksum)
    with open(version, "wb") as f:
        f.write(bytes(data))
    # status, a piece of the message (docs/weights-file.md)
    cases = [
        (os.path.join(d, "mlp.weights"), 0, ""),
        (os.path.join(work, "missing.weights"), 4, "cannot open"),
        (truncated, 5, "is truncated"),
        (corrupt, 5, "checksum of tensor"),
        (version, 6, "has format version 2"),
        (os.path.join(lib_dir("kws_dscnn"), "kws_dscnn.weights"), 7,
         "belongs to another model"),
        ("-", 1, "the weights path is NULL"),
    ]
    for path, status, message in cases:
        out = run([exe, "create", path]).rstrip("\n")
        got_status, _, got_message = out.partition("\t")
        if int(got_status) != status or message not in got_message:
            fail("create(%s): expected status %d with '%s', got: %s" %
                 (path, status, message, out))
        print("create(%s): %s" % (os.path.basename(path), out))


STEPS = {
    "setup": step_setup,
    "examples": step_examples,
    "batches": step_batches,
    "targets": step_targets,
    "embed": step_embed,
    "deploy": step_deploy,
    "two": step_two,
    "keywords": step_keywords,
    "weights": step_weights,
    "cmake": step_cmake,
}

if step not in STEPS:
    fail("unknown step " + step)
STEPS[step]()
print("%s: passed" % step)
