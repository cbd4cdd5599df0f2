// SPDX-License-Identifier: Apache-2.0
//
// The handlers of the nn ops: plain loops in double precision, following
// SPEC.md section 1 and ACTIVATIONS.md (through Activations.h). Shapes come
// from the operands at run time (dynamic dims included); the walker checks
// each result against the op's result type. Accumulations (dense, conv2d,
// matmul, pools, norms) are plain double sums in index order.

#include "compiler/interpreter/Activations.h"
#include "compiler/interpreter/Interpreter.h"

#include "dialects/NN/IR/NNOps.h"

#include <cmath>

using namespace mlir;

namespace actc::interp {
namespace {

double toDouble(const llvm::APFloat &f) { return f.convertToDouble(); }

int64_t product(llvm::ArrayRef<int64_t> dims) {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

/// An axis in [-rank, rank) (or [-rank, rank] with `inclusive`) made
/// non-negative.
int64_t normalizeAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

/// Registers an elementwise activation: `make(op)` gives the scalar function
/// with the op's attributes bound.
template <typename OpTy, typename Make>
void addActivation(OpRegistry &registry, Make make) {
  registry.add(OpTy::getOperationName(), [make](OpCall &call) -> LogicalResult {
    auto fn = make(cast<OpTy>(call.op));
    Tensor y = call.operand(0);
    for (double &v : y.data)
      v = fn(v);
    call.results.push_back(std::move(y));
    return success();
  });
}

template <typename OpTy> void addSoftmax(OpRegistry &registry, bool log) {
  registry.add(OpTy::getOperationName(), [log](OpCall &call) -> LogicalResult {
    const Tensor &x = call.operand(0);
    int64_t axis =
        normalizeAxis(int64_t(cast<OpTy>(call.op).getAxis()), x.rank());
    if (axis < 0 || axis >= x.rank())
      return call.op->emitOpError()
             << "axis out of range for rank " << x.rank();
    Tensor y = Tensor::filled(x.shape);
    int64_t n = x.shape[axis];
    int64_t inner = product(llvm::ArrayRef(x.shape).drop_front(axis + 1));
    int64_t outer = product(llvm::ArrayRef(x.shape).take_front(axis));
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < inner; ++i) {
        const double *in = x.data.data() + o * n * inner + i;
        double *out = y.data.data() + o * n * inner + i;
        if (log)
          ref::logSoftmax(in, out, long(n), long(inner));
        else
          ref::softmax(in, out, long(n), long(inner));
      }
    call.results.push_back(std::move(y));
    return success();
  });
}

void registerActivations(OpRegistry &r) {
  using namespace nn;
  addActivation<ReluOp>(r, [](ReluOp) { return ref::relu; });
  addActivation<LeakyReluOp>(r, [](LeakyReluOp op) {
    double alpha = toDouble(op.getAlpha());
    return [alpha](double x) { return ref::leakyRelu(x, alpha); };
  });
  addActivation<Relu6Op>(r, [](Relu6Op) { return ref::relu6; });
  addActivation<LeakyRelu6Op>(r, [](LeakyRelu6Op op) {
    double alpha = toDouble(op.getAlpha()), cap = toDouble(op.getCap());
    return [=](double x) { return ref::leakyRelu6(x, alpha, cap); };
  });
  addActivation<ClipOp>(r, [](ClipOp op) {
    double lo = toDouble(op.getLo()), hi = toDouble(op.getHi());
    return [=](double x) { return ref::clip(x, lo, hi); };
  });
  addActivation<EluOp>(r, [](EluOp op) {
    double alpha = toDouble(op.getAlpha());
    return [=](double x) { return ref::elu(x, alpha); };
  });
  addActivation<SeluOp>(r, [](SeluOp op) {
    double alpha = toDouble(op.getAlpha()), gamma = toDouble(op.getGamma());
    return [=](double x) { return ref::selu(x, alpha, gamma); };
  });
  addActivation<CeluOp>(r, [](CeluOp op) {
    double alpha = toDouble(op.getAlpha());
    return [=](double x) { return ref::celu(x, alpha); };
  });
  addActivation<ThresholdedReluOp>(r, [](ThresholdedReluOp op) {
    double alpha = toDouble(op.getAlpha());
    return [=](double x) { return ref::thresholdedRelu(x, alpha); };
  });
  addActivation<SigmoidOp>(r, [](SigmoidOp) { return ref::sigmoid; });
  addActivation<HardSigmoidOp>(r, [](HardSigmoidOp op) {
    double alpha = toDouble(op.getAlpha()), beta = toDouble(op.getBeta());
    return [=](double x) { return ref::hardSigmoid(x, alpha, beta); };
  });
  addActivation<TanhOp>(r, [](TanhOp) { return ref::tanh; });
  addActivation<SiluOp>(r, [](SiluOp) { return ref::silu; });
  addActivation<SwishOp>(r, [](SwishOp op) {
    double beta = toDouble(op.getBeta());
    return [=](double x) { return ref::swish(x, beta); };
  });
  addActivation<HardSwishOp>(r, [](HardSwishOp) { return ref::hardSwish; });
  addActivation<GeluOp>(r, [](GeluOp op) {
    return op.getApproximate() == "tanh" ? ref::geluTanh : ref::geluExact;
  });
  addActivation<MishOp>(r, [](MishOp) { return ref::mish; });
  addActivation<SoftplusOp>(r, [](SoftplusOp op) {
    double beta = toDouble(op.getBeta()), thr = toDouble(op.getThreshold());
    return [=](double x) { return ref::softplus(x, beta, thr); };
  });
  addActivation<SoftsignOp>(r, [](SoftsignOp) { return ref::softsign; });
  addSoftmax<SoftmaxOp>(r, /*log=*/false);
  addSoftmax<LogSoftmaxOp>(r, /*log=*/true);
}

//===----------------------------------------------------------------------===//
// Broadcasting
//===----------------------------------------------------------------------===//

/// numpy's broadcast of two shapes; false when they do not broadcast.
bool broadcastShapes(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b,
                     std::vector<int64_t> &out) {
  size_t rank = std::max(a.size(), b.size());
  out.assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return false;
    out[i] = da == 1 ? db : da;
  }
  return true;
}

/// Strides of `shape` aligned right against `outShape`, 0 on broadcast dims.
std::vector<int64_t> broadcastStrides(llvm::ArrayRef<int64_t> shape,
                                      llvm::ArrayRef<int64_t> outShape) {
  std::vector<int64_t> strides(outShape.size(), 0);
  int64_t stride = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    size_t o = i + outShape.size() - shape.size();
    strides[o] = shape[i] == 1 ? 0 : stride;
    stride *= shape[i];
  }
  return strides;
}

/// Calls fn(outIndex, aOffset, bOffset) over every element of `outShape`.
template <typename Fn>
void forEachBroadcast(llvm::ArrayRef<int64_t> outShape,
                      const std::vector<int64_t> &aStrides,
                      const std::vector<int64_t> &bStrides, Fn fn) {
  int64_t n = product(outShape);
  size_t rank = outShape.size();
  std::vector<int64_t> index(rank, 0);
  int64_t ao = 0, bo = 0;
  for (int64_t k = 0; k < n; ++k) {
    fn(k, ao, bo);
    for (size_t d = rank; d-- > 0;) {
      ++index[d];
      ao += aStrides[d];
      bo += bStrides[d];
      if (index[d] < outShape[d])
        break;
      ao -= aStrides[d] * index[d];
      bo -= bStrides[d] * index[d];
      index[d] = 0;
    }
  }
}

template <typename OpTy, typename Fn>
void addBroadcast(OpRegistry &registry, Fn fn) {
  registry.add(OpTy::getOperationName(), [fn](OpCall &call) -> LogicalResult {
    const Tensor &a = call.operand(0), &b = call.operand(1);
    std::vector<int64_t> shape;
    if (!broadcastShapes(a.shape, b.shape, shape))
      return call.op->emitOpError()
             << "cannot broadcast " << formatShape(a.shape) << " with "
             << formatShape(b.shape);
    Tensor y = Tensor::filled(shape);
    forEachBroadcast(shape, broadcastStrides(a.shape, shape),
                     broadcastStrides(b.shape, shape),
                     [&](int64_t k, int64_t ao, int64_t bo) {
                       y.data[k] = fn(a.data[ao], b.data[bo]);
                     });
    call.results.push_back(std::move(y));
    return success();
  });
}

LogicalResult matmul(OpCall &call) {
  const Tensor &a = call.operand(0), &b = call.operand(1);
  if (a.rank() < 2 || b.rank() < 2)
    return call.op->emitOpError() << "needs operands of rank >= 2";
  int64_t m = a.shape[a.rank() - 2], k = a.shape[a.rank() - 1];
  int64_t k2 = b.shape[b.rank() - 2], n = b.shape[b.rank() - 1];
  if (k != k2)
    return call.op->emitOpError() << "contracts " << k << " with " << k2;
  llvm::ArrayRef<int64_t> aBatch = llvm::ArrayRef(a.shape).drop_back(2);
  llvm::ArrayRef<int64_t> bBatch = llvm::ArrayRef(b.shape).drop_back(2);
  std::vector<int64_t> batch;
  if (!broadcastShapes(aBatch, bBatch, batch))
    return call.op->emitOpError()
           << "cannot broadcast the batch dims " << formatShape(aBatch)
           << " and " << formatShape(bBatch);
  std::vector<int64_t> shape = batch;
  shape.push_back(m);
  shape.push_back(n);
  Tensor y = Tensor::filled(shape);
  std::vector<int64_t> aStrides = broadcastStrides(aBatch, batch);
  std::vector<int64_t> bStrides = broadcastStrides(bBatch, batch);
  forEachBroadcast(batch, aStrides, bStrides,
                   [&](int64_t bi, int64_t ao, int64_t bo) {
                     const double *pa = a.data.data() + ao * m * k;
                     const double *pb = b.data.data() + bo * k * n;
                     double *py = y.data.data() + bi * m * n;
                     for (int64_t i = 0; i < m; ++i)
                       for (int64_t j = 0; j < n; ++j) {
                         double sum = 0;
                         for (int64_t p = 0; p < k; ++p)
                           sum += pa[i * k + p] * pb[p * n + j];
                         py[i * n + j] = sum;
                       }
                   });
  call.results.push_back(std::move(y));
  return success();
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

LogicalResult param(OpCall &call) {
  auto op = cast<nn::ParamOp>(call.op);
  const weights::WeightMap *weights = call.interp.getWeights();
  if (!weights)
    return op.emitOpError() << "reads '" << op.getName()
                            << "', but the interpreter has no weights";
  auto it = weights->find(op.getName().str());
  if (it == weights->end())
    return op.emitOpError()
           << "reads '" << op.getName() << "', which the weights do not hold";
  const weights::WeightTensor &w = it->second;
  std::vector<int64_t> typed = typeShape(op.getType());
  // A weights file may hold another accepted shape (prelu: [C] for [1]).
  bool acceptable =
      w.shape == typed || (w.shape.size() == 1 && typed.size() == 1);
  if (!acceptable || int64_t(w.data.size()) != product(w.shape))
    return op.emitOpError() << "reads '" << op.getName() << "' of shape "
                            << formatShape(w.shape) << " as " << op.getType();
  Tensor t;
  t.shape = w.shape;
  t.data.assign(w.data.begin(), w.data.end());
  call.results.push_back(std::move(t));
  return success();
}

LogicalResult dense(OpCall &call) {
  const Tensor &x = call.operand(0), &w = call.operand(1);
  const Tensor *b = call.operands.size() > 2 ? call.operands[2] : nullptr;
  if (x.rank() < 1 || w.rank() != 2 || x.shape.back() != w.shape[1])
    return call.op->emitOpError()
           << "cannot multiply " << formatShape(x.shape)
           << " by the transpose of " << formatShape(w.shape);
  int64_t in = w.shape[1], units = w.shape[0];
  int64_t rows = product(llvm::ArrayRef(x.shape).drop_back());
  std::vector<int64_t> shape = x.shape;
  shape.back() = units;
  Tensor y = Tensor::filled(shape);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t u = 0; u < units; ++u) {
      double sum = 0;
      for (int64_t i = 0; i < in; ++i)
        sum += x.data[r * in + i] * w.data[u * in + i];
      if (b)
        sum += b->data[u];
      y.data[r * units + u] = sum;
    }
  call.results.push_back(std::move(y));
  return success();
}

LogicalResult conv2d(OpCall &call) {
  auto op = cast<nn::Conv2DOp>(call.op);
  const Tensor &x = call.operand(0), &w = call.operand(1);
  const Tensor *b = op.getBias() ? call.operands[2] : nullptr;
  llvm::ArrayRef<int64_t> stride = op.getStride(), pad = op.getPadding(),
                          dil = op.getDilation();
  int64_t groups = int64_t(op.getGroups());
  if (x.rank() != 4 || w.rank() != 4 || groups < 1 ||
      x.shape[1] != w.shape[1] * groups || w.shape[0] % groups)
    return op.emitOpError()
           << "cannot convolve " << formatShape(x.shape) << " with "
           << formatShape(w.shape) << " in " << groups << " groups";
  int64_t n = x.shape[0], c = x.shape[1], h = x.shape[2], wd = x.shape[3];
  int64_t f = w.shape[0], cg = w.shape[1], kh = w.shape[2], kw = w.shape[3];
  int64_t oh = (h + pad[0] + pad[2] - dil[0] * (kh - 1) - 1) / stride[0] + 1;
  int64_t ow = (wd + pad[1] + pad[3] - dil[1] * (kw - 1) - 1) / stride[1] + 1;
  if (oh < 1 || ow < 1)
    return op.emitOpError()
           << "has an empty output for input " << formatShape(x.shape);
  Tensor y = Tensor::filled({n, f, oh, ow});
  int64_t fg = f / groups;
  for (int64_t in = 0; in < n; ++in)
    for (int64_t of = 0; of < f; ++of) {
      int64_t g = of / fg;
      for (int64_t oy = 0; oy < oh; ++oy)
        for (int64_t ox = 0; ox < ow; ++ox) {
          double sum = 0;
          for (int64_t ci = 0; ci < cg; ++ci) {
            int64_t ic = g * cg + ci;
            for (int64_t ky = 0; ky < kh; ++ky) {
              int64_t iy = oy * stride[0] - pad[0] + ky * dil[0];
              if (iy < 0 || iy >= h)
                continue;
              for (int64_t kx = 0; kx < kw; ++kx) {
                int64_t ix = ox * stride[1] - pad[1] + kx * dil[1];
                if (ix < 0 || ix >= wd)
                  continue;
                sum += x.data[((in * c + ic) * h + iy) * wd + ix] *
                       w.data[((of * cg + ci) * kh + ky) * kw + kx];
              }
            }
          }
          if (b)
            sum += b->data[of];
          y.data[((in * f + of) * oh + oy) * ow + ox] = sum;
        }
    }
  call.results.push_back(std::move(y));
  return success();
}

LogicalResult batchNorm(OpCall &call) {
  auto op = cast<nn::BatchNormOp>(call.op);
  const Tensor &x = call.operand(0), &w = call.operand(1), &b = call.operand(2),
               &mean = call.operand(3), &var = call.operand(4);
  double eps = toDouble(op.getEps());
  if (x.rank() < 2)
    return op.emitOpError() << "needs rank >= 2, found " << x.rank();
  int64_t c = x.shape[1];
  for (const Tensor *p : {&w, &b, &mean, &var})
    if (p->numElements() != c)
      return op.emitOpError()
             << "has a parameter of shape " << formatShape(p->shape) << " for "
             << c << " channels";
  int64_t inner = product(llvm::ArrayRef(x.shape).drop_front(2));
  Tensor y = x;
  for (size_t k = 0; k < y.data.size(); ++k) {
    int64_t ch = (int64_t(k) / inner) % c;
    y.data[k] = (x.data[k] - mean.data[ch]) / std::sqrt(var.data[ch] + eps) *
                    w.data[ch] +
                b.data[ch];
  }
  call.results.push_back(std::move(y));
  return success();
}

LogicalResult layerNorm(OpCall &call) {
  auto op = cast<nn::LayerNormOp>(call.op);
  const Tensor &x = call.operand(0), &w = call.operand(1), &b = call.operand(2);
  double eps = toDouble(op.getEps());
  if (x.rank() < 1 || w.numElements() != x.shape.back() ||
      b.numElements() != x.shape.back())
    return op.emitOpError() << "cannot normalise " << formatShape(x.shape)
                            << " with parameters " << formatShape(w.shape);
  int64_t n = x.shape.back();
  int64_t rows = n ? x.numElements() / n : 0;
  Tensor y = x;
  for (int64_t r = 0; r < rows; ++r) {
    const double *row = x.data.data() + r * n;
    double mean = 0;
    for (int64_t i = 0; i < n; ++i)
      mean += row[i];
    mean /= double(n);
    double var = 0;
    for (int64_t i = 0; i < n; ++i)
      var += (row[i] - mean) * (row[i] - mean);
    var /= double(n);
    double inv = 1.0 / std::sqrt(var + eps);
    for (int64_t i = 0; i < n; ++i)
      y.data[r * n + i] = (row[i] - mean) * inv * w.data[i] + b.data[i];
  }
  call.results.push_back(std::move(y));
  return success();
}

template <typename OpTy> LogicalResult pool(OpCall &call, bool isMax) {
  auto op = cast<OpTy>(call.op);
  const Tensor &x = call.operand(0);
  llvm::ArrayRef<int64_t> k = op.getKernel(), s = op.getStride(),
                          pad = op.getPadding();
  bool includePad = true;
  if constexpr (std::is_same_v<OpTy, nn::AvgPool2DOp>)
    includePad = op.getCountIncludePad();
  if (x.rank() != 4)
    return op.emitOpError()
           << "needs an NCHW input, found " << formatShape(x.shape);
  int64_t n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
  int64_t oh = (h + pad[0] + pad[2] - k[0]) / s[0] + 1;
  int64_t ow = (w + pad[1] + pad[3] - k[1]) / s[1] + 1;
  if (oh < 1 || ow < 1)
    return op.emitOpError()
           << "has an empty output for input " << formatShape(x.shape);
  Tensor y = Tensor::filled({n, c, oh, ow});
  for (int64_t plane = 0; plane < n * c; ++plane)
    for (int64_t oy = 0; oy < oh; ++oy)
      for (int64_t ox = 0; ox < ow; ++ox) {
        double acc = isMax ? -INFINITY : 0.0;
        int64_t count = 0;
        for (int64_t ky = 0; ky < k[0]; ++ky)
          for (int64_t kx = 0; kx < k[1]; ++kx) {
            int64_t iy = oy * s[0] - pad[0] + ky, ix = ox * s[1] - pad[1] + kx;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w)
              continue; // padding: -Inf for max, 0 for average
            double v = x.data[(plane * h + iy) * w + ix];
            ++count;
            if (!isMax)
              acc += v;
            else if (std::isnan(v) || v > acc)
              acc = std::isnan(acc) ? acc : v;
          }
        if (!isMax)
          acc /= double(includePad ? k[0] * k[1] : count);
        y.data[(plane * oh + oy) * ow + ox] = acc;
      }
  call.results.push_back(std::move(y));
  return success();
}

LogicalResult globalAvgPool(OpCall &call) {
  const Tensor &x = call.operand(0);
  if (x.rank() != 4)
    return call.op->emitOpError()
           << "needs an NCHW input, found " << formatShape(x.shape);
  int64_t hw = x.shape[2] * x.shape[3];
  Tensor y = Tensor::filled({x.shape[0], x.shape[1], 1, 1});
  for (int64_t p = 0; p < x.shape[0] * x.shape[1]; ++p) {
    double sum = 0;
    for (int64_t i = 0; i < hw; ++i)
      sum += x.data[p * hw + i];
    y.data[p] = sum / double(hw);
  }
  call.results.push_back(std::move(y));
  return success();
}

LogicalResult prelu(OpCall &call) {
  const Tensor &x = call.operand(0), &slope = call.operand(1);
  int64_t axis = x.rank() == 1 ? 0 : 1;
  if (x.rank() < 1)
    return call.op->emitOpError() << "needs rank >= 1";
  int64_t c = x.shape[axis];
  int64_t ns = slope.numElements();
  if (ns != 1 && ns != c)
    return call.op->emitOpError()
           << "has a slope of shape " << formatShape(slope.shape) << " for "
           << c << " channels";
  int64_t inner = product(llvm::ArrayRef(x.shape).drop_front(axis + 1));
  Tensor y = x;
  for (size_t k = 0; k < y.data.size(); ++k) {
    double a = ns == 1 ? slope.data[0] : slope.data[(int64_t(k) / inner) % c];
    double v = x.data[k];
    y.data[k] = v >= 0 ? v : a * v;
  }
  call.results.push_back(std::move(y));
  return success();
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

LogicalResult flatten(OpCall &call) {
  const Tensor &x = call.operand(0);
  int64_t axis =
      normalizeAxis(int64_t(cast<nn::FlattenOp>(call.op).getAxis()), x.rank());
  if (axis < 0 || axis > x.rank())
    return call.op->emitOpError() << "axis out of range for rank " << x.rank();
  Tensor y = x;
  y.shape = {product(llvm::ArrayRef(x.shape).take_front(axis)),
             product(llvm::ArrayRef(x.shape).drop_front(axis))};
  call.results.push_back(std::move(y));
  return success();
}

LogicalResult reshape(OpCall &call) {
  const Tensor &x = call.operand(0);
  llvm::ArrayRef<int64_t> spec = cast<nn::ReshapeOp>(call.op).getShape();
  std::vector<int64_t> shape(spec.begin(), spec.end());
  int64_t known = 1, unknown = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1)
      unknown = int64_t(i);
    else
      known *= shape[i];
  }
  if (unknown >= 0 && known > 0)
    shape[unknown] = x.numElements() / known;
  if (product(shape) != x.numElements())
    return call.op->emitOpError() << "cannot reshape " << formatShape(x.shape)
                                  << " to " << formatShape(shape);
  Tensor y = x;
  y.shape = shape;
  call.results.push_back(std::move(y));
  return success();
}

LogicalResult transpose(OpCall &call) {
  const Tensor &x = call.operand(0);
  llvm::ArrayRef<int64_t> perm = cast<nn::TransposeOp>(call.op).getPerm();
  if (int64_t(perm.size()) != x.rank())
    return call.op->emitOpError() << "has a permutation of " << perm.size()
                                  << " axes for rank " << x.rank();
  std::vector<int64_t> shape(perm.size()), inStrides = x.strides(),
                                           strides(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) {
    shape[i] = x.shape[perm[i]];
    strides[i] = inStrides[perm[i]];
  }
  Tensor y = Tensor::filled(shape);
  std::vector<int64_t> zero(shape.size(), 0);
  forEachBroadcast(shape, strides, zero, [&](int64_t k, int64_t off, int64_t) {
    y.data[k] = x.data[off];
  });
  call.results.push_back(std::move(y));
  return success();
}

LogicalResult concat(OpCall &call) {
  const Tensor &first = call.operand(0);
  int64_t rank = first.rank();
  int64_t axis =
      normalizeAxis(int64_t(cast<nn::ConcatOp>(call.op).getAxis()), rank);
  if (axis < 0 || axis >= rank)
    return call.op->emitOpError() << "axis out of range for rank " << rank;
  std::vector<int64_t> shape = first.shape;
  shape[axis] = 0;
  for (const Tensor *t : call.operands) {
    bool ok = t->rank() == rank;
    for (int64_t d = 0; ok && d < rank; ++d)
      ok = d == axis || t->shape[d] == first.shape[d];
    if (!ok)
      return call.op->emitOpError() << "cannot join " << formatShape(t->shape)
                                    << " to " << formatShape(first.shape);
    shape[axis] += t->shape[axis];
  }
  int64_t outer = product(llvm::ArrayRef(shape).take_front(axis));
  int64_t inner = product(llvm::ArrayRef(shape).drop_front(axis + 1));
  Tensor y;
  y.shape = shape;
  y.data.reserve(size_t(product(shape)));
  for (int64_t o = 0; o < outer; ++o)
    for (const Tensor *t : call.operands) {
      int64_t chunk = t->shape[axis] * inner;
      y.data.insert(y.data.end(), t->data.begin() + o * chunk,
                    t->data.begin() + (o + 1) * chunk);
    }
  call.results.push_back(std::move(y));
  return success();
}

} // namespace

void registerNNHandlers(OpRegistry &r) {
  using namespace nn;
  r.add(ParamOp::getOperationName(), param);
  r.add(DenseOp::getOperationName(), dense);
  r.add(Conv2DOp::getOperationName(), conv2d);
  r.add(BatchNormOp::getOperationName(), batchNorm);
  r.add(LayerNormOp::getOperationName(), layerNorm);
  r.add(MaxPool2DOp::getOperationName(),
        [](OpCall &call) { return pool<MaxPool2DOp>(call, /*isMax=*/true); });
  r.add(AvgPool2DOp::getOperationName(),
        [](OpCall &call) { return pool<AvgPool2DOp>(call, /*isMax=*/false); });
  r.add(GlobalAvgPool2DOp::getOperationName(), globalAvgPool);
  addBroadcast<AddOp>(r, [](double a, double b) { return a + b; });
  addBroadcast<SubOp>(r, [](double a, double b) { return a - b; });
  addBroadcast<MulOp>(r, [](double a, double b) { return a * b; });
  r.add(MatmulOp::getOperationName(), matmul);
  r.add(FlattenOp::getOperationName(), flatten);
  r.add(ReshapeOp::getOperationName(), reshape);
  r.add(TransposeOp::getOperationName(), transpose);
  r.add(ConcatOp::getOperationName(), concat);
  r.add(PReluOp::getOperationName(), prelu);
  registerActivations(r);
}

} // namespace actc::interp
