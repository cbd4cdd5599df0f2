// SPDX-License-Identifier: Apache-2.0
//
// The generated header and glue as text: SPEC section 3's names for the MLP
// example, and names from the model that try to break out of an identifier,
// a comment or a string. (tests/e2e compiles and runs the output.)

#include "compiler/backend/emit/EmitC.h"

#include <gtest/gtest.h>

using namespace actc::emit;
using actc::backend::ModelInterface;

namespace {

ModelInterface mlp() {
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
  return m;
}

actc::weights::WeightMap weightsOf(const ModelInterface &m) {
  actc::weights::WeightMap w;
  for (const auto &t : m.weights) {
    size_t n = 1;
    for (int64_t d : t.shape)
      n *= static_cast<size_t>(d);
    w[t.name] = {t.shape, std::vector<float>(n, 0.5f)};
  }
  return w;
}

/// `text` with the contents of every string literal removed (escapes
/// understood), so what is left is what the compiler reads as code or
/// comments.
std::string withoutStrings(const std::string &text) {
  std::string out;
  bool inString = false, inComment = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        inString = false, out.push_back(c);
      continue;
    }
    if (!inComment && c == '"')
      inString = true;
    if (!inComment && text.compare(i, 2, "/*") == 0)
      inComment = true;
    else if (inComment && text.compare(i, 2, "*/") == 0)
      inComment = false;
    out.push_back(c);
  }
  return out;
}

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST(EmitC, MlpHeaderFollowsTheSpec) {
  EmittedModel em;
  std::string error;
  ModelInterface m = mlp();
  ASSERT_TRUE(emitModel(m, weightsOf(m), {}, em, error)) << error;
  const std::string &h = em.header;
  for (const char *part :
       {"#include <stddef.h>\n#include <stdint.h>\n", "#define MLP_OK 0 ",
        "#define MLP_NUM_INPUTS 1\n", "#define MLP_NUM_OUTPUTS 1\n",
        "#define MLP_X_RANK 2\n", "#define MLP_X_DIM1 784\n",
        "#define MLP_Y_RANK 2\n", "#define MLP_Y_DIM1 10\n",
        "typedef struct mlp_model mlp_model;",
        "int mlp_create(mlp_model **model, const char *weights_path);",
        "int mlp_run(mlp_model *model, int64_t batch, const float *x, "
        "float *y);",
        "void mlp_destroy(mlp_model *model);",
        "const char *mlp_status_string(int status);",
        "const char *mlp_last_error(const mlp_model *model);",
        "int mlp_set_num_threads(mlp_model *model, int threads);",
        "extern \"C\" {"})
    EXPECT_TRUE(contains(h, part)) << part << "\n" << h;
  EXPECT_FALSE(contains(h, "MLP_X_DIM0")); // dynamic: no macro
  EXPECT_EQ(h.find("#include"), h.find("#include <stddef.h>"));
  // The glue calls the pipeline with inputs, weights, outputs.
  EXPECT_TRUE(contains(em.glue, "mlp_pipeline(&actc_c,\n      "
                                "&actc_buffers[0],\n      "
                                "&actc_m->actc_base.weight_buffers[0]"));
  EXPECT_TRUE(contains(em.glue, "&actc_m->actc_base.weight_buffers[3],\n"
                                "      &actc_buffers[1]));"));
  EXPECT_FALSE(em.weightsFile.empty());
}

TEST(EmitC, HostileNamesStayInert) {
  ModelInterface m = mlp();
  m.modelName = "x*/ #include <evil.h> /*";
  m.inputs[0].name = "in\"); abort(); //";
  m.weights[0].name = "w\\\"\n?\?/";
  m.outputs[0].name = "*/ y";
  m.dynamicDims = {"batch */"};
  m.inputs[0].dimNames[0] = "batch */";
  m.outputs[0].dimNames[0] = "batch */";
  EmittedModel em;
  std::string error;
  ASSERT_TRUE(emitModel(m, weightsOf(m), {}, em, error)) << error;
  EXPECT_EQ(em.names.model, "x_include_evil_h");
  EXPECT_EQ(em.names.inputs[0], "in_abort");
  EXPECT_EQ(em.names.outputs[0], "y");
  for (const std::string *source : {&em.header, &em.glue}) {
    std::string code = withoutStrings(*source);
    const std::string *text = &code;
    EXPECT_FALSE(contains(*text, "evil.h>")) << *text;
    EXPECT_FALSE(contains(*text, "abort();")) << *text;
    // Every comment closes where it should: one "*/" per "/*".
    size_t opens = 0, closes = 0;
    for (size_t p = 0; (p = text->find("/*", p)) != std::string::npos; ++p)
      ++opens;
    for (size_t p = 0; (p = text->find("*/", p)) != std::string::npos; ++p)
      ++closes;
    EXPECT_EQ(opens, closes) << *text;
  }
  // The weights name reaches the glue only as an escaped literal.
  EXPECT_TRUE(contains(em.glue, "\"w\\\\\\\"\\012\\?\\?/\"")) << em.glue;
}

TEST(EmitC, EmbeddedWeightsAreAnAlignedArray) {
  ModelInterface m = mlp();
  EmittedModel em;
  std::string error;
  EmitOptions options;
  options.embedWeights = true;
  ASSERT_TRUE(emitModel(m, weightsOf(m), options, em, error)) << error;
  EXPECT_TRUE(em.weightsFile.empty());
  EXPECT_TRUE(contains(em.weightsSource, "__attribute__((aligned(64)))"));
  EXPECT_TRUE(contains(em.weightsSource,
                       "const unsigned char actc_weights_image_mlp["));
  EXPECT_TRUE(contains(em.glue, "actc_weights_image_mlp, "
                                "actc_weights_image_mlp_size"));
  EXPECT_TRUE(contains(em.header, "weights_path must be\n *  NULL"));
}

TEST(EmitC, MalformedInterfacesAreErrors) {
  ModelInterface m = mlp();
  EmittedModel em;
  std::string error;
  m.pipelineSymbol = "1 bad";
  EXPECT_FALSE(emitModel(m, weightsOf(m), {}, em, error));
  EXPECT_TRUE(contains(error, "pipeline symbol")) << error;
  m = mlp();
  m.inputs[0].dimNames[0] = "unknown";
  EXPECT_FALSE(emitModel(m, weightsOf(m), {}, em, error));
  EXPECT_TRUE(contains(error, "dynamic sizes")) << error;
}

TEST(EmitC, StaticModelHasNoSizeArguments) {
  ModelInterface m = mlp();
  m.dynamicDims.clear();
  m.inputs[0].shape = {1, 784};
  m.inputs[0].dimNames = {"", ""};
  m.outputs[0].shape = {1, 10};
  m.outputs[0].dimNames = {"", ""};
  EmittedModel em;
  std::string error;
  ASSERT_TRUE(emitModel(m, weightsOf(m), {}, em, error)) << error;
  EXPECT_TRUE(contains(em.header, "int mlp_run(mlp_model *model, const "
                                  "float *x, float *y);"))
      << em.header;
  EXPECT_TRUE(contains(em.header, "#define MLP_X_DIM0 1\n"));
  EXPECT_TRUE(contains(em.header, "#define MLP_NUM_DYNAMIC_DIMS 0\n"));
  EXPECT_FALSE(contains(em.glue, "actc_glue_dynamic_names"));
}
