// SPDX-License-Identifier: Apache-2.0
//
// The handlers of arith and math ops, elementwise on scalars and tensors,
// in double precision: an f32 value is widened exactly and every op is
// evaluated in double (no rounding to f32 between ops; arith.truncf rounds
// to its result type). This is what a fused kernel body of another dialect
// (kern) is made of, so the tables below are the part such a dialect reuses
// through the registry. Integer and i1 values are doubles holding integers.

#include "compiler/interpreter/Interpreter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinTypes.h"

#include <cmath>

using namespace mlir;

namespace actc::interp {
namespace {

/// Evaluates fn over operands of one shape; rank-0 operands broadcast (a
/// scalar condition of arith.select over tensors).
template <typename Fn> LogicalResult elementwise(OpCall &call, Fn fn) {
  std::vector<int64_t> shape;
  for (const Tensor *t : call.operands)
    if (t->rank() > 0) {
      if (!shape.empty() && shape != t->shape)
        return call.op->emitOpError()
               << "has operands of shapes " << formatShape(shape) << " and "
               << formatShape(t->shape);
      shape = t->shape;
    }
  Tensor y = Tensor::filled(shape);
  double args[3];
  size_t n = call.operands.size();
  for (size_t k = 0; k < y.data.size(); ++k) {
    for (size_t i = 0; i < n && i < 3; ++i) {
      const Tensor &t = *call.operands[i];
      args[i] = t.rank() ? t.data[k] : t.data[0];
    }
    y.data[k] = fn(args);
  }
  call.results.push_back(std::move(y));
  return success();
}

void addUnary(OpRegistry &r, llvm::StringRef name, double (*fn)(double)) {
  r.add(name, [fn](OpCall &call) {
    return elementwise(call, [fn](const double *a) { return fn(a[0]); });
  });
}

void addBinary(OpRegistry &r, llvm::StringRef name,
               double (*fn)(double, double)) {
  r.add(name, [fn](OpCall &call) {
    return elementwise(call, [fn](const double *a) { return fn(a[0], a[1]); });
  });
}

/// IEEE 754-2019 maximum/minimum: NaN propagates, -0 < +0.
double maximumF(double a, double b) {
  if (std::isnan(a) || std::isnan(b))
    return NAN;
  if (a == b)
    return std::signbit(a) ? b : a;
  return a > b ? a : b;
}
double minimumF(double a, double b) {
  if (std::isnan(a) || std::isnan(b))
    return NAN;
  if (a == b)
    return std::signbit(a) ? a : b;
  return a < b ? a : b;
}

bool compareF(arith::CmpFPredicate p, double a, double b) {
  bool unordered = std::isnan(a) || std::isnan(b);
  using P = arith::CmpFPredicate;
  switch (p) {
  case P::AlwaysFalse:
    return false;
  case P::OEQ:
    return !unordered && a == b;
  case P::OGT:
    return !unordered && a > b;
  case P::OGE:
    return !unordered && a >= b;
  case P::OLT:
    return !unordered && a < b;
  case P::OLE:
    return !unordered && a <= b;
  case P::ONE:
    return !unordered && a != b;
  case P::ORD:
    return !unordered;
  case P::UEQ:
    return unordered || a == b;
  case P::UGT:
    return unordered || a > b;
  case P::UGE:
    return unordered || a >= b;
  case P::ULT:
    return unordered || a < b;
  case P::ULE:
    return unordered || a <= b;
  case P::UNE:
    return unordered || a != b;
  case P::UNO:
    return unordered;
  case P::AlwaysTrue:
    return true;
  }
  return false;
}

bool compareI(arith::CmpIPredicate p, int64_t a, int64_t b) {
  using P = arith::CmpIPredicate;
  switch (p) {
  case P::eq:
    return a == b;
  case P::ne:
    return a != b;
  case P::slt:
    return a < b;
  case P::sle:
    return a <= b;
  case P::sgt:
    return a > b;
  case P::sge:
    return a >= b;
  case P::ult:
    return uint64_t(a) < uint64_t(b);
  case P::ule:
    return uint64_t(a) <= uint64_t(b);
  case P::ugt:
    return uint64_t(a) > uint64_t(b);
  case P::uge:
    return uint64_t(a) >= uint64_t(b);
  }
  return false;
}

/// The element type of a scalar or tensor type.
Type elementTypeOf(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    return shaped.getElementType();
  return type;
}

/// `v` rounded to the float type `type` (round to nearest even).
double roundTo(double v, Type type) {
  auto ft = dyn_cast<FloatType>(type);
  if (!ft || ft.isF64())
    return v;
  if (ft.isF32())
    return double(float(v));
  llvm::APFloat f(v);
  bool lost = false;
  f.convert(ft.getFloatSemantics(), llvm::APFloat::rmNearestTiesToEven, &lost);
  return f.convertToDouble();
}

int64_t asInt(double v) { return int64_t(v); }

} // namespace

void registerArithMathHandlers(OpRegistry &r) {
  //===--------------------------------------------------------------------===//
  // arith
  //===--------------------------------------------------------------------===//
  r.add(
      arith::ConstantOp::getOperationName(), [](OpCall &call) -> LogicalResult {
        auto op = cast<arith::ConstantOp>(call.op);
        FailureOr<Tensor> value = Interpreter::constantValue(op, op.getValue());
        if (failed(value))
          return failure();
        call.results.push_back(std::move(*value));
        return success();
      });
  addBinary(r, "arith.addf", [](double a, double b) { return a + b; });
  addBinary(r, "arith.subf", [](double a, double b) { return a - b; });
  addBinary(r, "arith.mulf", [](double a, double b) { return a * b; });
  addBinary(r, "arith.divf", [](double a, double b) { return a / b; });
  addBinary(r, "arith.remf",
            [](double a, double b) { return std::fmod(a, b); });
  addBinary(r, "arith.maximumf", maximumF);
  addBinary(r, "arith.minimumf", minimumF);
  addBinary(r, "arith.maxnumf",
            [](double a, double b) { return std::fmax(a, b); });
  addBinary(r, "arith.minnumf",
            [](double a, double b) { return std::fmin(a, b); });
  addUnary(r, "arith.negf", [](double a) { return -a; });
  r.add("arith.select", [](OpCall &call) {
    return elementwise(call,
                       [](const double *a) { return a[0] ? a[1] : a[2]; });
  });
  r.add("arith.cmpf", [](OpCall &call) {
    auto p = cast<arith::CmpFOp>(call.op).getPredicate();
    return elementwise(call, [p](const double *a) {
      return compareF(p, a[0], a[1]) ? 1.0 : 0.0;
    });
  });
  r.add("arith.cmpi", [](OpCall &call) {
    auto p = cast<arith::CmpIOp>(call.op).getPredicate();
    return elementwise(call, [p](const double *a) {
      return compareI(p, asInt(a[0]), asInt(a[1])) ? 1.0 : 0.0;
    });
  });
  // Conversions: float values are already exact doubles; truncf rounds.
  for (const char *name :
       {"arith.extf", "arith.sitofp", "arith.uitofp", "arith.index_cast",
        "arith.index_castui", "arith.extsi", "arith.extui"})
    addUnary(r, name, [](double a) { return a; });
  r.add("arith.truncf", [](OpCall &call) {
    Type to = elementTypeOf(call.op->getResult(0).getType());
    return elementwise(call,
                       [to](const double *a) { return roundTo(a[0], to); });
  });
  for (const char *name : {"arith.fptosi", "arith.fptoui"})
    addUnary(r, name, [](double a) { return std::trunc(a); });
  // Integer arithmetic (indices, loop bounds of kernel bodies).
  addBinary(r, "arith.addi",
            [](double a, double b) { return double(asInt(a) + asInt(b)); });
  addBinary(r, "arith.subi",
            [](double a, double b) { return double(asInt(a) - asInt(b)); });
  addBinary(r, "arith.muli",
            [](double a, double b) { return double(asInt(a) * asInt(b)); });
  addBinary(r, "arith.divsi", [](double a, double b) {
    return asInt(b) ? double(asInt(a) / asInt(b)) : NAN;
  });
  addBinary(r, "arith.remsi", [](double a, double b) {
    return asInt(b) ? double(asInt(a) % asInt(b)) : NAN;
  });
  addBinary(r, "arith.maxsi", [](double a, double b) {
    return double(std::max(asInt(a), asInt(b)));
  });
  addBinary(r, "arith.minsi", [](double a, double b) {
    return double(std::min(asInt(a), asInt(b)));
  });

  //===--------------------------------------------------------------------===//
  // math
  //===--------------------------------------------------------------------===//
  struct Unary {
    const char *name;
    double (*fn)(double);
  };
  static const Unary unaries[] = {
      {"math.absf", [](double x) { return std::fabs(x); }},
      {"math.acos", [](double x) { return std::acos(x); }},
      {"math.acosh", [](double x) { return std::acosh(x); }},
      {"math.asin", [](double x) { return std::asin(x); }},
      {"math.asinh", [](double x) { return std::asinh(x); }},
      {"math.atan", [](double x) { return std::atan(x); }},
      {"math.atanh", [](double x) { return std::atanh(x); }},
      {"math.cbrt", [](double x) { return std::cbrt(x); }},
      {"math.ceil", [](double x) { return std::ceil(x); }},
      {"math.cos", [](double x) { return std::cos(x); }},
      {"math.cosh", [](double x) { return std::cosh(x); }},
      {"math.erf", [](double x) { return std::erf(x); }},
      {"math.erfc", [](double x) { return std::erfc(x); }},
      {"math.exp", [](double x) { return std::exp(x); }},
      {"math.exp2", [](double x) { return std::exp2(x); }},
      {"math.expm1", [](double x) { return std::expm1(x); }},
      {"math.floor", [](double x) { return std::floor(x); }},
      {"math.isfinite", [](double x) { return std::isfinite(x) ? 1.0 : 0.0; }},
      {"math.isinf", [](double x) { return std::isinf(x) ? 1.0 : 0.0; }},
      {"math.isnan", [](double x) { return std::isnan(x) ? 1.0 : 0.0; }},
      {"math.isnormal",
       [](double x) {
         // Normal as the operand's f32, the type these ops see.
         return std::isnormal(float(x)) ? 1.0 : 0.0;
       }},
      {"math.log", [](double x) { return std::log(x); }},
      {"math.log10", [](double x) { return std::log10(x); }},
      {"math.log1p", [](double x) { return std::log1p(x); }},
      {"math.log2", [](double x) { return std::log2(x); }},
      {"math.round", [](double x) { return std::round(x); }},
      {"math.roundeven", [](double x) { return std::nearbyint(x); }},
      {"math.rsqrt", [](double x) { return 1.0 / std::sqrt(x); }},
      {"math.sin", [](double x) { return std::sin(x); }},
      {"math.sinh", [](double x) { return std::sinh(x); }},
      {"math.sqrt", [](double x) { return std::sqrt(x); }},
      {"math.tan", [](double x) { return std::tan(x); }},
      {"math.tanh", [](double x) { return std::tanh(x); }},
      {"math.trunc", [](double x) { return std::trunc(x); }},
  };
  for (const Unary &u : unaries)
    addUnary(r, u.name, u.fn);
  addBinary(r, "math.atan2",
            [](double a, double b) { return std::atan2(a, b); });
  addBinary(r, "math.copysign",
            [](double a, double b) { return std::copysign(a, b); });
  addBinary(r, "math.powf", [](double a, double b) { return std::pow(a, b); });
  addBinary(r, "math.fpowi", [](double a, double b) { return std::pow(a, b); });
  r.add("math.fma", [](OpCall &call) {
    return elementwise(
        call, [](const double *a) { return std::fma(a[0], a[1], a[2]); });
  });
}

} // namespace actc::interp
