// SPDX-License-Identifier: Apache-2.0
//
// The exhaustive accuracy sweep: every one of the 2^32 float32 inputs through
// the JIT-compiled vector kernel of each case, in both modes, against the
// double reference of tests/unit/numerics/AccuracyHarness (computed once per
// input, shared by both modes), on all cores. Prints one JSON object per
// (case, mode) line: max ULP and where, max denormal error, special-value
// errors, bit-exactness, and an error curve (max ULP per bin of x over
// [-curveRange, curveRange]) for docs/accuracy-plot.py. Minutes per case:
// run it where it is needed (benchmarks/numerics/run-exhaustive.sh builds a
// static, Halide-free variant for a many-core machine), niced.
//
// Usage: actc-numerics-exhaustive [--stride N] [--threads T] [case...]
// (--stride N checks every N-th bit pattern: a quick partial sweep.)
// Built with ACTC_AOT_KERNELS (run-exhaustive.sh), it takes its kernels from
// the ahead-of-time registry instead of the JIT, and links no Halide.

#ifdef ACTC_AOT_KERNELS
#include "benchmarks/numerics/AotRegistry.h"
#else
#include "tests/unit/numerics/AccuracyHarness.h"
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace actc::numerics;

namespace {

using RunFn = std::function<void(const float *, float *, int64_t)>;

/// One case to sweep: its reference and its kernels in both modes.
struct SweepCase {
  std::string name;
  RefSpec spec;
  std::function<RunFn()> makeDefault, makeFast;
};

#ifdef ACTC_AOT_KERNELS
RunFn aotRunner(int (*fn)(halide_buffer_t *, halide_buffer_t *)) {
  return [fn](const float *in, float *out, int64_t n) {
    halide_dimension_t dimIn = {0, int32_t(n), 1, 0};
    halide_dimension_t dimOut = dimIn;
    halide_buffer_t a = {}, b = {};
    a.host = reinterpret_cast<uint8_t *>(const_cast<float *>(in));
    b.host = reinterpret_cast<uint8_t *>(out);
    a.type = b.type = halide_type_t(halide_type_float, 32);
    a.dimensions = b.dimensions = 1;
    a.dim = &dimIn;
    b.dim = &dimOut;
    if (fn(&a, &b) != 0)
      std::abort();
  };
}

std::vector<SweepCase> sweepCases() {
  std::vector<SweepCase> v;
  for (const AotCase &c : aotCases())
    v.push_back({c.name, c.spec, [f = c.defaultKernel] { return aotRunner(f); },
                 [f = c.fastKernel] { return aotRunner(f); }});
  return v;
}
#else
RunFn jitRunner(const Case &c, actc::halide::math::Mode mode) {
  auto k = std::make_shared<JitKernel>(c, mode, 65536);
  return [k](const float *in, float *out, int64_t n) { k->run(in, out, n); };
}

std::vector<SweepCase> sweepCases() {
  std::vector<SweepCase> v;
  for (const Case &c : allCases())
    v.push_back(
        {c.name, c.spec(),
         [&c] { return jitRunner(c, actc::halide::math::Mode::Default); },
         [&c] { return jitRunner(c, actc::halide::math::Mode::Fast); }});
  return v;
}
#endif

constexpr int kBins = 480;
constexpr double kCurveRange = 12.0;

struct Partial {
  ErrorStats stats[2];
  std::vector<uint32_t> curve[2];
  Partial() {
    curve[0].assign(kBins, 0);
    curve[1].assign(kBins, 0);
  }
};

void printJson(const SweepCase &c, const char *mode, const ErrorStats &s,
               const std::vector<uint32_t> &curve, uint64_t stride,
               double seconds) {
  std::printf("{\"case\": \"%s\", \"mode\": \"%s\", \"inputs\": %llu, "
              "\"stride\": %llu, \"pwl\": %s, \"max_ulp\": %llu, "
              "\"worst_x\": %.9g, \"worst_y\": %.9g, \"worst_ref\": %.17g, "
              "\"max_denormal_steps\": %llu, \"worst_denormal_x\": %.9g, "
              "\"max_boundary_steps\": %llu, \"worst_boundary_x\": %.9g, "
              "\"special_errors\": %llu, \"first_special_x\": %.9g, "
              "\"not_bit_exact\": %llu, \"seconds\": %.1f, "
              "\"curve_range\": %g, \"curve\": [",
              c.name.c_str(), mode, (unsigned long long)s.count,
              (unsigned long long)stride,
              c.spec.pieceWiseLinear ? "true" : "false",
              (unsigned long long)s.maxUlp, s.worstInput, s.worstOutput,
              s.worstReference, (unsigned long long)s.maxDenormalSteps,
              s.worstDenormalInput, (unsigned long long)s.maxBoundarySteps,
              s.worstBoundaryInput, (unsigned long long)s.specialErrors,
              s.firstSpecialError, (unsigned long long)s.notBitExact, seconds,
              kCurveRange);
  for (int b = 0; b < kBins; ++b)
    std::printf("%s%u", b ? ", " : "", curve[b]);
  std::printf("]}\n");
  std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv) {
  uint64_t stride = 1;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::string> names;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--stride" && i + 1 < argc)
      stride = std::stoull(argv[++i]);
    else if (a == "--threads" && i + 1 < argc)
      threads = unsigned(std::stoul(argv[++i]));
    else
      names.push_back(a);
  }
  std::vector<SweepCase> cases = sweepCases();
  if (names.empty())
    for (const SweepCase &c : cases)
      names.push_back(c.name);

  const uint64_t total = (uint64_t(1) << 32) / stride;
  const uint64_t chunk = uint64_t(1) << 22;
  std::vector<float> in(chunk), out0(chunk), out1(chunk);
  for (const std::string &name : names) {
    const SweepCase *c = nullptr;
    for (const SweepCase &k : cases)
      if (k.name == name)
        c = &k;
    if (!c) {
      std::fprintf(stderr, "unknown case %s\n", name.c_str());
      return 2;
    }
    auto start = std::chrono::steady_clock::now();
    RunFn kDefault = c->makeDefault();
    RunFn kFast = c->makeFast();
    std::vector<Partial> parts(threads);
    for (uint64_t base = 0; base < total; base += chunk) {
      uint64_t n = std::min(chunk, total - base);
      for (uint64_t i = 0; i < n; ++i) {
        uint32_t bits = uint32_t((base + i) * stride);
        std::memcpy(&in[i], &bits, 4);
      }
      kDefault(in.data(), out0.data(), int64_t(n));
      kFast(in.data(), out1.data(), int64_t(n));
      std::vector<std::thread> pool;
      for (unsigned t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
          Partial &p = parts[t];
          uint64_t lo = n * t / threads, hi = n * (t + 1) / threads;
          for (uint64_t i = lo; i < hi; ++i) {
            float x = in[i];
            double r = referenceValue(c->spec, x);
            const float ys[2] = {out0[i], out1[i]};
            for (int m = 0; m < 2; ++m) {
              accumulateOne(c->spec.pieceWiseLinear, x, ys[m], r, p.stats[m]);
              if (std::fabs(x) < kCurveRange && !std::isnan(ys[m])) {
                float rf = float(r);
                if (!std::isnan(rf)) {
                  uint64_t dist = floatDistance(ys[m], rf);
                  int b = int((double(x) + kCurveRange) / (2 * kCurveRange) *
                              kBins);
                  b = std::clamp(b, 0, kBins - 1);
                  uint32_t dd = uint32_t(std::min<uint64_t>(dist, 1u << 30));
                  p.curve[m][b] = std::max(p.curve[m][b], dd);
                }
              }
            }
          }
        });
      for (std::thread &th : pool)
        th.join();
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    for (int m = 0; m < 2; ++m) {
      ErrorStats s;
      std::vector<uint32_t> curve(kBins, 0);
      for (Partial &p : parts) {
        s.merge(p.stats[m]);
        for (int b = 0; b < kBins; ++b)
          curve[b] = std::max(curve[b], p.curve[m][b]);
      }
      printJson(*c, m == 0 ? "default" : "fast", s, curve, stride, seconds);
    }
  }
  return 0;
}
