// SPDX-License-Identifier: Apache-2.0
//
// Writes the generated C of four small models for run-c-api.sh, which
// compiles them against a hand-written stand-in pipeline (no Halide):
//   net  x:[batch,4] scale:[4] bias:[4] -> y = x * scale + bias
//   Net  the same interface, other weights (a name that differs in case)
//   int  dims N and n (case), input "for", output "class" (keywords)
//   emb  like net, with --embed-weights
// Usage: actc_emit_e2e_gen OUTDIR  (OUTDIR/<model>/ must exist)
//        actc_emit_e2e_gen --mlp DIR  (examples/mlp.act's interface, for
//                                      reading the generated files)

#include "compiler/backend/emit/EmitC.h"

#include <cstdio>

using actc::backend::ModelInterface;

namespace {

ModelInterface scaleBias(const std::string &name) {
  ModelInterface m;
  m.modelName = name;
  m.dynamicDims = {"batch"};
  m.inputs = {{"x", {-1, 4}, {"batch", ""}}};
  m.weights = {{"scale", {4}, {""}}, {"bias", {4}, {""}}};
  m.outputs = {{"y", {-1, 4}, {"batch", ""}}};
  m.pipelineSymbol = actc::emit::modelIdentifier(name) + "_pipeline";
  return m;
}

actc::weights::WeightMap values(float factor) {
  actc::weights::WeightMap w;
  w["scale"] = {{4}, {1 * factor, 2 * factor, 3 * factor, 4 * factor}};
  w["bias"] = {{4}, {0.5f, -1.0f, 0.25f, 10.0f}};
  return w;
}

bool write(const std::string &dir, const ModelInterface &m,
           const actc::weights::WeightMap &w, bool embed) {
  actc::emit::EmitOptions options;
  options.embedWeights = embed;
  std::vector<std::string> written;
  std::string error;
  if (!actc::emit::writeModel(m, w, options, dir, written, error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return false;
  }
  return true;
}

} // namespace

int main(int argc, char **argv) {
  if (argc == 3 && std::string(argv[1]) == "--mlp") {
    ModelInterface m;
    m.modelName = "mlp";
    m.dynamicDims = {"batch"};
    m.inputs = {{"x", {-1, 784}, {"batch", ""}}};
    m.weights = {{"fc1.weight", {128, 784}, {"", ""}},
                 {"fc1.bias", {128}, {""}},
                 {"fc2.weight", {10, 128}, {"", ""}},
                 {"fc2.bias", {10}, {""}}};
    m.outputs = {{"y", {-1, 10}, {"batch", ""}}};
    m.pipelineSymbol = "mlp_pipeline";
    actc::weights::WeightMap w;
    for (const auto &t : m.weights) {
      size_t n = 1;
      for (int64_t d : t.shape)
        n *= static_cast<size_t>(d);
      w[t.name] = {t.shape, std::vector<float>(n, 0.0f)};
    }
    return write(argv[2], m, w, false) ? 0 : 1;
  }
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTDIR | --mlp DIR\n", argv[0]);
    return 2;
  }
  std::string out = argv[1];
  ModelInterface keywords;
  keywords.modelName = "int";
  keywords.dynamicDims = {"N", "n"};
  keywords.inputs = {{"for", {-1, -1, 4}, {"N", "n", ""}}};
  keywords.weights = {{"scale", {4}, {""}}, {"bias", {4}, {""}}};
  keywords.outputs = {{"class", {-1, -1, 4}, {"N", "n", ""}}};
  keywords.pipelineSymbol = "int_x_pipeline";
  bool ok = write(out + "/net", scaleBias("net"), values(1), false) &&
            write(out + "/Net", scaleBias("Net"), values(-2), false) &&
            write(out + "/int", keywords, values(3), false) &&
            write(out + "/emb", scaleBias("emb"), values(1), true);
  return ok ? 0 : 1;
}
