// SPDX-License-Identifier: Apache-2.0
//
// Speed of every activation (both modes), JIT-compiled for the host and
// scheduled as the real elementwise kernels are (vectorized by the natural
// width, split into parallel tasks), against a copy loop with the same
// schedule in the same run. Two sizes: 16M floats (streams from memory: the
// target is at least 0.9 of the copy's throughput) and 4096 floats (in
// cache: compute-bound), measured on the same 4096 inputs repeated so that
// one realization does 16M elements and the call overhead vanishes.
// Threads: HL_NUM_THREADS (run-benchmarks.sh runs it with 1 and 2).
// Prints one JSON object per line. `--write-sample DIR` also writes the
// dense accuracy sample and each case's double reference for the peers'
// ULP measurement (run_peers.py). `--asm DIR` writes each case's streaming
// kernel as assembly (DIR/CASE_MODE.s) instead of timing it.

#include "tests/unit/numerics/AccuracyHarness.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

using namespace actc::numerics;
using actc::halide::math::Mode;

namespace {

/// A compiled benchmark kernel: y = f(x) over either a 1-D buffer of n
/// elements, or (in-cache form) `tasks` x `reps` repetitions of a 4096-row.
struct Bench {
  Halide::ImageParam input{Halide::Float(32), 1};
  Halide::Func f;
  Halide::Pipeline p;
};

std::unique_ptr<Bench> makeBench(const Case *c, Mode mode, bool inCache,
                                 int tasks, bool jit = true) {
  auto b = std::make_unique<Bench>();
  Halide::Var i("i"), t("t"), r("r"), io("io"), ii("ii");
  Halide::Expr x = b->input(i);
  Halide::Expr y = x;
  if (c) {
    std::string error;
    if (c->op.rfind("math.", 0) == 0) {
      y = actc::halide::math::lookupMathOp(c->op)(x, mode);
    } else {
      actc::halide::math::ActivationAttrs a = c->attrs;
      if (c->op == "prelu")
        a.slope = Halide::Expr(c->preluSlope);
      y = actc::halide::math::buildActivation(c->op, x, a, mode, &error);
    }
  }
  Halide::Target target = Halide::get_jit_target_from_environment();
  int width = target.natural_vector_size<float>();
  // As kern-tile schedules a map of a transcendental activation: two vectors
  // per iteration.
  if (c && !c->pieceWiseLinear && c->op.rfind("math.", 0) != 0)
    width *= 2;
  if (inCache) {
    b->f(i, t, r) = y;
    b->f.reorder(i, r, t).parallel(t).vectorize(i, width);
  } else {
    b->f(i) = y;
    b->f.split(i, io, ii, 65536, Halide::TailStrategy::GuardWithIf)
        .parallel(io)
        .vectorize(ii, width, Halide::TailStrategy::GuardWithIf);
  }
  (void)tasks;
  b->p = Halide::Pipeline(b->f);
  if (jit)
    b->p.compile_jit(target);
  return b;
}

/// Best of `reps` runs after two warm-ups (the machine is shared: the
/// fastest run is the one least disturbed).
template <typename Fn> double timeIt(Fn fn, int reps) {
  fn();
  fn();
  std::vector<double> t;
  for (int k = 0; k < reps; ++k) {
    auto s = std::chrono::steady_clock::now();
    fn();
    t.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - s)
            .count());
  }
  return *std::min_element(t.begin(), t.end());
}

} // namespace

int main(int argc, char **argv) {
  std::vector<std::string> names;
  std::string sampleDir, asmDir;
  int reps = 15;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--write-sample" && i + 1 < argc)
      sampleDir = argv[++i];
    else if (a == "--asm" && i + 1 < argc)
      asmDir = argv[++i];
    else if (a == "--reps" && i + 1 < argc)
      reps = std::atoi(argv[++i]);
    else
      names.push_back(a);
  }
  if (names.empty())
    for (const Case &c : allCases())
      names.push_back(c.name);
  const char *env = std::getenv("HL_NUM_THREADS");
  int threads = env ? std::atoi(env) : 1;

  if (!sampleDir.empty()) {
    std::vector<float> s = denseSample();
    std::ofstream(sampleDir + "/sample.f32", std::ios::binary)
        .write(reinterpret_cast<const char *>(s.data()), s.size() * 4);
    for (const Case &c : allCases()) {
      std::vector<double> ref(s.size());
      for (size_t k = 0; k < s.size(); ++k)
        ref[k] = reference(c, s[k]);
      std::ofstream(sampleDir + "/ref_" + c.name + ".f64", std::ios::binary)
          .write(reinterpret_cast<const char *>(ref.data()), ref.size() * 8);
    }
  }

  std::vector<const Case *> selected;
  for (const std::string &name : names) {
    selected.push_back(findCase(name));
    if (!selected.back()) {
      std::fprintf(stderr, "unknown case %s\n", name.c_str());
      return 2;
    }
  }
  if (!asmDir.empty()) {
    for (const Case *c : selected) {
      for (Mode mode : {Mode::Default, Mode::Fast}) {
        std::unique_ptr<Bench> b = makeBench(c, mode, false, threads, false);
        std::string file = asmDir + "/" + c->name +
                           (mode == Mode::Default ? "_default.s" : "_fast.s");
        b->p.compile_to_assembly(file, {b->input}, "kernel",
                                 Halide::get_jit_target_from_environment());
      }
    }
    return 0;
  }
  if (reps == 0) // --reps 0: only the sample
    return 0;
  const int64_t big = int64_t(1) << 24, row = 4096;
  const int64_t rowReps = big / row / threads;
  std::vector<float> in(big), out(big);
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> dist(-8.0f, 8.0f);
  for (float &v : in)
    v = dist(rng);

  try {
    for (bool inCache : {false, true}) {
      Halide::Buffer<float> inBuf(in.data(), int(inCache ? row : big));
      halide_dimension_t dims[3] = {{0, int32_t(row), 1},
                                    {0, threads, int32_t(row)},
                                    {0, int32_t(rowReps), 0}};
      Halide::Buffer<float> outBuf =
          inCache ? Halide::Buffer<float>(out.data(), 3, dims)
                  : Halide::Buffer<float>(out.data(), int(big));
      auto run = [&](Bench &b) {
        b.input.set(inBuf);
        return timeIt([&] { b.p.realize(outBuf); }, reps);
      };
      std::unique_ptr<Bench> copy =
          makeBench(nullptr, Mode::Default, inCache, threads);
      double copySeconds = run(*copy);
      const char *size = inCache ? "4096" : "16M";
      std::printf("{\"case\": \"copy\", \"mode\": \"-\", \"size\": \"%s\", "
                  "\"threads\": %d, \"ns_per_elem\": %.4f, \"ratio\": 1}\n",
                  size, threads, copySeconds / double(big) * 1e9);
      for (const Case *c : selected) {
        for (Mode mode : {Mode::Default, Mode::Fast}) {
          std::unique_ptr<Bench> b = makeBench(c, mode, inCache, threads);
          double seconds = run(*b);
          // Re-measure the copy next to each op: the machine is shared.
          double copyNow = run(*copy);
          std::printf("{\"case\": \"%s\", \"mode\": \"%s\", \"size\": \"%s\", "
                      "\"threads\": %d, \"ns_per_elem\": %.4f, "
                      "\"copy_ns_per_elem\": %.4f, \"ratio\": %.3f}\n",
                      c->name.c_str(),
                      mode == Mode::Default ? "default" : "fast", size, threads,
                      seconds / double(big) * 1e9, copyNow / double(big) * 1e9,
                      copyNow / seconds);
          std::fflush(stdout);
        }
      }
    }
  } catch (const Halide::Error &e) {
    std::fprintf(stderr, "Halide: %s\n", e.what());
    return 1;
  }
  return 0;
}
