// SPDX-License-Identifier: Apache-2.0
//
// The Halide backend computes what the reference interpreter computes. Each
// example model (default-initialised weights, seed 0, loaded as `actc
// compile` loads it) and two small graphs (every activation as a map
// kernel; every contraction, pool, reduction, copy and view with odd sizes,
// padding, stride, dilation, groups and batch broadcasting) are lowered to
// one Halide pipeline, JIT-compiled once, and run on random inputs with a
// dynamic batch of 1, 3 and 17. The interpreter runs the same kernel module
// in double precision.
//
// Tolerances: contractions accumulate up to 4096 f32 products (dcgan's
// main.8: 256 channels x 4 x 4); the f32 rounding error of such a sum is
// about sqrt(K) * 2^-24 times the sum of |products|, which stays under
// 1e-4 relative to the result or 1e-5 absolute for results near zero (the
// examples' activations are O(1); measured worst: 5e-7 absolute). Activations alone use the math
// library's accuracy contract: a few float ULP, checked as rel 4e-6 (about
// 32 ULP, the worst of the contract at the largest element), abs 1e-6 near 0.

#include "compiler/backend/halide/Lowering.h"
#include "compiler/frontend/Model.h"
#include "compiler/interpreter/Interpreter.h"
#include "compiler/interpreter/KernOps.h"
#include "compiler/mlirgen/MLIRGen.h"
#include "compiler/pipeline/Pipeline.h"
#include "compiler/weights/Binding.h"
#include "compiler/weights/DefaultInit.h"
#include "dialects/NN/Transforms/MaterializeWeights.h"
#include "tests/unit/numerics/AccuracyHarness.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <thread>

using namespace actc;
using halide::HostTensor;
using halide::LoweredModel;
using interp::Tensor;

namespace {

/// A kern module with its lowered pipeline, JIT-compiled on first use and
/// shared by every test of this binary (JIT compiles cost seconds).
struct Compiled {
  mlir::OwningOpRef<mlir::ModuleOp> module;
  LoweredModel model;
  std::string error;
};

mlir::MLIRContext &context() {
  static mlir::MLIRContext *ctx = [] {
    mlir::DialectRegistry registry;
    interp::registerKernInterpreterDialects(registry);
    pipeline::registerPipelineDialects(registry);
    auto *c = new mlir::MLIRContext(registry);
    c->loadAllAvailableDialects();
    return c;
  }();
  return *ctx;
}

std::string &diagnostics() {
  static std::string d;
  return d;
}

void installHandler() {
  static mlir::ScopedDiagnosticHandler *handler =
      new mlir::ScopedDiagnosticHandler(&context(), [](mlir::Diagnostic &diag) {
        diagnostics() += diag.str() + "\n";
        return mlir::success();
      });
  (void)handler;
}

/// Runs the kernel pipeline (host target) on `module` and lowers it.
std::unique_ptr<Compiled> finish(mlir::OwningOpRef<mlir::ModuleOp> module) {
  auto c = std::make_unique<Compiled>();
  c->module = std::move(module);
  if (mlir::failed(pipeline::runKernelPipeline(*c->module, {"host", ""}))) {
    c->error = "kernel pipeline failed: " + diagnostics();
    return c;
  }
  c->error = halide::lowerModule(*c->module, {"host", true}, c->model);
  return c;
}

Compiled &example(const std::string &name) {
  static std::map<std::string, std::unique_ptr<Compiled>> cache;
  std::unique_ptr<Compiled> &slot = cache[name];
  if (slot)
    return *slot;
  installHandler();
  std::string path = std::string(ACTC_EXAMPLES_DIR) + "/" + name + ".act";
  frontend::DiagnosticSink diags;
  std::optional<frontend::Model> model = frontend::loadModel(path, diags);
  slot = std::make_unique<Compiled>();
  if (!model) {
    slot->error = diags.render();
    return *slot;
  }
  std::vector<weights::ModelParam> params = modelParams(*model);
  weights::BindResult bound =
      model->weightsPath ? weights::loadWeights(params, *model->weightsPath)
                         : weights::initDefaultWeights(params, 0);
  if (!bound.ok()) {
    slot->error = "weights did not bind";
    return *slot;
  }
  mlir::OwningOpRef<mlir::ModuleOp> module =
      buildModule(context(), *model, &bound.tensors);
  if (!module ||
      mlir::failed(nn::materializeWeights(*module, bound.tensors))) {
    slot->error = "module: " + diagnostics();
    return *slot;
  }
  slot = finish(std::move(module));
  return *slot;
}

Compiled &graph(const std::string &key, const std::string &source) {
  static std::map<std::string, std::unique_ptr<Compiled>> cache;
  std::unique_ptr<Compiled> &slot = cache[key];
  if (slot)
    return *slot;
  installHandler();
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(source, &context());
  if (!module) {
    slot = std::make_unique<Compiled>();
    slot->error = "parse: " + diagnostics();
    return *slot;
  }
  slot = finish(std::move(module));
  return *slot;
}

mlir::func::FuncOp firstFunc(mlir::ModuleOp module) {
  return *module.getOps<mlir::func::FuncOp>().begin();
}

/// Random f32 inputs for `func` with every dynamic dim = `batch`; with
/// `special`, one element in 8 is NaN, +-Inf, +-0 or large.
std::vector<Tensor> randomInputs(mlir::func::FuncOp func, int64_t batch,
                                 unsigned seed, double range, bool special) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> uniform(-range, range);
  const double inf = std::numeric_limits<double>::infinity();
  const double specials[] = {std::nan(""), inf, -inf, 0.0, -0.0, 30.0, -30.0};
  std::vector<Tensor> inputs;
  for (mlir::Type type : func.getArgumentTypes()) {
    std::vector<int64_t> shape;
    for (int64_t d : mlir::cast<mlir::RankedTensorType>(type).getShape())
      shape.push_back(mlir::ShapedType::isDynamic(d) ? batch : d);
    Tensor t = Tensor::filled(shape);
    for (double &v : t.data) {
      v = float(uniform(rng));
      if (special && rng() % 8 == 0)
        v = specials[rng() % std::size(specials)];
    }
    inputs.push_back(std::move(t));
  }
  return inputs;
}

std::vector<HostTensor> toHost(const std::vector<Tensor> &ts) {
  std::vector<HostTensor> out;
  for (const Tensor &t : ts)
    out.push_back({t.shape, std::vector<float>(t.data.begin(), t.data.end())});
  return out;
}

Tensor fromHost(const HostTensor &t) {
  return Tensor(t.shape, std::vector<double>(t.data.begin(), t.data.end()));
}

struct Errors {
  double abs = 0, rel = 0, ulp = 0;
};

/// JIT vs interpreter on `inputs`; every output within `tol`. Returns the
/// worst errors.
Errors compareWithInterpreter(Compiled &c, const std::vector<Tensor> &inputs,
                              interp::Tolerance tol, const std::string &what,
                              int threads = 0) {
  Errors worst;
  interp::Interpreter interpreter;
  interp::registerKernHandlers(interpreter.registry());
  diagnostics().clear();
  mlir::FailureOr<std::vector<Tensor>> expected =
      interpreter.run(firstFunc(*c.module), inputs);
  EXPECT_TRUE(mlir::succeeded(expected)) << what << ": " << diagnostics();
  if (mlir::failed(expected))
    return worst;
  std::vector<HostTensor> outputs;
  halide::JitOptions options;
  options.threads = threads;
  std::string err = halide::runJit(c.model, toHost(inputs), outputs, options);
  EXPECT_EQ(err, "") << what;
  if (!err.empty())
    return worst;
  EXPECT_EQ(outputs.size(), expected->size()) << what;
  for (size_t i = 0; i < std::min(outputs.size(), expected->size()); ++i) {
    Tensor e = interp::roundToF32((*expected)[i]);
    // ACTC_HALIDE_DUMP=1: the first few values of each output, both sides.
    if (std::getenv("ACTC_HALIDE_DUMP"))
      for (size_t k = 0; k < std::min<size_t>(4, e.data.size()); ++k)
        std::printf("  %s out %zu [%zu]: interpreter %.9g, halide %.9g\n",
                    what.c_str(), i, k, e.data[k], double(outputs[i].data[k]));
    interp::Comparison cmp =
        interp::compareTensors(e, fromHost(outputs[i]), tol);
    EXPECT_TRUE(cmp.ok()) << what << ": output " << i << " ("
                          << c.model.interface.outputs[i].name
                          << "): " << cmp.summary(e.shape);
    if (cmp.nanMismatches)
      for (size_t k = 0; k < e.data.size(); ++k)
        if (std::isnan(e.data[k]) != std::isnan(outputs[i].data[k])) {
          ADD_FAILURE() << what << ": output " << i << " element " << k
                        << ": expected " << e.data[k] << ", got "
                        << outputs[i].data[k];
          break;
        }
    worst.abs = std::max(worst.abs, cmp.maxAbsError);
    worst.rel = std::max(worst.rel, cmp.maxRelError);
    worst.ulp = std::max(worst.ulp, cmp.maxUlpError);
  }
  return worst;
}

//===----------------------------------------------------------------------===//
// The example models
//===----------------------------------------------------------------------===//

class ExampleModels : public ::testing::TestWithParam<const char *> {};

TEST_P(ExampleModels, MatchInterpreter) {
  Compiled &c = example(GetParam());
  ASSERT_EQ(c.error, "");
  const backend::ModelInterface &iface = c.model.interface;
  EXPECT_EQ(iface.pipelineSymbol,
            "actc_" + iface.modelName + "_pipeline");
  EXPECT_EQ(iface.weights.size(), c.model.weightValues.size());
  // A batch of 2 (sizes 1, 3 and 17 are covered by MlpBatchesAndThreads and
  // the small graphs; the interpreter's double loops dominate the time here).
  std::vector<Tensor> inputs =
      randomInputs(firstFunc(*c.module), 2, 13, 1.0, false);
  Errors worst = compareWithInterpreter(c, inputs, {1e-5, 1e-4},
                                        std::string(GetParam()) + " batch 2");
  std::printf("[ errors   ] %s: max abs %.3g, max rel %.3g\n", GetParam(),
              worst.abs, worst.rel);
  // ACTC_HALIDE_TIME=1: the median of 21 JIT runs at batch 1 (for the
  // numbers in docs/halide-backend.md; not a benchmark).
  if (std::getenv("ACTC_HALIDE_TIME")) {
    std::vector<HostTensor> in =
        toHost(randomInputs(firstFunc(*c.module), 1, 1, 1.0, false));
    std::vector<HostTensor> out;
    std::vector<double> ms;
    for (int i = 0; i < 21; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      ASSERT_EQ(halide::runJit(c.model, in, out), "");
      ms.push_back(std::chrono::duration<double, std::milli>(
                       std::chrono::steady_clock::now() - t0)
                       .count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("[ time     ] %s: %.3f ms (batch 1, median of 21)\n",
                GetParam(), ms[10]);
  }
}

INSTANTIATE_TEST_SUITE_P(Examples, ExampleModels,
                         ::testing::Values("dcgan_discriminator", "kws_dscnn",
                                           "mlp", "mobilenet_v3_block",
                                           "transformer_block", "yolo_block"));

// One compile of mlp for: dynamic batch 1, 3, 5, 17 against the interpreter
// (the schedule's tiles of 1, 2, 4 and 8 rows);
// 1 and 2 threads bit-identical (and the setting takes effect); a wrong
// input shape is an error, not a crash.
TEST(HalideBackend, MlpBatchesAndThreads) {
  Compiled &c = example("mlp");
  ASSERT_EQ(c.error, "");
  for (int64_t batch : {1, 3, 5, 17}) {
    std::vector<Tensor> inputs =
        randomInputs(firstFunc(*c.module), batch, 5, 1.0, false);
    compareWithInterpreter(c, inputs, {1e-4, 1e-4},
                           "mlp batch " + std::to_string(batch));
  }

  std::vector<Tensor> inputs =
      randomInputs(firstFunc(*c.module), 17, 3, 1.0, false);
  std::vector<HostTensor> one, two;
  int used1 = 0, used2 = 0;
  halide::JitOptions o1, o2;
  o1.threads = 1;
  o1.threadsUsed = &used1;
  o2.threads = 2;
  o2.threadsUsed = &used2;
  ASSERT_EQ(halide::runJit(c.model, toHost(inputs), one, o1), "");
  ASSERT_EQ(halide::runJit(c.model, toHost(inputs), two, o2), "");
  // The setting takes effect: tasks ran on 1 thread, then on 2.
  EXPECT_EQ(used1, 1);
  EXPECT_EQ(used2, 2);
  ASSERT_EQ(one.size(), two.size());
  for (size_t i = 0; i < one.size(); ++i) {
    ASSERT_EQ(one[i].data.size(), two[i].data.size());
    EXPECT_EQ(0, std::memcmp(one[i].data.data(), two[i].data.data(),
                             one[i].data.size() * sizeof(float)));
  }

  // The JIT's worker pool runs one parallel job at a time: two calls at once
  // (one of them then runs on its own thread) both give the same results.
  std::vector<HostTensor> c1, c2;
  std::string e1, e2;
  std::thread other(
      [&] { e1 = halide::runJit(c.model, toHost(inputs), c1, o2); });
  e2 = halide::runJit(c.model, toHost(inputs), c2, o2);
  other.join();
  ASSERT_EQ(e1, "");
  ASSERT_EQ(e2, "");
  for (size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(0, std::memcmp(one[i].data.data(), c1[i].data.data(),
                             one[i].data.size() * sizeof(float)));
    EXPECT_EQ(0, std::memcmp(one[i].data.data(), c2[i].data.data(),
                             one[i].data.size() * sizeof(float)));
  }

  // Outputs of the right size are overwritten in place, neither reallocated
  // nor cleared first (actc bench times the pipeline alone): every element,
  // NaN poison included, is written.
  std::vector<HostTensor> again = one;
  for (HostTensor &t : again)
    std::fill(t.data.begin(), t.data.end(),
              std::numeric_limits<float>::quiet_NaN());
  // (A reallocated vector would not keep the spare capacity.)
  again[0].data.reserve(2 * again[0].data.size());
  const float *where = again[0].data.data();
  size_t capacity = again[0].data.capacity();
  ASSERT_EQ(halide::runJit(c.model, toHost(inputs), again, o1), "");
  EXPECT_EQ(again[0].data.data(), where);
  EXPECT_EQ(again[0].data.capacity(), capacity);
  for (size_t i = 0; i < one.size(); ++i)
    EXPECT_EQ(0, std::memcmp(one[i].data.data(), again[i].data.data(),
                             one[i].data.size() * sizeof(float)));
  // Another batch: reshaped and resized.
  ASSERT_EQ(halide::runJit(
                c.model,
                toHost(randomInputs(firstFunc(*c.module), 3, 3, 1.0, false)),
                again, o1),
            "");
  EXPECT_EQ(again[0].shape[0], 3);
  EXPECT_EQ(again[0].data.size(), one[0].data.size() / 17 * 3);

  std::vector<HostTensor> outputs;
  std::string err = halide::runJit(
      c.model, {{{2, 783}, std::vector<float>(2 * 783)}}, outputs);
  EXPECT_NE(err.find("dimension 1 is 783, expected 784"), std::string::npos)
      << err;

  // Weights passed in: all zero gives an all-zero output.
  std::vector<std::vector<float>> zeros;
  for (const std::vector<float> &w : c.model.weightValues)
    zeros.emplace_back(w.size(), 0.0f);
  halide::JitOptions oz;
  oz.weights = &zeros;
  ASSERT_EQ(halide::runJit(c.model, toHost(inputs), outputs, oz), "");
  for (float v : outputs[0].data)
    ASSERT_EQ(v, 0.0f);
  zeros.pop_back();
  EXPECT_NE(halide::runJit(c.model, toHost(inputs), outputs, oz).find(
                "weights tensors"),
            std::string::npos);
}

//===----------------------------------------------------------------------===//
// Small graphs: every activation, every anchor kind
//===----------------------------------------------------------------------===//

const char *kActivations = R"mlir(
func.func @acts(%x: tensor<?x37xf32> {nn.dims = ["batch", ""], nn.name = "x"},
                %s: tensor<37xf32>)
    -> (tensor<?x37xf32>, tensor<?x37xf32>, tensor<?x37xf32>, tensor<?x37xf32>,
        tensor<?x37xf32>, tensor<?x37xf32>, tensor<?x37xf32>, tensor<?x37xf32>,
        tensor<?x37xf32>, tensor<?x37xf32>, tensor<?x37xf32>, tensor<?x37xf32>,
        tensor<?x37xf32>, tensor<?x37xf32>, tensor<?x37xf32>, tensor<?x37xf32>,
        tensor<?x37xf32>, tensor<?x37xf32>, tensor<?x37xf32>, tensor<?x37xf32>,
        tensor<?x37xf32>, tensor<?x37xf32>, tensor<?x37xf32>) {
  %0 = nn.relu %x : tensor<?x37xf32>
  %1 = nn.leaky_relu %x {alpha = 2.000000e-01 : f32} : tensor<?x37xf32>
  %2 = nn.prelu %x, %s : (tensor<?x37xf32>, tensor<37xf32>) -> tensor<?x37xf32>
  %3 = nn.relu6 %x : tensor<?x37xf32>
  %4 = nn.leaky_relu6 %x : tensor<?x37xf32>
  %5 = nn.clip %x {lo = -5.000000e-01 : f32, hi = 7.000000e-01 : f32} : tensor<?x37xf32>
  %6 = nn.elu %x : tensor<?x37xf32>
  %7 = nn.selu %x : tensor<?x37xf32>
  %8 = nn.celu %x {alpha = 1.500000e+00 : f32} : tensor<?x37xf32>
  %9 = nn.thresholded_relu %x : tensor<?x37xf32>
  %10 = nn.sigmoid %x : tensor<?x37xf32>
  %11 = nn.hard_sigmoid %x : tensor<?x37xf32>
  %12 = nn.tanh %x : tensor<?x37xf32>
  %13 = nn.silu %x : tensor<?x37xf32>
  %14 = nn.swish %x {beta = 1.500000e+00 : f32} : tensor<?x37xf32>
  %15 = nn.hard_swish %x : tensor<?x37xf32>
  %16 = nn.gelu %x : tensor<?x37xf32>
  %17 = nn.gelu %x {approximate = "tanh"} : tensor<?x37xf32>
  %18 = nn.mish %x : tensor<?x37xf32>
  %19 = nn.softplus %x : tensor<?x37xf32>
  %20 = nn.softsign %x : tensor<?x37xf32>
  %21 = nn.softmax %x : tensor<?x37xf32>
  %22 = nn.log_softmax %x : tensor<?x37xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15,
         %16, %17, %18, %19, %20, %21, %22
    : tensor<?x37xf32>, tensor<?x37xf32>, tensor<?x37xf32>, tensor<?x37xf32>,
      tensor<?x37xf32>, tensor<?x37xf32>, tensor<?x37xf32>, tensor<?x37xf32>,
      tensor<?x37xf32>, tensor<?x37xf32>, tensor<?x37xf32>, tensor<?x37xf32>,
      tensor<?x37xf32>, tensor<?x37xf32>, tensor<?x37xf32>, tensor<?x37xf32>,
      tensor<?x37xf32>, tensor<?x37xf32>, tensor<?x37xf32>, tensor<?x37xf32>,
      tensor<?x37xf32>, tensor<?x37xf32>, tensor<?x37xf32>
}
)mlir";

TEST(HalideBackend, EveryActivation) {
  Compiled &c = graph("acts", kActivations);
  ASSERT_EQ(c.error, "");
  EXPECT_EQ(c.model.outputs.size(), 23u);
  Errors worst;
  for (int64_t batch : {1, 3, 17}) {
    std::vector<Tensor> inputs =
        randomInputs(firstFunc(*c.module), batch, 100 + batch, 8.0, false);
    Errors e = compareWithInterpreter(c, inputs, {1e-6, 4e-6},
                                      "activations batch " +
                                          std::to_string(batch));
    worst.ulp = std::max(worst.ulp, e.ulp);
    worst.rel = std::max(worst.rel, e.rel);
  }
  std::printf("[ errors   ] activations: max rel %.3g, max %.1f ulp\n",
              worst.rel, worst.ulp);

  // NaN, +-Inf, +-0 and large inputs: NaN positions and infinities agree,
  // softmax and log_softmax included (a row holding a NaN is all NaN).
  std::vector<Tensor> special =
      randomInputs(firstFunc(*c.module), 3, 77, 8.0, true);
  compareWithInterpreter(c, special, {1e-6, 4e-6}, "activations, specials");
}

// Every activation case of the numerics harness through the whole path a
// model takes (nn op -> kern-fuse's scalar form -> the Halide backend, JIT),
// against the harness's double reference on its dense sample, with the
// Default-mode bounds of ACTIVATIONS.md: piecewise-linear ones bit-exact,
// the others within 4 ULP, denormal results within one step (two in the top
// denormal binade, as the numerics test allows), NaN and +-Inf exact. The
// comparison with the interpreter above is relative (4e-6), too loose to see
// a few hundred ULP: a scalar region spelled in math ops (0.5 x erfc(-x /
// sqrt 2)) was 185 ULP off there while the activation builders were not.
TEST(HalideBackend, ActivationsMeetTheUlpContract) {
  std::vector<float> sample = numerics::denseSample();
  std::string n = std::to_string(sample.size());
  std::string type = "tensor<" + n + "xf32>";
  std::vector<const numerics::Case *> cases;
  std::string results, body, returns;
  for (const numerics::Case &c : numerics::allCases()) {
    // math.* are not nn ops; prelu takes a weight (EveryActivation has it).
    if (c.op.rfind("math.", 0) == 0 || c.op == "prelu")
      continue;
    std::string attrs;
    for (const auto &[key, value] : c.attrs.floats) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.9e", double(value));
      attrs += (attrs.empty() ? "" : ", ") + key + " = " + buf + " : f32";
    }
    if (c.op == "gelu")
      attrs += "approximate = \"" + c.attrs.approximate + "\"";
    std::string v = "%r" + std::to_string(cases.size());
    body += "  " + v + " = nn." + c.op + " %x" +
            (attrs.empty() ? "" : " {" + attrs + "}") + " : " + type + "\n";
    results += (results.empty() ? "" : ", ") + type;
    returns += (returns.empty() ? "" : ", ") + v;
    cases.push_back(&c);
  }
  std::string source = "func.func @acts(%x: " + type + ") -> (" + results +
                       ") {\n" + body + "  return " + returns + " : " +
                       results + "\n}\n";
  Compiled &c = graph("ulp-contract", source);
  ASSERT_EQ(c.error, "");
  ASSERT_EQ(c.model.outputs.size(), cases.size());
  std::vector<HostTensor> outputs;
  ASSERT_EQ(
      halide::runJit(c.model, {{{int64_t(sample.size())}, sample}}, outputs),
      "");
  ASSERT_EQ(outputs.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    const numerics::Case &k = *cases[i];
    SCOPED_TRACE(k.name);
    numerics::ErrorStats st;
    numerics::accumulate(k, sample.data(), outputs[i].data.data(),
                         int64_t(sample.size()), st);
    std::printf("[ ulp      ] %s: max %llu ULP at x = %.9g, %llu denormal "
                "steps\n",
                k.name.c_str(), (unsigned long long)st.maxUlp, st.worstInput,
                (unsigned long long)st.maxDenormalSteps);
    EXPECT_EQ(st.specialErrors, 0u) << "at x = " << st.firstSpecialError;
    EXPECT_LE(st.maxDenormalSteps, 1u) << "at x = " << st.worstDenormalInput;
    EXPECT_LE(st.maxBoundarySteps, 2u) << "at x = " << st.worstBoundaryInput;
    if (k.pieceWiseLinear) {
      EXPECT_EQ(st.notBitExact, 0u);
      for (size_t j = 0; j < sample.size() && st.notBitExact; ++j) {
        float y = outputs[i].data[j];
        float r = float(numerics::reference(k, sample[j]));
        if (std::memcmp(&y, &r, 4) != 0 && !(std::isnan(y) && std::isnan(r))) {
          ADD_FAILURE() << "first difference at x = " << sample[j] << ": " << y
                        << ", expected " << r;
          break;
        }
      }
    } else
      EXPECT_LE(st.maxUlp, 4u) << "at x = " << st.worstInput;
  }
}

const char *kLayers = R"mlir(
func.func @layers(%x: tensor<?x13xf32> {nn.dims = ["batch", ""]},
                  %wd: tensor<7x13xf32>, %bd: tensor<7xf32>,
                  %img: tensor<?x4x9x7xf32> {nn.dims = ["batch", "", "", ""]},
                  %w1: tensor<6x4x3x3xf32>, %b1: tensor<6xf32>,
                  %w2: tensor<4x2x3x3xf32>, %s4: tensor<4xf32>,
                  %w3: tensor<4x1x3x3xf32>,
                  %a: tensor<?x5x6xf32> {nn.dims = ["batch", "", ""]},
                  %bm: tensor<1x6x3xf32>,
                  %t: tensor<?x3x11xf32> {nn.dims = ["batch", "", ""]},
                  %lw: tensor<11xf32>, %lb: tensor<11xf32>,
                  %wf: tensor<5x4xf32>)
    -> (tensor<?x7xf32>, tensor<?x6x5x5xf32>, tensor<?x4x9x7xf32>,
        tensor<?x4x5x4xf32>, tensor<?x4x5x4xf32>, tensor<?x4x5x4xf32>,
        tensor<?x5x3xf32>, tensor<?x3x11xf32>, tensor<?x11x3xf32>,
        tensor<?x8x9x7xf32>, tensor<?x5xf32>, tensor<?x33xf32>,
        tensor<?x3x11xf32>) {
  %d = nn.dense %x, %wd, %bd : (tensor<?x13xf32>, tensor<7x13xf32>, tensor<7xf32>) -> tensor<?x7xf32>
  %d1 = nn.tanh %d : tensor<?x7xf32>
  %c1 = nn.conv2d %img, %w1, %b1 {stride = array<i64: 2, 1>, padding = array<i64: 1, 0, 1, 2>, dilation = array<i64: 1, 2>} : (tensor<?x4x9x7xf32>, tensor<6x4x3x3xf32>, tensor<6xf32>) -> tensor<?x6x5x5xf32>
  %c1a = nn.sigmoid %c1 : tensor<?x6x5x5xf32>
  %c2 = nn.conv2d %img, %w2 {padding = array<i64: 1, 1, 1, 1>, groups = 2 : i64} : (tensor<?x4x9x7xf32>, tensor<4x2x3x3xf32>) -> tensor<?x4x9x7xf32>
  %c2a = nn.prelu %c2, %s4 : (tensor<?x4x9x7xf32>, tensor<4xf32>) -> tensor<?x4x9x7xf32>
  %c3 = nn.conv2d %img, %w3 {stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, groups = 4 : i64} : (tensor<?x4x9x7xf32>, tensor<4x1x3x3xf32>) -> tensor<?x4x5x4xf32>
  %mp = nn.max_pool2d %img {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<?x4x9x7xf32> -> tensor<?x4x5x4xf32>
  %ap = nn.avg_pool2d %img {kernel = array<i64: 2, 3>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, count_include_pad = false} : tensor<?x4x9x7xf32> -> tensor<?x4x5x4xf32>
  %gap = nn.global_avg_pool2d %img : tensor<?x4x9x7xf32> -> tensor<?x4x1x1xf32>
  %mm = nn.matmul %a, %bm : (tensor<?x5x6xf32>, tensor<1x6x3xf32>) -> tensor<?x5x3xf32>
  %ln = nn.layer_norm %t, %lw, %lb : (tensor<?x3x11xf32>, tensor<11xf32>, tensor<11xf32>) -> tensor<?x3x11xf32>
  %tr = nn.transpose %t {perm = array<i64: 0, 2, 1>} : tensor<?x3x11xf32> -> tensor<?x11x3xf32>
  %cat = nn.concat %img, %c2 {axis = 1 : i64} : (tensor<?x4x9x7xf32>, tensor<?x4x9x7xf32>) -> tensor<?x8x9x7xf32>
  %fl = nn.flatten %gap {axis = 1 : i64} : tensor<?x4x1x1xf32> -> tensor<?x4xf32>
  %fd = nn.dense %fl, %wf : (tensor<?x4xf32>, tensor<5x4xf32>) -> tensor<?x5xf32>
  %rs = nn.reshape %t {shape = array<i64: -1, 33>} : tensor<?x3x11xf32> -> tensor<?x33xf32>
  %rr = nn.relu %rs : tensor<?x33xf32>
  %sm = nn.softmax %t {axis = 1 : i64} : tensor<?x3x11xf32>
  return %d1, %c1a, %c2a, %c3, %mp, %ap, %mm, %ln, %tr, %cat, %fd, %rr, %sm
    : tensor<?x7xf32>, tensor<?x6x5x5xf32>, tensor<?x4x9x7xf32>,
      tensor<?x4x5x4xf32>, tensor<?x4x5x4xf32>, tensor<?x4x5x4xf32>,
      tensor<?x5x3xf32>, tensor<?x3x11xf32>, tensor<?x11x3xf32>,
      tensor<?x8x9x7xf32>, tensor<?x5xf32>, tensor<?x33xf32>,
      tensor<?x3x11xf32>
}
)mlir";

TEST(HalideBackend, EveryKernelKind) {
  Compiled &c = graph("layers", kLayers);
  ASSERT_EQ(c.error, "");
  std::set<std::string> kinds;
  for (const halide::KernelStages &k : c.model.kernels)
    kinds.insert(k.kind);
  EXPECT_EQ(kinds.size(), 5u);
  Errors worst;
  for (int64_t batch : {1, 3, 17}) {
    std::vector<Tensor> inputs =
        randomInputs(firstFunc(*c.module), batch, 200 + batch, 1.0, false);
    Errors e = compareWithInterpreter(c, inputs, {1e-5, 1e-4},
                                      "layers batch " + std::to_string(batch));
    worst.abs = std::max(worst.abs, e.abs);
    worst.rel = std::max(worst.rel, e.rel);
  }
  std::printf("[ errors   ] layers: max abs %.3g, max rel %.3g\n", worst.abs,
              worst.rel);

  // NaN and +-Inf through every kernel kind (max pooling keeps NaN; Inf
  // times a weight stays Inf; Inf - Inf in a sum is NaN in any order).
  std::vector<Tensor> special =
      randomInputs(firstFunc(*c.module), 3, 300, 1.0, true);
  compareWithInterpreter(c, special, {1e-5, 1e-4}, "layers, specials");
}

// A dense weight is stored transposed ([in, out], named NAME.transposed) so
// that the kernel's vector loads are contiguous; a constant that is also
// used otherwise (here as a matmul operand) keeps its layout. Both give the
// interpreter's results.
const char *kDenseWeights = R"mlir(
func.func @weights(%x: tensor<?x5xf32> {nn.dims = ["batch", ""]})
    -> (tensor<?x3xf32>, tensor<?x5xf32>, tensor<?x5xf32>) {
  %w = arith.constant dense<[[1.0, -2.0, 3.0, 0.5, 0.25], [0.0, 1.5, -1.0, 2.0, 4.0], [-3.0, 0.125, 1.0, 1.0, -0.5]]> : tensor<3x5xf32>
  %v = arith.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0], [-1.0, 0.5, 0.0, 2.0, 1.0], [0.25, 0.0, -2.0, 1.0, 3.0], [2.0, 2.0, 2.0, -1.0, 0.0], [1.0, -0.5, 0.75, 0.0, 1.0]]> : tensor<5x5xf32>
  %d = nn.dense %x, %w : (tensor<?x5xf32>, tensor<3x5xf32>) -> tensor<?x3xf32>
  %e = nn.dense %x, %v : (tensor<?x5xf32>, tensor<5x5xf32>) -> tensor<?x5xf32>
  %m = nn.matmul %x, %v : (tensor<?x5xf32>, tensor<5x5xf32>) -> tensor<?x5xf32>
  return %d, %e, %m : tensor<?x3xf32>, tensor<?x5xf32>, tensor<?x5xf32>
}
)mlir";

TEST(HalideBackend, DenseWeightsAreStoredTransposed) {
  Compiled &c = graph("weights", kDenseWeights);
  ASSERT_EQ(c.error, "");
  const std::vector<backend::TensorDecl> &w = c.model.interface.weights;
  ASSERT_EQ(w.size(), 2u);
  ASSERT_EQ(c.model.weightValues.size(), 2u);
  EXPECT_EQ(w[0].shape, (std::vector<int64_t>{5, 3}));
  EXPECT_NE(w[0].name.find(".transposed"), std::string::npos) << w[0].name;
  // W[out][in] = W[1][0] = 0 and W[0][1] = -2 sit at [in][out] = [0][1]
  // and [1][0] of the stored copy.
  EXPECT_EQ(c.model.weightValues[0][1], 0.0f);
  EXPECT_EQ(c.model.weightValues[0][3], -2.0f);
  EXPECT_EQ(w[1].shape, (std::vector<int64_t>{5, 5}));
  EXPECT_EQ(w[1].name.find(".transposed"), std::string::npos) << w[1].name;
  EXPECT_EQ(c.model.weightValues[1][1], 2.0f);
  for (int64_t batch : {1, 3, 17}) {
    std::vector<Tensor> inputs =
        randomInputs(firstFunc(*c.module), batch, 40 + batch, 1.0, false);
    compareWithInterpreter(c, inputs, {1e-6, 1e-5},
                           "weights batch " + std::to_string(batch));
  }
}

// A padded convolution with finite constant weights reads a zero-padded
// copy of its input (no bounds test per tap); one with an infinite weight
// keeps the test, since 0 * Inf would put NaN on the border where the
// interpreter skips the tap. Both give the interpreter's results.
const char *kPaddedConvs = R"mlir(
func.func @convs(%x: tensor<?x2x4x5xf32> {nn.dims = ["batch", "", "", ""]})
    -> (tensor<?x1x4x5xf32>, tensor<?x1x4x5xf32>) {
  %w = arith.constant dense<[[[[1.0, -2.0, 0.5], [0.25, 1.0, -1.0], [2.0, 0.0, 1.5]], [[-0.5, 1.0, 1.0], [0.0, 3.0, -2.0], [1.0, 1.0, 0.125]]]]> : tensor<1x2x3x3xf32>
  %v = arith.constant dense<[[[[1.0, -2.0, 0.5], [0.25, 1.0, -1.0], [2.0, 0.0, 0x7F800000]], [[-0.5, 1.0, 1.0], [0.0, 3.0, -2.0], [1.0, 1.0, 0.125]]]]> : tensor<1x2x3x3xf32>
  %a = nn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x2x4x5xf32>, tensor<1x2x3x3xf32>) -> tensor<?x1x4x5xf32>
  %b = nn.conv2d %x, %v {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x2x4x5xf32>, tensor<1x2x3x3xf32>) -> tensor<?x1x4x5xf32>
  return %a, %b : tensor<?x1x4x5xf32>, tensor<?x1x4x5xf32>
}
)mlir";

/// How many of the model's kernels satisfy `pred`.
int countKernels(
    const Compiled &c,
    const std::function<bool(const halide::KernelStages &)> &pred) {
  return int(
      std::count_if(c.model.kernels.begin(), c.model.kernels.end(), pred));
}

TEST(HalideBackend, PaddedConvolutions) {
  Compiled &c = graph("convs", kPaddedConvs);
  ASSERT_EQ(c.error, "");
  EXPECT_EQ(countKernels(c,
                         [](const halide::KernelStages &k) {
                           return k.paddedInput.defined();
                         }),
            1);
  for (int64_t batch : {1, 3}) {
    std::vector<Tensor> inputs =
        randomInputs(firstFunc(*c.module), batch, 70 + batch, 1.0, false);
    compareWithInterpreter(c, inputs, {1e-6, 1e-5},
                           "convs batch " + std::to_string(batch));
  }
}

// A contraction whose innermost result dim is dynamic too: the smaller
// row tiles (taken when the batch is below the row tile) must not treat a
// short innermost dim as a full tile (batch 5: 4-row tiles, 5 < 32 columns).
const char *kDynamicMatmul = R"mlir(
func.func @mm(%a: tensor<?x5xf32> {nn.dims = ["batch", ""]},
              %b: tensor<5x?xf32> {nn.dims = ["", "batch"]})
    -> tensor<?x?xf32> {
  %m = nn.matmul %a, %b : (tensor<?x5xf32>, tensor<5x?xf32>) -> tensor<?x?xf32>
  %r = nn.relu %m : tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}
)mlir";

TEST(HalideBackend, DynamicInnermostDim) {
  Compiled &c = graph("mm", kDynamicMatmul);
  ASSERT_EQ(c.error, "");
  for (int64_t batch : {1, 2, 5, 9, 40}) {
    std::vector<Tensor> inputs =
        randomInputs(firstFunc(*c.module), batch, 90 + batch, 1.0, false);
    compareWithInterpreter(c, inputs, {1e-6, 1e-5},
                           "mm batch " + std::to_string(batch));
  }
}

// Convolutions whose output rows are at most half a vector wide run their
// vectors along the output channels, with the constant weights stored
// filters-last ([C, KH, KW, F], NAME.filters_last): padded, pointwise and
// strided ones; weights passed as an input keep the row vectors. All give
// the interpreter's results.
const char *kChannelConvs = R"mlir(
func.func @cconv(%x: tensor<?x3x6x5xf32> {nn.dims = ["batch", "", "", ""]},
                 %wa: tensor<32x3x1x1xf32>)
    -> (tensor<?x32x6x5xf32>, tensor<?x32x6x5xf32>, tensor<?x32x3x3xf32>, tensor<?x32x6x5xf32>) {
  %w = arith.constant dense<[[[[-0.3523, -0.6983, 0.3019], [-0.8551, 0.0718, -0.2686], [-0.8840, 0.0149, -0.9250]], [[-0.1327, -0.8603, -0.8186], [-0.1510, 0.6537, -0.7524], [-0.5535, 0.2549, 0.8954]], [[0.1542, -0.2066, 0.9525], [-0.9068, 0.7169, -0.4208], [-0.7115, -0.7644, -0.3830]]], [[[0.6323, -0.6385, 0.1632], [0.2778, -0.2552, 0.0955], [-0.8744, -0.8808, -0.5881]], [[0.3608, -0.1448, -0.3717], [0.1711, -0.0936, -0.4005], [0.5888, 0.3980, -0.5118]], [[0.1488, 0.0504, 0.7503], [0.4589, -0.4241, 0.9603], [-0.7639, -0.1638, 0.5143]]], [[[-0.6960, -0.0221, -0.9216], [0.3364, 0.5291, 0.1461], [0.7510, -0.3725, 0.3906]], [[0.1887, 0.1598, -0.0876], [0.6799, 0.8894, -0.0518], [0.3283, -0.8787, 0.4030]], [[0.2943, 0.9862, 0.6438], [-0.4308, -0.2284, 0.3373], [-0.9549, -0.0766, -0.6639]]], [[[-0.7658, -0.8821, 0.5365], [-0.7413, -0.5048, -0.2181], [0.7428, -0.8388, -0.1016]], [[0.0989, 0.7668, 0.6386], [0.7280, -0.4432, -0.1694], [-0.2825, 0.7684, 0.9155]], [[-0.6982, -0.6476, -0.5361], [-0.5333, -0.0301, 0.1782], [-0.4745, -0.9918, -0.1621]]], [[[-0.2615, 0.1327, 0.9062], [0.3810, 0.0310, 0.2352], [0.3524, -0.8920, 0.7991]], [[0.5599, 0.7490, 0.5957], [-0.2152, -0.2020, -0.7929], [0.2686, -0.8755, -0.8653]], [[-0.5825, -0.6754, -0.3199], [-0.8948, -0.9995, -0.6975], [-0.7971, -0.2728, -0.9490]]], [[[0.7487, 0.2281, -0.7029], [-0.4955, -0.3052, -0.2717], [-0.7543, 0.6979, 0.9862]], [[-0.0680, -0.0323, -0.8282], [-0.7956, -0.3147, -0.4705], [0.6577, -0.6771, -0.9538]], [[0.9020, 0.0565, -0.7068], [0.0863, -0.9459, 0.0562], [0.9570, 0.7267, 0.3924]]], [[[-0.4778, -0.2666, -0.6659], [0.5439, 0.0652, 0.5581], [-0.3407, -0.5539, 0.6230]], [[0.9699, 0.7053, 0.6122], [0.6367, 0.4797, -0.5465], [0.0353, -0.2889, -0.9420]], [[-0.9441, -0.4412, -0.4817], [0.3850, 0.9130, -0.1055], [0.8740, 0.9761, 0.9100]]], [[[-0.2707, -0.5591, -0.5463], [-0.6066, -0.5913, 0.2481], [0.8006, 0.6809, -0.0411]], [[0.3060, 0.5993, -0.8304], [0.3212, 0.8196, 0.5646], [0.5003, -0.0439, -0.6430]], [[0.5783, -0.3350, 0.6016], [0.9433, -0.2083, -0.1972], [0.8936, 0.4496, -0.6600]]], [[[-0.7459, -0.6977, 0.8097], [0.6130, -0.7077, 0.6530], [0.9606, 0.3145, -0.2992]], [[0.0973, -0.7380, -0.9715], [0.9418, 0.2993, 0.0532], [0.8672, -0.1324, 0.7435]], [[0.6523, -0.5779, -0.4963], [-0.4141, -0.5189, 0.1729], [-0.4813, -0.1620, -0.7379]]], [[[0.8200, -0.2924, -0.0837], [0.1667, 0.8086, -0.1587], [0.8354, 0.0033, 0.0636]], [[0.0470, -0.9626, -0.1198], [-0.6338, -0.9921, 0.5983], [-0.6553, -0.0530, 0.4504]], [[0.1130, -0.3480, 0.0367], [0.1109, 0.5685, -0.7878], [0.1206, -0.5030, -0.4462]]], [[[0.5445, 0.0154, 0.1235], [0.5200, 0.8250, -0.1135], [0.2251, 0.0111, 0.0243]], [[0.3855, -0.0953, 0.0666], [-0.0439, 0.8830, 0.3984], [0.7531, 0.8844, -0.4808]], [[0.1190, 0.8865, 0.6800], [-0.7257, -0.7568, -0.1158], [-0.8549, -0.5187, -0.8538]]], [[[0.3389, 0.5679, 0.7941], [-0.6911, 0.4322, 0.3205], [-0.7140, 0.7657, 0.9351]], [[-0.5608, 0.9050, -0.2035], [-0.0255, 0.9797, 0.6649], [-0.6771, -0.1370, 0.0312]], [[-0.3218, -0.6085, -0.3629], [0.4443, -0.9610, 0.1081], [-0.1191, -0.9638, -0.3370]]], [[[0.2479, 0.0245, -0.8714], [0.9702, 0.5767, 0.9434], [-0.7904, -0.4689, -0.9208]], [[0.5580, -0.4591, -0.7409], [-0.1555, 0.8228, 0.6380], [-0.4828, -0.7013, 0.8383]], [[0.1412, 0.4008, -0.8211], [-0.8849, 0.3764, -0.1494], [-0.8552, 0.8767, 0.2689]]], [[[0.6033, -0.8325, 0.7125], [-0.8668, 0.7255, -0.0925], [-0.3217, 0.1061, 0.8533]], [[-0.4643, -0.7416, 0.0538], [-0.5231, -0.7811, -0.6771], [-0.8992, -0.5965, -0.3760]], [[-0.3900, 0.5190, -0.4201], [0.0002, -0.6442, -0.3060], [-0.9637, -0.4991, -0.9693]]], [[[0.4662, 0.1021, -0.6211], [-0.0505, 0.8693, -0.7874], [0.6378, -0.1356, -0.0100]], [[0.6692, -0.2138, 0.0134], [0.3755, 0.9649, -0.3146], [0.6646, 0.4135, 0.2720]], [[-0.1906, -0.3049, -0.8912], [-0.7404, -0.8586, 0.4818], [-0.4888, -0.6735, -0.8310]]], [[[0.6825, 0.7411, 0.3411], [-0.4361, -0.5156, -0.4139], [-0.0811, -0.6849, -0.1084]], [[-0.4735, 0.9236, 0.9452], [0.0941, -0.5111, 0.9313], [-0.3809, -0.2868, -0.9979]], [[-0.2367, -0.0507, 0.0055], [-0.5980, 0.0095, -0.9901], [-0.4717, -0.8205, -0.2010]]], [[[-0.9167, -0.9550, -0.3915], [-0.5344, 0.1712, 0.0584], [0.5011, 0.3151, 0.4320]], [[0.7582, -0.2210, -0.3477], [0.9695, -0.7011, 0.4483], [0.2864, -0.9124, 0.6706]], [[0.7839, 0.2547, 0.4677], [0.6244, -0.7214, 0.0475], [0.0087, 0.6699, 0.6094]]], [[[0.6528, 0.1681, 0.7857], [0.3658, 0.3867, -0.5401], [-0.9377, -0.7338, -0.2786]], [[-0.7902, 0.6716, 0.1171], [0.2555, 0.2525, 0.3613], [-0.0214, -0.9934, 0.5954]], [[0.4965, 0.0059, 0.0704], [0.3186, -0.8679, 0.4736], [-0.4956, -0.8511, -0.4689]]], [[[0.4587, -0.5896, 0.4797], [0.9515, -0.0121, -0.2349], [-0.0420, 0.3674, 0.5339]], [[0.2339, 0.2855, -0.8451], [-0.7051, -0.4921, 0.4864], [-0.3912, 0.1355, -0.9751]], [[-0.8787, -0.4625, 0.3440], [0.3844, 0.3514, -0.4183], [0.0331, -0.0707, -0.0673]]], [[[-0.7630, 0.7873, -0.6015], [0.9563, 0.8725, -0.9650], [-0.0821, 0.6398, 0.9362]], [[-0.1011, -0.4627, -0.5803], [0.8912, -0.5786, 0.1629], [-0.7165, 0.0481, 0.9055]], [[-0.7348, 0.6404, 0.0175], [0.7737, 0.4067, -0.5372], [0.7954, -0.0277, -0.9503]]], [[[-0.9928, -0.0166, -0.0985], [-0.3961, -0.7186, -0.3121], [-0.3678, 0.6805, -0.9965]], [[0.5015, 0.6782, -0.7599], [0.8528, 0.4260, 0.8031], [-0.4203, -0.2556, -0.2142]], [[0.9976, 0.1784, -0.2786], [-0.1439, -0.4497, -0.9035], [-0.7966, 0.6694, -0.4288]]], [[[0.8712, -0.5014, -0.4685], [0.0219, -0.6203, -0.2533], [0.9123, 0.7685, 0.6239]], [[0.2618, 0.8268, 0.8814], [0.0985, 0.4391, -0.9010], [0.4647, -0.0983, 0.5053]], [[0.2890, -0.4276, -0.9020], [0.8536, -0.7454, -0.0556], [-0.3127, -0.4045, 0.4781]]], [[[0.9526, -0.4797, 0.3120], [-0.3983, 0.1146, -0.2113], [-0.6653, -0.6767, -0.5843]], [[0.8119, -0.0058, -0.5599], [0.8125, 0.9930, -0.1001], [-0.7208, -0.6152, -0.8186]], [[-0.3161, -0.8178, -0.5217], [-0.4833, 0.1392, 0.7745], [0.4993, -0.1744, -0.1722]]], [[[0.0483, -0.2463, -0.3236], [-0.8759, -0.4450, 0.9354], [-0.7483, 0.0068, 0.2593]], [[0.7257, -0.5681, -0.4580], [-0.5031, -0.2005, -0.1083], [0.9079, 0.6974, 0.7458]], [[-0.9564, -0.9355, 0.4190], [0.7914, -0.0535, 0.1744], [-0.9996, -0.2170, 0.8537]]], [[[0.6512, 0.7109, 0.9445], [-0.5031, -0.7819, -0.6912], [0.0447, 0.3642, 0.8830]], [[0.4435, 0.2947, 0.5296], [-0.0853, 0.1030, -0.9209], [0.5646, -0.5348, 0.8398]], [[0.2910, -0.3924, -0.7441], [-0.4964, 0.2726, 0.3972], [-0.7757, -0.8593, 0.0489]]], [[[0.1658, -0.2238, -0.5528], [0.2021, -0.9791, -0.3970], [-0.0786, 0.9179, 0.2892]], [[0.7675, -0.0494, -0.5305], [-0.5059, 0.9212, 0.4093], [-0.3852, -0.9564, -0.0034]], [[0.3489, -0.1600, -0.4855], [0.3347, 0.8503, -0.5464], [-0.9318, -0.3239, -0.1589]]], [[[0.3651, -0.6038, 0.5941], [0.4783, 0.0098, -0.5896], [0.9397, -0.3766, 0.6400]], [[-0.5384, -0.5571, 0.5209], [-0.4101, 0.9039, -0.0085], [-0.6254, -0.5534, -0.1659]], [[0.3306, 0.8975, -0.7072], [-0.2131, -0.5741, 0.9482], [-0.7162, -0.8963, -0.8797]]], [[[-0.2134, 0.7963, 0.7672], [0.4654, 0.9951, 0.8632], [-0.3415, -0.6290, 0.8718]], [[0.4926, -0.9362, 0.3289], [-0.2428, -0.2522, -0.3366], [-0.6615, -0.9943, -0.4404]], [[-0.2971, 0.9110, -0.7526], [0.9285, -0.5852, -0.2867], [0.6431, 0.6440, -0.1351]]], [[[-0.9015, -0.0531, -0.2546], [0.8390, -0.6139, -0.2715], [0.7940, -0.9394, -0.1784]], [[0.6236, 0.5333, -0.9187], [-0.9303, -0.8748, 0.8402], [-0.4860, 0.4946, 0.7971]], [[-0.3219, -0.4554, 0.9154], [0.2340, -0.4757, 0.4333], [-0.3670, -0.4487, -0.9925]]], [[[0.5113, 0.8329, 0.2680], [0.8865, -0.9515, -0.5323], [-0.0496, 0.9136, 0.9078]], [[-0.2270, -0.4979, -0.1401], [-0.0131, 0.8562, -0.6341], [0.6051, 0.4770, 0.6455]], [[0.5456, 0.2145, -0.3444], [-0.3609, -0.2763, 0.5645], [-0.8420, -0.6054, 0.5058]]], [[[-0.5054, -0.8705, -0.9323], [0.1052, -0.3485, 0.9605], [0.7669, 0.9756, -0.4702]], [[-0.8318, -0.8072, -0.0030], [0.4195, -0.1061, -0.5316], [-0.1663, 0.2406, 0.3482]], [[0.4960, 0.6940, 0.3289], [-0.7577, 0.6817, -0.4124], [0.1338, -0.2541, 0.4761]]], [[[-0.6016, -0.5051, -0.5093], [-0.6934, 0.7683, 0.1566], [-0.3473, -0.2079, 0.9849]], [[0.0146, -0.5372, 0.6169], [0.3067, 0.9819, -0.7953], [-0.0505, 0.6382, 0.6811]], [[0.8288, -0.9193, -0.4126], [-0.7616, -0.6209, 0.9459], [0.1664, 0.8603, -0.2555]]]]> : tensor<32x3x3x3xf32>
  %p = arith.constant dense<[[[[0.7323]], [[-0.1018]], [[-0.4801]]], [[[0.5556]], [[0.8914]], [[-0.7884]]], [[[0.1923]], [[0.2399]], [[-0.5647]]], [[[-0.2626]], [[-0.7173]], [[-0.5920]]], [[[-0.4902]], [[0.1988]], [[0.3033]]], [[[-0.5931]], [[-0.9772]], [[-0.3455]]], [[[0.3566]], [[-0.6297]], [[-0.3756]]], [[[-0.5932]], [[0.5906]], [[0.0961]]], [[[-0.8735]], [[-0.7972]], [[-0.2094]]], [[[0.1003]], [[0.2784]], [[-0.8177]]], [[[-0.6726]], [[0.3908]], [[-0.1804]]], [[[-0.4334]], [[-0.3848]], [[0.9064]]], [[[-0.3753]], [[0.1330]], [[-0.2856]]], [[[-0.1671]], [[0.7285]], [[0.9932]]], [[[-0.2724]], [[-0.6056]], [[0.4561]]], [[[-0.5927]], [[-0.9882]], [[0.8033]]], [[[-0.1525]], [[0.6407]], [[-0.1876]]], [[[0.7657]], [[-0.0782]], [[-0.6749]]], [[[-0.9703]], [[0.1031]], [[0.2813]]], [[[0.8196]], [[-0.8219]], [[0.2444]]], [[[-0.2583]], [[0.0089]], [[-0.7082]]], [[[-0.4334]], [[0.0423]], [[0.8510]]], [[[-0.7824]], [[-0.0190]], [[0.6096]]], [[[0.9338]], [[-0.6053]], [[-0.7467]]], [[[0.8862]], [[0.9511]], [[-0.0345]]], [[[-0.8933]], [[0.8523]], [[-0.2242]]], [[[0.8084]], [[0.2407]], [[0.6491]]], [[[-0.6794]], [[0.5717]], [[-0.5558]]], [[[-0.1910]], [[0.6927]], [[0.6584]]], [[[-0.6341]], [[-0.5637]], [[-0.2005]]], [[[0.0358]], [[-0.2328]], [[-0.7539]]], [[[-0.5059]], [[0.4498]], [[0.7946]]]]> : tensor<32x3x1x1xf32>
  %a = nn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x3x6x5xf32>, tensor<32x3x3x3xf32>) -> tensor<?x32x6x5xf32>
  %b = nn.conv2d %x, %p : (tensor<?x3x6x5xf32>, tensor<32x3x1x1xf32>) -> tensor<?x32x6x5xf32>
  %c = nn.conv2d %x, %w {stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : (tensor<?x3x6x5xf32>, tensor<32x3x3x3xf32>) -> tensor<?x32x3x3xf32>
  %d = nn.conv2d %x, %wa : (tensor<?x3x6x5xf32>, tensor<32x3x1x1xf32>) -> tensor<?x32x6x5xf32>
  return %a, %b, %c, %d : tensor<?x32x6x5xf32>, tensor<?x32x6x5xf32>, tensor<?x32x3x3xf32>, tensor<?x32x6x5xf32>
}
)mlir";

TEST(HalideBackend, ConvolutionsAlongChannels) {
  Compiled &c = graph("cconv", kChannelConvs);
  ASSERT_EQ(c.error, "");
  // A 16-lane target vectorizes the three constant-weight convs along f;
  // an 8-lane one (AVX2) only where the row is at most 4 wide.
  int lanes = Halide::get_host_target().natural_vector_size<float>();
  EXPECT_EQ(
      countKernels(
          c, [](const halide::KernelStages &k) { return k.vectorDim == 2; }),
      lanes >= 16 ? 3 : 1);
  for (const backend::TensorDecl &w : c.model.interface.weights)
    if (lanes >= 16)
      EXPECT_NE(w.name.find(".filters_last"), std::string::npos) << w.name;
  for (int64_t batch : {1, 3}) {
    std::vector<Tensor> inputs =
        randomInputs(firstFunc(*c.module), batch, 110 + batch, 1.0, false);
    compareWithInterpreter(c, inputs, {1e-5, 1e-4},
                           "cconv batch " + std::to_string(batch));
  }
}

// A scalar op the backend has no lowering for is an error naming the
// kernel and the op, not a crash.
TEST(HalideBackend, UnsupportedScalarOpIsAnError) {
  installHandler();
  const char *source = R"mlir(
func.func @m(%x: tensor<?x5xf32> {nn.dims = ["batch", ""]}) -> tensor<?x5xf32> {
  %0 = kern.kernel "k0" "map" ins(%x : tensor<?x5xf32>) -> tensor<?x5xf32> attributes {scalar_inputs = array<i64: 0>, scalar_maps = [affine_map<(d0, d1) -> (d0, d1)>]} {
  ^bb0(%a: tensor<?x5xf32>):
    %1 = nn.relu %a : tensor<?x5xf32>
    kern.yield %1 : tensor<?x5xf32>
  } scalar {
  ^bb0(%s: f32):
    %2 = math.sin %s : f32
    kern.yield %2 : f32
  }
  return %0 : tensor<?x5xf32>
}
)mlir";
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(source, &context());
  ASSERT_TRUE(module) << diagnostics();
  LoweredModel model;
  std::string err = halide::lowerModule(*module, {"host", true}, model);
  EXPECT_NE(err.find("kernel k0"), std::string::npos) << err;
  EXPECT_NE(err.find("math.sin"), std::string::npos) << err;
}

//===----------------------------------------------------------------------===//
// AOT
//===----------------------------------------------------------------------===//

/// True when `library` defines `symbol` as a text symbol (nm).
bool definesSymbol(const std::string &library, const std::string &symbol) {
  std::string cmd = "nm --defined-only " + library +
                    " 2>/dev/null | grep -c ' T " + symbol + "$'";
  FILE *p = ::popen(cmd.c_str(), "r");
  if (!p)
    return false;
  char buf[64] = {0};
  size_t n = std::fread(buf, 1, sizeof buf - 1, p);
  ::pclose(p);
  return std::atoi(std::string(buf, n).c_str()) >= 1;
}

TEST(HalideBackend, AotAvx2AndHostLibraries) {
  Compiled &c = example("mlp");
  ASSERT_EQ(c.error, "");
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("actc-halide-aot-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::vector<std::string> files;
  ASSERT_EQ(halide::compileAot(c.model, "x86-64-avx2", dir.string(), &files),
            "");
  ASSERT_EQ(files.size(), 2u);
  for (const std::string &f : files)
    EXPECT_TRUE(std::filesystem::exists(f)) << f;
  EXPECT_TRUE(definesSymbol(files[0], c.model.interface.pipelineSymbol));
  // host: one library with AVX-512, AVX2 and baseline variants behind one
  // dispatching symbol.
  std::filesystem::path hostDir = dir / "host";
  std::filesystem::create_directories(hostDir);
  files.clear();
  ASSERT_EQ(halide::compileAot(c.model, "host", hostDir.string(), &files), "");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_TRUE(definesSymbol(files[0], c.model.interface.pipelineSymbol));
  EXPECT_NE(halide::compileAot(c.model, "x86-64-avx9", dir.string())
                .find("unknown target"),
            std::string::npos);
  EXPECT_NE(halide::compileAot(c.model, "cuda-sm80", dir.string())
                .find("no GPU schedule yet"),
            std::string::npos);
  std::filesystem::remove_all(dir);
}

/// Runs `command`; returns its exit status.
int shell(const std::string &command) { return std::system(command.c_str()); }

void writeInt(std::FILE *f, int32_t v) { std::fwrite(&v, 4, 1, f); }

// The AVX-512 library linked into a C program and run on this CPU (when it
// has AVX-512): its outputs match the JIT's.
TEST(HalideBackend, AotAvx512LibraryRuns) {
  Compiled &c = example("mlp");
  ASSERT_EQ(c.error, "");
  const std::string &symbol = c.model.interface.pipelineSymbol;
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("actc-halide-run-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::vector<std::string> files;
  ASSERT_EQ(
      halide::compileAot(c.model, "x86-64-avx512", dir.string(), &files), "");
  ASSERT_EQ(files.size(), 2u);
  for (const std::string &f : files)
    EXPECT_TRUE(std::filesystem::exists(f)) << f;
  EXPECT_TRUE(definesSymbol(files[0], symbol));
  if (!__builtin_cpu_supports("avx512f")) {
    std::filesystem::remove_all(dir);
    GTEST_SKIP() << "compiled; not run: this CPU has no AVX-512";
  }

  std::vector<Tensor> inputs =
      randomInputs(firstFunc(*c.module), 3, 9, 1.0, false);
  std::vector<HostTensor> jit;
  ASSERT_EQ(halide::runJit(c.model, toHost(inputs), jit), "");

  // Every buffer in argument order: rank, extents (Halide order), data.
  std::vector<HostTensor> buffers = toHost(inputs);
  for (size_t i = 0; i < c.model.weightValues.size(); ++i)
    buffers.push_back({c.model.interface.weights[i].shape,
                       c.model.weightValues[i]});
  for (const HostTensor &t : jit)
    buffers.push_back({t.shape, std::vector<float>(t.data.size(), 0.0f)});
  std::FILE *f = std::fopen((dir / "in.bin").c_str(), "wb");
  ASSERT_TRUE(f);
  writeInt(f, int32_t(buffers.size()));
  for (const HostTensor &t : buffers) {
    writeInt(f, int32_t(t.shape.size()));
    for (auto it = t.shape.rbegin(); it != t.shape.rend(); ++it)
      writeInt(f, int32_t(*it));
    std::fwrite(t.data.data(), 4, t.data.size(), f);
  }
  std::fclose(f);

  std::string call = symbol + "(NULL";
  for (size_t i = 0; i < buffers.size(); ++i)
    call += ", b[" + std::to_string(i) + "]";
  call += ")";
  std::ofstream driver(dir / "driver.c");
  driver << "#include <stdio.h>\n#include <stdlib.h>\n"
            "#include \"HalideRuntime.h\"\n#include \"" << symbol << ".h\"\n"
         << R"c(
static halide_buffer_t *load(FILE *f, long *count) {
  int rank, e;
  long n = 1;
  halide_buffer_t *b = calloc(1, sizeof *b);
  fread(&rank, 4, 1, f);
  b->dim = calloc(rank ? rank : 1, sizeof *b->dim);
  for (int i = 0; i < rank; ++i) {
    fread(&e, 4, 1, f);
    b->dim[i].extent = e;
    b->dim[i].stride = (int)n;
    n *= e;
  }
  b->dimensions = rank;
  b->type.code = halide_type_float;
  b->type.bits = 32;
  b->type.lanes = 1;
  b->host = malloc(n * 4);
  fread(b->host, 4, n, f);
  *count = n;
  return b;
}
int main(int argc, char **argv) {
  FILE *f = fopen(argv[1], "rb");
  int nb;
  long counts[64];
  halide_buffer_t *b[64];
  fread(&nb, 4, 1, f);
  for (int i = 0; i < nb; ++i) b[i] = load(f, &counts[i]);
  fclose(f);
  int status = )c" << call << R"c(;
  if (status) return 2;
  FILE *o = fopen(argv[2], "wb");
  for (int i = nb - atoi(argv[3]); i < nb; ++i)
    fwrite(b[i]->host, 4, counts[i], o);
  fclose(o);
  return 0;
}
)c";
  driver.close();
  std::string exe = (dir / "driver").string();
  ASSERT_EQ(shell("cc -O1 " + (dir / "driver.c").string() + " -I" +
                  dir.string() + " -I" ACTC_HALIDE_INCLUDE_DIR " " +
                  (dir / (symbol + ".a")).string() +
                  " -lpthread -ldl -lm -o " + exe),
            0);
  ASSERT_EQ(shell(exe + " " + (dir / "in.bin").string() + " " +
                  (dir / "out.bin").string() + " " +
                  std::to_string(jit.size())),
            0);
  std::FILE *o = std::fopen((dir / "out.bin").c_str(), "rb");
  ASSERT_TRUE(o);
  for (const HostTensor &t : jit) {
    std::vector<float> aot(t.data.size());
    ASSERT_EQ(std::fread(aot.data(), 4, aot.size(), o), aot.size());
    Tensor expected = fromHost(t);
    interp::Comparison cmp = interp::compareTensors(
        expected, fromHost({t.shape, aot}), {1e-6, 1e-5});
    EXPECT_TRUE(cmp.ok()) << cmp.summary(t.shape);
  }
  std::fclose(o);
  std::filesystem::remove_all(dir);
}

} // namespace
