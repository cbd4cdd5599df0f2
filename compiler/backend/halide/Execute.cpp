// SPDX-License-Identifier: Apache-2.0
//
// Running a lowered model: in-process through Halide's JIT (tests, `actc
// run`) and ahead of time into a static library (`actc compile`). See
// Lowering.h.
//
// The JIT's parallel loops run on our own do_par_for (set per call through
// a JITUserContext), so the thread count is a per-call setting that tests
// can check, not a process-wide HL_NUM_THREADS read once when Halide's
// thread pool starts.

#include "compiler/backend/halide/Lowering.h"

#include "compiler/target/Target.h"

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

namespace actc::halide {

namespace {

//===----------------------------------------------------------------------===//
// JIT
//===----------------------------------------------------------------------===//

/// The JIT context: Halide passes it to our handlers.
struct JitContext : Halide::JITUserContext {
  int threads = 1;
  std::mutex mutex;
  std::set<std::thread::id> seen;
};

using Task = int (*)(Halide::JITUserContext *, int, uint8_t *);

int doParFor(Halide::JITUserContext *user, Task f, int min, int extent,
             uint8_t *closure) {
  auto *ctx = static_cast<JitContext *>(user);
  auto note = [&] {
    std::lock_guard<std::mutex> lock(ctx->mutex);
    ctx->seen.insert(std::this_thread::get_id());
  };
  int workers = std::min(ctx->threads, extent);
  if (workers <= 1) {
    note();
    int status = 0;
    for (int i = min; i < min + extent; ++i)
      if (int s = f(user, i, closure))
        status = s;
    return status;
  }
  std::atomic<int> next{min};
  std::atomic<int> status{0};
  auto work = [&] {
    note();
    for (int i = next++; i < min + extent; i = next++)
      if (int s = f(user, i, closure))
        status = s;
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < workers; ++t)
    pool.emplace_back(work);
  work();
  for (std::thread &t : pool)
    t.join();
  return status;
}

std::vector<int> halideSizes(const std::vector<int64_t> &shape) {
  return std::vector<int>(shape.rbegin(), shape.rend());
}

} // namespace

std::string runJit(LoweredModel &model, const std::vector<HostTensor> &inputs,
                   std::vector<HostTensor> &outputs,
                   const JitOptions &options) {
  const backend::ModelInterface &iface = model.interface;
  if (inputs.size() != iface.inputs.size())
    return "expected " + std::to_string(iface.inputs.size()) +
           " inputs, got " + std::to_string(inputs.size());
  std::map<std::string, int64_t> dynamic;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const backend::TensorDecl &decl = iface.inputs[i];
    const HostTensor &t = inputs[i];
    int64_t n = 1;
    for (int64_t d : t.shape)
      n *= d;
    if (t.shape.size() != decl.shape.size() || size_t(n) != t.data.size())
      return "input '" + decl.name + "' has the wrong rank or data size";
    for (size_t d = 0; d < t.shape.size(); ++d) {
      if (decl.shape[d] >= 0 && decl.shape[d] != t.shape[d])
        return "input '" + decl.name + "' dimension " + std::to_string(d) +
               " is " + std::to_string(t.shape[d]) + ", expected " +
               std::to_string(decl.shape[d]);
      if (!decl.dimNames[d].empty())
        dynamic[decl.dimNames[d]] = t.shape[d];
    }
  }
  // Outputs of the right size are written in place (a bench's repeated
  // runs must not time allocating and zeroing them: a deployed library
  // writes into the caller's arrays).
  outputs.resize(iface.outputs.size());
  try {
    Halide::ParamMap params;
    std::vector<Halide::Buffer<float>> keep;
    for (size_t i = 0; i < inputs.size(); ++i) {
      keep.emplace_back(const_cast<float *>(inputs[i].data.data()),
                        halideSizes(inputs[i].shape));
      params.set(model.inputs[i], keep.back());
    }
    std::vector<std::vector<float>> &weights =
        options.weights
            ? const_cast<std::vector<std::vector<float>> &>(*options.weights)
            : model.weightValues;
    if (weights.size() != model.weights.size())
      return "expected " + std::to_string(model.weights.size()) +
             " weights tensors, got " + std::to_string(weights.size());
    for (size_t i = 0; i < model.weights.size(); ++i) {
      int64_t n = 1;
      for (int64_t d : iface.weights[i].shape)
        n *= d;
      if (weights[i].size() != size_t(n))
        return "weights tensor '" + iface.weights[i].name + "' has " +
               std::to_string(weights[i].size()) + " values, expected " +
               std::to_string(n);
      keep.emplace_back(weights[i].data(),
                        halideSizes(iface.weights[i].shape));
      params.set(model.weights[i], keep.back());
    }
    std::vector<Halide::Buffer<>> outBuffers;
    for (size_t i = 0; i < iface.outputs.size(); ++i) {
      const backend::TensorDecl &decl = iface.outputs[i];
      HostTensor &t = outputs[i];
      t.shape = decl.shape;
      int64_t n = 1;
      for (size_t d = 0; d < t.shape.size(); ++d) {
        if (t.shape[d] < 0) {
          auto it = dynamic.find(decl.dimNames[d]);
          if (decl.dimNames[d].empty() || it == dynamic.end())
            return "output '" + decl.name + "' dimension " +
                   std::to_string(d) + " has no known size";
          t.shape[d] = it->second;
        }
        n *= t.shape[d];
      }
      if (t.data.size() != size_t(n))
        t.data.assign(size_t(n), 0.0f);
      outBuffers.push_back(
          Halide::Buffer<float>(t.data.data(), halideSizes(t.shape)));
    }
    JitContext ctx;
    ctx.threads = options.threads > 0
                      ? options.threads
                      : int(std::max(1u, std::thread::hardware_concurrency()));
    ctx.handlers.custom_do_par_for = doParFor;
    Halide::Realization realization(outBuffers);
    model.pipeline.realize(&ctx, realization,
                           Halide::get_jit_target_from_environment(), params);
    if (options.threadsUsed)
      *options.threadsUsed = int(ctx.seen.size());
  } catch (const Halide::Error &err) {
    return std::string("Halide error: ") + err.what();
  }
  return "";
}

//===----------------------------------------------------------------------===//
// AOT
//===----------------------------------------------------------------------===//

std::string compileAot(LoweredModel &model, const std::string &targetName,
                       const std::string &directory,
                       std::vector<std::string> *files) {
  std::optional<target::TargetInfo> info = target::lookupTarget(targetName);
  if (!info)
    return "unknown target '" + targetName + "'";
  // The schedules are CPU schedules; a CUDA one (gpu_block/gpu_thread) is
  // the next step. Compiling them for a GPU target would silently run on
  // the host.
  if (info->isGpu())
    return "target '" + targetName +
           "': the Halide backend has no GPU schedule yet (gpu_block / "
           "gpu_thread are not lowered)";
  std::vector<Halide::Argument> args;
  for (Halide::ImageParam &p : model.inputs)
    args.push_back(p);
  for (Halide::ImageParam &p : model.weights)
    args.push_back(p);
  const std::string &symbol = model.interface.pipelineSymbol;
  std::string prefix = (std::filesystem::path(directory) / symbol).string();
  try {
    auto withContext = [](const std::string &t) {
      return Halide::Target(t).with_feature(Halide::Target::UserContext);
    };
    if (targetName == "host" && info->arch == target::Arch::X86_64) {
      // One library, three variants; the first the CPU supports is used.
      std::vector<Halide::Target> targets;
      for (const char *name : {"x86-64-avx512", "x86-64-avx2"})
        targets.push_back(withContext(target::lookupTarget(name)->halideTarget));
      targets.push_back(withContext("x86-64-linux"));
      // Halide::compile_multitarget rather than the Pipeline method, which
      // names the function after the pipeline's output Func.
      Halide::Pipeline &pipeline = model.pipeline;
      Halide::compile_multitarget(
          symbol,
          {{Halide::OutputFileType::static_library, prefix + ".a"},
           {Halide::OutputFileType::c_header, prefix + ".h"}},
          targets, {},
          [&](const std::string &name, const Halide::Target &t) {
            return pipeline.compile_to_module(args, name, t);
          });
    } else {
      model.pipeline.compile_to_static_library(prefix, args, symbol,
                                               withContext(info->halideTarget));
    }
  } catch (const Halide::Error &err) {
    return std::string("Halide error while compiling for ") + targetName +
           ": " + err.what();
  }
  if (files) {
    files->push_back(prefix + ".a");
    files->push_back(prefix + ".h");
  }
  return "";
}

} // namespace actc::halide
