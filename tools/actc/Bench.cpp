// SPDX-License-Identifier: Apache-2.0
//
// `actc bench`: compiles a model for --target (the target's schedules; the
// code is JIT-compiled for this CPU, so the target must be one it can run),
// and times one inference on random inputs (ModelRunner.h; each dynamic
// dimension 1 unless `--dim NAME=N`) for each --threads count: warm-up
// runs, then --runs timed runs; reports min, median and mean latency and
// throughput (inferences/s, and samples/s when a dim is set).
//
// The times are of the JIT path (runJit: the pipeline call plus setting up
// its buffers, well under a microsecond). A library built by `actc compile
// -o DIR` runs the same schedules; time it by linking the library
// (examples/deploy) for AOT numbers. `--json`: one JSON object per thread
// count, each on one line.

#include "tools/actc/Commands.h"
#include "tools/actc/ModelRunner.h"

#include "compiler/target/Target.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

namespace actc::cli {
namespace {

/// `s` with JSON's string escapes.
std::string jsonString(const std::string &s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

} // namespace

int runBench(const BenchOptions &options) {
  std::map<std::string, int64_t> dims;
  for (const std::string &spec : options.dims) {
    size_t eq = spec.find('=');
    int64_t value = 0;
    bool ok = eq != std::string::npos && eq > 0 && eq + 1 < spec.size();
    if (ok) {
      try {
        size_t used = 0;
        value = std::stoll(spec.substr(eq + 1), &used);
        ok = used == spec.size() - eq - 1 && value >= 1;
      } catch (const std::exception &) {
        ok = false;
      }
    }
    if (!ok) {
      std::cerr << "actc: error: --dim '" << spec
                << "': expected NAME=N with N >= 1\n";
      return kUsageError;
    }
    dims[spec.substr(0, eq)] = value;
  }
  if (target::lookupTarget(options.target)) {
    std::string why = whyNotRunnable(options.target);
    if (!why.empty()) {
      std::cerr << "actc: error: cannot benchmark target '" << options.target
                << "' on this machine: " << why << "\n";
      return kUserError;
    }
  }

  auto t0 = std::chrono::steady_clock::now();
  PreparedModel prepared;
  if (int status = prepareModel(options.model, options.target, false, prepared))
    return status;
  const backend::ModelInterface &iface = prepared.lowered.interface;
  for (const auto &[name, value] : dims)
    if (std::find(iface.dynamicDims.begin(), iface.dynamicDims.end(), name) ==
        iface.dynamicDims.end()) {
      std::string known;
      for (const std::string &d : iface.dynamicDims)
        known += (known.empty() ? "" : ", ") + d;
      std::cerr << "actc: error: --dim " << name
                << ": the model has no dynamic dimension '" << name
                << "' (it has: " << (known.empty() ? "none" : known) << ")\n";
      return kUsageError;
    }
  std::vector<halide::HostTensor> inputs =
      randomInputs(iface, /*seed=*/0, dims, 1);
  std::vector<halide::HostTensor> outputs;
  // The first call JIT-compiles.
  std::string error = halide::runJit(prepared.lowered, inputs, outputs);
  if (!error.empty()) {
    std::cerr << "actc: internal error: running the compiled model failed "
                 "(a bug in actc; please report it): "
              << error << "\n";
    return kInternalError;
  }
  double compileMs = std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - t0)
                         .count();

  std::string dimText, dimJson;
  int64_t samples = 1;
  for (const std::string &d : iface.dynamicDims) {
    auto it = dims.find(d);
    int64_t v = it == dims.end() ? 1 : it->second;
    dimText += (dimText.empty() ? "" : ", ") + d + "=" + std::to_string(v);
    dimJson += (dimJson.empty() ? "" : ", ") + jsonString(d) + ": " +
               std::to_string(v);
    if (d == iface.dynamicDims.front())
      samples = v;
  }
  std::vector<int> threadCounts = options.threads;
  if (threadCounts.empty())
    threadCounts.push_back(0);
  int warmup = std::max(3, options.runs / 10);
  if (!options.json)
    std::printf("bench %s: target %s%s%s, %d runs after %d warm-up (JIT; "
                "compile %.0f ms)\n",
                prepared.name.c_str(), prepared.target.c_str(),
                dimText.empty() ? "" : ", ", dimText.c_str(), options.runs,
                warmup, compileMs);

  for (int requested : threadCounts) {
    int threads = requested
                      ? requested
                      : int(std::max(1u, std::thread::hardware_concurrency()));
    halide::JitOptions jit;
    jit.threads = threads;
    for (int i = 0; i < warmup; ++i)
      halide::runJit(prepared.lowered, inputs, outputs, jit);
    std::vector<double> ms;
    for (int i = 0; i < options.runs; ++i) {
      auto start = std::chrono::steady_clock::now();
      error = halide::runJit(prepared.lowered, inputs, outputs, jit);
      ms.push_back(std::chrono::duration<double, std::milli>(
                       std::chrono::steady_clock::now() - start)
                       .count());
      if (!error.empty()) {
        std::cerr << "actc: internal error: running the compiled model "
                     "failed (a bug in actc; please report it): "
                  << error << "\n";
        return kInternalError;
      }
    }
    std::sort(ms.begin(), ms.end());
    double median = ms.size() % 2
                        ? ms[ms.size() / 2]
                        : (ms[ms.size() / 2 - 1] + ms[ms.size() / 2]) / 2;
    double mean = 0;
    for (double m : ms)
      mean += m;
    mean /= double(ms.size());
    double perSecond = median > 0 ? 1000.0 / median : 0.0;
    if (options.json) {
      std::printf("{\"model\": %s, \"target\": %s, \"dims\": {%s}, "
                  "\"threads\": %d, \"runs\": %d, \"warmup\": %d, "
                  "\"min_ms\": %.6f, \"median_ms\": %.6f, \"mean_ms\": %.6f, "
                  "\"max_ms\": %.6f, \"inferences_per_s\": %.3f, "
                  "\"samples_per_s\": %.3f, \"compile_ms\": %.3f, "
                  "\"path\": \"jit\"}\n",
                  jsonString(prepared.name).c_str(),
                  jsonString(prepared.target).c_str(), dimJson.c_str(), threads,
                  options.runs, warmup, ms.front(), median, mean, ms.back(),
                  perSecond, perSecond * double(samples), compileMs);
    } else {
      std::printf("  threads %d: min %.4f ms, median %.4f ms, mean %.4f ms; "
                  "%.1f inferences/s",
                  threads, ms.front(), median, mean, perSecond);
      if (samples != 1)
        std::printf(" (%.0f samples/s)", perSecond * double(samples));
      std::printf("\n");
    }
  }
  return kSuccess;
}

} // namespace actc::cli
