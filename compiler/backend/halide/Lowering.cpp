// SPDX-License-Identifier: Apache-2.0
//
// The algorithm half of the Halide backend (Lowering.h): each kern.kernel
// becomes Funcs, views become index remappings, and the function becomes one
// Pipeline. Schedules are applied afterwards by Schedule.cpp.
//
// Conventions: a tensor value is a Func plus its extents in tensor order;
// index vectors are kept in tensor order (outermost first) and reversed only
// when a Func is called, because Halide's dimension 0 is the innermost
// (last) tensor axis.

#include "compiler/backend/halide/Lowering.h"

#include "compiler/backend/halide/ScalarBody.h"
#include "compiler/backend/halide/math/Activations.h"
#include "compiler/target/Target.h"
#include "dialects/Kern/IR/KernOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>

namespace actc::halide {

using Halide::Expr;
using Halide::Func;
using Halide::Var;

namespace {

//===----------------------------------------------------------------------===//
// Tensor values
//===----------------------------------------------------------------------===//

/// A tensor between kernels: a Func (Halide dims reversed) and its extents
/// in tensor order, with the name of each dynamic dimension when known.
struct TensorVal {
  Func func;
  std::vector<Expr> shape;
  std::vector<std::string> dimNames;
  /// The Func may be used as a pipeline output as it is (a kernel result).
  bool isKernelResult = false;
  /// A constant whose every value is finite.
  bool finiteConstant = false;
  /// A conv weight stored filters-last (convVectorizesChannels).
  bool filtersLast = false;

  int rank() const { return int(shape.size()); }
  Expr at(const std::vector<Expr> &idx) const {
    return func(std::vector<Expr>(idx.rbegin(), idx.rend()));
  }
};

/// Halide Vars for a Func of `rank` dims, and the same in tensor order.
struct Index {
  std::vector<Var> vars;   ///< Halide order
  std::vector<Expr> idx;   ///< tensor order
  explicit Index(int rank) {
    for (int i = 0; i < rank; ++i)
      vars.push_back(Var("d" + std::to_string(i)));
    for (int i = rank - 1; i >= 0; --i)
      idx.push_back(vars[i]);
  }
};

std::vector<int64_t> staticShape(mlir::Type type) {
  auto t = mlir::cast<mlir::RankedTensorType>(type);
  return std::vector<int64_t>(t.getShape().begin(), t.getShape().end());
}

/// A C identifier made from `name` (for Halide names, which become C names
/// in AOT code).
std::string sanitize(const std::string &name) {
  std::string s;
  for (char c : name)
    s += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0])))
    s = "_" + s;
  return s;
}

std::vector<int64_t> i64Array(mlir::Operation *op, llvm::StringRef name,
                              std::vector<int64_t> dflt) {
  if (auto a = op->getAttrOfType<mlir::DenseI64ArrayAttr>(name))
    return std::vector<int64_t>(a.asArrayRef().begin(), a.asArrayRef().end());
  return dflt;
}

int64_t i64Attr(mlir::Operation *op, llvm::StringRef name, int64_t dflt) {
  if (auto a = op->getAttrOfType<mlir::IntegerAttr>(name))
    return a.getInt();
  return dflt;
}

float f32Attr(mlir::Operation *op, llvm::StringRef name, float dflt) {
  if (auto a = op->getAttrOfType<mlir::FloatAttr>(name))
    return float(a.getValueAsDouble());
  return dflt;
}

bool boolAttr(mlir::Operation *op, llvm::StringRef name, bool dflt) {
  if (auto a = op->getAttrOfType<mlir::BoolAttr>(name))
    return a.getValue();
  return dflt;
}

/// `e` evaluated at the tensor-order index `idx`.
Expr affineExpr(mlir::AffineExpr e, const std::vector<Expr> &idx) {
  if (auto d = mlir::dyn_cast<mlir::AffineDimExpr>(e))
    return idx[d.getPosition()];
  if (auto c = mlir::dyn_cast<mlir::AffineConstantExpr>(e))
    return Expr(int(c.getValue()));
  auto bin = mlir::cast<mlir::AffineBinaryOpExpr>(e);
  Expr l = affineExpr(bin.getLHS(), idx), r = affineExpr(bin.getRHS(), idx);
  switch (e.getKind()) {
  case mlir::AffineExprKind::Add:
    return l + r;
  case mlir::AffineExprKind::Mul:
    return l * r;
  case mlir::AffineExprKind::Mod:
    return l % r; // Halide's % is Euclidean, like affine's mod
  case mlir::AffineExprKind::FloorDiv:
    return l / r; // Halide's / on ints rounds down
  case mlir::AffineExprKind::CeilDiv:
    return (l + r - 1) / r;
  default:
    return l;
  }
}

/// The row-major element strides of `shape`.
std::vector<Expr> strides(const std::vector<Expr> &shape) {
  std::vector<Expr> s(shape.size());
  Expr acc = 1;
  for (int i = int(shape.size()) - 1; i >= 0; --i) {
    s[i] = acc;
    acc = Halide::Internal::simplify(acc * shape[i]);
  }
  return s;
}

Expr product(const std::vector<Expr> &shape, size_t from, size_t to) {
  Expr p = 1;
  for (size_t i = from; i < to; ++i)
    p = p * shape[i];
  return Halide::Internal::simplify(p);
}

/// The values of a weights constant as floats, or false.
bool constantValues(mlir::arith::ConstantOp c, std::vector<float> &values,
                    std::string &name, std::string &error) {
  mlir::Attribute value = c.getValue();
  auto type = mlir::cast<mlir::ShapedType>(c.getType());
  int64_t n = type.getNumElements();
  if (auto res = mlir::dyn_cast<mlir::DenseResourceElementsAttr>(value)) {
    name = res.getRawHandle().getKey().str();
    mlir::AsmResourceBlob *blob = res.getRawHandle().getBlob();
    if (!blob || !type.getElementType().isF32() ||
        blob->getData().size() != size_t(n) * 4) {
      error = "dense_resource<" + name +
              "> has no f32 data of the right size (elided or missing)";
      return false;
    }
    values.resize(size_t(n));
    std::memcpy(values.data(), blob->getData().data(), size_t(n) * 4);
    return true;
  }
  if (auto dense = mlir::dyn_cast<mlir::DenseFPElementsAttr>(value)) {
    values.clear();
    for (llvm::APFloat v : dense.getValues<llvm::APFloat>())
      values.push_back(v.convertToFloat());
    return true;
  }
  error = "a constant that is neither dense_resource nor dense f32";
  return false;
}

//===----------------------------------------------------------------------===//
// The lowering
//===----------------------------------------------------------------------===//

class Lowerer {
public:
  explicit Lowerer(LoweredModel &out) : out(out) {}

  std::string run(mlir::func::FuncOp func);

private:
  std::string lowerKernel(mlir::Operation *op);
  std::string lowerView(mlir::Operation *op);

  // Each returns the anchor value at `ix` (tensor order) after defining the
  // Funcs it needs in `stages`; "" error or a message.
  std::string contraction(mlir::Operation *anchor,
                          const std::vector<TensorVal> &ins,
                          KernelStages &stages, Index &ix, Expr &value);
  std::string pool(mlir::Operation *anchor, const std::vector<TensorVal> &ins,
                   KernelStages &stages, Index &ix, Expr &value);
  std::string reduction(mlir::Operation *anchor,
                        const std::vector<TensorVal> &ins,
                        KernelStages &stages, Index &ix, Expr &value);
  std::string copy(mlir::Operation *anchor, const std::vector<TensorVal> &ins,
                   const std::vector<int64_t> &resultShape, Index &ix,
                   Expr &value);

  /// Result extents of a kernel in tensor order (static from the type,
  /// dynamic ones derived from the operands).
  std::string resultShape(mlir::Operation *kernelOp, mlir::Operation *anchor,
                          const std::vector<TensorVal> &ins, TensorVal &r);

  LoweredModel &out;
  llvm::DenseMap<mlir::Value, TensorVal> values;
};

/// Whether a conv2d kernel is vectorized along its output channels rather
/// than along the output row: a row at most half a vector wide (7x7, 4x4
/// and 25x5 maps, where 16 lanes along a row of 5 leave 11 idle) with at
/// least a vector of filters, not grouped (a group's input channels move
/// with f). The schedule and the weights' layout both follow it. (Rows of 9
/// to 15, where two vectors of filters would take more than 16
/// accumulators, stay row-vectorized: with one vector of filters DCGAN's
/// 8x8 layer ran slower along f than along the row.)
bool convVectorizesChannels(kern::KernelOp kernel) {
  mlir::Operation *anchor = kernel.getAnchor();
  if (!anchor || anchor->getName().getStringRef() != "nn.conv2d" ||
      i64Attr(anchor, "groups", 1) != 1)
    return false;
  int64_t vec = 0;
  if (mlir::DictionaryAttr s = kernel.getScheduleAttr())
    if (auto a = s.getAs<mlir::IntegerAttr>(kern::sched::kVector))
      vec = a.getInt();
  std::vector<int64_t> out = staticShape(anchor->getResult(0).getType());
  return vec > 1 && out.size() == 4 && out[3] > 0 && out[3] <= vec / 2 &&
         out[1] >= vec;
}

/// True when every use of the constant `c` is operand 1 (the weight) of an
/// op inside a kernel body that `accepts(kernel, op)`.
bool onlyWeightOf(
    mlir::Value c,
    llvm::function_ref<bool(kern::KernelOp, mlir::Operation *)> accepts) {
  if (c.use_empty())
    return false;
  for (mlir::OpOperand &use : c.getUses()) {
    auto kernel = mlir::dyn_cast<kern::KernelOp>(use.getOwner());
    if (!kernel)
      return false;
    mlir::Block &body = kernel.getBody().front();
    unsigned i = use.getOperandNumber();
    if (i >= body.getNumArguments())
      return false;
    for (mlir::OpOperand &inner : body.getArgument(i).getUses())
      if (inner.getOperandNumber() != 1 || !accepts(kernel, inner.getOwner()))
        return false;
  }
  return true;
}

/// Only the weight of nn.dense ops. Such a weight is stored transposed,
/// [in, out]: the kernels vectorize along the output features, and W[out,
/// in] would make each vector load a gather of 16 floats K apart.
bool onlyDenseWeight(mlir::Value c) {
  return onlyWeightOf(c, [](kern::KernelOp, mlir::Operation *op) {
    return op->getName().getStringRef() == "nn.dense";
  });
}

/// Only the weight of conv2d kernels vectorized along their channels.
bool onlyChannelConvWeight(mlir::Value c) {
  return onlyWeightOf(c, [](kern::KernelOp kernel, mlir::Operation *op) {
    return op == kernel.getAnchor() && convVectorizesChannels(kernel);
  });
}

std::string Lowerer::run(mlir::func::FuncOp func) {
  backend::ModelInterface &iface = out.interface;
  iface.modelName = func.getSymName().str();
  iface.pipelineSymbol = "actc_" + sanitize(iface.modelName) + "_pipeline";

  // Inputs: free extents for dynamic dims, fixed ones for static dims.
  for (auto [i, arg] : llvm::enumerate(func.getArguments())) {
    std::vector<int64_t> shape = staticShape(arg.getType());
    int rank = int(shape.size());
    backend::TensorDecl decl;
    auto nameAttr = func.getArgAttrOfType<mlir::StringAttr>(i, "nn.name");
    decl.name = nameAttr ? nameAttr.str() : "input" + std::to_string(i);
    decl.shape = shape;
    decl.dimNames.assign(rank, "");
    if (auto dims = func.getArgAttrOfType<mlir::ArrayAttr>(i, "nn.dims"))
      for (auto [d, a] : llvm::enumerate(dims))
        if (auto s = mlir::dyn_cast<mlir::StringAttr>(a); s && d < size_t(rank))
          decl.dimNames[d] = s.str();
    Halide::ImageParam param(Halide::Float(32), rank,
                             "in" + std::to_string(i) + "_" +
                                 sanitize(decl.name));
    TensorVal v;
    v.func = Func(param);
    for (int d = 0; d < rank; ++d) {
      int h = rank - 1 - d;
      param.dim(h).set_min(0);
      if (shape[d] >= 0) {
        param.dim(h).set_extent(int(shape[d]));
        v.shape.push_back(Expr(int(shape[d])));
        decl.dimNames[d] = "";
      } else {
        v.shape.push_back(param.dim(h).extent());
        if (!decl.dimNames[d].empty() &&
            std::find(iface.dynamicDims.begin(), iface.dynamicDims.end(),
                      decl.dimNames[d]) == iface.dynamicDims.end())
          iface.dynamicDims.push_back(decl.dimNames[d]);
      }
    }
    // Dense row-major: each stride is the product of the inner extents.
    for (int h = 1; h < rank; ++h)
      param.dim(h).set_stride(param.dim(h - 1).stride() *
                              param.dim(h - 1).extent());
    v.dimNames = decl.dimNames;
    values[arg] = v;
    out.inputs.push_back(param);
    iface.inputs.push_back(decl);
  }

  for (mlir::Operation &op : func.getBody().front()) {
    std::string err;
    if (auto c = mlir::dyn_cast<mlir::arith::ConstantOp>(op)) {
      if (!mlir::isa<mlir::RankedTensorType>(c.getType()))
        return "a top-level constant that is not a tensor";
      std::vector<int64_t> shape = staticShape(c.getType());
      backend::TensorDecl decl;
      std::vector<float> data;
      if (!constantValues(c, data, decl.name, err))
        return err;
      size_t index = out.weights.size();
      if (decl.name.empty())
        decl.name = "constant" + std::to_string(index);
      int rank = int(shape.size());
      // Dense weights and the weights of convs vectorized along their
      // channels are stored with their first axis last (the output
      // features innermost: [in, out] and [C, KH, KW, F]), so that a
      // vector of outputs loads contiguously.
      bool denseWeight = rank == 2 && onlyDenseWeight(c.getResult());
      bool convWeight = rank == 4 && onlyChannelConvWeight(c.getResult());
      bool firstAxisLast = (denseWeight || convWeight) && !data.empty();
      TensorVal v;
      for (int d = 0; d < rank; ++d)
        v.shape.push_back(Expr(int(shape[d])));
      if (firstAxisLast) {
        std::vector<float> t(data.size());
        int64_t outer = shape[0], inner = int64_t(data.size()) / outer;
        for (int64_t o = 0; o < outer; ++o)
          for (int64_t i = 0; i < inner; ++i)
            t[size_t(i * outer + o)] = data[size_t(o * inner + i)];
        data = std::move(t);
        std::rotate(shape.begin(), shape.begin() + 1, shape.end());
        decl.name += denseWeight ? ".transposed" : ".filters_last";
      }
      decl.shape = shape;
      decl.dimNames.assign(shape.size(), "");
      Halide::ImageParam param(Halide::Float(32), rank,
                               "w" + std::to_string(index) + "_" +
                                   sanitize(decl.name));
      for (int d = 0; d < rank; ++d)
        param.dim(rank - 1 - d).set_bounds(0, int(shape[d]));
      // Dense row-major: each stride is the product of the inner extents.
      for (int h = 1; h < rank; ++h)
        param.dim(h).set_stride(param.dim(h - 1).stride() *
                                param.dim(h - 1).extent());
      v.dimNames = decl.dimNames;
      if (firstAxisLast) {
        // The TensorVal reads the original order: Halide dims (a0, ...,
        // a_last) are the stored (a_last, a0, ...).
        std::vector<Var> a;
        for (int d = 0; d < rank; ++d)
          a.push_back(Var("a" + std::to_string(d)));
        std::vector<Expr> stored{a.back()};
        stored.insert(stored.end(), a.begin(), a.end() - 1);
        v.func = Func("w" + std::to_string(index) + "_r");
        v.func(a) = param(stored);
      } else {
        v.func = Func(param);
      }
      v.filtersLast = convWeight && firstAxisLast;
      v.finiteConstant = std::all_of(data.begin(), data.end(),
                                     [](float f) { return std::isfinite(f); });
      values[c.getResult()] = v;
      out.weights.push_back(param);
      out.weightValues.push_back(std::move(data));
      iface.weights.push_back(decl);
    } else if (mlir::isa<kern::KernelOp>(op)) {
      if (std::string e = lowerKernel(&op); !e.empty())
        return e;
    } else if (op.getName().getStringRef() == "nn.reshape" ||
               op.getName().getStringRef() == "nn.flatten") {
      if (std::string e = lowerView(&op); !e.empty())
        return e;
    } else if (auto ret = mlir::dyn_cast<mlir::func::ReturnOp>(op)) {
      std::set<std::string> used;
      for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
        TensorVal &t = values[v];
        backend::TensorDecl decl;
        auto nameAttr = func.getResultAttrOfType<mlir::StringAttr>(i, "nn.name");
        decl.name = nameAttr ? nameAttr.str() : "output" + std::to_string(i);
        decl.shape = staticShape(v.getType());
        decl.dimNames = t.dimNames;
        for (size_t d = 0; d < decl.shape.size(); ++d)
          if (decl.shape[d] >= 0)
            decl.dimNames[d] = "";
        Func f;
        if (t.isKernelResult && !used.count(t.func.name())) {
          f = t.func;
          used.insert(f.name());
        } else {
          Index ix(t.rank());
          f = Func("out" + std::to_string(i) + "_" + sanitize(decl.name));
          f(ix.vars) = t.at(ix.idx);
        }
        out.outputs.push_back(f);
        iface.outputs.push_back(decl);
      }
    } else {
      std::string s;
      llvm::raw_string_ostream os(s);
      os << "unexpected op '" << op.getName()
         << "' between kernels (expected kern.kernel, arith.constant, "
            "nn.reshape, nn.flatten)";
      return os.str();
    }
  }
  if (out.outputs.empty())
    return "the function returns nothing";
  out.pipeline = Halide::Pipeline(out.outputs);
  return "";
}

std::string Lowerer::lowerView(mlir::Operation *op) {
  const TensorVal &in = values[op->getOperand(0)];
  std::vector<int64_t> rs = staticShape(op->getResult(0).getType());
  TensorVal r;
  int rank = int(rs.size());
  r.dimNames.assign(rank, "");
  Expr total = product(in.shape, 0, in.shape.size());
  // The single dynamic input dim, when there is one.
  int dynIn = -1, nDyn = 0;
  int64_t staticIn = 1;
  std::vector<int64_t> inStatic = staticShape(op->getOperand(0).getType());
  for (size_t d = 0; d < inStatic.size(); ++d) {
    if (inStatic[d] < 0) {
      dynIn = int(d);
      ++nDyn;
    } else {
      staticIn *= inStatic[d];
    }
  }
  int64_t staticOut = 1;
  int nDynOut = 0;
  for (int64_t d : rs)
    if (d >= 0)
      staticOut *= d;
    else
      ++nDynOut;
  if (nDynOut > 1)
    return "a view with more than one dynamic result dimension";
  for (int d = 0; d < rank; ++d) {
    if (rs[d] >= 0) {
      r.shape.push_back(Expr(int(rs[d])));
    } else {
      r.shape.push_back(
          Halide::Internal::simplify(total / Expr(int(staticOut))));
      if (nDyn == 1 && staticIn == staticOut)
        r.dimNames[d] = in.dimNames[dynIn];
    }
  }
  Index ix(rank);
  std::vector<Expr> so = strides(r.shape), si = strides(in.shape);
  Expr flat = 0;
  for (int d = 0; d < rank; ++d)
    flat = flat + ix.idx[d] * so[d];
  std::vector<Expr> inIdx(in.shape.size());
  for (size_t j = 0; j < in.shape.size(); ++j)
    inIdx[j] = j == 0 ? flat / si[j] : (flat / si[j]) % in.shape[j];
  r.func = Func("view_" + std::to_string(values.size()));
  r.func(ix.vars) = in.at(inIdx);
  values[op->getResult(0)] = r;
  return "";
}

std::string Lowerer::resultShape(mlir::Operation *kernelOp,
                                 mlir::Operation *anchor,
                                 const std::vector<TensorVal> &ins,
                                 TensorVal &r) {
  auto kernel = mlir::cast<kern::KernelOp>(kernelOp);
  std::vector<int64_t> rs = staticShape(kernel.getResult().getType());
  int rank = int(rs.size());
  r.shape.assign(rank, Expr());
  r.dimNames.assign(rank, "");
  llvm::StringRef name = anchor ? anchor->getName().getStringRef() : "";
  auto operandOf = [&](unsigned i) -> const TensorVal & {
    auto arg = mlir::cast<mlir::BlockArgument>(anchor->getOperand(i));
    return ins[arg.getArgNumber()];
  };
  for (int d = 0; d < rank; ++d) {
    if (rs[d] >= 0) {
      r.shape[d] = Expr(int(rs[d]));
      continue;
    }
    auto take = [&](const TensorVal &t, int j) {
      r.shape[d] = t.shape[j];
      r.dimNames[d] = t.dimNames[j];
    };
    if (name == "nn.dense" || name == "nn.conv2d" ||
        name.contains("pool") || name == "nn.softmax" ||
        name == "nn.log_softmax" || name == "nn.layer_norm") {
      take(operandOf(0), d);
    } else if (name == "nn.transpose") {
      std::vector<int64_t> perm = i64Array(anchor, "perm", {});
      take(operandOf(0), int(perm[d]));
    } else if (name == "nn.concat") {
      int64_t axis = i64Attr(anchor, "axis", 1);
      if (axis < 0)
        axis += rank;
      if (d == axis) {
        Expr s = 0;
        for (unsigned i = 0; i < anchor->getNumOperands(); ++i)
          s = s + operandOf(i).shape[d];
        r.shape[d] = Halide::Internal::simplify(s);
      } else {
        take(operandOf(0), d);
      }
    } else if (name == "nn.matmul") {
      const TensorVal &a = operandOf(0), &b = operandOf(1);
      if (d == rank - 2) {
        take(a, a.rank() - 2);
      } else if (d == rank - 1) {
        take(b, b.rank() - 1);
      } else {
        int ja = d - (rank - a.rank()), jb = d - (rank - b.rank());
        std::vector<int64_t> sa = staticShape(anchor->getOperand(0).getType());
        // The dynamic side (or the one that is not a broadcast 1).
        if (ja >= 0 && sa[ja] != 1)
          take(a, ja);
        else if (jb >= 0)
          take(b, jb);
        else
          take(a, ja);
      }
    } else {
      // A map (or an anchor not listed): any scalar input that indexes d.
      for (auto [input, mapAttr] :
           llvm::zip(kernel.getScalarInputs(), kernel.getScalarMaps())) {
        mlir::AffineMap map = mlir::cast<mlir::AffineMapAttr>(mapAttr).getValue();
        if (input < 0)
          continue;
        for (unsigned j = 0; j < map.getNumResults(); ++j)
          if (auto dim = mlir::dyn_cast<mlir::AffineDimExpr>(map.getResult(j));
              dim && int(dim.getPosition()) == d &&
              staticShape(kernel.getInputs()[input].getType())[j] < 0) {
            take(ins[input], int(j));
          }
      }
    }
    if (!r.shape[d].defined())
      return "cannot size dynamic result dimension " + std::to_string(d);
  }
  return "";
}

std::string Lowerer::lowerKernel(mlir::Operation *op) {
  auto kernel = mlir::cast<kern::KernelOp>(op);
  std::string kname = kernel.getName().str();
  std::string kind = kernel.getKind().str();
  std::vector<TensorVal> ins;
  for (mlir::Value v : kernel.getInputs()) {
    auto it = values.find(v);
    if (it == values.end())
      return "kernel " + kname + ": an operand is not a known tensor";
    ins.push_back(it->second);
  }
  mlir::Operation *anchor =
      kind == kern::kind::kMap ? nullptr : kernel.getAnchor();

  KernelStages stages;
  stages.name = kname;
  stages.kind = kind;
  stages.anchor = anchor ? anchor->getName().getStringRef().str() : "";
  TensorVal r;
  if (std::string e = resultShape(op, anchor, ins, r); !e.empty())
    return "kernel " + kname + ": " + e;
  int rank = r.rank();
  stages.rank = rank;
  stages.shape = r.shape;
  Index ix(rank);

  // The schedule dictionary.
  if (mlir::DictionaryAttr s = kernel.getScheduleAttr()) {
    if (auto t = s.getAs<mlir::DenseI64ArrayAttr>(kern::sched::kTile))
      stages.schedule.tile.assign(t.asArrayRef().begin(), t.asArrayRef().end());
    auto get = [&](llvm::StringRef key, int64_t &v) {
      if (auto a = s.getAs<mlir::IntegerAttr>(key))
        v = a.getInt();
    };
    get(kern::sched::kReduceSplit, stages.schedule.reduceSplit);
    get(kern::sched::kVector, stages.schedule.vector);
    get(kern::sched::kUnroll, stages.schedule.unroll);
    get(kern::sched::kParallelDim, stages.schedule.parallelDim);
    get(kern::sched::kParallelChunk, stages.schedule.parallelChunk);
  }

  try {
    Expr anchorValue;
    std::string e;
    if (kind == kern::kind::kContraction)
      e = contraction(anchor, ins, stages, ix, anchorValue);
    else if (kind == kern::kind::kPool)
      e = pool(anchor, ins, stages, ix, anchorValue);
    else if (kind == kern::kind::kReduction)
      e = reduction(anchor, ins, stages, ix, anchorValue);
    else if (kind == kern::kind::kCopy)
      e = copy(anchor, ins, staticShape(kernel.getResult().getType()), ix,
               anchorValue);
    else if (kind != kern::kind::kMap)
      e = "unknown kind '" + kind + "'";
    if (!e.empty())
      return "kernel " + kname + " (" + stages.anchor + "): " + e;

    // The epilogue: the scalar region at every element.
    std::vector<Expr> args;
    for (auto [input, mapAttr] :
         llvm::zip(kernel.getScalarInputs(), kernel.getScalarMaps())) {
      if (input < 0) {
        if (!anchorValue.defined())
          return "kernel " + kname + ": a map reads the anchor's result";
        args.push_back(anchorValue);
        continue;
      }
      mlir::AffineMap map = mlir::cast<mlir::AffineMapAttr>(mapAttr).getValue();
      std::vector<Expr> at;
      for (mlir::AffineExpr res : map.getResults())
        at.push_back(affineExpr(res, ix.idx));
      args.push_back(ins[input].at(at));
    }
    std::string why;
    Expr value = lowerScalarRegion(kernel.getScalar(), args, why);
    if (!value.defined())
      return "kernel " + kname + ": " + why;
    stages.result = Func(sanitize(kname));
    stages.result(ix.vars) = value;
  } catch (const Halide::Error &err) {
    return "kernel " + kname + ": Halide error: " + err.what();
  }
  r.func = stages.result;
  r.isKernelResult = true;
  values[kernel.getResult()] = r;
  out.kernels.push_back(std::move(stages));
  return "";
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

/// x(n, c, h, w) with zeros (or `pad`) outside [0, H) x [0, W); the index
/// is clamped so the read stays inside the producer.
Expr paddedRead(const TensorVal &x, Expr n, Expr c, Expr h, Expr w,
                bool padded, Expr pad) {
  if (!padded)
    return x.at({n, c, h, w});
  Expr H = x.shape[2], W = x.shape[3];
  Expr inside = h >= 0 && h < H && w >= 0 && w < W;
  Expr v = x.at({n, c, Halide::clamp(h, 0, H - 1), Halide::clamp(w, 0, W - 1)});
  return Halide::select(inside, v, pad);
}

std::string Lowerer::contraction(mlir::Operation *anchor,
                                 const std::vector<TensorVal> &ins,
                                 KernelStages &stages, Index &ix,
                                 Expr &value) {
  auto operand = [&](unsigned i) -> const TensorVal & {
    return ins[mlir::cast<mlir::BlockArgument>(anchor->getOperand(i))
                   .getArgNumber()];
  };
  llvm::StringRef name = anchor->getName().getStringRef();
  Func acc(sanitize(stages.name) + "_acc");
  std::vector<Expr> &idx = ix.idx;
  int rank = stages.rank;
  std::vector<Expr> hvars(ix.vars.begin(), ix.vars.end());
  if (name == "nn.dense") {
    const TensorVal &x = operand(0), &w = operand(1);
    bool hasBias = anchor->getNumOperands() > 2;
    Expr K = w.shape[1];
    Halide::RDom r(0, K, "k");
    Expr u = idx[rank - 1];
    acc(ix.vars) = hasBias ? operand(2).at({u}) : Expr(0.0f);
    std::vector<Expr> xi(idx.begin(), idx.end() - 1);
    xi.push_back(r.x);
    acc(hvars) += x.at(xi) * w.at({u, r.x});
    stages.reduction = r;
  } else if (name == "nn.conv2d") {
    const TensorVal &x = operand(0), &w = operand(1);
    bool hasBias = anchor->getNumOperands() > 2;
    std::vector<int64_t> st = i64Array(anchor, "stride", {1, 1});
    std::vector<int64_t> pad = i64Array(anchor, "padding", {0, 0, 0, 0});
    std::vector<int64_t> dil = i64Array(anchor, "dilation", {1, 1});
    int64_t groups = i64Attr(anchor, "groups", 1);
    std::vector<int64_t> ws = staticShape(anchor->getOperand(1).getType());
    int64_t F = ws[0], Cg = ws[1], KH = ws[2], KW = ws[3];
    Halide::RDom r(0, int(KW), 0, int(KH), 0, int(Cg), "r");
    Expr n = idx[0], f = idx[1], oh = idx[2], ow = idx[3];
    Expr cin = groups == 1 ? Expr(r.z) : (f / int(F / groups)) * int(Cg) + r.z;
    Expr ih = oh * int(st[0]) + r.y * int(dil[0]) - int(pad[0]);
    Expr iw = ow * int(st[1]) + r.x * int(dil[1]) - int(pad[1]);
    bool padded = pad[0] || pad[1] || pad[2] || pad[3];
    acc(ix.vars) = hasBias ? operand(2).at({f}) : Expr(0.0f);
    // A padded position adds exactly 0 (not 0 * w, which is NaN for an
    // infinite weight), as the interpreter and a skipped tap do.
    Expr tap = x.at({n, cin, ih, iw}) * w.at({f, r.z, r.y, r.x});
    if (padded && w.finiteConstant) {
      // With finite weights 0 * w is a zero too, so the input is padded
      // once, into a stage of its own, and the inner loop reads it without
      // a bounds test per tap (twice as fast on a 3x3, 64-channel conv).
      Expr H = x.shape[2], W = x.shape[3];
      Var pw("pw"), ph("ph"), pc("pc"), pn("pn");
      Func xp(sanitize(stages.name) + "_pad");
      xp(pw, ph, pc, pn) =
          Halide::select(ph >= 0 && ph < H && pw >= 0 && pw < W,
                         x.at({pn, pc, Halide::clamp(ph, 0, H - 1),
                               Halide::clamp(pw, 0, W - 1)}),
                         0.0f);
      tap = xp(iw, ih, cin, n) * w.at({f, r.z, r.y, r.x});
      stages.paddedInput = xp;
    } else if (padded) {
      Expr H = x.shape[2], W = x.shape[3];
      Expr inside = ih >= 0 && ih < H && iw >= 0 && iw < W;
      tap = Halide::select(inside,
                           x.at({n, cin, Halide::clamp(ih, 0, H - 1),
                                 Halide::clamp(iw, 0, W - 1)}) *
                               w.at({f, r.z, r.y, r.x}),
                           0.0f);
    }
    acc(hvars) += tap;
    stages.reduction = r;
    // Halide dim 2 is f: vectors of output channels (the weight's layout
    // was chosen for it).
    if (w.filtersLast)
      stages.vectorDim = 2;
  } else if (name == "nn.matmul") {
    const TensorVal &a = operand(0), &b = operand(1);
    std::vector<int64_t> sa = staticShape(anchor->getOperand(0).getType());
    std::vector<int64_t> sb = staticShape(anchor->getOperand(1).getType());
    if (a.rank() < 2 || b.rank() < 2)
      return "matmul of a rank-1 operand is not supported yet";
    Expr K = a.shape[a.rank() - 1];
    Halide::RDom r(0, K, "k");
    auto batchIdx = [&](const std::vector<int64_t> &s, int opRank) {
      std::vector<Expr> v;
      for (int j = 0; j < opRank - 2; ++j) {
        int d = j + (rank - opRank);
        // numpy broadcasting: a static 1 against a larger dim reads 0.
        v.push_back(s[j] == 1 ? Expr(0) : idx[d]);
      }
      return v;
    };
    std::vector<Expr> ai = batchIdx(sa, a.rank()), bi = batchIdx(sb, b.rank());
    ai.push_back(idx[rank - 2]);
    ai.push_back(r.x);
    bi.push_back(r.x);
    bi.push_back(idx[rank - 1]);
    acc(ix.vars) = 0.0f;
    acc(hvars) += a.at(ai) * b.at(bi);
    stages.reduction = r;
  } else {
    return "not a contraction anchor";
  }
  stages.accumulator = acc;
  value = acc(hvars);
  return "";
}

//===----------------------------------------------------------------------===//
// Pools
//===----------------------------------------------------------------------===//

std::string Lowerer::pool(mlir::Operation *anchor,
                          const std::vector<TensorVal> &ins,
                          KernelStages &stages, Index &ix, Expr &value) {
  const TensorVal &x =
      ins[mlir::cast<mlir::BlockArgument>(anchor->getOperand(0))
              .getArgNumber()];
  llvm::StringRef name = anchor->getName().getStringRef();
  Func acc(sanitize(stages.name) + "_acc");
  std::vector<Expr> &idx = ix.idx;
  std::vector<Expr> hvars(ix.vars.begin(), ix.vars.end());
  Expr n = idx[0], c = idx[1], oh = idx[2], ow = idx[3];
  if (name == "nn.global_avg_pool2d") {
    Halide::RDom r(0, x.shape[3], 0, x.shape[2], "r");
    acc(ix.vars) = 0.0f;
    acc(hvars) += x.at({n, c, r.y, r.x});
    stages.reduction = r;
    stages.accumulator = acc;
    value = acc(hvars) / Halide::cast<float>(x.shape[2] * x.shape[3]);
    return "";
  }
  std::vector<int64_t> k = i64Array(anchor, "kernel", {1, 1});
  std::vector<int64_t> st = i64Array(anchor, "stride", k);
  std::vector<int64_t> pad = i64Array(anchor, "padding", {0, 0, 0, 0});
  bool padded = pad[0] || pad[1] || pad[2] || pad[3];
  Halide::RDom r(0, int(k[1]), 0, int(k[0]), "r");
  Expr hs = oh * int(st[0]) - int(pad[0]), ws = ow * int(st[1]) - int(pad[1]);
  Expr ih = hs + r.y, iw = ws + r.x;
  if (name == "nn.max_pool2d") {
    Expr ninf = Expr(-std::numeric_limits<float>::infinity());
    acc(ix.vars) = ninf;
    acc(hvars) = nanMax(acc(hvars), paddedRead(x, n, c, ih, iw, padded, ninf));
    value = acc(hvars);
  } else if (name == "nn.avg_pool2d") {
    acc(ix.vars) = 0.0f;
    acc(hvars) += paddedRead(x, n, c, ih, iw, padded, 0.0f);
    Expr count;
    if (boolAttr(anchor, "count_include_pad", true) || !padded) {
      count = Expr(float(k[0] * k[1]));
    } else {
      Expr H = x.shape[2], W = x.shape[3];
      Expr ch = Halide::min(hs + int(k[0]), H) - Halide::max(hs, 0);
      Expr cw = Halide::min(ws + int(k[1]), W) - Halide::max(ws, 0);
      count = Halide::cast<float>(Halide::max(ch * cw, 1));
    }
    value = acc(hvars) / count;
  } else {
    return "not a pool anchor";
  }
  stages.reduction = r;
  stages.accumulator = acc;
  return "";
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

std::string Lowerer::reduction(mlir::Operation *anchor,
                               const std::vector<TensorVal> &ins,
                               KernelStages &stages, Index &ix, Expr &value) {
  auto operand = [&](unsigned i) -> const TensorVal & {
    return ins[mlir::cast<mlir::BlockArgument>(anchor->getOperand(i))
                   .getArgNumber()];
  };
  llvm::StringRef name = anchor->getName().getStringRef();
  const TensorVal &x = operand(0);
  int rank = stages.rank;
  std::vector<Expr> hvars(ix.vars.begin(), ix.vars.end());
  if (name == "nn.softmax" || name == "nn.log_softmax") {
    int64_t axis = i64Attr(anchor, "axis", -1);
    if (axis < 0)
      axis += rank;
    math::SoftmaxFuncs f = math::buildSoftmax(
        x.func, int(rank - 1 - axis), x.shape[axis], name == "nn.log_softmax");
    stages.rowStages = {f.rowMax, f.rowSum};
    stages.rowStagesPerRow = axis == rank - 1;
    stages.normalized = f.result;
    value = f.result(hvars);
    return "";
  }
  if (name == "nn.layer_norm") {
    const TensorVal &w = operand(1), &b = operand(2);
    float eps = f32Attr(anchor, "eps", 1e-5f);
    Expr F = x.shape[rank - 1];
    std::vector<Var> rowVars(ix.vars.begin() + 1, ix.vars.end());
    std::vector<Expr> rowArgs(rowVars.begin(), rowVars.end());
    Halide::RDom r(0, F, "f");
    std::vector<Expr> along = rowArgs;
    along.insert(along.begin(), r.x);
    Func mean(sanitize(stages.name) + "_mean"),
        var(sanitize(stages.name) + "_var");
    Expr Ff = Halide::cast<float>(F);
    mean(rowVars) = Halide::sum(x.func(along)) / Ff;
    // Two passes (mean, then squared deviations): no cancellation.
    Expr dev = x.func(along) - mean(rowArgs);
    var(rowVars) = Halide::sum(dev * dev) / Ff;
    Expr u = ix.idx[rank - 1];
    Expr xn = (x.at(ix.idx) - mean(rowArgs)) /
              Halide::sqrt(var(rowArgs) + eps);
    stages.rowStages = {mean, var};
    stages.rowStagesPerRow = true;
    value = xn * w.at({u}) + b.at({u});
    return "";
  }
  return "not a reduction anchor";
}

//===----------------------------------------------------------------------===//
// Copies
//===----------------------------------------------------------------------===//

std::string Lowerer::copy(mlir::Operation *anchor,
                          const std::vector<TensorVal> &ins,
                          const std::vector<int64_t> &resultShape, Index &ix,
                          Expr &value) {
  auto operand = [&](unsigned i) -> const TensorVal & {
    return ins[mlir::cast<mlir::BlockArgument>(anchor->getOperand(i))
                   .getArgNumber()];
  };
  llvm::StringRef name = anchor->getName().getStringRef();
  int rank = int(resultShape.size());
  if (name == "nn.transpose") {
    std::vector<int64_t> perm = i64Array(anchor, "perm", {});
    std::vector<Expr> inIdx(rank);
    for (int i = 0; i < rank; ++i)
      inIdx[perm[i]] = ix.idx[i];
    value = operand(0).at(inIdx);
    return "";
  }
  if (name == "nn.concat") {
    int64_t axis = i64Attr(anchor, "axis", 1);
    if (axis < 0)
      axis += rank;
    Expr offset = 0;
    Expr i = ix.idx[axis];
    unsigned n = anchor->getNumOperands();
    // Nested selects from the last operand back; each read is clamped into
    // its operand so bounds inference asks no more of it than it has.
    std::vector<Expr> offsets;
    for (unsigned k = 0; k < n; ++k) {
      offsets.push_back(offset);
      offset = Halide::Internal::simplify(offset + operand(k).shape[axis]);
    }
    Expr v;
    for (int k = int(n) - 1; k >= 0; --k) {
      const TensorVal &t = operand(unsigned(k));
      std::vector<Expr> at = ix.idx;
      at[axis] = Halide::clamp(i - offsets[k], 0, t.shape[axis] - 1);
      Expr read = t.at(at);
      v = v.defined() ? Halide::select(i < offsets[k] + t.shape[axis], read, v)
                      : read;
    }
    value = v;
    return "";
  }
  return "not a copy anchor";
}

} // namespace

//===----------------------------------------------------------------------===//
// Entry point
//===----------------------------------------------------------------------===//

std::string lowerModule(mlir::ModuleOp module, const LoweringOptions &options,
                        LoweredModel &out) {
  auto funcs = module.getOps<mlir::func::FuncOp>();
  if (funcs.empty())
    return "the module has no func.func";
  std::optional<target::TargetInfo> info = target::lookupTarget(options.target);
  if (!info)
    return "unknown target '" + options.target + "'";
  out = LoweredModel();
  out.target = info->name;
  try {
    Lowerer lowerer(out);
    if (std::string e = lowerer.run(*funcs.begin()); !e.empty())
      return e;
    if (options.applySchedules) {
      if (std::string e = applySchedules(out, info->vectorWidth); !e.empty())
        return e;
    } else
      for (KernelStages &k : out.kernels)
        k.result.compute_root();
  } catch (const Halide::Error &err) {
    return std::string("Halide error: ") + err.what();
  }
  return "";
}

} // namespace actc::halide
