// SPDX-License-Identifier: Apache-2.0
//
// Tests of the semantic checks and the checked Model: shapes, attribute
// defaults (ACTIVATIONS.md), padding forms, parameter names, name rules,
// error messages with their positions, the rendered diagnostic format and
// spelling suggestions.

#include "compiler/frontend/Model.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

using namespace actc::frontend;
using actc::rules::Shape;

namespace {

Model check(const std::string &src, const std::string &path = "m.act") {
  DiagnosticSink diags;
  auto model = parseModel(src, path, diags);
  EXPECT_TRUE(model) << diags.render();
  return model ? std::move(*model) : Model{};
}

/// The first error as "line:col message".
std::string errorAt(const std::string &src) {
  DiagnosticSink diags;
  auto model = parseModel(src, "m.act", diags);
  EXPECT_FALSE(model.has_value());
  if (!diags.hasErrors())
    return "<no error>";
  const Diagnostic &d = diags.diagnostics().front();
  return formatLoc(d.loc) + " " + d.message;
}

const std::string kHeader = "model m\ninput x : f32[2, 4]\n";

/// The single op node of `output y = EXPR` on kHeader's input.
Node single(const std::string &expr) {
  Model m = check(kHeader + "output y = " + expr + "\n");
  EXPECT_EQ(m.nodes.size(), 1u);
  return m.nodes.empty() ? Node{} : m.nodes[0];
}

TEST(SemaTest, SpecExample) {
  Model m = check(
      "model yolo_block\n"
      "weights \"yolo_block.safetensors\"\n"
      "input image : f32[1, 3, 64, 64]\n"
      "c1 = conv2d(image, filters=16, kernel=3, stride=1, padding=1, "
      "bias=false, name=\"conv1\")\n"
      "b1 = batch_norm(c1, name=\"bn1\")\n"
      "a1 = leaky_relu(b1, alpha=0.1)\n"
      "p1 = max_pool2d(a1, kernel=2, stride=2)\n"
      "output out = leaky_relu(batch_norm(conv2d(p1, filters=32, kernel=3, "
      "padding=1, bias=false, name=\"conv2\"), name=\"bn2\"), alpha=0.1)\n",
      "models/yolo.act");
  EXPECT_EQ(m.name, "yolo_block");
  EXPECT_EQ(m.file, "models/yolo.act");
  ASSERT_TRUE(m.weightsPath);
  EXPECT_EQ(*m.weightsPath, "models/yolo_block.safetensors");
  ASSERT_EQ(m.nodes.size(), 7u);
  const char *ops[] = {"conv2d", "batch_norm", "leaky_relu", "max_pool2d",
                       "conv2d", "batch_norm", "leaky_relu"};
  Shape shapes[] = {{1, 16, 64, 64}, {1, 16, 64, 64}, {1, 16, 64, 64},
                    {1, 16, 32, 32}, {1, 32, 32, 32}, {1, 32, 32, 32},
                    {1, 32, 32, 32}};
  for (size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(m.nodes[i].op, ops[i]);
    EXPECT_EQ(m.nodes[i].shape, shapes[i]);
  }
  // Topological order: the nested conv2d comes before the batch_norm using it.
  EXPECT_EQ(m.nodes[5].operands[0], (ValueRef{ValueRef::Node, 4}));
  EXPECT_EQ(m.nodes[4].operands[0], (ValueRef{ValueRef::Node, 3}));
  EXPECT_EQ(m.nodes[0].operands[0], (ValueRef{ValueRef::Input, 0}));
  EXPECT_EQ(m.nodes[6].valueName, "out");
  EXPECT_EQ(m.nodes[4].valueName, "");
  EXPECT_EQ(m.nodes[4].loc, (SourceLoc{8, 36}));
  ASSERT_EQ(m.outputs.size(), 1u);
  EXPECT_EQ(m.outputs[0].name, "out");
  EXPECT_EQ(m.outputs[0].value, (ValueRef{ValueRef::Node, 6}));
  // Parameters: conv1 has no bias; bn2 reads four tensors of 32.
  ASSERT_EQ(m.nodes[0].params.size(), 1u);
  EXPECT_EQ(m.nodes[0].params[0].name, "conv1.weight");
  EXPECT_EQ(m.nodes[0].params[0].shape.shape, (Shape{16, 3, 3, 3}));
  ASSERT_EQ(m.nodes[5].params.size(), 4u);
  EXPECT_EQ(m.nodes[5].params[3].name, "bn2.running_var");
  EXPECT_EQ(m.nodes[5].params[3].shape.shape, (Shape{32}));
  EXPECT_TRUE(m.nodes[2].params.empty());
  // Pool stride given; conv attributes complete and canonical.
  EXPECT_EQ(m.nodes[3].getInts("stride"), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(m.nodes[0].getInts("kernel"), (std::vector<int64_t>{3, 3}));
  EXPECT_EQ(m.nodes[0].getInts("padding"), (std::vector<int64_t>{1, 1, 1, 1}));
  EXPECT_EQ(m.nodes[0].getInts("dilation"), (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(m.nodes[0].getInt("groups"), 1);
  EXPECT_FALSE(m.nodes[0].getBool("bias"));
  EXPECT_DOUBLE_EQ(m.nodes[1].getFloat("eps"), 1e-5);
  EXPECT_EQ(m.nodes[0].findAttr("name"), nullptr) << "name is the prefix";
  EXPECT_EQ(m.nodes[0].paramPrefix, "conv1");
}

TEST(SemaTest, WeightsPathResolution) {
  std::string src = "model m\nweights \"/abs/w.st\"\ninput x : f32[1]\n"
                    "output y = relu(x)\n";
  EXPECT_EQ(*check(src, "dir/m.act").weightsPath, "/abs/w.st");
  src = "model m\nweights \"w.st\"\ninput x : f32[1]\noutput y = relu(x)\n";
  EXPECT_EQ(*check(src, "m.act").weightsPath, "w.st");
  EXPECT_FALSE(check("model m\ninput x : f32[1]\noutput x\n").weightsPath);
}

TEST(SemaTest, NamedDims) {
  Model m = check("model m\ninput a : f32[batch, 3, n]\n"
                  "input b : f32[n, batch]\noutput y = add(a, relu(a))\n");
  EXPECT_EQ(m.dimNames, (actc::rules::DimNames{"batch", "n"}));
  EXPECT_EQ(m.inputs[0].shape, (Shape{-2, 3, -3}));
  EXPECT_EQ(m.inputs[1].shape, (Shape{-3, -2}));
  EXPECT_EQ(m.nodes.back().shape, (Shape{-2, 3, -3}));
  // An output can be an input directly.
  Model direct = check("model m\ninput x : f32[1]\noutput x\n");
  EXPECT_EQ(direct.outputs[0].value, (ValueRef{ValueRef::Input, 0}));
}

TEST(SemaTest, ActivationDefaults) {
  struct Case {
    const char *call, *op;
    std::vector<std::pair<const char *, double>> floats;
  };
  std::vector<Case> cases = {
      {"leaky_relu(x)", "leaky_relu", {{"alpha", 0.01}}},
      {"leaky_relu6(x)", "leaky_relu6", {{"alpha", 0.01}, {"cap", 6}}},
      {"clip(x)", "clip", {{"lo", -1}, {"hi", 1}}},
      {"hardtanh(x)", "clip", {{"lo", -1}, {"hi", 1}}},
      {"elu(x)", "elu", {{"alpha", 1}}},
      {"selu(x)",
       "selu",
       {{"alpha", 1.6732632423543772}, {"gamma", 1.0507009873554805}}},
      {"celu(x)", "celu", {{"alpha", 1}}},
      {"thresholded_relu(x)", "thresholded_relu", {{"alpha", 1}}},
      {"hard_sigmoid(x)", "hard_sigmoid", {{"alpha", 1.0 / 6}, {"beta", 0.5}}},
      {"swish(x)", "swish", {{"beta", 1}}},
      {"softplus(x)", "softplus", {{"beta", 1}, {"threshold", 20}}},
      {"leaky_relu(x, alpha=1)", "leaky_relu", {{"alpha", 1.0}}},
      {"hard_sigmoid(x, alpha=0.2)",
       "hard_sigmoid",
       {{"alpha", 0.2}, {"beta", 0.5}}},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.call);
    Node n = single(c.call);
    EXPECT_EQ(n.op, c.op);
    EXPECT_EQ(n.attrs.size(), c.floats.size());
    for (auto &[name, value] : c.floats)
      EXPECT_DOUBLE_EQ(n.getFloat(name), value);
    EXPECT_EQ(n.shape, (Shape{2, 4}));
  }
  EXPECT_EQ(single("gelu(x)").getString("approximate"), "none");
  EXPECT_EQ(single("gelu(x, approximate=\"tanh\")").getString("approximate"),
            "tanh");
  EXPECT_EQ(single("softmax(x)").getInt("axis"), -1);
  EXPECT_EQ(single("log_softmax(x, axis=0)").getInt("axis"), 0);
  for (const char *op : {"relu", "relu6", "sigmoid", "tanh", "silu",
                         "hard_swish", "mish", "softsign"})
    EXPECT_TRUE(single(std::string(op) + "(x)").attrs.empty()) << op;
}

TEST(SemaTest, PaddingAndWindowForms) {
  std::string img = "model m\ninput x : f32[1, 2, 8, 8]\noutput y = ";
  auto node = [&](const std::string &expr) {
    Model m = check(img + expr + "\n");
    return m.nodes.empty() ? Node{} : m.nodes[0];
  };
  using V = std::vector<int64_t>;
  EXPECT_EQ(
      node("conv2d(x, filters=1, kernel=3, padding=1)").getInts("padding"),
      (V{1, 1, 1, 1}));
  EXPECT_EQ(
      node("conv2d(x, filters=1, kernel=3, padding=[1, 2])").getInts("padding"),
      (V{1, 2, 1, 2}));
  EXPECT_EQ(node("conv2d(x, filters=1, kernel=3, padding=[0, 1, 2, 1])")
                .getInts("padding"),
            (V{0, 1, 2, 1}));
  Node same =
      node("conv2d(x, filters=1, kernel=3, stride=2, padding=\"same\")");
  EXPECT_EQ(same.getInts("padding"), (V{0, 0, 1, 1}));
  EXPECT_EQ(same.shape, (Shape{1, 1, 4, 4}));
  EXPECT_EQ(node("conv2d(x, filters=1, kernel=3, padding=\"valid\")")
                .getInts("padding"),
            (V{0, 0, 0, 0}));
  EXPECT_EQ(node("conv2d(x, filters=1, kernel=[3, 1])").getInts("kernel"),
            (V{3, 1}));
  // Pools: stride defaults to the kernel; "same" works for them too.
  Node pool = node("max_pool2d(x, kernel=[2, 4])");
  EXPECT_EQ(pool.getInts("stride"), (V{2, 4}));
  EXPECT_EQ(pool.shape, (Shape{1, 2, 4, 2}));
  Node avg = node("avg_pool2d(x, kernel=3, stride=1, padding=\"same\")");
  EXPECT_EQ(avg.getInts("padding"), (V{1, 1, 1, 1}));
  EXPECT_TRUE(avg.getBool("count_include_pad"));
  EXPECT_EQ(node("avg_pool2d(x, kernel=2, count_include_pad=false)")
                .getBool("count_include_pad"),
            false);
  EXPECT_EQ(node("global_avg_pool2d(x)").shape, (Shape{1, 2, 1, 1}));
}

TEST(SemaTest, LayoutOps) {
  Model m = check("model m\ninput x : f32[batch, 3, 4, 4]\n"
                  "f = flatten(x)\nr = reshape(f, shape=[-1, 4, 12])\n"
                  "t = transpose(r, perm=[0, 2, 1])\n"
                  "c = concat(t, t, axis=-1)\n"
                  "output y = matmul(c, transpose(c, perm=[0, 2, 1]))\n");
  EXPECT_EQ(m.nodes[0].shape, (Shape{-2, 48}));
  EXPECT_EQ(m.nodes[1].shape, (Shape{-2, 4, 12}));
  EXPECT_EQ(m.nodes[2].shape, (Shape{-2, 12, 4}));
  EXPECT_EQ(m.nodes[3].shape, (Shape{-2, 12, 8}));
  EXPECT_EQ(m.nodes[5].shape, (Shape{-2, 12, 12}));
  EXPECT_EQ(m.nodes[0].getInt("axis"), 1);
}

TEST(SemaTest, ParameterNames) {
  Model m = check("model m\ninput x : f32[2, 4]\n"
                  "fc1 = dense(x, units=8)\n"
                  "h = dense(fc1, units=3, name=\"layer1.0.fc\")\n"
                  "l = layer_norm(h)\n"
                  "output y = prelu(dense(l, units=3, bias=false, "
                  "name=\"head\"))\n");
  ASSERT_EQ(m.nodes.size(), 5u);
  EXPECT_EQ(m.nodes[0].params[0].name, "fc1.weight");
  EXPECT_EQ(m.nodes[0].params[0].shape.shape, (Shape{8, 4}));
  EXPECT_EQ(m.nodes[0].params[1].name, "fc1.bias");
  EXPECT_EQ(m.nodes[1].params[0].name, "layer1.0.fc.weight");
  EXPECT_EQ(m.nodes[2].params[1].name, "l.bias");
  EXPECT_EQ(m.nodes[3].params.size(), 1u);
  EXPECT_EQ(m.nodes[3].params[0].name, "head.weight");
  EXPECT_EQ(m.nodes[4].op, "prelu");
  EXPECT_EQ(m.nodes[4].params[0].name, "y.weight");
  EXPECT_EQ(m.nodes[4].params[0].shape.shape, (Shape{1}));
}

TEST(SemaTest, Errors) {
  const std::string h = kHeader;
  EXPECT_EQ(errorAt(h + "output y = relux(x)"),
            "3:12 unknown op 'relux'; did you mean 'relu'?");
  EXPECT_EQ(errorAt(h + "output y = ReLU(x)"),
            "3:12 unknown op 'ReLU'; did you mean 'relu'?");
  EXPECT_EQ(errorAt(h + "output y = leaky_relu(x, alpah=1)"),
            "3:26 unknown keyword 'alpah' for leaky_relu; did you mean "
            "'alpha'?");
  EXPECT_EQ(errorAt(h + "output y = dense(x, units=3, kernal=1)"),
            "3:30 unknown keyword 'kernal' for dense; expected one of units, "
            "bias, name");
  EXPECT_EQ(errorAt(h + "output y = conv2d(x, filters=1, kernal=1)"),
            "3:33 unknown keyword 'kernal' for conv2d; did you mean 'kernel'?");
  EXPECT_EQ(errorAt(h + "output y = dense(x, units=\"3\")"),
            "3:27 expected an integer for 'units', found the string \"3\"");
  EXPECT_EQ(errorAt(h + "output y = elu(x, alpha=true)"),
            "3:25 expected a number for 'alpha', found the value true");
  EXPECT_EQ(errorAt(h + "output y = gelu(x, approximate=[1])"),
            "3:32 expected a string for 'approximate', found a list of 1 "
            "value");
  EXPECT_EQ(errorAt(h + "output y = transpose(x, perm=[1, \"0\"])"),
            "3:34 expected integers in the list for 'perm', found the string "
            "\"0\"");
  EXPECT_EQ(errorAt(h + "output y = concat(axis=1)"),
            "3:12 concat expects at least 1 operand, found 0");
  EXPECT_EQ(errorAt(h + "output y = matmul(x, x, x)"),
            "3:12 matmul expects 2 operands, found 3");
  EXPECT_EQ(errorAt(h + "output y = transpose(x)"),
            "3:12 transpose expects the keyword 'perm' (a list of integers), "
            "found none");
  EXPECT_EQ(errorAt(h + "output y = dense(x, name=3, units=2)"),
            "3:26 expected a string for 'name', found the integer 3");
  EXPECT_EQ(errorAt("model m\ninput x : f32[n, 4]\n"
                    "output y = softmax(x, axis=2)"),
            "3:28 softmax expects axis in [-2, 2) for an input of rank 2, "
            "found 2");
  // A rule failing on a default attribute points at the op.
  EXPECT_EQ(errorAt(h + "output y = hardtanh(x, lo=2)"),
            "3:12 clip expects lo <= hi, found lo=2 and hi=1");
  EXPECT_EQ(errorAt(h + "output y = add(x, reshape(x, shape=[4, 2]))"),
            "3:19 add cannot broadcast [2, 4] with [4, 2]: dimension 0 is 2 "
            "and 4");
  EXPECT_EQ(errorAt(h + "a = relu(x)\n"), "1:7 expected at least one 'output' "
                                          "statement in model 'm', found none");
  EXPECT_EQ(errorAt("model m\ninput x : f32[1, n, 0]\noutput x"),
            "2:21 expected a positive dimension, found 0");
  EXPECT_EQ(errorAt("model m\ninput x : bf16[1]\noutput x"),
            "2:11 expected the element type f32, found 'bf16'");
}

TEST(SemaTest, ErrorsWithNotes) {
  DiagnosticSink diags;
  EXPECT_FALSE(parseModel(kHeader + "a = relu(x)\na = tanh(x)\noutput a\n",
                          "dir/m.act", diags));
  ASSERT_EQ(diags.diagnostics().size(), 2u);
  EXPECT_EQ(diags.render(),
            "dir/m.act:4:1: error: redefinition of 'a'; expected each value "
            "to be defined once\n"
            "a = tanh(x)\n"
            "^\n"
            "dir/m.act:3:1: note: 'a' is first defined here\n"
            "a = relu(x)\n"
            "^\n");
  DiagnosticSink d2;
  EXPECT_FALSE(parseModel(kHeader + "output y = add(dense(x, units=2, "
                                    "name=\"p\"), dense(x, units=2, "
                                    "name=\"p\"))\n",
                          "m.act", d2));
  ASSERT_EQ(d2.diagnostics().size(), 2u);
  EXPECT_EQ(formatLoc(d2.diagnostics()[0].loc), "3:68");
  EXPECT_EQ(formatLoc(d2.diagnostics()[1].loc), "3:39");
  EXPECT_EQ(d2.diagnostics()[1].severity, Severity::Note);
}

TEST(SemaTest, NestedOpsWithParamsNeedNames) {
  EXPECT_EQ(errorAt(kHeader + "output y = relu(batch_norm(x))"),
            "3:17 expected name=\"...\" on the nested batch_norm to name its "
            "parameters, found none; only the outermost op of a statement "
            "takes the statement's name ('y')");
  EXPECT_EQ(errorAt(kHeader + "output y = dense(x, units=2, name=\"a..b\")"),
            "3:35 expected a parameter prefix such as \"conv1\" or "
            "\"layer1.0.conv1\" for 'name', found \"a..b\"");
}

TEST(SemaTest, FloatLimits) {
  EXPECT_EQ(errorAt(kHeader + "output y = elu(x, alpha=-4e38)"),
            "3:25 elu expects alpha to be a finite f32 value, found -4e+38");
  EXPECT_DOUBLE_EQ(single("elu(x, alpha=3.4e38)").getFloat("alpha"), 3.4e38);
  EXPECT_EQ(errorAt(kHeader + "output y = batch_norm(x, eps=1e39)"),
            "3:30 batch_norm expects eps to be a finite f32 value, found "
            "1e+39");
}

TEST(SemaTest, LoadModelFromFile) {
  std::string path = ::testing::TempDir() + "sema_test_model.act";
  {
    std::ofstream out(path);
    out << "model m\ninput x : f32[1]\noutput y = relu(x)\n";
  }
  DiagnosticSink diags;
  auto m = loadModel(path, diags);
  ASSERT_TRUE(m) << diags.render();
  EXPECT_EQ(m->file, path);
  std::remove(path.c_str());
  DiagnosticSink missing;
  EXPECT_FALSE(loadModel(path, missing));
  EXPECT_EQ(missing.render().rfind(path + ":0:0: error: cannot open the model "
                                          "file",
                                   0),
            0u);
}

TEST(DiagnosticsTest, RenderKeepsColumnsAndEscapes) {
  DiagnosticSink diags;
  diags.setSource("f.act", "model m\nab\x01"
                           "cd\r\nx");
  diags.error({2, 3}, "unexpected character '\\x01'");
  EXPECT_EQ(diags.render(), "f.act:2:3: error: unexpected character '\\x01'\n"
                            "ab?cd\n"
                            "  ^\n");
}

TEST(DiagnosticsTest, ClosestSpelling) {
  std::vector<std::string> ops = {"relu",    "relu6",  "elu", "selu",
                                  "softmax", "concat", "add"};
  EXPECT_EQ(closestSpelling("relux", ops), "relu");
  EXPECT_EQ(closestSpelling("relu7", ops), "relu6");
  EXPECT_EQ(closestSpelling("sofmax", ops), "softmax");
  EXPECT_EQ(closestSpelling("RELU", ops), "relu");
  EXPECT_EQ(closestSpelling("frobnicate", ops), "");
  EXPECT_EQ(closestSpelling("b", {"x", "a"}), "");
  EXPECT_EQ(closestSpelling("h2", {"h1", "x"}), "h1");
  EXPECT_EQ(closestSpelling("", ops), "");
}

} // namespace
