// SPDX-License-Identifier: Apache-2.0
//
// "The graph after fusion computes the same as before": each example model
// and a few hundred random small graphs (activations with random
// parameters, add/sub/mul with broadcasting, prelu, batch_norm, dense,
// conv2d, softmax, values reused by several ops) are run through the
// reference interpreter as nn ops, then again after the kernel pipeline
// (canonicalize, batch-norm folding, kern-fuse, kern-tile), where every
// kern.kernel is evaluated as the backend computes it: its anchor, then its
// scalar region per element (compiler/interpreter/KernOps.h). The random
// inputs include NaN, +-Inf, +-0 and large values, so the scalar forms'
// edge values are compared with the interpreter's own activations.

#include "compiler/frontend/Model.h"
#include "compiler/interpreter/Interpreter.h"
#include "compiler/interpreter/KernOps.h"
#include "compiler/mlirgen/MLIRGen.h"
#include "compiler/pipeline/Pipeline.h"
#include "compiler/weights/Binding.h"
#include "compiler/weights/DefaultInit.h"
#include "dialects/Kern/IR/KernOps.h"
#include "dialects/NN/Transforms/MaterializeWeights.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <sstream>

using namespace actc;
using interp::Tensor;

namespace {

class FusionEquivalence : public ::testing::Test {
protected:
  FusionEquivalence() : context(makeRegistry()) {
    context.loadAllAvailableDialects();
    handler.emplace(&context, [this](mlir::Diagnostic &diag) {
      diagnostics += diag.str() + "\n";
      return mlir::success();
    });
    interp::registerKernHandlers(interpreter.registry());
  }

  static mlir::DialectRegistry makeRegistry() {
    mlir::DialectRegistry registry;
    interp::registerKernInterpreterDialects(registry);
    pipeline::registerPipelineDialects(registry);
    return registry;
  }

  static mlir::func::FuncOp firstFunc(mlir::ModuleOp module) {
    return *module.getOps<mlir::func::FuncOp>().begin();
  }

  /// Random inputs for `func` (dynamic dims 2); `special` mixes in NaN,
  /// +-Inf, +-0 and large values. Arguments named in `positive` get values
  /// in [0.1, 2] (batch-norm variances).
  std::vector<Tensor> randomInputs(mlir::func::FuncOp func, std::mt19937 &rng,
                                   bool special,
                                   const std::set<unsigned> &positive = {}) {
    std::uniform_real_distribution<double> uniform(-3.0, 3.0);
    const double inf = std::numeric_limits<double>::infinity();
    const double specials[] = {std::nan(""), inf,   -inf, 0.0,   -0.0,
                               40.0,         -40.0, 1e30, -1e30, 1e-40};
    std::vector<Tensor> inputs;
    for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
      std::vector<int64_t> shape;
      for (int64_t d : mlir::cast<mlir::RankedTensorType>(type).getShape())
        shape.push_back(mlir::ShapedType::isDynamic(d) ? 2 : d);
      Tensor t = Tensor::filled(shape);
      for (double &v : t.data) {
        // Round to f32 so both runs start from the same float inputs.
        v = float(uniform(rng));
        if (positive.count(i))
          v = 0.1 + std::fabs(v) / 1.6;
        else if (special && rng() % 8 == 0)
          v = specials[rng() % std::size(specials)];
      }
      inputs.push_back(std::move(t));
    }
    return inputs;
  }

  /// Runs `module`'s first function on `inputs`, then the kernel pipeline,
  /// then the function again, and compares every result.
  void expectSameAfterFusion(mlir::ModuleOp module,
                             const std::vector<Tensor> &inputs,
                             interp::Tolerance tolerance,
                             const std::string &what) {
    diagnostics.clear();
    mlir::FailureOr<std::vector<Tensor>> before =
        interpreter.run(firstFunc(module), inputs);
    ASSERT_TRUE(mlir::succeeded(before)) << what << "\n" << diagnostics;
    ASSERT_TRUE(mlir::succeeded(
        pipeline::runKernelPipeline(module, {"x86-64-avx2", ""})))
        << what << "\n"
        << diagnostics;
    unsigned kernels = 0;
    module.walk([&](kern::KernelOp) { ++kernels; });
    EXPECT_GT(kernels, 0u) << what;
    mlir::FailureOr<std::vector<Tensor>> after =
        interpreter.run(firstFunc(module), inputs);
    ASSERT_TRUE(mlir::succeeded(after)) << what << "\n" << diagnostics;
    ASSERT_EQ(before->size(), after->size());
    for (size_t i = 0; i < before->size(); ++i) {
      interp::Comparison c =
          interp::compareTensors((*before)[i], (*after)[i], tolerance);
      EXPECT_TRUE(c.ok()) << what << ": result " << i << ": "
                          << c.summary((*before)[i].shape);
      worstRel = std::max(worstRel, c.maxRelError);
      worstAbs = std::max(worstAbs, c.maxAbsError);
    }
  }

  mlir::MLIRContext context;
  std::optional<mlir::ScopedDiagnosticHandler> handler;
  std::string diagnostics;
  interp::Interpreter interpreter;
  double worstRel = 0.0;
  double worstAbs = 0.0;
};

//===----------------------------------------------------------------------===//
// The example models
//===----------------------------------------------------------------------===//

/// "1.2e-07": errors span many decades; std::to_string would print 0.000000.
std::string formatError(double value) {
  char text[32];
  snprintf(text, sizeof text, "%.2g", value);
  return text;
}

class ExampleEquivalence : public FusionEquivalence,
                           public ::testing::WithParamInterface<const char *> {
};

TEST_P(ExampleEquivalence, FusedModelComputesTheSame) {
  std::string path = std::string(ACTC_EXAMPLES_DIR) + "/" + GetParam() + ".act";
  frontend::DiagnosticSink diags;
  std::optional<frontend::Model> model = frontend::loadModel(path, diags);
  ASSERT_TRUE(model) << diags.render();
  std::vector<weights::ModelParam> params = modelParams(*model);
  weights::BindResult bound =
      model->weightsPath ? weights::loadWeights(params, *model->weightsPath)
                         : weights::initDefaultWeights(params);
  ASSERT_TRUE(bound.ok());
  mlir::OwningOpRef<mlir::ModuleOp> module = buildModule(context, *model);
  ASSERT_TRUE(module) << diagnostics;
  ASSERT_TRUE(mlir::succeeded(nn::materializeWeights(*module, bound.tensors)))
      << diagnostics;
  std::mt19937 rng(7);
  std::vector<Tensor> inputs =
      randomInputs(firstFunc(*module), rng, /*special=*/false);
  // Batch-norm folding rounds the folded weights to f32 once; everything
  // else is the same double-precision arithmetic in another order.
  expectSameAfterFusion(*module, inputs, {1e-5, 1e-4}, GetParam());
  RecordProperty("worst_absolute_error", formatError(worstAbs));
  RecordProperty("worst_relative_error", formatError(worstRel));
}

INSTANTIATE_TEST_SUITE_P(Examples, ExampleEquivalence,
                         ::testing::Values("dcgan_discriminator", "kws_dscnn",
                                           "mlp", "mobilenet_v3_block",
                                           "transformer_block", "yolo_block"));

//===----------------------------------------------------------------------===//
// Random small graphs
//===----------------------------------------------------------------------===//

/// Writes a random nn function: a 2-D [4, 16] ("dense") or 4-D [2, 4, 5, 5]
/// ("conv") world, 2 to 9 ops, each reading the latest value or, a third of
/// the time, an earlier one (so values get several users); some earlier
/// values are returned too.
struct GraphGenerator {
  explicit GraphGenerator(unsigned seed) : rng(seed) {}

  std::string generate(bool &hasContraction) {
    conv = rng() % 2;
    type = conv ? "tensor<2x4x5x5xf32>" : "tensor<4x16xf32>";
    channels = conv ? 4 : 16;
    addArg(type);
    values = {"%a0"};
    unsigned steps = 2 + rng() % 8;
    for (unsigned s = 0; s < steps; ++s)
      step();
    hasContraction = contraction;
    std::ostringstream fn;
    std::vector<std::string> results{values.back()};
    if (values.size() > 2 && rng() % 2)
      results.push_back(values[rng() % (values.size() - 1)]);
    fn << "func.func @g(";
    for (size_t i = 0; i < argTypes.size(); ++i)
      fn << (i ? ", " : "") << "%a" << i << ": " << argTypes[i];
    fn << ") -> (";
    for (size_t i = 0; i < results.size(); ++i)
      fn << (i ? ", " : "") << type;
    fn << ") {\n" << body.str() << "  return ";
    for (size_t i = 0; i < results.size(); ++i)
      fn << (i ? ", " : "") << results[i];
    fn << " : ";
    for (size_t i = 0; i < results.size(); ++i)
      fn << (i ? ", " : "") << type;
    fn << "\n}\n";
    return fn.str();
  }

  std::set<unsigned> positive;

private:
  std::string addArg(const std::string &argType) {
    argTypes.push_back(argType);
    return "%a" + std::to_string(argTypes.size() - 1);
  }

  std::string pick() {
    return rng() % 3 == 0 ? values[rng() % values.size()] : values.back();
  }

  std::string fresh() { return "%v" + std::to_string(next++); }

  double uniform(double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  }

  static std::string f32(double v) {
    std::ostringstream os;
    os.precision(9);
    os << std::scientific << float(v) << " : f32";
    return os.str();
  }

  void unary(const std::string &op, const std::string &attrs = "") {
    std::string x = pick(), y = fresh();
    body << "  " << y << " = nn." << op << " " << x
         << (attrs.empty() ? "" : " {" + attrs + "}") << " : " << type << "\n";
    values.push_back(y);
  }

  void step() {
    std::string chan = "tensor<" + std::to_string(channels) + "xf32>";
    switch (rng() % 30) {
    case 0:
      unary("relu");
      break;
    case 1:
      unary("leaky_relu", "alpha = " + f32(uniform(-0.5, 1.5)));
      break;
    case 2:
      unary("relu6");
      break;
    case 3:
      unary("leaky_relu6", "alpha = " + f32(uniform(0, 0.3)) +
                               ", cap = " + f32(uniform(0.5, 8)));
      break;
    case 4: {
      double lo = uniform(-3, 1);
      unary("clip", "lo = " + f32(lo) + ", hi = " + f32(lo + uniform(0, 3)));
      break;
    }
    case 5:
      unary("elu", "alpha = " + f32(uniform(0.1, 2)));
      break;
    case 6:
      unary("selu");
      break;
    case 7:
      unary("celu", "alpha = " + f32(uniform(0.3, 2)));
      break;
    case 8:
      unary("thresholded_relu", "alpha = " + f32(uniform(-1, 2)));
      break;
    case 9:
      unary("sigmoid");
      break;
    case 10:
      unary("hard_sigmoid", "alpha = " + f32(uniform(0.1, 0.5)) +
                                ", beta = " + f32(uniform(0, 1)));
      break;
    case 11:
      unary("tanh");
      break;
    case 12:
      unary("silu");
      break;
    case 13:
      unary("swish", "beta = " + f32(uniform(-2, 2)));
      break;
    case 14:
      unary("hard_swish");
      break;
    case 15:
      unary("gelu");
      break;
    case 16:
      unary("gelu", "approximate = \"tanh\"");
      break;
    case 17:
      unary("mish");
      break;
    case 18:
      unary("softplus", "beta = " + f32(uniform(0.5, 3)) +
                            ", threshold = " + f32(uniform(5, 25)));
      break;
    case 19:
      unary("softsign");
      break;
    case 20:
      unary("softmax");
      break;
    case 21:
      unary("log_softmax");
      break;
    case 22:
    case 23:
    case 24: {
      const char *ops[] = {"add", "sub", "mul"};
      std::string lhs = pick(), rhs, rhsType = type;
      unsigned form = rng() % 3;
      if (form == 0) {
        rhs = values[rng() % values.size()];
      } else if (form == 1) {
        rhsType = conv ? "tensor<5xf32>" : "tensor<16xf32>";
        rhs = addArg(rhsType);
      } else {
        rhs = addArg(type);
      }
      std::string y = fresh();
      body << "  " << y << " = nn." << ops[rng() % 3] << " " << lhs << ", "
           << rhs << " : (" << type << ", " << rhsType << ") -> " << type
           << "\n";
      values.push_back(y);
      break;
    }
    case 25: {
      std::string x = pick(),
                  slope = addArg(rng() % 2 ? chan : "tensor<1xf32>");
      std::string y = fresh();
      body << "  " << y << " = nn.prelu " << x << ", " << slope << " : ("
           << type << ", " << argTypes.back() << ") -> " << type << "\n";
      values.push_back(y);
      break;
    }
    case 26: {
      std::string x = pick(), w = addArg(chan), b = addArg(chan),
                  m = addArg(chan), v = addArg(chan);
      positive.insert(argTypes.size() - 1);
      std::string y = fresh();
      body << "  " << y << " = nn.batch_norm " << x << ", " << w << ", " << b
           << ", " << m << ", " << v << " : (" << type << ", " << chan << ", "
           << chan << ", " << chan << ", " << chan << ") -> " << type << "\n";
      values.push_back(y);
      break;
    }
    default: {
      // A contraction that keeps the world's shape.
      contraction = true;
      std::string x = pick(), y = fresh();
      bool bias = rng() % 2;
      if (!conv) {
        std::string w = addArg("tensor<16x16xf32>");
        std::string b = bias ? addArg("tensor<16xf32>") : "";
        body << "  " << y << " = nn.dense " << x << ", " << w
             << (bias ? ", " + b : "") << " : (" << type
             << ", tensor<16x16xf32>" << (bias ? ", tensor<16xf32>" : "")
             << ") -> " << type << "\n";
      } else {
        bool depthwise = rng() % 2;
        std::string wType =
            depthwise ? "tensor<4x1x3x3xf32>" : "tensor<4x4x3x3xf32>";
        std::string w = addArg(wType);
        std::string b = bias ? addArg(chan) : "";
        body << "  " << y << " = nn.conv2d " << x << ", " << w
             << (bias ? ", " + b : "") << " {padding = array<i64: 1, 1, 1, 1>"
             << (depthwise ? ", groups = 4 : i64" : "") << "} : (" << type
             << ", " << wType << (bias ? ", " + chan : "") << ") -> " << type
             << "\n";
      }
      values.push_back(y);
      break;
    }
    }
  }

  std::mt19937 rng;
  bool conv = false, contraction = false;
  std::string type;
  int64_t channels = 0;
  std::vector<std::string> argTypes, values;
  std::ostringstream body;
  unsigned next = 0;
};

TEST_F(FusionEquivalence, RandomGraphsComputeTheSame) {
  unsigned withContraction = 0;
  for (unsigned seed = 0; seed < 300; ++seed) {
    GraphGenerator gen(seed);
    bool contraction = false;
    std::string source = gen.generate(contraction);
    // ACTC_KERN_TEST_DUMP=1 prints each graph (to reproduce a failure with
    // actc-opt).
    if (getenv("ACTC_KERN_TEST_DUMP"))
      fprintf(stderr, "%s", source.c_str());
    withContraction += contraction;
    diagnostics.clear();
    mlir::OwningOpRef<mlir::ModuleOp> module =
        mlir::parseSourceString<mlir::ModuleOp>(source, &context);
    ASSERT_TRUE(module) << source << diagnostics;
    std::mt19937 rng(seed);
    std::vector<Tensor> inputs =
        randomInputs(firstFunc(*module), rng, /*special=*/true, gen.positive);
    // The scalar forms are other formulas for the same functions, in double
    // with f32 constants: agreement to about f32 precision.
    expectSameAfterFusion(*module, inputs, {1e-6, 1e-5},
                          "seed " + std::to_string(seed) + ":\n" + source);
    if (HasFailure())
      return;
  }
  EXPECT_GT(withContraction, 50u);
  RecordProperty("worst_absolute_error", formatError(worstAbs));
  RecordProperty("worst_relative_error", formatError(worstRel));
}

} // namespace
