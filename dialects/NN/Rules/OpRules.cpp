// SPDX-License-Identifier: Apache-2.0
//
// The nn ops' shape, parameter and attribute rules (see OpRules.h). Every
// rule checks ranks, static sizes and attribute ranges before it computes
// anything, and every product of sizes goes through a saturating multiply
// bounded by kMaxElements, so a hostile model file cannot make the compiler
// overflow. Messages are user-facing: the front end prints them under a
// caret and the nn verifiers print them on the op, so they say what was
// expected and what was found, with both shapes for a shape error.

#include "dialects/NN/Rules/OpRules.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace actc::rules {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

namespace {

std::string str(int64_t v) { return std::to_string(v); }

/// Shortest round-trip spelling of a double, so "0.1" prints as 0.1.
std::string str(double v) {
  if (std::isnan(v))
    return "nan";
  if (std::isinf(v))
    return v < 0 ? "-inf" : "inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, res.ptr);
}

std::string dimStr(Dim d, const DimNames &names) {
  if (!isDynamic(d))
    return str(d);
  size_t index = size_t(-(d + 2));
  if (d <= -2 && index < names.size())
    return names[index];
  return "?";
}

std::string pairStr(std::array<int64_t, 2> v) {
  return str(v[0]) + "x" + str(v[1]);
}

std::string listStr(const std::vector<int64_t> &v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i)
    s += (i ? ", " : "") + str(v[i]);
  return s + "]";
}

std::string padStr(std::array<int64_t, 4> p) {
  return listStr({p[0], p[1], p[2], p[3]});
}

Failure fail(std::string message, Blame blame = {}) {
  return Failure{std::move(message), std::move(blame)};
}
Blame onAttr(std::string attr) {
  return Blame{Blame::Attribute, 0, std::move(attr)};
}
Blame onOperand(int i) { return Blame{Blame::Operand, i, {}}; }

/// a * b, or nullopt past kMaxElements (a, b >= 0).
std::optional<int64_t> mulBounded(int64_t a, int64_t b) {
  if (a != 0 && b > kMaxElements / a)
    return std::nullopt;
  if (a * b > kMaxElements)
    return std::nullopt;
  return a * b;
}

/// The product of the static dims of shape[begin, end), or nullopt past
/// kMaxElements.
std::optional<int64_t> staticProduct(const Shape &shape, size_t begin,
                                     size_t end) {
  int64_t p = 1;
  for (size_t i = begin; i < end; ++i) {
    if (isDynamic(shape[i]))
      continue;
    auto next = mulBounded(p, shape[i]);
    if (!next)
      return std::nullopt;
    p = *next;
  }
  return p;
}

/// A result (or parameter) shape whose static part is too large.
Check checkSize(std::string_view op, std::string_view what, const Shape &shape,
                const DimNames &names) {
  if (staticProduct(shape, 0, shape.size()))
    return std::nullopt;
  return fail(std::string(op) + " gives " + std::string(what) + " " +
              formatShape(shape, names) + " of more than " + str(kMaxElements) +
              " elements");
}

/// Whether two dims are provably the same size (same static value or same
/// named dim), and whether they may be (an anonymous dim matches anything).
bool sameDim(Dim a, Dim b) { return a == b; }
bool mayBeSameDim(Dim a, Dim b) {
  return a == b || a == kDynamic || b == kDynamic;
}

std::string rankMismatch(std::string_view op, std::string_view expected,
                         const Shape &x, const DimNames &names) {
  return std::string(op) + " expects an input of rank " +
         std::string(expected) + ", found rank " + str(int64_t(x.size())) +
         " (" + formatShape(x, names) + ")";
}

Check checkRange(std::string_view op, std::string_view attr, int64_t v,
                 int64_t lo, int64_t hi) {
  if (v < lo)
    return fail(std::string(op) + " expects " + std::string(attr) +
                    " >= " + str(lo) + ", found " + str(v),
                onAttr(std::string(attr)));
  if (v > hi)
    return fail(std::string(op) + " expects " + std::string(attr) +
                    " <= " + str(hi) + ", found " + str(v),
                onAttr(std::string(attr)));
  return std::nullopt;
}

/// Output size of a sliding window along one axis (floor mode). The caller
/// has checked that the effective kernel fits in the padded input.
Dim windowOut(Dim in, int64_t kernel, int64_t stride, int64_t dilation,
              int64_t padBegin, int64_t padEnd) {
  int64_t effective = dilation * (kernel - 1) + 1;
  if (isDynamic(in)) {
    // A window that maps each element to itself keeps a named dim.
    if (stride == 1 && padBegin + padEnd == effective - 1)
      return in;
    return kDynamic;
  }
  return (in + padBegin + padEnd - effective) / stride + 1;
}

/// The kernel must fit in the padded input along each static spatial axis.
Check checkWindowFits(std::string_view op, const Shape &x,
                      std::array<int64_t, 2> kernel,
                      std::array<int64_t, 2> dilation,
                      std::array<int64_t, 4> padding, const DimNames &names) {
  std::array<int64_t, 2> effective{dilation[0] * (kernel[0] - 1) + 1,
                                   dilation[1] * (kernel[1] - 1) + 1};
  for (int axis = 0; axis < 2; ++axis) {
    Dim in = x[2 + axis];
    if (isDynamic(in))
      continue;
    int64_t padded = in + padding[axis] + padding[axis + 2];
    if (effective[axis] <= padded)
      continue;
    std::string kernelText = "kernel " + pairStr(kernel);
    if (dilation[0] != 1 || dilation[1] != 1)
      kernelText += " (" + pairStr(effective) + " with dilation " +
                    pairStr(dilation) + ")";
    return fail(std::string(op) +
                    " expects a kernel that fits in the padded "
                    "input, found " +
                    kernelText + " on input " + formatShape(x, names) +
                    " with padding " + padStr(padding),
                onAttr("kernel"));
  }
  return std::nullopt;
}

} // namespace

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

std::string formatShape(const Shape &shape, const DimNames &names) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + dimStr(shape[i], names);
  return s + "]";
}

Check checkTensorShape(const Shape &shape, const DimNames &names) {
  if (shape.empty())
    return fail("expected a tensor type with at least one dimension, found "
                "f32[]");
  for (size_t i = 0; i < shape.size(); ++i)
    if (shape[i] == 0)
      return fail("expected dimension " + str(int64_t(i)) +
                  " to be a positive size or a name, found 0 in " +
                  formatShape(shape, names));
  if (!staticProduct(shape, 0, shape.size()))
    return fail("expected at most " + str(kMaxElements) +
                " elements in a tensor, found " + formatShape(shape, names));
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// dense
//===----------------------------------------------------------------------===//

ShapeResult inferDense(const Shape &x, int64_t units, const DimNames &names) {
  if (x.empty())
    return fail(rankMismatch("dense", ">= 1", x, names), onOperand(0));
  if (isDynamic(x.back()))
    return fail("dense expects a static last dimension (the input features), "
                "found " +
                    dimStr(x.back(), names) + " in " + formatShape(x, names),
                onOperand(0));
  if (auto f = checkRange("dense", "units", units, 1, kMaxElements))
    return *f;
  if (!mulBounded(units, x.back()))
    return fail("dense gives a weight [" + str(units) + ", " + str(x.back()) +
                    "] of more than " + str(kMaxElements) + " elements",
                onAttr("units"));
  Shape result = x;
  result.back() = units;
  if (auto f = checkSize("dense", "a result", result, names))
    return *f;
  return result;
}

std::vector<ParamShape> denseParams(const Shape &x, int64_t units, bool bias) {
  int64_t in = x.empty() ? 0 : x.back();
  std::vector<ParamShape> params;
  params.push_back({"weight", {units, in}, {}, ParamInit::Uniform, in});
  if (bias)
    params.push_back({"bias", {units}, {}, ParamInit::Uniform, in});
  return params;
}

//===----------------------------------------------------------------------===//
// conv2d and pools
//===----------------------------------------------------------------------===//

Check checkWindow(std::string_view op, std::array<int64_t, 2> kernel,
                  std::array<int64_t, 2> stride,
                  std::array<int64_t, 2> dilation,
                  std::array<int64_t, 4> padding) {
  for (int64_t v : kernel)
    if (auto f = checkRange(op, "kernel", v, 1, kMaxWindow))
      return f;
  for (int64_t v : stride)
    if (auto f = checkRange(op, "stride", v, 1, kMaxWindow))
      return f;
  for (int64_t v : dilation)
    if (auto f = checkRange(op, "dilation", v, 1, kMaxWindow))
      return f;
  for (int64_t v : padding)
    if (auto f = checkRange(op, "padding", v, 0, kMaxWindow))
      return f;
  return std::nullopt;
}

ShapeResult inferConv2D(const Shape &x, const Conv2DAttrs &attrs,
                        const DimNames &names) {
  if (x.size() != 4)
    return fail(rankMismatch("conv2d", "4 [N, C, H, W]", x, names),
                onOperand(0));
  if (isDynamic(x[1]))
    return fail("conv2d expects a static channel dimension, found " +
                    dimStr(x[1], names) + " in " + formatShape(x, names),
                onOperand(0));
  if (auto f = checkRange("conv2d", "filters", attrs.filters, 1, kMaxElements))
    return *f;
  if (auto f = checkRange("conv2d", "groups", attrs.groups, 1, kMaxElements))
    return *f;
  if (auto f = checkWindow("conv2d", attrs.kernel, attrs.stride, attrs.dilation,
                           attrs.padding))
    return *f;
  if (x[1] % attrs.groups != 0)
    return fail("conv2d expects groups to divide the input channels, found "
                "groups=" +
                    str(attrs.groups) + " and " + str(x[1]) + " channels in " +
                    formatShape(x, names),
                onAttr("groups"));
  if (attrs.filters % attrs.groups != 0)
    return fail("conv2d expects groups to divide filters, found groups=" +
                    str(attrs.groups) + " and filters=" + str(attrs.filters),
                onAttr("groups"));
  if (auto f = checkWindowFits("conv2d", x, attrs.kernel, attrs.dilation,
                               attrs.padding, names))
    return *f;
  Shape weight{attrs.filters, x[1] / attrs.groups, attrs.kernel[0],
               attrs.kernel[1]};
  if (!staticProduct(weight, 0, 4))
    return fail("conv2d gives a weight " + formatShape(weight) +
                    " of more than " + str(kMaxElements) + " elements",
                onAttr("filters"));
  Shape result{x[0], attrs.filters,
               windowOut(x[2], attrs.kernel[0], attrs.stride[0],
                         attrs.dilation[0], attrs.padding[0], attrs.padding[2]),
               windowOut(x[3], attrs.kernel[1], attrs.stride[1],
                         attrs.dilation[1], attrs.padding[1],
                         attrs.padding[3])};
  if (auto f = checkSize("conv2d", "a result", result, names))
    return *f;
  return result;
}

std::vector<ParamShape> conv2DParams(const Shape &x, const Conv2DAttrs &attrs,
                                     bool bias) {
  int64_t perGroup =
      x.size() == 4 && attrs.groups > 0 ? x[1] / attrs.groups : 0;
  int64_t fanIn = perGroup * attrs.kernel[0] * attrs.kernel[1];
  std::vector<ParamShape> params;
  params.push_back({"weight",
                    {attrs.filters, perGroup, attrs.kernel[0], attrs.kernel[1]},
                    {},
                    ParamInit::Uniform,
                    fanIn});
  if (bias)
    params.push_back({"bias", {attrs.filters}, {}, ParamInit::Uniform, fanIn});
  return params;
}

Result<std::array<int64_t, 4>> samePadding(const Shape &x,
                                           std::array<int64_t, 2> kernel,
                                           std::array<int64_t, 2> stride,
                                           std::array<int64_t, 2> dilation,
                                           const DimNames &names) {
  if (x.size() != 4)
    return fail("padding=\"same\" expects an input of rank 4 [N, C, H, W], "
                "found rank " +
                    str(int64_t(x.size())) + " (" + formatShape(x, names) + ")",
                onOperand(0));
  if (auto f = checkWindow("padding=\"same\"", kernel, stride, dilation,
                           {0, 0, 0, 0}))
    return *f;
  std::array<int64_t, 4> pad{0, 0, 0, 0};
  for (int axis = 0; axis < 2; ++axis) {
    int64_t effective = dilation[axis] * (kernel[axis] - 1) + 1;
    Dim in = x[2 + axis];
    int64_t total;
    if (isDynamic(in)) {
      if (stride[axis] != 1)
        return fail("padding=\"same\" with stride " + pairStr(stride) +
                        " expects static spatial dimensions, found " +
                        formatShape(x, names),
                    onAttr("padding"));
      total = effective - 1;
    } else {
      int64_t out = (in + stride[axis] - 1) / stride[axis];
      total = std::max<int64_t>(0, (out - 1) * stride[axis] + effective - in);
    }
    pad[axis] = total / 2;             // top / left
    pad[axis + 2] = total - total / 2; // bottom / right: the odd one at the end
  }
  return pad;
}

ShapeResult inferPool2D(std::string_view op, const Shape &x,
                        const Pool2DAttrs &attrs, const DimNames &names) {
  if (x.size() != 4)
    return fail(rankMismatch(op, "4 [N, C, H, W]", x, names), onOperand(0));
  if (auto f =
          checkWindow(op, attrs.kernel, attrs.stride, {1, 1}, attrs.padding))
    return *f;
  // Every window must hold at least one input element: max pooling pads with
  // -inf and average pooling without count_include_pad divides by the count.
  for (int i = 0; i < 4; ++i)
    if (attrs.padding[i] >= attrs.kernel[i % 2])
      return fail(std::string(op) +
                      " expects padding smaller than the kernel " +
                      pairStr(attrs.kernel) + ", found padding " +
                      padStr(attrs.padding),
                  onAttr("padding"));
  if (auto f =
          checkWindowFits(op, x, attrs.kernel, {1, 1}, attrs.padding, names))
    return *f;
  Shape result{x[0], x[1],
               windowOut(x[2], attrs.kernel[0], attrs.stride[0], 1,
                         attrs.padding[0], attrs.padding[2]),
               windowOut(x[3], attrs.kernel[1], attrs.stride[1], 1,
                         attrs.padding[1], attrs.padding[3])};
  if (auto f = checkSize(op, "a result", result, names))
    return *f;
  return result;
}

ShapeResult inferGlobalAvgPool2D(const Shape &x, const DimNames &names) {
  if (x.size() != 4)
    return fail(rankMismatch("global_avg_pool2d", "4 [N, C, H, W]", x, names),
                onOperand(0));
  return Shape{x[0], x[1], 1, 1};
}

//===----------------------------------------------------------------------===//
// Normalizations
//===----------------------------------------------------------------------===//

ShapeResult inferBatchNorm(const Shape &x, const DimNames &names) {
  if (x.size() < 2)
    return fail(
        rankMismatch("batch_norm", ">= 2 (channels on axis 1)", x, names),
        onOperand(0));
  if (isDynamic(x[1]))
    return fail("batch_norm expects a static channel dimension (axis 1), "
                "found " +
                    dimStr(x[1], names) + " in " + formatShape(x, names),
                onOperand(0));
  return x;
}

std::vector<ParamShape> batchNormParams(const Shape &x) {
  Dim c = x.size() >= 2 ? x[1] : 0;
  return {{"weight", {c}, {}, ParamInit::Ones, 0},
          {"bias", {c}, {}, ParamInit::Zeros, 0},
          {"running_mean", {c}, {}, ParamInit::Zeros, 0},
          {"running_var", {c}, {}, ParamInit::Ones, 0}};
}

ShapeResult inferLayerNorm(const Shape &x, const DimNames &names) {
  if (x.empty())
    return fail(rankMismatch("layer_norm", ">= 1", x, names), onOperand(0));
  if (isDynamic(x.back()))
    return fail("layer_norm expects a static last dimension (the normalized "
                "features), found " +
                    dimStr(x.back(), names) + " in " + formatShape(x, names),
                onOperand(0));
  return x;
}

std::vector<ParamShape> layerNormParams(const Shape &x) {
  Dim f = x.empty() ? 0 : x.back();
  return {{"weight", {f}, {}, ParamInit::Ones, 0},
          {"bias", {f}, {}, ParamInit::Zeros, 0}};
}

//===----------------------------------------------------------------------===//
// Broadcasting and matmul
//===----------------------------------------------------------------------===//

namespace {

/// Broadcasts one pair of dims; nullopt when they cannot be. A named dim
/// only broadcasts with itself or a static 1 (it could be any size at run
/// time); an anonymous dim is accepted with anything (the IR cannot know).
std::optional<Dim> broadcastDim(Dim a, Dim b) {
  if (a == b)
    return a;
  if (a == 1)
    return b;
  if (b == 1)
    return a;
  if (a == kDynamic)
    return isDynamic(b) ? kDynamic : b;
  if (b == kDynamic)
    return isDynamic(a) ? kDynamic : a;
  return std::nullopt;
}

/// Broadcasts a[0, na) with b[0, nb), aligned on the right. On failure,
/// `badAxis` is the failing axis of the result.
std::optional<Shape> broadcastShapes(const Shape &a, size_t na, const Shape &b,
                                     size_t nb, size_t &badAxis, Dim &da,
                                     Dim &db) {
  size_t n = std::max(na, nb);
  Shape result(n);
  for (size_t i = 0; i < n; ++i) {
    Dim x = i + na >= n ? a[i + na - n] : 1;
    Dim y = i + nb >= n ? b[i + nb - n] : 1;
    auto d = broadcastDim(x, y);
    if (!d) {
      badAxis = i;
      da = x;
      db = y;
      return std::nullopt;
    }
    result[i] = *d;
  }
  return result;
}

} // namespace

ShapeResult inferBroadcast(std::string_view op, const Shape &a, const Shape &b,
                           const DimNames &names) {
  size_t axis = 0;
  Dim da = 0, db = 0;
  auto result = broadcastShapes(a, a.size(), b, b.size(), axis, da, db);
  if (!result)
    return fail(std::string(op) + " cannot broadcast " + formatShape(a, names) +
                    " with " + formatShape(b, names) + ": dimension " +
                    str(int64_t(axis)) + " is " + dimStr(da, names) + " and " +
                    dimStr(db, names),
                onOperand(1));
  if (auto f = checkSize(op, "a result", *result, names))
    return *f;
  return *result;
}

ShapeResult inferMatmul(const Shape &a, const Shape &b, const DimNames &names) {
  if (a.size() < 2 || b.size() < 2) {
    const Shape &bad = a.size() < 2 ? a : b;
    return fail("matmul expects operands of rank >= 2, found rank " +
                    str(int64_t(bad.size())) + " (" + formatShape(bad, names) +
                    ")",
                onOperand(a.size() < 2 ? 0 : 1));
  }
  Dim k1 = a.back(), k2 = b[b.size() - 2];
  if (!mayBeSameDim(k1, k2))
    return fail("matmul cannot multiply " + formatShape(a, names) + " by " +
                    formatShape(b, names) + ": the inner dimensions are " +
                    dimStr(k1, names) + " and " + dimStr(k2, names),
                onOperand(1));
  size_t axis = 0;
  Dim da = 0, db = 0;
  auto batch = broadcastShapes(a, a.size() - 2, b, b.size() - 2, axis, da, db);
  if (!batch)
    return fail("matmul cannot broadcast the batch dimensions of " +
                    formatShape(a, names) + " and " + formatShape(b, names) +
                    ": dimension " + str(int64_t(axis)) + " is " +
                    dimStr(da, names) + " and " + dimStr(db, names),
                onOperand(1));
  Shape result = *batch;
  result.push_back(a[a.size() - 2]);
  result.push_back(b.back());
  if (auto f = checkSize("matmul", "a result", result, names))
    return *f;
  return result;
}

//===----------------------------------------------------------------------===//
// Layout ops
//===----------------------------------------------------------------------===//

namespace {

/// The product of x[begin, end) as a dim: static when all are static, the
/// dim itself when it is the only one, else anonymous.
Dim collapse(const Shape &x, size_t begin, size_t end) {
  if (end - begin == 1)
    return x[begin];
  for (size_t i = begin; i < end; ++i)
    if (isDynamic(x[i]))
      return kDynamic;
  return *staticProduct(x, begin, end);
}

} // namespace

ShapeResult inferFlatten(const Shape &x, int64_t axis, const DimNames &names) {
  int64_t rank = int64_t(x.size());
  if (axis < -rank || axis > rank)
    return fail("flatten expects axis in [" + str(-rank) + ", " + str(rank) +
                    "] for an input of rank " + str(rank) + ", found " +
                    str(axis),
                onAttr("axis"));
  if (!staticProduct(x, 0, x.size()))
    return fail("flatten expects at most " + str(kMaxElements) +
                    " elements, found " + formatShape(x, names),
                onOperand(0));
  size_t split = size_t(axis < 0 ? axis + rank : axis);
  Dim outer = split == 0 ? 1 : collapse(x, 0, split);
  Dim inner = split == x.size() ? 1 : collapse(x, split, x.size());
  return Shape{outer, inner};
}

ShapeResult inferReshape(const Shape &x, const std::vector<int64_t> &shape,
                         const DimNames &names) {
  if (shape.empty())
    return fail("reshape expects a non-empty shape, found []", onAttr("shape"));
  int inferred = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (inferred >= 0)
        return fail("reshape expects at most one -1 in shape, found " +
                        listStr(shape),
                    onAttr("shape"));
      inferred = int(i);
    } else if (shape[i] < 1) {
      return fail("reshape expects shape entries >= 1 or -1, found " +
                      str(shape[i]) + " in " + listStr(shape),
                  onAttr("shape"));
    }
  }
  Shape target(shape.begin(), shape.end());
  if (inferred >= 0)
    target[inferred] = 1;
  auto known = staticProduct(target, 0, target.size());
  if (!known)
    return fail("reshape expects at most " + str(kMaxElements) +
                    " elements, found shape " + listStr(shape),
                onAttr("shape"));
  auto have = staticProduct(x, 0, x.size());
  if (!have)
    return fail("reshape expects at most " + str(kMaxElements) +
                    " elements, found " + formatShape(x, names),
                onOperand(0));
  std::vector<Dim> dynamicDims;
  for (Dim d : x)
    if (isDynamic(d))
      dynamicDims.push_back(d);
  bool anonymous = false;
  for (Dim d : dynamicDims)
    anonymous |= d == kDynamic;

  if (dynamicDims.empty()) {
    if (inferred >= 0) {
      if (*have % *known != 0)
        return fail("reshape cannot infer the -1 in " + listStr(shape) + ": " +
                        formatShape(x, names) + " has " + str(*have) +
                        " elements, not a multiple of " + str(*known),
                    onAttr("shape"));
      target[inferred] = *have / *known;
    } else if (*have != *known) {
      return fail("reshape expects the same element count, found " +
                      formatShape(x, names) + " (" + str(*have) +
                      " elements) and shape " + listStr(shape) + " (" +
                      str(*known) + " elements)",
                  onAttr("shape"));
    }
    return target;
  }

  // A dynamic input: the -1 takes the dynamic part. It keeps a named dim
  // when exactly one named dim is left over, and is anonymous otherwise.
  if (inferred < 0) {
    if (anonymous)
      return target; // the IR cannot know; the runtime checks the count
    return fail("reshape expects a -1 in shape for the dynamic dimensions of " +
                    formatShape(x, names) + ", found " + listStr(shape),
                onAttr("shape"));
  }
  // Any element count is possible for some size of the dynamic dims, so
  // there is nothing to reject here.
  if (dynamicDims.size() == 1 && *have == *known)
    target[inferred] = dynamicDims[0];
  else
    target[inferred] = kDynamic;
  return target;
}

ShapeResult inferTranspose(const Shape &x, const std::vector<int64_t> &perm,
                           const DimNames &names) {
  int64_t rank = int64_t(x.size());
  if (int64_t(perm.size()) != rank)
    return fail("transpose expects a perm of " + str(rank) +
                    " entries for an input of rank " + str(rank) + " (" +
                    formatShape(x, names) + "), found " + listStr(perm),
                onAttr("perm"));
  std::vector<bool> seen(perm.size(), false);
  Shape result;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[size_t(p)])
      return fail("transpose expects a permutation of [0, " + str(rank) +
                      "), found " + listStr(perm),
                  onAttr("perm"));
    seen[size_t(p)] = true;
    result.push_back(x[size_t(p)]);
  }
  return result;
}

ShapeResult inferConcat(const std::vector<Shape> &xs, int64_t axis,
                        const DimNames &names) {
  if (xs.empty())
    return fail("concat expects at least one operand, found none");
  int64_t rank = int64_t(xs[0].size());
  for (size_t i = 1; i < xs.size(); ++i)
    if (int64_t(xs[i].size()) != rank)
      return fail("concat expects operands of the same rank, found " +
                      formatShape(xs[0], names) + " (operand 0) and " +
                      formatShape(xs[i], names) + " (operand " +
                      str(int64_t(i)) + ")",
                  onOperand(int(i)));
  if (auto f = checkAxis("concat", axis, rank))
    return *f;
  size_t a = size_t(axis < 0 ? axis + rank : axis);
  Shape result = xs[0];
  int64_t sum = 0;
  bool dynamicSum = false;
  for (size_t i = 0; i < xs.size(); ++i) {
    for (size_t d = 0; d < size_t(rank); ++d) {
      if (d == a || mayBeSameDim(xs[0][d], xs[i][d]))
        continue;
      return fail("concat expects operands with equal dimensions off axis " +
                      str(int64_t(a)) + ", found " + formatShape(xs[0], names) +
                      " and " + formatShape(xs[i], names) + ": dimension " +
                      str(int64_t(d)) + " is " + dimStr(xs[0][d], names) +
                      " and " + dimStr(xs[i][d], names),
                  onOperand(int(i)));
    }
    Dim d = xs[i][a];
    if (isDynamic(d)) {
      dynamicSum = true;
    } else {
      sum += d;
      if (sum > kMaxElements)
        return fail("concat gives a dimension " + str(int64_t(a)) +
                        " of more than " + str(kMaxElements),
                    onOperand(int(i)));
    }
  }
  result[a] = xs.size() == 1 ? xs[0][a] : dynamicSum ? kDynamic : sum;
  if (auto f = checkSize("concat", "a result", result, names))
    return *f;
  return result;
}

//===----------------------------------------------------------------------===//
// prelu
//===----------------------------------------------------------------------===//

namespace {
Dim preluChannels(const Shape &x) {
  if (x.empty())
    return kDynamic;
  return x.size() == 1 ? x[0] : x[1];
}
} // namespace

std::vector<ParamShape> preluParams(const Shape &x) {
  ParamShape weight{"weight", {1}, {}, ParamInit::Quarter, 0};
  Dim c = preluChannels(x);
  if (!isDynamic(c) && c != 1)
    weight.alsoAccepted.push_back({c});
  return {weight};
}

Check checkPReluSlope(const Shape &x, const Shape &slope,
                      const DimNames &names) {
  Dim c = preluChannels(x);
  if (slope == Shape{1})
    return std::nullopt;
  if (slope.size() == 1 && !isDynamic(c) && sameDim(slope[0], c))
    return std::nullopt;
  std::string expected = isDynamic(c) ? "[1] (the channel dimension is dynamic)"
                                      : "[1] or [" + str(c) + "]";
  return fail("prelu expects a slope of shape " + expected + " for input " +
                  formatShape(x, names) + ", found " +
                  formatShape(slope, names),
              onOperand(1));
}

//===----------------------------------------------------------------------===//
// Attribute rules
//===----------------------------------------------------------------------===//

Check checkAxis(std::string_view op, int64_t axis, int64_t rank) {
  if (axis >= -rank && axis < rank)
    return std::nullopt;
  return fail(std::string(op) + " expects axis in [" + str(-rank) + ", " +
                  str(rank) + ") for an input of rank " + str(rank) +
                  ", found " + str(axis),
              onAttr("axis"));
}

Check checkFinite(std::string_view op, std::string_view attr, double value) {
  if (std::isfinite(value) &&
      std::fabs(value) <= double(std::numeric_limits<float>::max()))
    return std::nullopt;
  return fail(std::string(op) + " expects " + std::string(attr) +
                  " to be a finite f32 value, found " + str(value),
              onAttr(std::string(attr)));
}

Check checkPositive(std::string_view op, std::string_view attr, double value) {
  if (value > 0)
    return std::nullopt;
  return fail(std::string(op) + " expects " + std::string(attr) +
                  " > 0, found " + str(value),
              onAttr(std::string(attr)));
}

Check checkNonZero(std::string_view op, std::string_view attr, double value) {
  if (value != 0)
    return std::nullopt;
  return fail(std::string(op) + " expects " + std::string(attr) +
                  " != 0, found " + str(value),
              onAttr(std::string(attr)));
}

Check checkClipRange(double lo, double hi) {
  if (lo <= hi)
    return std::nullopt;
  return fail("clip expects lo <= hi, found lo=" + str(lo) +
                  " and hi=" + str(hi),
              onAttr("hi"));
}

Check checkGeluApproximate(std::string_view approximate) {
  if (approximate == "none" || approximate == "tanh")
    return std::nullopt;
  return fail("gelu expects approximate \"none\" or \"tanh\", found \"" +
                  std::string(approximate) + "\"",
              onAttr("approximate"));
}

} // namespace actc::rules
