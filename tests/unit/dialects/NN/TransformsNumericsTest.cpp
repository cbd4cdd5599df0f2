// SPDX-License-Identifier: Apache-2.0
//
// The nn rewrites measured through the reference interpreter
// (compiler/interpreter), which runs a graph in double precision:
// - batch-norm folding: the folded graph against the unfolded one on the
//   same input; folding rounds each new weight and bias to f32 once, so the
//   outputs differ by about that rounding (the max abs/rel error is printed
//   and bounded);
// - constant folding: every activation folded by --canonicalize gives, bit
//   for bit, the interpreter's value for the unfolded op rounded to f32
//   (the folders mirror the interpreter's reference formulas);
// - recomposition: each spelled-out graph and the op that replaces it agree
//   to within the rounding of the graph's f32 constants.

#include "compiler/interpreter/Interpreter.h"
#include "dialects/NN/IR/NNOps.h"
#include "dialects/NN/Transforms/MaterializeWeights.h"
#include "dialects/NN/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <limits>
#include <sstream>

using namespace mlir;
using namespace actc;

namespace {

/// A deterministic uniform generator (the tests must not depend on a seed).
class Lcg {
public:
  explicit Lcg(uint64_t seed) : state(seed) {}
  double uniform(double lo, double hi) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return lo + (hi - lo) * double(state >> 11) / double(1ull << 53);
  }
  std::vector<float> fill(size_t n, double lo, double hi) {
    std::vector<float> v(n);
    for (float &x : v)
      x = static_cast<float>(uniform(lo, hi));
    return v;
  }

private:
  uint64_t state;
};

class TransformsNumericsTest : public ::testing::Test {
protected:
  TransformsNumericsTest() {
    DialectRegistry registry;
    interp::registerInterpreterDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
    handler.emplace(&context, [this](Diagnostic &diag) {
      diagnostics += diag.str() + "\n";
      return success();
    });
  }

  OwningOpRef<ModuleOp> parse(const std::string &source) {
    OwningOpRef<ModuleOp> module =
        parseSourceString<ModuleOp>(source, &context);
    EXPECT_TRUE(module) << diagnostics;
    return module;
  }

  /// Runs `pipeline` (a textual pass pipeline) on `module`.
  bool runPasses(ModuleOp module, void (*build)(OpPassManager &)) {
    PassManager pm(&context);
    build(pm);
    bool ok = succeeded(pm.run(module));
    EXPECT_TRUE(ok) << diagnostics;
    return ok;
  }

  std::vector<interp::Tensor> run(ModuleOp module,
                                  std::vector<interp::Tensor> inputs) {
    interp::Interpreter interpreter;
    auto func = *module.getOps<func::FuncOp>().begin();
    FailureOr<std::vector<interp::Tensor>> results =
        interpreter.run(func, inputs);
    EXPECT_TRUE(succeeded(results)) << diagnostics;
    return succeeded(results) ? *results : std::vector<interp::Tensor>{};
  }

  template <typename OpTy> int count(ModuleOp module) {
    int n = 0;
    module.walk([&](OpTy) { ++n; });
    return n;
  }

  MLIRContext context;
  std::optional<ScopedDiagnosticHandler> handler;
  std::string diagnostics;
};

interp::Tensor randomTensor(std::vector<int64_t> shape, Lcg &rng) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  std::vector<double> data(n);
  for (double &x : data)
    x = static_cast<float>(rng.uniform(-2, 2));
  return interp::Tensor(std::move(shape), std::move(data));
}

//===----------------------------------------------------------------------===//
// Batch-norm folding
//===----------------------------------------------------------------------===//

void foldBatchNorm(OpPassManager &pm) {
  pm.addPass(nn::createFoldBatchNormPass());
}

TEST_F(TransformsNumericsTest, FoldedConvMatchesUnfolded) {
  // conv 4 -> 8 channels, 3x3, padding 1, with bias, then batch_norm.
  OwningOpRef<ModuleOp> module = parse(R"mlir(
func.func @m(%x: tensor<2x4x10x10xf32>) -> tensor<2x8x10x10xf32> {
  %w = nn.param "conv1.weight" : tensor<8x4x3x3xf32>
  %b = nn.param "conv1.bias" : tensor<8xf32>
  %y = nn.conv2d %x, %w, %b {padding = array<i64: 1, 1, 1, 1>} : (tensor<2x4x10x10xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<2x8x10x10xf32>
  %g = nn.param "bn1.weight" : tensor<8xf32>
  %beta = nn.param "bn1.bias" : tensor<8xf32>
  %mean = nn.param "bn1.running_mean" : tensor<8xf32>
  %var = nn.param "bn1.running_var" : tensor<8xf32>
  %z = nn.batch_norm %y, %g, %beta, %mean, %var : (tensor<2x8x10x10xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8x10x10xf32>
  return %z : tensor<2x8x10x10xf32>
}
)mlir");
  ASSERT_TRUE(module);
  Lcg rng(1);
  weights::WeightMap map;
  map["conv1.weight"] = {{8, 4, 3, 3}, rng.fill(8 * 4 * 9, -0.5, 0.5)};
  map["conv1.bias"] = {{8}, rng.fill(8, -0.5, 0.5)};
  map["bn1.weight"] = {{8}, rng.fill(8, 0.5, 1.5)};
  map["bn1.bias"] = {{8}, rng.fill(8, -0.5, 0.5)};
  map["bn1.running_mean"] = {{8}, rng.fill(8, -0.5, 0.5)};
  map["bn1.running_var"] = {{8}, rng.fill(8, 0.05, 2.0)};
  ASSERT_TRUE(succeeded(nn::materializeWeights(*module, map)));

  OwningOpRef<ModuleOp> folded = module->clone();
  ASSERT_TRUE(runPasses(*folded, foldBatchNorm));
  EXPECT_EQ(count<nn::BatchNormOp>(*folded), 0);
  EXPECT_EQ(count<nn::BatchNormOp>(*module), 1);

  std::vector<interp::Tensor> inputs = {randomTensor({2, 4, 10, 10}, rng)};
  std::vector<interp::Tensor> expected = run(*module, inputs);
  std::vector<interp::Tensor> actual = run(*folded, inputs);
  ASSERT_EQ(expected.size(), 1u);
  ASSERT_EQ(actual.size(), 1u);
  interp::Comparison c =
      interp::compareTensors(expected[0], actual[0], {1e-5, 1e-5});
  std::cout << "[ conv+bn folded vs unfolded ] " << c.summary(expected[0].shape)
            << "\n";
  RecordProperty("max_abs_error", std::to_string(c.maxAbsError));
  // Each folded weight carries one f32 rounding (2^-24 relative) of a
  // product, so the outputs (|y| up to ~10 here) differ by ~1e-6 at most.
  EXPECT_TRUE(c.ok()) << c.summary(expected[0].shape);
  EXPECT_LT(c.maxAbsError, 1e-5);
}

TEST_F(TransformsNumericsTest, FoldedDenseWithoutBiasMatchesUnfolded) {
  OwningOpRef<ModuleOp> module = parse(R"mlir(
func.func @m(%x: tensor<5x16xf32>) -> tensor<5x6xf32> {
  %w = nn.param "fc.weight" : tensor<6x16xf32>
  %y = nn.dense %x, %w : (tensor<5x16xf32>, tensor<6x16xf32>) -> tensor<5x6xf32>
  %g = nn.param "bn.weight" : tensor<6xf32>
  %beta = nn.param "bn.bias" : tensor<6xf32>
  %mean = nn.param "bn.running_mean" : tensor<6xf32>
  %var = nn.param "bn.running_var" : tensor<6xf32>
  %z = nn.batch_norm %y, %g, %beta, %mean, %var {eps = 1.000000e-03 : f32} : (tensor<5x6xf32>, tensor<6xf32>, tensor<6xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<5x6xf32>
  return %z : tensor<5x6xf32>
}
)mlir");
  ASSERT_TRUE(module);
  Lcg rng(2);
  weights::WeightMap map;
  map["fc.weight"] = {{6, 16}, rng.fill(6 * 16, -1, 1)};
  map["bn.weight"] = {{6}, rng.fill(6, 0.5, 1.5)};
  map["bn.bias"] = {{6}, rng.fill(6, -0.5, 0.5)};
  map["bn.running_mean"] = {{6}, rng.fill(6, -1, 1)};
  map["bn.running_var"] = {{6}, rng.fill(6, 0.01, 3)};
  ASSERT_TRUE(succeeded(nn::materializeWeights(*module, map)));
  OwningOpRef<ModuleOp> folded = module->clone();
  ASSERT_TRUE(runPasses(*folded, foldBatchNorm));
  EXPECT_EQ(count<nn::BatchNormOp>(*folded), 0);

  std::vector<interp::Tensor> inputs = {randomTensor({5, 16}, rng)};
  std::vector<interp::Tensor> expected = run(*module, inputs);
  std::vector<interp::Tensor> actual = run(*folded, inputs);
  ASSERT_EQ(actual.size(), 1u);
  interp::Comparison c =
      interp::compareTensors(expected[0], actual[0], {1e-5, 1e-5});
  std::cout << "[ dense+bn folded vs unfolded ] "
            << c.summary(expected[0].shape) << "\n";
  EXPECT_TRUE(c.ok()) << c.summary(expected[0].shape);
}

//===----------------------------------------------------------------------===//
// Constant folding
//===----------------------------------------------------------------------===//

void canonicalize(OpPassManager &pm) { pm.addPass(createCanonicalizerPass()); }

/// Inputs that reach every branch and edge of the activations.
std::vector<float> sampleInputs() {
  const float inf = std::numeric_limits<float>::infinity();
  const float big = std::numeric_limits<float>::max();
  const float tiny = std::numeric_limits<float>::denorm_min();
  std::vector<float> v = {std::numeric_limits<float>::quiet_NaN(),
                          -inf,
                          inf,
                          -0.0f,
                          0.0f,
                          -big,
                          big,
                          -tiny,
                          tiny,
                          -1e-30f,
                          1e-30f,
                          -3,
                          3,
                          -6,
                          6,
                          20,
                          -20,
                          -88,
                          88,
                          -100,
                          100,
                          0.5f,
                          -0.5f,
                          1,
                          -1,
                          2,
                          -2,
                          4,
                          10};
  Lcg rng(3);
  for (int i = 0; i < 400; ++i) {
    double sign = rng.uniform(0, 1) < 0.5 ? -1 : 1;
    v.push_back(
        static_cast<float>(sign * std::pow(10.0, rng.uniform(-6, 2.5))));
  }
  return v;
}

std::string hexOf(const std::vector<float> &values) {
  std::ostringstream os;
  os << "0x" << std::hex;
  for (float f : values) {
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    for (int byte = 0; byte < 4; ++byte) {
      unsigned b = (bits >> (8 * byte)) & 0xff;
      os << "0123456789ABCDEF"[b >> 4] << "0123456789ABCDEF"[b & 15];
    }
  }
  return os.str();
}

bool sameF32(double a, double b) {
  float fa = static_cast<float>(a), fb = static_cast<float>(b);
  if (std::isnan(fa) || std::isnan(fb))
    return std::isnan(fa) && std::isnan(fb);
  return std::memcmp(&fa, &fb, 4) == 0;
}

TEST_F(TransformsNumericsTest, ConstantFoldingMatchesTheInterpreterBitForBit) {
  std::vector<float> inputs = sampleInputs();
  std::string type = "tensor<" + std::to_string(inputs.size()) + "xf32>";
  // Each op with its attributes (written after the operand).
  const std::pair<const char *, const char *> ops[] = {
      {"nn.relu", ""},
      {"nn.leaky_relu", "{alpha = 1.000000e-01 : f32}"},
      {"nn.relu6", ""},
      {"nn.leaky_relu6", "{alpha = 2.000000e-01 : f32, cap = 4.0 : f32}"},
      {"nn.clip", "{lo = -5.000000e-01 : f32, hi = 2.0 : f32}"},
      {"nn.elu", "{alpha = 0.7 : f32}"},
      {"nn.selu", ""},
      {"nn.celu", "{alpha = 1.5 : f32}"},
      {"nn.thresholded_relu", "{alpha = 0.5 : f32}"},
      {"nn.sigmoid", ""},
      {"nn.hard_sigmoid", "{alpha = 0.2 : f32}"},
      {"nn.tanh", ""},
      {"nn.silu", ""},
      {"nn.swish", "{beta = 1.5 : f32}"},
      {"nn.hard_swish", ""},
      {"nn.gelu", ""},
      {"nn.gelu", "{approximate = \"tanh\"}"},
      {"nn.mish", ""},
      {"nn.softplus", "{beta = 2.0 : f32, threshold = 10.0 : f32}"},
      {"nn.softsign", ""},
  };
  for (auto [op, attrs] : ops) {
    SCOPED_TRACE(std::string(op) + " " + attrs);
    std::string source = "func.func @f() -> " + type +
                         " {\n  %c = " + "arith.constant dense<\"" +
                         hexOf(inputs) + "\"> : " + type + "\n  %y = " + op +
                         " %c " + attrs + " : " + type +
                         "\n  return %y : " + type + "\n}\n";
    OwningOpRef<ModuleOp> module = parse(source);
    ASSERT_TRUE(module);
    OwningOpRef<ModuleOp> folded = module->clone();
    ASSERT_TRUE(runPasses(*folded, canonicalize));
    // Nothing but the constant is left.
    int nnOps = 0;
    folded->walk([&](Operation *o) {
      nnOps += o->getDialect()->getNamespace() == "nn";
    });
    EXPECT_EQ(nnOps, 0);
    std::vector<interp::Tensor> expected = run(*module, {});
    std::vector<interp::Tensor> actual = run(*folded, {});
    ASSERT_EQ(expected.size(), 1u);
    ASSERT_EQ(actual.size(), 1u);
    for (size_t i = 0; i < inputs.size(); ++i)
      EXPECT_TRUE(sameF32(expected[0].data[i], actual[0].data[i]))
          << "x = " << inputs[i] << ": interpreter "
          << static_cast<float>(expected[0].data[i]) << ", folded "
          << actual[0].data[i];
  }
}

//===----------------------------------------------------------------------===//
// Activation algebra
//===----------------------------------------------------------------------===//

TEST_F(TransformsNumericsTest, ClampChainsStayBitIdenticalAfterCanonicalize) {
  // Every pair of relu / relu6 / clip (with bounds around 0 and 6, -0
  // included) is canonicalized and run by the interpreter on inputs at and
  // between all bounds, +-0, +-Inf and NaN: the results must be the same
  // bits (clamps do no arithmetic, so double and f32 agree).
  const char *clamps[] = {
      "nn.relu %v",
      "nn.relu6 %v",
      "nn.clip %v {lo = -3.0 : f32, hi = 4.0 : f32}",
      "nn.clip %v {lo = 0.0 : f32, hi = 4.0 : f32}",
      "nn.clip %v {lo = -0.0 : f32, hi = 6.0 : f32}",
      "nn.clip %v {lo = 0.0 : f32, hi = 6.0 : f32}",
      "nn.clip %v {lo = 0.5 : f32, hi = 8.0 : f32}",
      "nn.clip %v {lo = -2.0 : f32, hi = -1.0 : f32}",
      "nn.clip %v {lo = 7.0 : f32, hi = 9.0 : f32}",
  };
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> xs = {std::nan(""), -inf, inf, -0.0, 0.0};
  for (double x : {-9.0, -3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 0.25, 0.5, 2.0,
                   4.0, 5.0, 6.0, 7.0, 8.0, 8.5, 9.0, 10.0})
    xs.push_back(x);
  std::string type = "tensor<" + std::to_string(xs.size()) + "xf32>";
  interp::Tensor input({int64_t(xs.size())}, xs);
  int rewritten = 0;
  for (const char *inner : clamps)
    for (const char *outer : clamps) {
      std::string a = std::string(inner), b = std::string(outer);
      a.replace(a.find("%v"), 2, "%x");
      b.replace(b.find("%v"), 2, "%a");
      std::string source = "func.func @f(%x: " + type + ") -> " + type +
                           " {\n  %a = " + a + " : " + type + "\n  %y = " + b +
                           " : " + type + "\n  return %y : " + type + "\n}\n";
      SCOPED_TRACE(source);
      OwningOpRef<ModuleOp> module = parse(source);
      ASSERT_TRUE(module);
      OwningOpRef<ModuleOp> canonical = module->clone();
      ASSERT_TRUE(runPasses(*canonical, canonicalize));
      int ops = 0;
      canonical->walk([&](Operation *o) {
        ops += o->getDialect()->getNamespace() == "nn";
      });
      rewritten += ops == 1;
      std::vector<interp::Tensor> expected = run(*module, {input});
      std::vector<interp::Tensor> actual = run(*canonical, {input});
      ASSERT_EQ(actual.size(), 1u);
      for (size_t i = 0; i < xs.size(); ++i) {
        double e = expected[0].data[i], g = actual[0].data[i];
        EXPECT_TRUE((std::isnan(e) && std::isnan(g)) ||
                    (e == g && std::signbit(e) == std::signbit(g)))
            << "x = " << xs[i] << ": " << e << " before, " << g << " after";
      }
    }
  // Most pairs collapse into one op; the signed-zero cases do not.
  EXPECT_GT(rewritten, 60);
  EXPECT_LT(rewritten, 81);
}

TEST_F(TransformsNumericsTest, LeakyReluPairsFoldOnlyWhereF32AgreesBitForBit) {
  // For each pair of slopes: does canonicalize fold leaky_relu(leaky_relu(x,
  // a), b)? Where it does, fl(b * fl(a * x)) must equal fl(fl(a * b) * x)
  // in f32 for every sampled x of the normal range (the rule's condition);
  // where it does not, some x must tell them apart.
  const float slopes[] = {0.0f,  1.0f, 0.5f, 0.25f, 2.0f,
                          0.01f, 0.1f, 0.2f, 0.3f,  1.5f};
  Lcg rng(5);
  std::vector<float> xs;
  for (int i = 0; i < 200000; ++i)
    xs.push_back(-static_cast<float>(std::pow(10.0, rng.uniform(-30, 30))));
  for (float a : slopes)
    for (float b : slopes) {
      std::ostringstream source;
      source << std::scientific;
      source.precision(9);
      source << "func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {\n"
             << "  %a = nn.leaky_relu %x {alpha = " << a
             << " : f32} : tensor<4xf32>\n"
             << "  %y = nn.leaky_relu %a {alpha = " << b
             << " : f32} : tensor<4xf32>\n  return %y : tensor<4xf32>\n}\n";
      SCOPED_TRACE(source.str());
      OwningOpRef<ModuleOp> module = parse(source.str());
      ASSERT_TRUE(module);
      ASSERT_TRUE(runPasses(*module, canonicalize));
      int leaky = count<nn::LeakyReluOp>(*module);
      bool folded = leaky <= 1;
      float ab = a * b;
      bool agree = true;
      for (float x : xs) {
        volatile float ax = a * x;
        float twice = b * ax, once = ab * x;
        if (std::memcmp(&twice, &once, 4) != 0)
          agree = false;
      }
      if (folded)
        EXPECT_TRUE(agree) << "folded, but f32 differs";
      else
        EXPECT_FALSE(agree) << "exact in f32, but not folded";
    }
}

//===----------------------------------------------------------------------===//
// Recomposition
//===----------------------------------------------------------------------===//

void recompose(OpPassManager &pm) {
  pm.addPass(nn::createRecomposeActivationsPass());
}

TEST_F(TransformsNumericsTest, RecomposedGraphsComputeTheSameFunction) {
  // Each graph is recomposed into one op; the interpreter runs both in
  // double, so they differ only by the rounding of the graph's f32
  // constants (1/6, sqrt(2/pi), 1/sqrt 2, 0.044715): ~1e-7 relative.
  const char *graphs[] = {
      // hard_swish
      R"(%three = arith.constant dense<3.0> : tensor<f32>
  %sixth = arith.constant dense<0.166666672> : tensor<f32>
  %a = nn.add %x, %three : (tensor<64xf32>, tensor<f32>) -> tensor<64xf32>
  %r = nn.relu6 %a : tensor<64xf32>
  %m = nn.mul %x, %r : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  %y = nn.mul %m, %sixth : (tensor<64xf32>, tensor<f32>) -> tensor<64xf32>)",
      // hard_sigmoid (ONNX)
      R"(%alpha = arith.constant dense<0.2> : tensor<f32>
  %beta = arith.constant dense<0.5> : tensor<f32>
  %m = nn.mul %alpha, %x : (tensor<f32>, tensor<64xf32>) -> tensor<64xf32>
  %a = nn.add %m, %beta : (tensor<64xf32>, tensor<f32>) -> tensor<64xf32>
  %y = nn.clip %a {lo = 0.0 : f32, hi = 1.0 : f32} : tensor<64xf32>)",
      // swish
      R"(%beta = arith.constant dense<1.702> : tensor<f32>
  %bx = nn.mul %x, %beta : (tensor<64xf32>, tensor<f32>) -> tensor<64xf32>
  %t = nn.sigmoid %bx : tensor<64xf32>
  %y = nn.mul %x, %t : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>)",
      // gelu tanh
      R"(%half = arith.constant dense<0.5> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %k = arith.constant dense<0.797884583> : tensor<f32>
  %c = arith.constant dense<0.044715> : tensor<f32>
  %x2 = nn.mul %x, %x : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  %x3 = nn.mul %x2, %x : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  %cx3 = nn.mul %c, %x3 : (tensor<f32>, tensor<64xf32>) -> tensor<64xf32>
  %inner = nn.add %x, %cx3 : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  %u = nn.mul %k, %inner : (tensor<f32>, tensor<64xf32>) -> tensor<64xf32>
  %t = nn.tanh %u : tensor<64xf32>
  %onept = nn.add %one, %t : (tensor<f32>, tensor<64xf32>) -> tensor<64xf32>
  %hx = nn.mul %half, %x : (tensor<f32>, tensor<64xf32>) -> tensor<64xf32>
  %y = nn.mul %hx, %onept : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>)",
      // gelu erf
      R"(%half = arith.constant dense<0.5> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %rsqrt2 = arith.constant dense<0.707106769> : tensor<f32>
  %s = nn.mul %x, %rsqrt2 : (tensor<64xf32>, tensor<f32>) -> tensor<64xf32>
  %e = math.erf %s : tensor<64xf32>
  %p = nn.add %e, %one : (tensor<64xf32>, tensor<f32>) -> tensor<64xf32>
  %hx = nn.mul %x, %half : (tensor<64xf32>, tensor<f32>) -> tensor<64xf32>
  %y = nn.mul %hx, %p : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>)",
      // mish
      R"(%s = nn.softplus %x : tensor<64xf32>
  %t = nn.tanh %s : tensor<64xf32>
  %y = nn.mul %x, %t : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>)",
      // leaky_relu6
      R"(%l = nn.leaky_relu %x {alpha = 0.1 : f32} : tensor<64xf32>
  %six = arith.constant dense<6.0> : tensor<64xf32>
  %y = arith.minimumf %l, %six : tensor<64xf32>)",
  };
  Lcg rng(4);
  std::vector<double> xs(64);
  for (double &x : xs)
    x = static_cast<float>(rng.uniform(-8, 8));
  interp::Tensor input({64}, xs);
  for (const char *graph : graphs) {
    SCOPED_TRACE(graph);
    std::string source =
        std::string(
            "func.func @f(%x: tensor<64xf32>) -> tensor<64xf32> {\n  ") +
        graph + "\n  return %y : tensor<64xf32>\n}\n";
    OwningOpRef<ModuleOp> module = parse(source);
    ASSERT_TRUE(module);
    OwningOpRef<ModuleOp> recomposed = module->clone();
    ASSERT_TRUE(runPasses(*recomposed, recompose));
    int ops = 0;
    recomposed->walk([&](Operation *o) {
      ops += !isa<func::FuncOp, func::ReturnOp, ModuleOp>(o);
    });
    EXPECT_EQ(ops, 1) << "not recomposed into one op";
    std::vector<interp::Tensor> expected = run(*module, {input});
    std::vector<interp::Tensor> actual = run(*recomposed, {input});
    ASSERT_EQ(actual.size(), 1u);
    interp::Comparison c =
        interp::compareTensors(expected[0], actual[0], {1e-6, 1e-6});
    EXPECT_TRUE(c.ok()) << c.summary({64});
  }
}

} // namespace
