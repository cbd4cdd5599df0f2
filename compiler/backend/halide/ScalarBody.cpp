// SPDX-License-Identifier: Apache-2.0
//
// See ScalarBody.h.

#include "compiler/backend/halide/ScalarBody.h"

#include "compiler/backend/halide/math/Activations.h"
#include "compiler/backend/halide/math/MathFunctions.h"
#include "dialects/Kern/IR/KernOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Block.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/raw_ostream.h"

namespace actc::halide {

using Halide::Expr;

Expr isNaN(const Expr &x) { return math::isNaN(x); }

Expr nanMax(const Expr &a, const Expr &b) {
  // a + b is NaN when either is: the NaN reaches the result whichever
  // operand carried it (Halide's max returns one operand for NaN).
  return Halide::select(isNaN(a) || isNaN(b), a + b, Halide::max(a, b));
}

Expr nanMin(const Expr &a, const Expr &b) {
  return Halide::select(isNaN(a) || isNaN(b), a + b, Halide::min(a, b));
}

//===----------------------------------------------------------------------===//
// Math ops: the one mapping point
//===----------------------------------------------------------------------===//

Expr lowerMathOp(const std::string &opName, const std::vector<Expr> &args,
                 std::string &error) {
  auto unary = [&]() -> bool {
    if (args.size() == 1)
      return true;
    error = opName + " expects 1 operand, got " + std::to_string(args.size());
    return false;
  };
  // The numerics library's vector approximations (exp, expm1, log, log1p,
  // tanh, erf, erfc): accurate to a few ULP and vectorizable, unlike
  // Halide's tanh (a scalar libm call per lane).
  if (math::MathBuilder builder = math::lookupMathOp(opName)) {
    if (!unary())
      return {};
    return builder(args[0], math::Mode::Default);
  }
  if (opName == "math.absf" && unary())
    return Halide::abs(args[0]);
  if (opName == "math.sqrt" && unary())
    return Halide::sqrt(args[0]);
  if (opName == "math.rsqrt" && unary())
    return 1.0f / Halide::sqrt(args[0]);
  if (opName == "math.copysign") {
    if (args.size() != 2) {
      error = "math.copysign expects 2 operands";
      return {};
    }
    return math::copySign(args[0], args[1]);
  }
  if (error.empty())
    error = "no Halide lowering for '" + opName + "'";
  return {};
}

Expr lowerActivation(mlir::Operation *op, const Expr &x, std::string &error) {
  auto act = mlir::cast<kern::ActivationOp>(op);
  math::ActivationAttrs attrs;
  for (mlir::NamedAttribute p : act.getParams()) {
    if (auto f = mlir::dyn_cast<mlir::FloatAttr>(p.getValue()))
      attrs.floats[p.getName().str()] = float(f.getValueAsDouble());
    else if (auto s = mlir::dyn_cast<mlir::StringAttr>(p.getValue());
             s && p.getName() == "approximate")
      attrs.approximate = s.str();
    else {
      error = "parameter '" + p.getName().str() +
              "' is neither an f32 nor gelu's approximate";
      return {};
    }
  }
  return math::buildActivation(act.getActivation(), x, attrs,
                               math::Mode::Default, &error);
}

//===----------------------------------------------------------------------===//
// The scalar region
//===----------------------------------------------------------------------===//

namespace {

Expr compare(mlir::arith::CmpFPredicate p, const Expr &a, const Expr &b) {
  using P = mlir::arith::CmpFPredicate;
  Expr unordered = isNaN(a) || isNaN(b);
  // Ordered predicates are false on NaN, as the hardware compares are; they
  // are spelled with !unordered so the no-NaNs flag cannot fold them away.
  switch (p) {
  case P::AlwaysFalse:
    return Halide::Internal::const_false();
  case P::AlwaysTrue:
    return Halide::Internal::const_true();
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
  }
  return {};
}

} // namespace

Expr lowerScalarRegion(mlir::Region &region, const std::vector<Expr> &args,
                       std::string &error) {
  mlir::Block &block = region.front();
  if (block.getNumArguments() != args.size()) {
    error = "the scalar region has " + std::to_string(block.getNumArguments()) +
            " arguments, but " + std::to_string(args.size()) +
            " values are bound";
    return {};
  }
  llvm::DenseMap<mlir::Value, Expr> values;
  for (auto [arg, e] : llvm::zip(block.getArguments(), args))
    values[arg] = e;
  auto fail = [&](mlir::Operation &op, const std::string &why) {
    std::string s;
    llvm::raw_string_ostream os(s);
    os << "cannot lower '" << op.getName() << "' in a scalar region: " << why;
    error = os.str();
    return Expr();
  };
  for (mlir::Operation &op : block) {
    std::string name = op.getName().getStringRef().str();
    if (&op == &block.back()) {
      if (op.getNumOperands() != 1)
        return fail(op, "the terminator must yield one value");
      return values.lookup(op.getOperand(0));
    }
    std::vector<Expr> in;
    for (mlir::Value v : op.getOperands()) {
      auto it = values.find(v);
      if (it == values.end())
        return fail(op, "an operand is defined outside the region");
      in.push_back(it->second);
    }
    Expr r;
    if (auto c = mlir::dyn_cast<mlir::arith::ConstantOp>(op)) {
      if (auto f = mlir::dyn_cast<mlir::FloatAttr>(c.getValue()))
        r = Halide::Expr(float(f.getValueAsDouble()));
      else if (auto i = mlir::dyn_cast<mlir::IntegerAttr>(c.getValue());
               i && i.getType().isInteger(1))
        r = i.getValue().getBoolValue() ? Halide::Internal::const_true()
                                        : Halide::Internal::const_false();
      else
        return fail(op, "only f32 and i1 constants are supported");
    } else if (name == "arith.addf") {
      r = in[0] + in[1];
    } else if (name == "arith.subf") {
      r = in[0] - in[1];
    } else if (name == "arith.mulf") {
      r = in[0] * in[1];
    } else if (name == "arith.divf") {
      r = in[0] / in[1];
    } else if (name == "arith.negf") {
      r = -in[0];
    } else if (name == "arith.maximumf") {
      r = nanMax(in[0], in[1]);
    } else if (name == "arith.minimumf") {
      r = nanMin(in[0], in[1]);
    } else if (name == "arith.maxnumf") {
      r = Halide::select(isNaN(in[0]), in[1],
                         Halide::select(isNaN(in[1]), in[0],
                                        Halide::max(in[0], in[1])));
    } else if (name == "arith.minnumf") {
      r = Halide::select(isNaN(in[0]), in[1],
                         Halide::select(isNaN(in[1]), in[0],
                                        Halide::min(in[0], in[1])));
    } else if (auto cmp = mlir::dyn_cast<mlir::arith::CmpFOp>(op)) {
      r = compare(cmp.getPredicate(), in[0], in[1]);
    } else if (name == "arith.select") {
      r = Halide::select(in[0], in[1], in[2]);
    } else if (name == "arith.andi") {
      r = in[0] && in[1];
    } else if (name == "arith.ori") {
      r = in[0] || in[1];
    } else if (mlir::isa<kern::ActivationOp>(op)) {
      std::string why;
      r = lowerActivation(&op, in[0], why);
      if (!r.defined())
        return fail(op, why);
    } else if (name.rfind("math.", 0) == 0) {
      std::string why;
      r = lowerMathOp(name, in, why);
      if (!r.defined())
        return fail(op, why);
    } else {
      return fail(op, "not an arith/math op the backend knows");
    }
    values[op.getResult(0)] = r;
  }
  error = "the scalar region has no terminator";
  return {};
}

} // namespace actc::halide
