// SPDX-License-Identifier: Apache-2.0
//
// See Interpreter.h: the registry, the block walker (operands looked up
// through a stack of scopes, so a nested region sees the values of the
// blocks around it), argument checking and constants.

#include "compiler/interpreter/Interpreter.h"

#include "dialects/NN/IR/NNDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include "llvm/ADT/DenseMap.h"

#include <cstring>

using namespace mlir;

namespace actc::interp {

//===----------------------------------------------------------------------===//
// Registry
//===----------------------------------------------------------------------===//

void OpRegistry::add(llvm::StringRef opName, OpHandler handler) {
  handlers[opName] = std::move(handler);
}

const OpHandler *OpRegistry::lookup(llvm::StringRef opName) const {
  auto it = handlers.find(opName);
  return it == handlers.end() ? nullptr : &it->second;
}

void registerInterpreterDialects(DialectRegistry &registry) {
  registry.insert<nn::NNDialect, func::FuncDialect, arith::ArithDialect,
                  math::MathDialect>();
}

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

std::vector<int64_t> typeShape(Type type) {
  auto shaped = dyn_cast<RankedTensorType>(type);
  if (!shaped)
    return {};
  std::vector<int64_t> shape;
  for (int64_t d : shaped.getShape())
    shape.push_back(ShapedType::isDynamic(d) ? -1 : d);
  return shape;
}

LogicalResult checkResultShape(Operation *op, Type type,
                               const std::vector<int64_t> &shape) {
  std::vector<int64_t> expected = typeShape(type);
  bool ok = expected.size() == shape.size();
  for (size_t i = 0; ok && i < shape.size(); ++i)
    ok = expected[i] < 0 || expected[i] == shape[i];
  if (ok)
    return success();
  return op->emitOpError() << "computes a result of shape "
                           << formatShape(shape) << ", but its type is "
                           << type;
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

FailureOr<Tensor> Interpreter::constantValue(Operation *op, Attribute value) {
  if (auto f = dyn_cast<FloatAttr>(value))
    return Tensor::scalar(f.getValueAsDouble());
  if (auto i = dyn_cast<IntegerAttr>(value)) {
    if (i.getType().isInteger(1))
      return Tensor::scalar(i.getValue().getBoolValue() ? 1.0 : 0.0);
    return Tensor::scalar(double(i.getValue().getSExtValue()));
  }
  if (auto res = dyn_cast<DenseResourceElementsAttr>(value)) {
    Tensor t;
    t.shape = res.getType().getShape().vec();
    int64_t n = res.getType().getNumElements();
    AsmResourceBlob *blob = res.getRawHandle().getBlob();
    if (!blob)
      return op->emitOpError()
             << "dense_resource<" << res.getRawHandle().getKey()
             << "> has no data (the blob is missing or was elided)";
    ArrayRef<char> bytes = blob->getData();
    Type element = res.getType().getElementType();
    size_t itemSize = element.isF32() ? 4 : element.isF64() ? 8 : 0;
    if (!itemSize)
      return op->emitOpError() << "dense_resource of element type " << element
                               << " is not supported; expected f32 or f64";
    if (bytes.size() != size_t(n) * itemSize)
      return op->emitOpError()
             << "dense_resource<" << res.getRawHandle().getKey() << "> holds "
             << bytes.size() << " bytes, but " << res.getType() << " needs "
             << size_t(n) * itemSize;
    t.data.resize(size_t(n));
    for (int64_t k = 0; k < n; ++k) {
      if (itemSize == 4) {
        float f;
        std::memcpy(&f, bytes.data() + 4 * k, 4);
        t.data[k] = f;
      } else {
        std::memcpy(&t.data[k], bytes.data() + 8 * k, 8);
      }
    }
    return t;
  }
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    Tensor t;
    auto type = cast<ShapedType>(dense.getType());
    t.shape = type.getShape().vec();
    t.data.reserve(size_t(type.getNumElements()));
    Type element = type.getElementType();
    if (isa<FloatType>(element)) {
      for (const APFloat &v : dense.getValues<APFloat>())
        t.data.push_back(v.convertToDouble());
    } else if (element.isInteger(1)) {
      for (bool v : dense.getValues<bool>())
        t.data.push_back(v ? 1.0 : 0.0);
    } else if (isa<IntegerType, IndexType>(element)) {
      for (const APInt &v : dense.getValues<APInt>())
        t.data.push_back(double(v.getSExtValue()));
    } else {
      return op->emitOpError()
             << "constants of element type " << element << " are not supported";
    }
    return t;
  }
  return op->emitOpError() << "cannot interpret the constant " << value;
}

//===----------------------------------------------------------------------===//
// The walker
//===----------------------------------------------------------------------===//

namespace {
using Scope = llvm::DenseMap<Value, Tensor>;

/// The scopes of the blocks being run, innermost last.
thread_local std::vector<Scope *> scopes;

const Tensor *lookupValue(Value v) {
  for (auto it = scopes.rbegin(); it != scopes.rend(); ++it) {
    auto found = (*it)->find(v);
    if (found != (*it)->end())
      return &found->second;
  }
  return nullptr;
}

/// Pushes a scope for the lifetime of the object.
struct ScopeGuard {
  explicit ScopeGuard(Scope &scope) { scopes.push_back(&scope); }
  ~ScopeGuard() { scopes.pop_back(); }
};
} // namespace

Interpreter::Interpreter() {
  registerNNHandlers(handlers);
  registerArithMathHandlers(handlers);
}

FailureOr<std::vector<Tensor>>
Interpreter::runRegion(Region &region, llvm::ArrayRef<Tensor> args) {
  if (region.empty())
    return region.getParentOp()->emitOpError()
           << "has an empty region to interpret";
  Block &block = region.front();
  if (block.getNumArguments() != args.size())
    return region.getParentOp()->emitOpError()
           << "region takes " << block.getNumArguments()
           << " arguments, the interpreter was given " << args.size();
  Scope scope;
  ScopeGuard guard(scope);
  for (auto [arg, value] : llvm::zip(block.getArguments(), args))
    scope[arg] = value;

  // Each value of this block dies after the last op of this block that uses
  // it (directly or from a nested region): freeing it there keeps a large
  // model's peak memory near its widest layer rather than its sum.
  llvm::DenseMap<Operation *, llvm::SmallVector<Value>> dying;
  auto noteLastUse = [&](Value v) {
    Operation *last = nullptr;
    for (Operation *user : v.getUsers())
      if (Operation *inBlock = block.findAncestorOpInBlock(*user))
        if (!last || last->isBeforeInBlock(inBlock))
          last = inBlock;
    if (!last) // unused: dies where it is defined
      last = v.getDefiningOp();
    if (last)
      dying[last].push_back(v);
  };
  for (BlockArgument arg : block.getArguments())
    noteLastUse(arg);
  for (Operation &op : block)
    for (Value result : op.getResults())
      noteLastUse(result);

  for (Operation &op : block) {
    llvm::SmallVector<const Tensor *> operands;
    for (Value v : op.getOperands()) {
      const Tensor *t = lookupValue(v);
      if (!t)
        return op.emitOpError() << "uses a value the interpreter has not "
                                   "computed (operand "
                                << operands.size() << ")";
      operands.push_back(t);
    }
    // The block's last op is its terminator (func.return, a kern yield;
    // also an unregistered op that cannot declare the trait).
    if (op.hasTrait<OpTrait::IsTerminator>() || &op == &block.back()) {
      std::vector<Tensor> results;
      for (const Tensor *t : operands)
        results.push_back(*t);
      return results;
    }
    const OpHandler *handler = handlers.lookup(op.getName().getStringRef());
    if (!handler)
      return op.emitOpError() << "has no handler in the reference interpreter";
    OpCall call{&op, operands, {}, *this};
    if (failed((*handler)(call)))
      return failure();
    if (call.results.size() != op.getNumResults())
      return op.emitOpError()
             << "interpreter handler produced " << call.results.size()
             << " results, expected " << op.getNumResults();
    for (auto [result, value] : llvm::zip(op.getResults(), call.results)) {
      if (failed(checkResultShape(&op, result.getType(), value.shape)))
        return failure();
      scope[result] = std::move(value);
    }
    auto it = dying.find(&op);
    if (it != dying.end())
      for (Value v : it->second)
        scope.erase(v);
  }
  return region.getParentOp()->emitOpError() << "has an empty block";
}

FailureOr<std::vector<Tensor>> Interpreter::run(func::FuncOp func,
                                                llvm::ArrayRef<Tensor> inputs) {
  if (func.isExternal())
    return func.emitOpError() << "has no body to interpret";
  FunctionType type = func.getFunctionType();
  if (type.getNumInputs() != inputs.size())
    return func.emitOpError()
           << "takes " << type.getNumInputs()
           << " inputs, the interpreter was given " << inputs.size();
  // Named dynamic dims: the first input that has one fixes its size.
  llvm::StringMap<std::pair<int64_t, unsigned>> named;
  for (unsigned i = 0; i < inputs.size(); ++i) {
    const Tensor &in = inputs[i];
    std::vector<int64_t> expected = typeShape(type.getInput(i));
    if (int64_t(in.data.size()) != in.numElements())
      return func.emitOpError()
             << "input " << i << " has shape " << formatShape(in.shape)
             << " but " << in.data.size() << " values";
    bool ok = expected.size() == in.shape.size();
    for (size_t d = 0; ok && d < expected.size(); ++d)
      ok = expected[d] < 0 || expected[d] == in.shape[d];
    if (!ok)
      return func.emitOpError()
             << "input " << i << " has shape " << formatShape(in.shape)
             << ", but the argument's type is " << type.getInput(i);
    auto dims = func.getArgAttrOfType<ArrayAttr>(i, "nn.dims");
    if (!dims || dims.size() != in.shape.size())
      continue;
    for (auto [d, attr] : llvm::enumerate(dims)) {
      auto name = dyn_cast<StringAttr>(attr);
      if (!name || name.getValue().empty())
        continue;
      auto [it, inserted] = named.try_emplace(name.getValue(), in.shape[d], i);
      if (!inserted && it->second.first != in.shape[d])
        return func.emitOpError()
               << "input " << i << " has " << name.getValue() << " = "
               << in.shape[d] << ", but input " << it->second.second << " has "
               << name.getValue() << " = " << it->second.first;
    }
  }
  FailureOr<std::vector<Tensor>> results = runRegion(func.getBody(), inputs);
  if (failed(results))
    return failure();
  return results;
}

} // namespace actc::interp
