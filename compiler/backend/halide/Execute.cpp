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
#include <condition_variable>
#include <filesystem>
#include <functional>
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

/// Worker threads kept across calls (starting a thread per parallel loop
/// cost tens of microseconds, more than a small model's whole run). A job
/// runs `work` on the caller and `helpers` pool threads; each participant
/// pulls loop indices itself. One job at a time: a parallel loop started
/// while another runs (a nested loop, or another thread's call) runs on its
/// caller alone.
class WorkerPool {
public:
  static WorkerPool &get() {
    static WorkerPool *pool = new WorkerPool; // never destroyed: the
    return *pool; // workers may still wait on it at exit
  }

  /// Runs `work` on the caller and up to `helpers` workers; false (and
  /// nothing run) when the pool is busy.
  bool run(int helpers, const std::function<void()> &work) {
    std::unique_lock<std::mutex> lock(mutex);
    if (busy)
      return false;
    busy = true;
    while (int(threads.size()) < helpers)
      threads.emplace_back([this] { loop(); });
    job = &work;
    wanted = helpers;
    running = helpers;
    generation.fetch_add(1);
    lock.unlock();
    wake.notify_all();
    work();
    // The helpers are usually done within microseconds: spin before
    // sleeping (a futex wait and wake-up cost more than a small loop).
    for (int i = 0; i < kSpins && running.load() != 0; ++i)
      std::this_thread::yield();
    lock.lock();
    done.wait(lock, [this] { return running.load() == 0; });
    job = nullptr;
    busy = false;
    return true;
  }

private:
  void loop() {
    uint64_t seen = 0;
    for (;;) {
      // Spin a while for the next job before sleeping on the lock.
      for (int i = 0; i < kSpins && generation.load() == seen; ++i)
        std::this_thread::yield();
      std::unique_lock<std::mutex> lock(mutex);
      wake.wait(lock, [&] { return generation.load() != seen && wanted > 0; });
      seen = generation.load();
      --wanted;
      const std::function<void()> *w = job;
      lock.unlock();
      (*w)();
      lock.lock();
      if (running.fetch_sub(1) == 1)
        done.notify_one();
    }
  }

  static constexpr int kSpins = 2000;
  std::mutex mutex;
  std::condition_variable wake, done;
  std::vector<std::thread> threads;
  const std::function<void()> *job = nullptr;
  std::atomic<uint64_t> generation{0};
  std::atomic<int> running{0};
  int wanted = 0;
  bool busy = false;
};

int doParFor(Halide::JITUserContext *user, Task f, int min, int extent,
             uint8_t *closure) {
  auto *ctx = static_cast<JitContext *>(user);
  auto note = [&] {
    std::lock_guard<std::mutex> lock(ctx->mutex);
    ctx->seen.insert(std::this_thread::get_id());
  };
  std::atomic<int> next{min};
  std::atomic<int> status{0};
  std::function<void()> work = [&] {
    note();
    for (int i = next++; i < min + extent; i = next++)
      if (int s = f(user, i, closure))
        status = s;
  };
  int workers = std::min(ctx->threads, extent);
  if (workers <= 1 || !WorkerPool::get().run(workers - 1, work))
    work();
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
