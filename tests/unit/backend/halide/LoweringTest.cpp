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

TEST(HalideBackend, PaddedConvolutions) {
  Compiled &c = graph("convs", kPaddedConvs);
  ASSERT_EQ(c.error, "");
  int padded = 0;
  for (const halide::KernelStages &k : c.model.kernels)
    padded += k.paddedInput.defined();
  EXPECT_EQ(padded, 1);
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
