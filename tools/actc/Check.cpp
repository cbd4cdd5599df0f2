// SPDX-License-Identifier: Apache-2.0
//
// `actc check`: compiles a model for --target (its schedules; the JIT runs
// it on this CPU, so the target must be one this CPU can run), runs it on
// three sets of inputs, and compares every output with the reference
// interpreter (compiler/interpreter, double precision) run on the same
// float32 inputs:
//   random    uniform in [-1, 1) from --seed (ModelRunner.h)
//   edge      every element one of ACTIVATIONS.md's finite edge values
//             (+-0, denormals, the activations' bends, large magnitudes)
//   nonfinite the edge values with NaN, +Inf and -Inf in the first half of
//             each input (with the batch of 2, one sample sees them), three
//             times, so that NaN and each infinity reach every position
//             (vector tails included; ModelRunner.h edgeInputs)
// Every dynamic dimension is 2. The tolerance is CheckCompare.h's. Prints
// one line per set and output (max abs / rel error, NaN-position
// mismatches) and exits 1 when any output is outside the tolerance.

#include "compiler/interpreter/Interpreter.h"
#include "compiler/target/Target.h"
#include "tools/actc/CheckCompare.h"
#include "tools/actc/Commands.h"
#include "tools/actc/ModelRunner.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cmath>
#include <cstdio>
#include <iostream>

namespace actc::cli {
namespace {

/// The first few elements whose NaN-ness differs or that are outside the
/// tolerance, with their inputs' position, for the report of a failure.
void printMismatches(const interp::Tensor &reference,
                     const halide::HostTensor &actual) {
  interp::Tensor ref = interp::roundToF32(reference);
  interp::Tolerance tol = checkTolerance(ref);
  std::vector<int64_t> strides = ref.strides();
  int shown = 0;
  for (size_t k = 0; k < ref.data.size() && shown < 4; ++k) {
    double e = ref.data[k], a = actual.data[k];
    bool bad;
    if (std::isnan(e) || std::isnan(a))
      bad = std::isnan(e) != std::isnan(a);
    else if (e == a)
      bad = false;
    else
      bad = !(std::fabs(a - e) <= tol.absTol ||
              std::fabs(a - e) <= tol.relTol * std::fabs(e));
    if (!bad)
      continue;
    std::string index;
    int64_t rest = int64_t(k);
    for (int64_t stride : strides) {
      index += (index.empty() ? "" : ", ") + std::to_string(rest / stride);
      rest %= stride;
    }
    std::printf("            at [%s]: reference %.9g, compiled %.9g\n",
                index.c_str(), e, a);
    ++shown;
  }
}

} // namespace

int runCheck(const CheckOptions &options) {
  if (target::lookupTarget(options.target)) {
    std::string why = whyNotRunnable(options.target);
    if (!why.empty()) {
      std::cerr << "actc: error: cannot check target '" << options.target
                << "' on this machine: " << why << "\n";
      return kUserError;
    }
  }
  PreparedModel prepared;
  if (int status = prepareModel(options.model, options.target,
                                /*keepReference=*/true, prepared))
    return status;
  const backend::ModelInterface &iface = prepared.lowered.interface;
  mlir::func::FuncOp func =
      *prepared.reference->getOps<mlir::func::FuncOp>().begin();

  std::printf("check %s: target %s, seed %llu; tolerance: rel %g, or abs "
              "%g x max(1, max |ref|) per output; NaN positions exact\n",
              prepared.name.c_str(), prepared.target.c_str(),
              (unsigned long long)options.seed, kCheckRelTol, kCheckAbsTol);

  const int64_t kBatch = 2;
  struct Set {
    const char *name;
    std::vector<halide::HostTensor> inputs;
  };
  Set sets[] = {
      {"random", randomInputs(iface, options.seed, {}, kBatch)},
      {"edge", edgeInputs(iface, options.seed, -1, {}, kBatch)},
      {"nonfinite", edgeInputs(iface, options.seed, 0, {}, kBatch)},
      {"nonfinite", edgeInputs(iface, options.seed, 1, {}, kBatch)},
      {"nonfinite", edgeInputs(iface, options.seed, 2, {}, kBatch)},
  };

  int failures = 0;
  double worstAbs = 0, worstRel = 0;
  for (Set &set : sets) {
    std::vector<interp::Tensor> refInputs;
    for (const halide::HostTensor &t : set.inputs)
      refInputs.push_back(toTensor(t));
    interp::Interpreter interpreter;
    interpreter.setWeights(&prepared.loaded.weights);
    prepared.loaded.diagnostics->clear();
    mlir::FailureOr<std::vector<interp::Tensor>> expected =
        interpreter.run(func, refInputs);
    if (mlir::failed(expected)) {
      std::cerr << "actc: internal error: the reference interpreter failed "
                   "on a valid model (a bug in actc; please report it):\n"
                << *prepared.loaded.diagnostics;
      return kInternalError;
    }
    std::vector<halide::HostTensor> outputs;
    std::string error = halide::runJit(prepared.lowered, set.inputs, outputs);
    if (!error.empty() || outputs.size() != expected->size()) {
      std::cerr << "actc: internal error: running the compiled model failed "
                   "(a bug in actc; please report it): "
                << error << "\n";
      return kInternalError;
    }
    for (size_t i = 0; i < outputs.size(); ++i) {
      interp::Comparison cmp =
          compareOutput((*expected)[i], toTensor(outputs[i]));
      bool ok = cmp.ok();
      failures += !ok;
      if (std::isfinite(cmp.maxAbsError))
        worstAbs = std::max(worstAbs, cmp.maxAbsError);
      if (std::isfinite(cmp.maxRelError))
        worstRel = std::max(worstRel, cmp.maxRelError);
      std::printf(
          "  %-9s %s %s: %s: %s\n", set.name, iface.outputs[i].name.c_str(),
          interp::formatShape(outputs[i].shape).c_str(),
          cmp.summary((*expected)[i].shape).c_str(), ok ? "ok" : "FAIL");
      if (!ok)
        printMismatches((*expected)[i], outputs[i]);
    }
  }
  if (failures) {
    std::printf("check %s: FAILED (%d outputs outside the tolerance)\n",
                prepared.name.c_str(), failures);
    return kUserError;
  }
  std::printf("check %s: passed (worst max abs error %.3g, max rel error "
              "%.3g)\n",
              prepared.name.c_str(), worstAbs, worstRel);
  return kSuccess;
}

} // namespace actc::cli
