// SPDX-License-Identifier: Apache-2.0
//
// See AccuracyHarness.h. The references below are the formulas of
// ACTIVATIONS.md in double with libm, in their stable forms, and nothing
// else: no polynomial, no split argument, no shared code with the library.

#include "tests/unit/numerics/AccuracyHarness.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>

namespace actc::numerics {

using actc::halide::math::ActivationAttrs;
using actc::halide::math::Mode;

namespace {

Case makeCase(std::string name, std::string op, bool pwl,
              std::map<std::string, float, std::less<>> floats = {},
              std::string approximate = "none") {
  Case c;
  c.name = std::move(name);
  c.op = std::move(op);
  c.pieceWiseLinear = pwl;
  c.attrs.floats = std::move(floats);
  c.attrs.approximate = std::move(approximate);
  return c;
}

} // namespace

const std::vector<Case> &allCases() {
  static const std::vector<Case> kCases = [] {
    std::vector<Case> v;
    // Piecewise linear.
    v.push_back(makeCase("relu", "relu", true));
    v.push_back(makeCase("leaky_relu", "leaky_relu", true));
    v.push_back(
        makeCase("leaky_relu_alpha0.2", "leaky_relu", true, {{"alpha", 0.2f}}));
    v.push_back(makeCase("prelu", "prelu", true));
    v.push_back(makeCase("relu6", "relu6", true));
    v.push_back(makeCase("leaky_relu6", "leaky_relu6", true));
    v.push_back(makeCase("clip", "clip", true));
    v.push_back(
        makeCase("clip_-0.5_2", "clip", true, {{"lo", -0.5f}, {"hi", 2.0f}}));
    v.push_back(makeCase("thresholded_relu", "thresholded_relu", true));
    v.push_back(makeCase("hard_sigmoid", "hard_sigmoid", true));
    v.push_back(makeCase("hard_sigmoid_onnx", "hard_sigmoid", true,
                         {{"alpha", 0.2f}, {"beta", 0.5f}}));
    v.push_back(makeCase("hard_swish", "hard_swish", true));
    // Transcendental.
    v.push_back(makeCase("elu", "elu", false));
    v.push_back(makeCase("elu_alpha0.5", "elu", false, {{"alpha", 0.5f}}));
    v.push_back(makeCase("selu", "selu", false));
    v.push_back(makeCase("celu", "celu", false));
    v.push_back(makeCase("celu_alpha2", "celu", false, {{"alpha", 2.0f}}));
    v.push_back(makeCase("sigmoid", "sigmoid", false));
    v.push_back(makeCase("tanh", "tanh", false));
    v.push_back(makeCase("silu", "silu", false));
    v.push_back(makeCase("swish_beta1.5", "swish", false, {{"beta", 1.5f}}));
    v.push_back(makeCase("gelu", "gelu", false));
    v.push_back(makeCase("gelu_tanh", "gelu", false, {}, "tanh"));
    v.push_back(makeCase("mish", "mish", false));
    v.push_back(makeCase("softplus", "softplus", false));
    v.push_back(makeCase("softplus_beta2", "softplus", false,
                         {{"beta", 2.0f}, {"threshold", 20.0f}}));
    v.push_back(makeCase("softplus_beta0.7", "softplus", false,
                         {{"beta", 0.7f}, {"threshold", 20.0f}}));
    v.push_back(makeCase("softsign", "softsign", false));
    // The math functions themselves.
    for (const char *m : {"math.exp", "math.expm1", "math.log", "math.log1p",
                          "math.tanh", "math.erf", "math.erfc"})
      v.push_back(makeCase(m, m, false));
    return v;
  }();
  return kCases;
}

const Case *findCase(const std::string &name) {
  for (const Case &c : allCases())
    if (c.name == name)
      return &c;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// JIT kernels
//===----------------------------------------------------------------------===//

struct JitKernel::Impl {
  Halide::ImageParam input{Halide::Float(32), 1, "in"};
  Halide::Func f{"f"};
  Halide::Pipeline pipeline;
};

Halide::Expr buildCase(const Case &c, const Halide::Expr &x, Mode mode) {
  Halide::Expr y;
  std::string error;
  if (c.op.rfind("math.", 0) == 0) {
    actc::halide::math::MathBuilder b = actc::halide::math::lookupMathOp(c.op);
    if (!b)
      throw std::runtime_error("no math builder for " + c.op);
    y = b(x, mode);
  } else {
    ActivationAttrs attrs = c.attrs;
    if (c.op == "prelu")
      attrs.slope = Halide::Expr(c.preluSlope);
    y = actc::halide::math::buildActivation(c.op, x, attrs, mode, &error);
  }
  if (!y.defined())
    throw std::runtime_error(error);
  return y;
}

JitKernel::JitKernel(const Case &c, Mode mode, int parallelChunk)
    : impl(std::make_unique<Impl>()) {
  try {
    Halide::Var i("i"), io("io"), ii("ii");
    impl->f(i) = buildCase(c, impl->input(i), mode);
    Halide::Target target = Halide::get_jit_target_from_environment();
    int width = target.natural_vector_size<float>();
    if (parallelChunk > 0) {
      impl->f.split(i, io, ii, parallelChunk, Halide::TailStrategy::GuardWithIf)
          .parallel(io)
          .vectorize(ii, width, Halide::TailStrategy::GuardWithIf);
    } else {
      impl->f.vectorize(i, width, Halide::TailStrategy::GuardWithIf);
    }
    impl->pipeline = Halide::Pipeline(impl->f);
    impl->pipeline.compile_jit(target);
  } catch (const Halide::Error &e) {
    throw std::runtime_error(std::string("Halide: ") + e.what());
  }
}

JitKernel::~JitKernel() = default;

void JitKernel::run(const float *in, float *out, int64_t n) {
  try {
    Halide::Buffer<float> inBuf(const_cast<float *>(in), int(n));
    Halide::Buffer<float> outBuf(out, int(n));
    impl->input.set(inBuf);
    impl->pipeline.realize(outBuf);
  } catch (const Halide::Error &e) {
    throw std::runtime_error(std::string("Halide: ") + e.what());
  }
}

void accumulate(const Case &c, const float *in, const float *out, int64_t n,
                ErrorStats &s) {
  for (int64_t i = 0; i < n; ++i)
    accumulateOne(c.pieceWiseLinear, in[i], out[i], reference(c, in[i]), s);
}

RefSpec Case::spec() const {
  RefSpec s;
  s.op = op;
  s.floats = attrs.floats;
  s.approximate = attrs.approximate;
  s.preluSlope = preluSlope;
  s.pieceWiseLinear = pieceWiseLinear;
  return s;
}

double reference(const Case &c, float x) { return referenceValue(c.spec(), x); }

std::vector<float> denseSample() {
  std::vector<float> v;
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (float f : {nan, -nan, inf, -inf, 0.0f, -0.0f,
                  std::numeric_limits<float>::denorm_min(),
                  std::numeric_limits<float>::min(),
                  std::numeric_limits<float>::max(), 1.0f})
    for (float s : {1.0f, -1.0f})
      v.push_back(s * f);
  // Every binade, both signs: its ends and random mantissas.
  std::mt19937 rng(12345);
  for (uint32_t e = 0; e < 255; ++e)
    for (uint32_t sign : {0u, 1u})
      for (int k = 0; k < 24; ++k) {
        uint32_t m = k == 0 ? 0 : (k == 1 ? 0x7fffff : rng() & 0x7fffff);
        uint32_t bits = (sign << 31) | (e << 23) | m;
        float f;
        std::memcpy(&f, &bits, 4);
        v.push_back(f);
      }
  // A fine grid where the functions bend.
  for (int k = -300000; k <= 300000; k += 5)
    v.push_back(float(k) * 1e-4f);
  for (int k = -2000; k <= 2000; ++k)
    v.push_back(float(k) * 0.0625f); // -125 .. 125, both tails
  // Runs of consecutive floats around the switch and saturation points.
  for (float p :
       {0.0f,  0.5f,   0.55f,  1.0f,   1.25f,   2.0f,    3.0f,    6.0f,
        8.0f,  9.0f,   10.0f,  14.0f,  20.0f,   30.0f,   87.0f,   88.72f,
        89.0f, 103.9f, 104.0f, 120.0f, 0.4142f, 0.2929f, 0.7071f, 1.4142f})
    for (float s : {1.0f, -1.0f}) {
      float a = s * p, b = s * p;
      for (int k = 0; k < 1500; ++k) {
        a = std::nextafter(a, inf);
        b = std::nextafter(b, -inf);
        v.push_back(a);
        v.push_back(b);
      }
    }
  for (float p : {-1.0f}) { // log1p's pole
    float a = p;
    for (int k = 0; k < 3000; ++k) {
      a = std::nextafter(a, 0.0f);
      v.push_back(a);
    }
  }
  return v;
}

} // namespace actc::numerics
