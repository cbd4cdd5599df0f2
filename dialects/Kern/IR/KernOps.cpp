// SPDX-License-Identifier: Apache-2.0
//
// The kern ops' verifiers and the vocabulary the fusion and tiling passes
// share (anchor kinds, elementwise ops, views, kernel signatures). The
// verifier is strict because Debian's MLIR has assertions off: a kernel
// whose two regions disagree would otherwise reach the backend.

#include "dialects/Kern/IR/KernOps.h"

#include "dialects/NN/IR/NNOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace actc;
using namespace actc::kern;

#define GET_OP_CLASSES
#include "dialects/Kern/IR/KernOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Vocabulary
//===----------------------------------------------------------------------===//

std::optional<StringRef> kern::anchorKind(Operation *op) {
  if (isa<nn::DenseOp, nn::Conv2DOp, nn::MatmulOp>(op))
    return StringRef(kind::kContraction);
  if (isa<nn::MaxPool2DOp, nn::AvgPool2DOp, nn::GlobalAvgPool2DOp>(op))
    return StringRef(kind::kPool);
  if (isa<nn::SoftmaxOp, nn::LogSoftmaxOp, nn::LayerNormOp>(op))
    return StringRef(kind::kReduction);
  if (isa<nn::TransposeOp, nn::ConcatOp>(op))
    return StringRef(kind::kCopy);
  return std::nullopt;
}

bool kern::isElementwise(Operation *op) {
  return isa<nn::ReluOp, nn::LeakyReluOp, nn::Relu6Op, nn::LeakyRelu6Op,
             nn::ClipOp, nn::EluOp, nn::SeluOp, nn::CeluOp,
             nn::ThresholdedReluOp, nn::SigmoidOp, nn::HardSigmoidOp,
             nn::TanhOp, nn::SiluOp, nn::SwishOp, nn::HardSwishOp, nn::GeluOp,
             nn::MishOp, nn::SoftplusOp, nn::SoftsignOp, nn::PReluOp, nn::AddOp,
             nn::SubOp, nn::MulOp, nn::BatchNormOp>(op);
}

bool kern::isView(Operation *op) {
  return isa<nn::ReshapeOp, nn::FlattenOp>(op);
}

//===----------------------------------------------------------------------===//
// KernelOp
//===----------------------------------------------------------------------===//

Operation *KernelOp::getAnchor() { return &getBody().front().front(); }

SmallVector<Operation *> KernelOp::getFusedOps() {
  SmallVector<Operation *> ops;
  for (Operation &op : getBody().front().without_terminator())
    ops.push_back(&op);
  return ops;
}

static bool isKnownKind(StringRef k) {
  return k == kind::kContraction || k == kind::kPool || k == kind::kReduction ||
         k == kind::kCopy || k == kind::kMap;
}

/// The keys a schedule may hold and whether each is an integer list, an
/// integer or a string.
static LogicalResult verifySchedule(KernelOp op, DictionaryAttr schedule) {
  for (NamedAttribute entry : schedule) {
    StringRef key = entry.getName().strref();
    Attribute value = entry.getValue();
    bool ok;
    if (key == sched::kTile || key == sched::kGpuBlock ||
        key == sched::kGpuThread) {
      auto list = dyn_cast<DenseI64ArrayAttr>(value);
      ok = list &&
           llvm::all_of(list.asArrayRef(), [](int64_t v) { return v >= 1; });
      if (ok && key == sched::kTile &&
          list.size() !=
              static_cast<size_t>(op.getResult().getType().getRank()))
        return op.emitOpError()
               << "expects schedule 'tile' to have one entry per result "
                  "dimension ("
               << op.getResult().getType().getRank() << "), found "
               << list.size();
    } else if (key == sched::kReduceSplit || key == sched::kVector ||
               key == sched::kUnroll || key == sched::kParallelChunk) {
      auto i = dyn_cast<IntegerAttr>(value);
      ok = i && i.getInt() >= 1;
    } else if (key == sched::kParallelDim) {
      auto i = dyn_cast<IntegerAttr>(value);
      ok = i && i.getInt() >= 0 &&
           i.getInt() < op.getResult().getType().getRank();
    } else if (key == sched::kSource || key == sched::kTarget ||
               key == sched::kSignature) {
      ok = isa<StringAttr>(value);
    } else {
      return op.emitOpError() << "has an unknown schedule key '" << key << "'";
    }
    if (!ok)
      return op.emitOpError()
             << "has a bad schedule value for '" << key << "': expected "
             << (key == sched::kSource || key == sched::kTarget ||
                         key == sched::kSignature
                     ? "a string"
                 : key == sched::kTile || key == sched::kGpuBlock ||
                         key == sched::kGpuThread
                     ? "an array<i64> of positive sizes"
                 : key == sched::kParallelDim ? "a result dimension"
                                              : "a positive integer")
             << ", found " << value;
  }
  return success();
}

LogicalResult KernelOp::verify() {
  if (!isKnownKind(getKind()))
    return emitOpError() << "expects kind contraction, pool, reduction, copy "
                            "or map, found '"
                         << getKind() << "'";
  if (getScalarInputs().size() != getScalarMaps().size())
    return emitOpError() << "expects one scalar map per scalar input ("
                         << getScalarInputs().size() << "), found "
                         << getScalarMaps().size();
  int64_t rank = getResult().getType().getRank();
  int anchors = 0;
  for (auto [index, maps] :
       llvm::enumerate(llvm::zip(getScalarInputs(), getScalarMaps()))) {
    auto [input, mapAttr] = maps;
    AffineMap map = cast<AffineMapAttr>(mapAttr).getValue();
    int64_t inputRank;
    if (input == -1) {
      ++anchors;
      inputRank = rank;
    } else if (input >= 0 && input < static_cast<int64_t>(getInputs().size())) {
      inputRank =
          cast<RankedTensorType>(getInputs()[input].getType()).getRank();
    } else {
      return emitOpError() << "expects scalar input " << index
                           << " to be -1 (the anchor) or an operand index "
                              "below "
                           << getInputs().size() << ", found " << input;
    }
    if (map.getNumDims() != rank || map.getNumSymbols() != 0 ||
        map.getNumResults() != inputRank)
      return emitOpError() << "expects scalar map " << index << " to map "
                           << rank << " result indices to " << inputRank
                           << " operand indices, found " << mapAttr;
  }
  if (getKind() == kind::kMap && anchors != 0)
    return emitOpError() << "expects a map kernel to have no anchor scalar "
                            "input (-1), found "
                         << anchors;
  if (getKind() != kind::kMap && anchors != 1)
    return emitOpError() << "expects a " << getKind()
                         << " kernel to read its anchor (-1) exactly once in "
                            "the scalar region, found "
                         << anchors;
  if (std::optional<DictionaryAttr> schedule = getSchedule())
    return verifySchedule(*this, *schedule);
  return success();
}

LogicalResult KernelOp::verifyRegions() {
  // The body: the fused nn ops on tensors, over the operands.
  Block &body = getBody().front();
  if (body.getNumArguments() != getInputs().size())
    return emitOpError() << "expects the body to take one argument per "
                            "operand ("
                         << getInputs().size() << "), found "
                         << body.getNumArguments();
  for (auto [index, pair] :
       llvm::enumerate(llvm::zip(body.getArgumentTypes(), getInputs())))
    if (std::get<0>(pair) != std::get<1>(pair).getType())
      return emitOpError() << "expects body argument " << index
                           << " to have the operand's type "
                           << std::get<1>(pair).getType() << ", found "
                           << std::get<0>(pair);
  auto bodyYield = dyn_cast<YieldOp>(body.getTerminator());
  if (!bodyYield || bodyYield.getValues().size() != 1 ||
      bodyYield.getValues()[0].getType() != getResult().getType())
    return emitOpError() << "expects the body to yield one "
                         << getResult().getType();
  if (&body.front() == bodyYield)
    return emitOpError() << "expects the body to hold at least one nn op";
  Operation *anchor = getAnchor();
  std::optional<StringRef> anchorK = anchorKind(anchor);
  if (getKind() == kind::kMap ? !isElementwise(anchor) : anchorK != getKind())
    return emitOpError() << "expects a " << getKind()
                         << " kernel's first op to be "
                         << (getKind() == kind::kMap ? StringRef("elementwise")
                                                     : StringRef("its anchor"))
                         << ", found '" << anchor->getName() << "'";
  SmallVector<Operation *> fused = getFusedOps();
  for (Operation *op : llvm::drop_begin(fused))
    if (!isElementwise(op))
      return op->emitOpError() << "cannot be fused after a kernel's anchor: "
                                  "only elementwise nn ops can";

  // The scalar region: arith, math and kern.activation on f32, one argument
  // per scalar input.
  Block &scalar = getScalar().front();
  if (scalar.getNumArguments() != getScalarInputs().size())
    return emitOpError() << "expects the scalar region to take one argument "
                            "per scalar input ("
                         << getScalarInputs().size() << "), found "
                         << scalar.getNumArguments();
  Type f32 = Float32Type::get(getContext());
  for (Type type : scalar.getArgumentTypes())
    if (type != f32)
      return emitOpError() << "expects scalar region arguments of type f32, "
                              "found "
                           << type;
  auto scalarYield = dyn_cast<YieldOp>(scalar.getTerminator());
  if (!scalarYield || scalarYield.getValues().size() != 1 ||
      scalarYield.getValues()[0].getType() != f32)
    return emitOpError() << "expects the scalar region to yield one f32";
  for (Operation &op : scalar.without_terminator())
    if (!isa<arith::ArithDialect, math::MathDialect>(op.getDialect()) &&
        !isa<ActivationOp>(op))
      return op.emitOpError() << "is not allowed in a kernel's scalar "
                                 "region: only arith, math and "
                                 "kern.activation ops are";
  return success();
}

//===----------------------------------------------------------------------===//
// Signatures
//===----------------------------------------------------------------------===//

void kern::printShape(llvm::raw_ostream &os, Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped) {
    os << type;
    return;
  }
  llvm::interleave(
      shaped.getShape(), os,
      [&](int64_t d) {
        if (ShapedType::isDynamic(d))
          os << '?';
        else
          os << d;
      },
      "x");
}

static void printList(llvm::raw_ostream &os, StringRef tag,
                      ArrayRef<int64_t> values) {
  os << ':' << tag;
  llvm::interleave(values, os, "x");
}

std::string kern::kernelSignature(KernelOp kernel) {
  std::string text;
  llvm::raw_string_ostream os(text);
  Operation *anchor = kernel.getAnchor();
  if (kernel.getKind() == kind::kMap) {
    os << "map";
    for (Operation *op : kernel.getFusedOps())
      os << (op == anchor ? ':' : '+')
         << op->getName().getStringRef().drop_front(3);
    os << ':';
    printShape(os, kernel.getResult().getType());
    os << ":in" << kernel.getInputs().size();
    return text;
  }
  os << anchor->getName().getStringRef().drop_front(3) << ':';
  llvm::interleave(
      anchor->getOperandTypes(), os, [&](Type t) { printShape(os, t); }, ",");
  os << "->";
  printShape(os, kernel.getResult().getType());
  llvm::TypeSwitch<Operation *>(anchor)
      .Case([&](nn::Conv2DOp op) {
        printList(os, "s", op.getStride());
        printList(os, "p", op.getPadding());
        printList(os, "d", op.getDilation());
        os << ":g" << op.getGroups();
      })
      .Case<nn::MaxPool2DOp, nn::AvgPool2DOp>([&](auto op) {
        printList(os, "k", op.getKernel());
        printList(os, "s", op.getStride());
        printList(os, "p", op.getPadding());
      })
      .Case<nn::SoftmaxOp, nn::LogSoftmaxOp>(
          [&](auto op) { os << ":a" << static_cast<int64_t>(op.getAxis()); })
      .Case([&](nn::TransposeOp op) { printList(os, "perm", op.getPerm()); })
      .Case([&](nn::ConcatOp op) {
        os << ":a" << static_cast<int64_t>(op.getAxis());
      })
      .Default([](Operation *) {});
  return text;
}
