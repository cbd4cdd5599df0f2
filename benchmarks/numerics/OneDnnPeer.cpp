// SPDX-License-Identifier: Apache-2.0
//
// oneDNN's eltwise primitives as a benchmark peer: for each activation
// oneDNN has, times it on 16M and 4096 floats (threads: OMP_NUM_THREADS)
// and writes its outputs on the accuracy sample so that run_peers.py can
// measure its ULP error with the same reference. Prints JSON lines.
//
// Usage: actc-numerics-onednn SAMPLE_DIR

#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace {

struct Op {
  const char *name;
  dnnl::algorithm alg;
  float alpha, beta;
};

double bestOf(dnnl::stream &s, dnnl::eltwise_forward &p, dnnl::memory &src,
              dnnl::memory &dst, int reps, int inner) {
  double best = 1e30;
  for (int k = 0; k < reps + 2; ++k) {
    auto t0 = std::chrono::steady_clock::now();
    for (int j = 0; j < inner; ++j)
      p.execute(s, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
    s.wait();
    double t =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
    if (k >= 2)
      best = std::min(best, t);
  }
  return best;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s SAMPLE_DIR\n", argv[0]);
    return 2;
  }
  std::string dir = argv[1];
  using dnnl::algorithm;
  const Op ops[] = {
      {"relu", algorithm::eltwise_relu, 0.0f, 0.0f},
      {"leaky_relu", algorithm::eltwise_relu, 0.01f, 0.0f},
      {"relu6", algorithm::eltwise_clip_v2, 0.0f, 6.0f},
      {"clip", algorithm::eltwise_clip_v2, -1.0f, 1.0f},
      {"hard_swish", algorithm::eltwise_hardswish, 1.0f / 6.0f, 0.5f},
      {"elu", algorithm::eltwise_elu, 1.0f, 0.0f},
      {"sigmoid", algorithm::eltwise_logistic, 0.0f, 0.0f},
      {"tanh", algorithm::eltwise_tanh, 0.0f, 0.0f},
      {"silu", algorithm::eltwise_swish, 1.0f, 0.0f},
      {"gelu", algorithm::eltwise_gelu_erf, 0.0f, 0.0f},
      {"gelu_tanh", algorithm::eltwise_gelu_tanh, 0.0f, 0.0f},
      {"mish", algorithm::eltwise_mish, 0.0f, 0.0f},
      {"softplus", algorithm::eltwise_soft_relu, 1.0f, 0.0f},
  };
  std::ifstream f(dir + "/sample.f32", std::ios::binary | std::ios::ate);
  std::vector<float> sample(size_t(f.tellg()) / 4);
  f.seekg(0);
  f.read(reinterpret_cast<char *>(sample.data()), sample.size() * 4);

  const char *env = std::getenv("OMP_NUM_THREADS");
  int threads = env ? std::atoi(env) : 1;
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream s(eng);
  const int64_t big = int64_t(1) << 24;
  std::vector<float> in(big), out(big);
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> dist(-8.0f, 8.0f);
  for (float &v : in)
    v = dist(rng);
  for (const Op &op : ops) {
    for (int64_t n : {big, int64_t(4096), int64_t(sample.size())}) {
      dnnl::memory::desc md({n}, dnnl::memory::data_type::f32,
                            dnnl::memory::format_tag::a);
      float *src = n == int64_t(sample.size()) ? sample.data() : in.data();
      std::vector<float> sampleOut;
      if (n == int64_t(sample.size()))
        sampleOut.resize(n);
      dnnl::memory msrc(md, eng, src);
      dnnl::memory mdst(md, eng,
                        sampleOut.empty() ? out.data() : sampleOut.data());
      dnnl::eltwise_forward::desc d(dnnl::prop_kind::forward_inference, op.alg,
                                    md, op.alpha, op.beta);
      dnnl::eltwise_forward::primitive_desc pd(d, eng);
      dnnl::eltwise_forward prim(pd);
      if (!sampleOut.empty()) {
        prim.execute(s, {{DNNL_ARG_SRC, msrc}, {DNNL_ARG_DST, mdst}});
        s.wait();
        std::ofstream(dir + "/onednn_" + op.name + ".f32", std::ios::binary)
            .write(reinterpret_cast<const char *>(sampleOut.data()), n * 4);
        continue;
      }
      int inner = n == big ? 1 : int(big / n);
      double t = bestOf(s, prim, msrc, mdst, 7, inner);
      std::printf("{\"peer\": \"onednn\", \"case\": \"%s\", \"size\": \"%s\", "
                  "\"threads\": %d, \"ns_per_elem\": %.4f}\n",
                  op.name, n == big ? "16M" : "4096", threads,
                  t / double(big) * 1e9);
      std::fflush(stdout);
    }
  }
  return 0;
}
