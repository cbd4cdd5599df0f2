// SPDX-License-Identifier: Apache-2.0
//
// The semantic rules of the nn ops (result shapes, parameter shapes and
// attribute constraints), in plain C++ with no MLIR dependency. The model
// language front end calls them to validate a model before any IR exists
// (Debian's MLIR has assertions off), and the nn dialect's verifiers and
// shape inference call the same functions, so a rule and its message live in
// exactly one place.

#ifndef ACTC_DIALECTS_NN_RULES_OPRULES_H
#define ACTC_DIALECTS_NN_RULES_OPRULES_H

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace actc::rules {

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

/// A dimension size. Static sizes are >= 1. Negative values are dynamic: two
/// equal negative values are the same named dimension (the front end numbers
/// its named dimensions -2, -3, ...), kDynamic is an anonymous one (MLIR's
/// `?`).
using Dim = int64_t;
constexpr Dim kDynamic = -1;
inline bool isDynamic(Dim d) { return d < 0; }

using Shape = std::vector<Dim>;

/// The largest element count a tensor may have (products are checked against
/// it, so no arithmetic on shapes overflows).
constexpr int64_t kMaxElements = int64_t(1) << 40;

/// Names for the named dynamic dimensions: names[i] names the dimension
/// -(i + 2). Empty when there are none (then every dynamic dim prints as `?`).
using DimNames = std::vector<std::string>;

/// "[1, 3, batch, 64]"; a dynamic dim prints as its name, else `?`.
std::string formatShape(const Shape &shape, const DimNames &names = {});

//===----------------------------------------------------------------------===//
// Failures
//===----------------------------------------------------------------------===//

/// What a failure is about, so that the front end can put its caret there.
struct Blame {
  enum Kind { Op, Operand, Attribute };
  Kind kind = Op;
  int operand = 0;       ///< for Operand: the operand's position
  std::string attribute; ///< for Attribute: the keyword, e.g. "kernel"
};

/// A rule that does not hold. `message` starts lowercase, has no final period
/// and says what was expected and what was found, e.g.
///   "dense expects an input of rank >= 1, found rank 0"
///   "add cannot broadcast [2, 3] with [4, 3]: dimension 0 is 2 and 4"
struct Failure {
  std::string message;
  Blame blame;
};

/// A shape or the failure that prevented it.
template <typename T> class Result {
public:
  Result(T value) : v(std::move(value)) {}
  Result(Failure failure) : v(std::move(failure)) {}
  bool ok() const { return v.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T &value() const { return std::get<0>(v); }
  T &value() { return std::get<0>(v); }
  const Failure &failure() const { return std::get<1>(v); }

private:
  std::variant<T, Failure> v;
};

using ShapeResult = Result<Shape>;
/// No value: std::nullopt when the rule holds.
using Check = std::optional<Failure>;

/// How PyTorch initialises a parameter by default; used when a model has no
/// weights file. Uniform: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) (what
/// kaiming_uniform_(a=sqrt(5)) gives for Linear/Conv weights, and their bias).
enum class ParamInit { Uniform, Zeros, Ones, Quarter /* 0.25, PReLU */ };

/// A parameter an op reads from the weights: its suffix in the state_dict
/// ("weight", "bias", "running_mean", "running_var"), its shape, other shapes
/// a weights file may hold instead (prelu: [C] or [1]) and its default init.
struct ParamShape {
  std::string suffix;
  Shape shape;
  std::vector<Shape> alsoAccepted;
  ParamInit init = ParamInit::Zeros;
  int64_t fanIn = 0; ///< for ParamInit::Uniform
};

//===----------------------------------------------------------------------===//
// Per-op rules. Every function checks its input's rank and static sizes,
// checks attribute ranges, and never overflows (element counts are bounded by
// kMaxElements). The DimNames argument only affects messages.
//===----------------------------------------------------------------------===//

/// A tensor type as written in the language: every dim static >= 1 or named,
/// and the element count (static part) at most kMaxElements.
Check checkTensorShape(const Shape &shape, const DimNames &names = {});

// dense: x [..., in] -> [..., units]; `in` must be static.
ShapeResult inferDense(const Shape &x, int64_t units,
                       const DimNames &names = {});
/// weight [units, in], then bias [units] when `bias`.
std::vector<ParamShape> denseParams(const Shape &x, int64_t units, bool bias);

// conv2d: x [N, C, H, W], C static.
struct Conv2DAttrs {
  int64_t filters = 0;
  std::array<int64_t, 2> kernel{1, 1};
  std::array<int64_t, 2> stride{1, 1};
  std::array<int64_t, 2> dilation{1, 1};
  /// top, left, bottom, right.
  std::array<int64_t, 4> padding{0, 0, 0, 0};
  int64_t groups = 1;
};
ShapeResult inferConv2D(const Shape &x, const Conv2DAttrs &attrs,
                        const DimNames &names = {});
/// weight [filters, C/groups, kh, kw], then bias [filters] when `bias`.
std::vector<ParamShape> conv2DParams(const Shape &x, const Conv2DAttrs &attrs,
                                     bool bias);

/// ONNX SAME_UPPER: the padding (top, left, bottom, right) that gives an
/// output of ceil(in / stride) per spatial axis, odd padding at the end. The
/// spatial dims of x must be static unless stride is 1 (Blame: "padding").
Result<std::array<int64_t, 4>> samePadding(const Shape &x,
                                           std::array<int64_t, 2> kernel,
                                           std::array<int64_t, 2> stride,
                                           std::array<int64_t, 2> dilation,
                                           const DimNames &names = {});

// max_pool2d / avg_pool2d: x [N, C, H, W].
struct Pool2DAttrs {
  std::array<int64_t, 2> kernel{1, 1};
  std::array<int64_t, 2> stride{1, 1};
  std::array<int64_t, 4> padding{0, 0, 0, 0};
};
/// `op` is the op's name, for messages.
ShapeResult inferPool2D(std::string_view op, const Shape &x,
                        const Pool2DAttrs &attrs, const DimNames &names = {});
/// [N, C, H, W] -> [N, C, 1, 1].
ShapeResult inferGlobalAvgPool2D(const Shape &x, const DimNames &names = {});

/// batch_norm: rank >= 2, channel axis 1 static. Result: x.
ShapeResult inferBatchNorm(const Shape &x, const DimNames &names = {});
/// weight, bias, running_mean, running_var, each [C].
std::vector<ParamShape> batchNormParams(const Shape &x);

/// layer_norm: rank >= 1, last axis static. Result: x.
ShapeResult inferLayerNorm(const Shape &x, const DimNames &names = {});
/// weight, bias, each [features].
std::vector<ParamShape> layerNormParams(const Shape &x);

/// add / sub / mul: numpy broadcasting (`op` for messages).
ShapeResult inferBroadcast(std::string_view op, const Shape &a, const Shape &b,
                           const DimNames &names = {});
/// matmul: numpy matmul semantics for rank >= 2 ([..., m, k] x [..., k, n],
/// batch dims broadcast); rank 1 operands are rejected.
ShapeResult inferMatmul(const Shape &a, const Shape &b,
                        const DimNames &names = {});
/// flatten (ONNX): [prod(d[0:axis]), prod(d[axis:])]; axis in [-rank, rank].
ShapeResult inferFlatten(const Shape &x, int64_t axis,
                         const DimNames &names = {});
/// reshape: entries >= 1, at most one -1; element counts must agree.
ShapeResult inferReshape(const Shape &x, const std::vector<int64_t> &shape,
                         const DimNames &names = {});
/// transpose: perm is a permutation of [0, rank).
ShapeResult inferTranspose(const Shape &x, const std::vector<int64_t> &perm,
                           const DimNames &names = {});
/// concat: >= 1 operand, same rank, equal dims off the axis; axis in
/// [-rank, rank).
ShapeResult inferConcat(const std::vector<Shape> &xs, int64_t axis,
                        const DimNames &names = {});

/// prelu: "weight" of shape [1] (PyTorch's default, 0.25), also accepting
/// [C] (C = x[1], or x[0] at rank 1; C must then be static).
std::vector<ParamShape> preluParams(const Shape &x);
/// The slope operand's shape against x.
Check checkPReluSlope(const Shape &x, const Shape &slope,
                      const DimNames &names = {});

//===----------------------------------------------------------------------===//
// Attribute rules shared by several ops
//===----------------------------------------------------------------------===//

/// The largest kernel, stride, dilation or padding value (so that window
/// arithmetic never overflows).
constexpr int64_t kMaxWindow = int64_t(1) << 30;
/// Window attributes of conv2d and the pools: kernel, stride and dilation in
/// [1, kMaxWindow], padding in [0, kMaxWindow]. Blame: the attribute.
/// inferConv2D and inferPool2D call it; call it before samePadding to get
/// messages that name the op.
Check checkWindow(std::string_view op, std::array<int64_t, 2> kernel,
                  std::array<int64_t, 2> stride,
                  std::array<int64_t, 2> dilation,
                  std::array<int64_t, 4> padding);

/// An axis in [-rank, rank) (softmax, log_softmax, concat). Blame: "axis".
Check checkAxis(std::string_view op, int64_t axis, int64_t rank);
/// A float attribute that must be finite (every float attribute).
Check checkFinite(std::string_view op, std::string_view attr, double value);
/// A float attribute that must be > 0 (softplus beta, leaky_relu6 cap).
Check checkPositive(std::string_view op, std::string_view attr, double value);
/// A float attribute that must not be 0 (celu alpha).
Check checkNonZero(std::string_view op, std::string_view attr, double value);
/// clip: lo <= hi. Blame: "hi".
Check checkClipRange(double lo, double hi);
/// gelu: approximate is "none" or "tanh".
Check checkGeluApproximate(std::string_view approximate);

} // namespace actc::rules

#endif // ACTC_DIALECTS_NN_RULES_OPRULES_H
