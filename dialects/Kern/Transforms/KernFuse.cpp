// SPDX-License-Identifier: Apache-2.0
//
// kern-fuse: groups a function's nn ops into kern.kernel ops. One walk in
// program order assigns every op to a group (an anchor and the elementwise
// ops that follow it, or a map of elementwise ops); a second step turns each
// group into a kernel whose body holds the ops on tensors and whose scalar
// region holds the elementwise tail in arith/math (ScalarForms.h). Passes.td
// lists the rules; each has a test in tests/lit/dialects/Kern/kern-fuse.mlir.

#include "dialects/Kern/IR/KernOps.h"
#include "dialects/Kern/Transforms/Passes.h"
#include "dialects/Kern/Transforms/ScalarForms.h"
#include "dialects/NN/IR/NNOps.h"

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

namespace actc::kern {
#define GEN_PASS_DEF_KERNFUSEPASS
#include "dialects/Kern/Transforms/Passes.h.inc"
} // namespace actc::kern

using namespace mlir;
using namespace actc;
using namespace actc::kern;

namespace {

/// One fused group: its kind and its ops in program order (the anchor
/// first unless the group is a map).
struct Group {
  StringRef kind;
  SmallVector<Operation *> ops;
  Operation *tail() const { return ops.back(); }
};

/// Cheap enough to compute again in every consumer rather than store once:
/// piecewise-linear ops and plain arithmetic (a few ALU ops per element, no
/// exp/log/erf). Storing a value costs a write and one read per consumer,
/// so recomputing such an op that reads values already in memory is never
/// slower.
bool isCheap(Operation *op) {
  return isa<nn::ReluOp, nn::LeakyReluOp, nn::Relu6Op, nn::LeakyRelu6Op,
             nn::ClipOp, nn::ThresholdedReluOp, nn::HardSigmoidOp,
             nn::HardSwishOp, nn::PReluOp, nn::AddOp, nn::SubOp, nn::MulOp>(op);
}

/// The map from a result index to the index of `operand` (operand number
/// `number` of the elementwise op `user`): the channel axis for the
/// parameters of prelu and batch_norm, numpy broadcasting otherwise. A
/// size-1 dimension against a larger one reads index 0.
AffineMap operandMap(Operation *user, unsigned number, RankedTensorType type,
                     RankedTensorType result) {
  MLIRContext *ctx = user->getContext();
  int64_t rank = result.getRank();
  SmallVector<AffineExpr> exprs;
  auto dimOrZero = [&](int64_t operandDim, int64_t resultDim) {
    bool broadcast =
        type.getDimSize(operandDim) == 1 && result.getDimSize(resultDim) != 1;
    exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                              : getAffineDimExpr(resultDim, ctx));
  };
  bool channelParam = (isa<nn::PReluOp>(user) && number == 1) ||
                      (isa<nn::BatchNormOp>(user) && number >= 1);
  if (channelParam && type.getRank() == 1) {
    dimOrZero(0, rank >= 2 ? 1 : 0);
  } else {
    for (int64_t j = 0; j < type.getRank(); ++j)
      dimOrZero(j, rank - type.getRank() + j);
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

struct KernFusePass : kern::impl::KernFusePassBase<KernFusePass> {
  /// Hidden benchmarking knob (docs/kern-dialect.md): every nn op gets a
  /// kernel of its own (no epilogues, no map chains, no recomputation), so
  /// fused and unfused code can be timed on the same model. Off by default;
  /// the pipeline sets it when ACTC_NO_FUSION=1 (compiler/pipeline).
  Option<bool> noFusion{*this, "no-fusion",
                        llvm::cl::desc("Put every nn op in its own kernel "
                                       "(benchmarking only)"),
                        llvm::cl::init(false)};

  KernFusePass() = default;
  // Options cannot be copied; clonePass copies their values afterwards.
  KernFusePass(const KernFusePass &other) : KernFusePassBase(other) {}

  void runOnOperation() override {
    for (Block &block : getOperation().getBody())
      if (failed(fuseBlock(block)))
        return signalPassFailure();
  }

  /// Assigns the ops of `block` to groups, then builds one kernel per group.
  LogicalResult fuseBlock(Block &block) {
    SmallVector<std::unique_ptr<Group>> groups;
    DenseMap<Operation *, Group *> owner;
    recomputed.clear();

    for (Operation &op : block) {
      if (std::optional<StringRef> k = anchorKind(&op)) {
        groups.push_back(std::make_unique<Group>(Group{*k, {&op}}));
        owner[&op] = groups.back().get();
        continue;
      }
      if (!isElementwise(&op))
        continue;
      Group *group = noFusion ? nullptr : joinableGroup(&op, owner);
      if (!group && !noFusion && isRecomputable(&op, recomputed)) {
        recomputed.insert(&op);
        continue;
      }
      if (!group) {
        groups.push_back(std::make_unique<Group>(Group{kind::kMap, {}}));
        group = groups.back().get();
      }
      // A recomputed producer is cloned into this group, before its user.
      for (Value operand : op.getOperands())
        if (Operation *def = operand.getDefiningOp())
          if (recomputed.contains(def) && !llvm::is_contained(group->ops, def))
            group->ops.push_back(def);
      group->ops.push_back(&op);
      owner[&op] = group;
    }

    // Build kernels in the order of their last op, so every kernel that
    // feeds another is built (and its value replaced) first.
    llvm::stable_sort(groups, [](const auto &a, const auto &b) {
      return a->tail()->isBeforeInBlock(b->tail());
    });
    unsigned index = 0;
    for (const auto &group : groups)
      if (failed(buildKernel(*group, index++)))
        return failure();
    for (Operation *op : llvm::reverse(recomputed))
      if (op->use_empty())
        op->erase();
    return success();
  }

  /// The group `op` joins: the one whose last op produces an operand of
  /// `op` that nothing else uses and that already has `op`'s result shape
  /// (so the group keeps computing one element per result index).
  static Group *joinableGroup(Operation *op,
                              const DenseMap<Operation *, Group *> &owner) {
    Type resultType = op->getResult(0).getType();
    for (Value operand : op->getOperands()) {
      Operation *def = operand.getDefiningOp();
      auto it = def ? owner.find(def) : owner.end();
      if (it == owner.end() || it->second->tail() != def)
        continue;
      if (operand.getType() != resultType)
        continue;
      if (!llvm::all_of(operand.getUsers(),
                        [&](Operation *user) { return user == op; }))
        continue;
      return it->second;
    }
    return nullptr;
  }

  /// A cheap op with several users, all elementwise ops of its own shape,
  /// whose operands are not themselves recomputed: it is cloned into each
  /// user's kernel instead of getting a kernel (and a stored result) of its
  /// own. Only called when it joins no producer, so its inputs are already
  /// in memory either way.
  static bool isRecomputable(Operation *op,
                             const llvm::SetVector<Operation *> &recomputed) {
    Value result = op->getResult(0);
    if (!isCheap(op) || result.hasOneUse() || result.use_empty())
      return false;
    for (Value operand : op->getOperands())
      if (Operation *def = operand.getDefiningOp())
        if (recomputed.contains(def))
          return false;
    return llvm::all_of(result.getUsers(), [&](Operation *user) {
      return isElementwise(user) &&
             user->getResult(0).getType() == result.getType();
    });
  }

  /// The cheap ops cloned into their consumers' kernels (of this block).
  llvm::SetVector<Operation *> recomputed;

  LogicalResult buildKernel(const Group &group, unsigned index) {
    Operation *tail = group.tail();
    MLIRContext *ctx = tail->getContext();
    llvm::SmallPtrSet<Operation *, 8> members(group.ops.begin(),
                                              group.ops.end());
    llvm::SetVector<Value> inputs;
    for (Operation *op : group.ops)
      for (Value operand : op->getOperands())
        if (!members.contains(operand.getDefiningOp()))
          inputs.insert(operand);

    SmallVector<Location> locs;
    for (Operation *op : group.ops)
      locs.push_back(op->getLoc());
    Location loc = FusedLoc::get(ctx, locs);
    auto resultType = cast<RankedTensorType>(tail->getResult(0).getType());

    OpBuilder b(tail);
    auto kernel = KernelOp::create(
        b, loc, resultType, b.getStringAttr("k" + Twine(index)),
        b.getStringAttr(group.kind), inputs.getArrayRef(),
        b.getDenseI64ArrayAttr({}), b.getArrayAttr({}), DictionaryAttr());

    // The body: the group's ops on tensors.
    SmallVector<Type> inputTypes;
    SmallVector<Location> inputLocs;
    for (Value input : inputs) {
      inputTypes.push_back(input.getType());
      inputLocs.push_back(input.getLoc());
    }
    Block *body = b.createBlock(&kernel.getBody(), {}, inputTypes, inputLocs);
    IRMapping mapping;
    mapping.map(inputs.getArrayRef(), body->getArguments());
    for (Operation *op : group.ops)
      b.clone(*op, mapping);
    YieldOp::create(b, tail->getLoc(),
                    ValueRange{mapping.lookup(tail->getResult(0))});

    // The scalar region: the elementwise tail, one element at a time.
    Block *scalar = b.createBlock(&kernel.getScalar());
    Type f32 = b.getF32Type();
    SmallVector<int64_t> scalarInputs;
    SmallVector<Attribute> scalarMaps;
    llvm::MapVector<std::pair<int64_t, AffineMap>, Value> args;
    DenseMap<Value, Value> scalars;
    auto argFor = [&](int64_t input, AffineMap map, Location argLoc) {
      auto [it, inserted] = args.try_emplace({input, map}, Value());
      if (inserted) {
        it->second = scalar->addArgument(f32, argLoc);
        scalarInputs.push_back(input);
        scalarMaps.push_back(AffineMapAttr::get(map));
      }
      return it->second;
    };
    ArrayRef<Operation *> tailOps = group.ops;
    if (group.kind != kind::kMap) {
      Value anchor = group.ops.front()->getResult(0);
      scalars[anchor] = argFor(
          -1, AffineMap::getMultiDimIdentityMap(resultType.getRank(), ctx),
          anchor.getLoc());
      tailOps = tailOps.drop_front();
    }
    for (Operation *op : tailOps) {
      SmallVector<Value> operands;
      for (OpOperand &use : op->getOpOperands()) {
        Value value = use.get();
        if (Value known = scalars.lookup(value)) {
          operands.push_back(known);
          continue;
        }
        auto type = cast<RankedTensorType>(value.getType());
        int64_t input = inputs.getArrayRef().size();
        for (auto [i, v] : llvm::enumerate(inputs))
          if (v == value)
            input = i;
        operands.push_back(argFor(
            input, operandMap(op, use.getOperandNumber(), type, resultType),
            value.getLoc()));
      }
      FailureOr<Value> form = buildScalarForm(b, op->getLoc(), op, operands);
      if (failed(form))
        return op->emitOpError() << "has no scalar form (a bug in kern-fuse)";
      scalars[op->getResult(0)] = *form;
    }
    YieldOp::create(b, tail->getLoc(),
                    ValueRange{scalars.lookup(tail->getResult(0))});
    kernel.setScalarInputs(scalarInputs);
    kernel.setScalarMapsAttr(b.getArrayAttr(scalarMaps));

    tail->getResult(0).replaceAllUsesWith(kernel.getResult());
    for (Operation *op : llvm::reverse(group.ops))
      if (op->use_empty() && !recomputed.contains(op))
        op->erase(); // a recomputed original goes once all its clones exist
    return success();
  }
};

} // namespace
