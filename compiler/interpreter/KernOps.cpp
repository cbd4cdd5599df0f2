// SPDX-License-Identifier: Apache-2.0
//
// The kern.kernel handler of the reference interpreter (KernOps.h).

#include "compiler/interpreter/KernOps.h"

#include "dialects/Kern/IR/KernOps.h"

#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/DialectRegistry.h"

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

} // namespace

void registerKernHandlers(OpRegistry &registry) {
  registry.add("kern.kernel", runKernel);
}

void registerKernInterpreterDialects(DialectRegistry &registry) {
  registerInterpreterDialects(registry);
  registry.insert<kern::KernDialect>();
}

} // namespace actc::interp
