// SPDX-License-Identifier: Apache-2.0
//
// The stand-in pipeline of standin_pipeline.c, written in Halide and built
// AOT with the user_context feature: out(i, b) = in(i, b) * scale(i) +
// bias(i), parallel over b, and an input element of -999 is a runtime error
// (Halide's require, reported through halide_error). run-c-api-halide.sh
// packs it with the generated glue to check the glue and the runtime
// against Halide's real runtime (error handler, thread pool, COMDATs).
// Usage: actc_e2e_halide_scale_bias OUT_PREFIX SYMBOL  (writes OUT_PREFIX.a)

#include "Halide.h"

#include <cstdio>

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s OUT_PREFIX SYMBOL\n", argv[0]);
    return 2;
  }
  try {
    using namespace Halide;
    ImageParam in(Float(32), 2, "in"), scale(Float(32), 1, "scale"),
        bias(Float(32), 1, "bias");
    Var i("i"), b("b");
    Func out("out");
    out(i, b) = require(in(i, b) != -999.0f, in(i, b) * scale(i) + bias(i),
                        "input element -999 is refused");
    out.parallel(b);
    Target target = get_host_target().with_feature(Target::UserContext);
    out.compile_to_static_library(argv[1], {in, scale, bias}, argv[2], target);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "halide: %s\n", e.what());
    return 1;
  }
  return 0;
}
