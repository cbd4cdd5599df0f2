// SPDX-License-Identifier: Apache-2.0
//
// The op table (see OpTable.h). Defaults are PyTorch's, as ACTIVATIONS.md
// requires for the .act language: a model written for PyTorch means the
// same thing here without spelling out every parameter.

#include "compiler/frontend/OpTable.h"

#include <unordered_map>

namespace actc::frontend {

const char *describeAttrType(AttrType type) {
  switch (type) {
  case AttrType::Int:
    return "an integer";
  case AttrType::Float:
    return "a number";
  case AttrType::Bool:
    return "true or false";
  case AttrType::String:
    return "a string";
  case AttrType::IntPair:
    return "an integer or a list of 2 integers";
  case AttrType::IntList:
    return "a list of integers";
  case AttrType::Padding:
    return "an integer, a list of 2 or 4 integers, \"same\" or \"valid\"";
  }
  return "a value";
}

const AttrSpec *OpSpec::findAttr(std::string_view attr) const {
  for (const AttrSpec &a : attrs)
    if (a.name == attr)
      return &a;
  return nullptr;
}

namespace {

AttrSpec required(std::string name, AttrType type) {
  return AttrSpec{std::move(name), type, true, AttrValue{}, false};
}
AttrSpec optional(std::string name, AttrType type, AttrValue value) {
  return AttrSpec{std::move(name), type, false, std::move(value), false};
}
AttrSpec floatAttr(std::string name, double value) {
  return optional(std::move(name), AttrType::Float, value);
}
AttrSpec intAttr(std::string name, int64_t value) {
  return optional(std::move(name), AttrType::Int, value);
}
AttrSpec boolAttr(std::string name, bool value) {
  return optional(std::move(name), AttrType::Bool, value);
}
AttrSpec pairAttr(std::string name, int64_t value) {
  return optional(std::move(name), AttrType::IntPair,
                  std::vector<int64_t>{value, value});
}
AttrSpec zeroPadding() {
  return optional("padding", AttrType::Padding,
                  std::vector<int64_t>{0, 0, 0, 0});
}
AttrSpec strideFromKernel() {
  AttrSpec spec{"stride", AttrType::IntPair, false, AttrValue{}, true};
  return spec;
}

OpSpec op(std::string name, OpKind kind, std::vector<AttrSpec> attrs = {},
          int minOperands = 1, int maxOperands = 1, bool hasParams = false) {
  OpSpec spec;
  spec.canonical = name;
  spec.name = std::move(name);
  spec.kind = kind;
  spec.minOperands = minOperands;
  spec.maxOperands = maxOperands;
  spec.hasParams = hasParams;
  spec.attrs = std::move(attrs);
  return spec;
}

OpSpec activation(std::string name, std::vector<AttrSpec> attrs = {}) {
  return op(std::move(name), OpKind::Activation, std::move(attrs));
}

std::vector<OpSpec> buildTable() {
  std::vector<OpSpec> t;
  // Layers.
  t.push_back(op("dense", OpKind::Dense,
                 {required("units", AttrType::Int), boolAttr("bias", true)}, 1,
                 1, true));
  t.push_back(op("conv2d", OpKind::Conv2D,
                 {required("filters", AttrType::Int),
                  required("kernel", AttrType::IntPair), pairAttr("stride", 1),
                  zeroPadding(), pairAttr("dilation", 1), intAttr("groups", 1),
                  boolAttr("bias", true)},
                 1, 1, true));
  t.push_back(op("batch_norm", OpKind::BatchNorm, {floatAttr("eps", 1e-5)}, 1,
                 1, true));
  t.push_back(op("layer_norm", OpKind::LayerNorm, {floatAttr("eps", 1e-5)}, 1,
                 1, true));
  t.push_back(op("max_pool2d", OpKind::Pool2D,
                 {required("kernel", AttrType::IntPair), strideFromKernel(),
                  zeroPadding()}));
  t.push_back(op("avg_pool2d", OpKind::Pool2D,
                 {required("kernel", AttrType::IntPair), strideFromKernel(),
                  zeroPadding(), boolAttr("count_include_pad", true)}));
  t.push_back(op("global_avg_pool2d", OpKind::GlobalAvgPool2D));
  // Arithmetic and layout.
  for (const char *name : {"add", "sub", "mul"})
    t.push_back(op(name, OpKind::Broadcast, {}, 2, 2));
  t.push_back(op("matmul", OpKind::Matmul, {}, 2, 2));
  t.push_back(op("flatten", OpKind::Flatten, {intAttr("axis", 1)}));
  t.push_back(
      op("reshape", OpKind::Reshape, {required("shape", AttrType::IntList)}));
  t.push_back(op("transpose", OpKind::Transpose,
                 {required("perm", AttrType::IntList)}));
  t.push_back(op("concat", OpKind::Concat, {intAttr("axis", 1)}, 1, -1));
  // Activations (ACTIVATIONS.md, PyTorch defaults).
  t.push_back(activation("relu"));
  t.push_back(activation("leaky_relu", {floatAttr("alpha", 0.01)}));
  t.push_back(op("prelu", OpKind::PRelu, {}, 1, 1, true));
  t.push_back(activation("relu6"));
  t.push_back(activation("leaky_relu6",
                         {floatAttr("alpha", 0.01), floatAttr("cap", 6.0)}));
  t.push_back(
      activation("clip", {floatAttr("lo", -1.0), floatAttr("hi", 1.0)}));
  OpSpec hardtanh = t.back();
  hardtanh.name = "hardtanh";
  t.push_back(hardtanh);
  t.push_back(activation("elu", {floatAttr("alpha", 1.0)}));
  t.push_back(activation("selu", {floatAttr("alpha", 1.6732632423543772),
                                  floatAttr("gamma", 1.0507009873554805)}));
  t.push_back(activation("celu", {floatAttr("alpha", 1.0)}));
  t.push_back(activation("thresholded_relu", {floatAttr("alpha", 1.0)}));
  t.push_back(activation("sigmoid"));
  t.push_back(activation(
      "hard_sigmoid", {floatAttr("alpha", 1.0 / 6.0), floatAttr("beta", 0.5)}));
  t.push_back(activation("tanh"));
  t.push_back(activation("silu"));
  t.push_back(activation("swish", {floatAttr("beta", 1.0)}));
  t.push_back(activation("hard_swish"));
  t.push_back(activation("gelu", {optional("approximate", AttrType::String,
                                           std::string("none"))}));
  t.push_back(activation("mish"));
  t.push_back(activation(
      "softplus", {floatAttr("beta", 1.0), floatAttr("threshold", 20.0)}));
  t.push_back(activation("softsign"));
  t.push_back(activation("softmax", {intAttr("axis", -1)}));
  t.push_back(activation("log_softmax", {intAttr("axis", -1)}));
  return t;
}

} // namespace

const std::vector<OpSpec> &allOps() {
  static const std::vector<OpSpec> table = buildTable();
  return table;
}

const OpSpec *findOp(std::string_view name) {
  static const std::unordered_map<std::string_view, const OpSpec *> index = [] {
    std::unordered_map<std::string_view, const OpSpec *> m;
    for (const OpSpec &spec : allOps())
      m.emplace(spec.name, &spec);
    return m;
  }();
  auto it = index.find(name);
  return it == index.end() ? nullptr : it->second;
}

std::vector<std::string> allOpNames() {
  std::vector<std::string> names;
  for (const OpSpec &spec : allOps())
    names.push_back(spec.name);
  return names;
}

} // namespace actc::frontend
