// SPDX-License-Identifier: Apache-2.0
//
// The kern.kernel and kern.activation handlers of the reference interpreter
// (KernOps.h).

#include "compiler/interpreter/KernOps.h"

#include "compiler/interpreter/Activations.h"
#include "dialects/Kern/IR/KernOps.h"

#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/DialectRegistry.h"

#include <functional>
#include <string>

using namespace mlir;

namespace actc::interp {
namespace {

/// The result's run-time shape of a map kernel: each dimension from an
/// operand that indexes it (static dimensions from the type).
FailureOr<std::vector<int64_t>> mapShape(kern::KernelOp kernel,
                                         llvm::ArrayRef<const Tensor *> ins) {
  auto type = kernel.getResult().getType();
  std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (!ShapedType::isDynamic(shape[d]))
      continue;
    for (auto [input, mapAttr] :
         llvm::zip(kernel.getScalarInputs(), kernel.getScalarMaps())) {
      AffineMap map = cast<AffineMapAttr>(mapAttr).getValue();
      for (unsigned j = 0; j < map.getNumResults(); ++j)
        if (auto dim = dyn_cast<AffineDimExpr>(map.getResult(j));
            dim && dim.getPosition() == d && input >= 0)
          shape[d] = ins[input]->shape[j];
    }
    if (ShapedType::isDynamic(shape[d]))
      return kernel.emitOpError() << "has a dynamic result dimension " << d
                                  << " that no scalar input indexes";
  }
  return shape;
}

LogicalResult runKernel(OpCall &call) {
  auto kernel = cast<kern::KernelOp>(call.op);
  Block &body = kernel.getBody().front();
  Tensor anchorValue;
  std::vector<int64_t> shape;
  if (kernel.getKind() != kern::kind::kMap) {
    Operation *anchor = kernel.getAnchor();
    llvm::SmallVector<const Tensor *> operands;
    for (Value v : anchor->getOperands()) {
      auto arg = dyn_cast<BlockArgument>(v);
      if (!arg || arg.getOwner() != &body)
        return anchor->emitOpError()
               << "reads a value that is not a kernel operand";
      operands.push_back(call.operands[arg.getArgNumber()]);
    }
    const OpHandler *handler =
        call.interp.registry().lookup(anchor->getName().getStringRef());
    if (!handler)
      return anchor->emitOpError()
             << "has no handler in the reference interpreter";
    OpCall anchorCall{anchor, operands, {}, call.interp};
    if (failed((*handler)(anchorCall)))
      return failure();
    anchorValue = std::move(anchorCall.results.front());
    shape = anchorValue.shape;
  } else {
    FailureOr<std::vector<int64_t>> s = mapShape(kernel, call.operands);
    if (failed(s))
      return failure();
    shape = *s;
  }

  // The sources and index maps of the scalar region's arguments.
  struct Source {
    const Tensor *tensor;
    std::vector<int64_t> strides;
    AffineMap map;
  };
  std::vector<Source> sources;
  for (auto [input, mapAttr] :
       llvm::zip(kernel.getScalarInputs(), kernel.getScalarMaps())) {
    const Tensor *t = input < 0 ? &anchorValue : call.operands[input];
    sources.push_back(
        {t, t->strides(), cast<AffineMapAttr>(mapAttr).getValue()});
  }

  Tensor out = Tensor::filled(shape);
  std::vector<int64_t> index(shape.size(), 0);
  std::vector<Tensor> args(sources.size());
  for (int64_t flat = 0, n = out.numElements(); flat < n; ++flat) {
    for (auto [k, source] : llvm::enumerate(sources)) {
      int64_t offset = 0;
      for (unsigned j = 0; j < source.map.getNumResults(); ++j) {
        AffineExpr e = source.map.getResult(j);
        int64_t i = 0;
        if (auto dim = dyn_cast<AffineDimExpr>(e))
          i = index[dim.getPosition()];
        else if (auto c = dyn_cast<AffineConstantExpr>(e))
          i = c.getValue();
        if (i >= source.tensor->shape[j])
          return kernel.emitOpError()
                 << "scalar map " << k << " reads index " << i
                 << " of a dimension of size " << source.tensor->shape[j];
        offset += i * source.strides[j];
      }
      args[k] = Tensor::scalar(source.tensor->data[offset]);
    }
    FailureOr<std::vector<Tensor>> value =
        call.interp.runRegion(kernel.getScalar(), args);
    if (failed(value))
      return failure();
    out.data[flat] = value->front().data.front();
    for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  call.results.push_back(std::move(out));
  return success();
}

/// kern.activation: the double-precision reference of the named activation
/// (the same functions the nn ops' handlers call), its attributes read from
/// `params`.
LogicalResult runActivation(OpCall &call) {
  auto op = cast<kern::ActivationOp>(call.op);
  DictionaryAttr params = op.getParams();
  StringRef name = op.getActivation();
  std::string missing;
  auto num = [&](StringRef key) -> double {
    if (auto a = dyn_cast_or_null<FloatAttr>(params.get(key)))
      return a.getValueAsDouble();
    missing = key.str();
    return 0.0;
  };
  std::function<double(double)> fn;
  if (name == "elu") {
    double alpha = num("alpha");
    fn = [=](double x) { return ref::elu(x, alpha); };
  } else if (name == "selu") {
    double alpha = num("alpha"), gamma = num("gamma");
    fn = [=](double x) { return ref::selu(x, alpha, gamma); };
  } else if (name == "celu") {
    double alpha = num("alpha");
    fn = [=](double x) { return ref::celu(x, alpha); };
  } else if (name == "sigmoid") {
    fn = ref::sigmoid;
  } else if (name == "hard_sigmoid") {
    double alpha = num("alpha"), beta = num("beta");
    fn = [=](double x) { return ref::hardSigmoid(x, alpha, beta); };
  } else if (name == "tanh") {
    fn = ref::tanh;
  } else if (name == "silu") {
    fn = ref::silu;
  } else if (name == "swish") {
    double beta = num("beta");
    fn = [=](double x) { return ref::swish(x, beta); };
  } else if (name == "hard_swish") {
    fn = ref::hardSwish;
  } else if (name == "gelu") {
    auto approximate = dyn_cast_or_null<StringAttr>(params.get("approximate"));
    if (!approximate)
      missing = "approximate";
    else if (approximate.getValue() == "tanh")
      fn = ref::geluTanh;
    else if (approximate.getValue() == "none")
      fn = ref::geluExact;
    else
      return op.emitOpError()
             << "has gelu approximate '" << approximate.getValue()
             << "' (expected \"none\" or \"tanh\")";
  } else if (name == "mish") {
    fn = ref::mish;
  } else if (name == "softplus") {
    double beta = num("beta"), threshold = num("threshold");
    fn = [=](double x) { return ref::softplus(x, beta, threshold); };
  } else if (name == "softsign") {
    fn = ref::softsign;
  } else {
    return op.emitOpError() << "names an activation the interpreter does not "
                               "know: '"
                            << name << "'";
  }
  if (!missing.empty())
    return op.emitOpError()
           << "lacks the " << name << " parameter '" << missing << "'";
  Tensor y = call.operand(0);
  for (double &v : y.data)
    v = fn(v);
  call.results.push_back(std::move(y));
  return success();
}

} // namespace

void registerKernHandlers(OpRegistry &registry) {
  registry.add("kern.kernel", runKernel);
  registry.add("kern.activation", runActivation);
}

void registerKernInterpreterDialects(DialectRegistry &registry) {
  registerInterpreterDialects(registry);
  registry.insert<kern::KernDialect>();
}

} // namespace actc::interp
