// SPDX-License-Identifier: Apache-2.0
//
// kern-tile: records a schedule on every kern.kernel. The tuning database
// (compiler/target/TuningDb.h) wins when it has an entry for the kernel's
// signature and the target; otherwise a heuristic sized from the target
// table (compiler/target/Target.h) decides:
//
// - contractions get a register tile (mr rows x nr columns of the output,
//   nr a multiple of the vector width, mr as many rows as the vector
//   registers hold accumulators for), a reduction block that keeps an mr x
//   kc and a kc x nr panel in half the L1, an unroll of the reduction loop,
//   and run in parallel over whichever output dimension has more tiles;
// - convolutions are an implicit GEMM vectorized along the output width
//   (several output rows when a row is narrower than a vector), blocked
//   over filters (depthwise: over output rows), with the input channels
//   split to fit the L1;
// - maps, copies and pooling vectorize the innermost dimension (maps of a
//   transcendental activation by two vectors) and hand the thread pool
//   chunks of the outermost useful dimension that fit in half the L2;
//   reductions do the same over rows and split long rows;
// - on CUDA every kernel gets a block tile (the output elements one block
//   computes) and a thread tile (the elements one thread computes).
//
// Each number is a starting point the tuner improves on; docs/kern-dialect.md
// shows what it chose for the examples.

#include "compiler/target/Target.h"
#include "compiler/target/TuningDb.h"
#include "dialects/Kern/IR/KernOps.h"
#include "dialects/Kern/Transforms/Passes.h"
#include "dialects/NN/IR/NNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>

namespace actc::kern {
#define GEN_PASS_DEF_KERNTILEPASS
#include "dialects/Kern/Transforms/Passes.h.inc"
} // namespace actc::kern

using namespace mlir;
using namespace actc;
using namespace actc::kern;
using target::Schedule;
using target::TargetInfo;

namespace {

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t roundUp(int64_t a, int64_t b) { return ceilDiv(a, b) * b; }
int64_t floorPow2(int64_t v) {
  int64_t p = 1;
  while (p * 2 <= v)
    p *= 2;
  return p;
}
/// A static size, or `unknown` for a dynamic one.
int64_t sizeOr(ShapedType type, int64_t dim, int64_t unknown) {
  int64_t d = type.getDimSize(dim);
  return ShapedType::isDynamic(d) ? unknown : d;
}
/// `tile` no larger than a static `size`.
int64_t clampTo(int64_t tile, ShapedType type, int64_t dim) {
  int64_t d = type.getDimSize(dim);
  return ShapedType::isDynamic(d) ? tile
                                  : std::max<int64_t>(1, std::min(tile, d));
}

/// How many iterations of `dim` one task of the thread pool gets: enough
/// that the task streams about half the L2 (over `streams` tensors), no
/// more than leaves every core a task.
int64_t parallelChunk(ShapedType type, int64_t dim, int64_t streams,
                      const TargetInfo &t) {
  int64_t slice = 1;
  for (int64_t i = dim + 1; i < type.getRank(); ++i)
    slice *= sizeOr(type, i, 1);
  int64_t chunk = std::max<int64_t>(1, t.l2Bytes / 2 / (4 * streams) / slice);
  int64_t size = type.getDimSize(dim);
  if (!ShapedType::isDynamic(size))
    chunk = std::min(chunk, std::max<int64_t>(1, ceilDiv(size, t.cores)));
  return chunk;
}

/// The outermost dimension with at least `cores` iterations (or the largest
/// static one), for maps, copies, pooling and reductions; `skip` is a
/// reduced axis.
int64_t parallelDim(ShapedType type, const TargetInfo &t, int64_t skip = -1) {
  int64_t best = -1, bestSize = 0;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (i == skip)
      continue;
    int64_t size = sizeOr(type, i, 1);
    if (size >= t.cores)
      return i;
    if (size > bestSize)
      best = i, bestSize = size;
  }
  return best < 0 ? 0 : best;
}

Schedule denseLike(ShapedType result, int64_t k, const TargetInfo &t) {
  Schedule s;
  int64_t rank = result.getRank();
  int64_t n = sizeOr(result, rank - 1, 1);
  std::optional<int64_t> m;
  if (rank >= 2 && !result.isDynamicDim(rank - 2))
    m = result.getDimSize(rank - 2);
  s.tile.assign(rank, 1);
  if (t.isGpu()) {
    int64_t bn = std::min<int64_t>(64, roundUp(n, 4));
    int64_t bm =
        rank >= 2 ? std::min<int64_t>(64, roundUp(m.value_or(64), 4)) : 1;
    s.tile[rank - 1] = clampTo(bn, result, rank - 1);
    if (rank >= 2)
      s.tile[rank - 2] = clampTo(bm, result, rank - 2);
    s.gpuBlock = s.tile;
    s.gpuThread.assign(rank, 1);
    s.gpuThread[rank - 1] = std::min<int64_t>(4, s.tile[rank - 1]);
    if (rank >= 2)
      s.gpuThread[rank - 2] = std::min<int64_t>(4, s.tile[rank - 2]);
    s.reduceSplit = std::min<int64_t>(k, 32);
    s.vector = 4;
    s.unroll = std::min<int64_t>(4, *s.reduceSplit);
    s.parallelDim = rank >= 2 ? rank - 2 : 0;
    return s;
  }
  int64_t w = t.vectorWidth;
  int64_t nrVecs = n >= 2 * w ? 2 : 1;
  int64_t nr = std::min(nrVecs * w, roundUp(n, w));
  int64_t mr = std::min<int64_t>(8, (t.vectorRegisters - nrVecs - 1) / nrVecs);
  if (m)
    mr = std::min(mr, *m);
  s.tile[rank - 1] = nr;
  if (rank >= 2)
    s.tile[rank - 2] = std::max<int64_t>(1, mr);
  int64_t kc = floorPow2(std::max<int64_t>(
      w, t.l1Bytes / 2 / (4 * (s.tile[rank - 1] + (rank >= 2 ? mr : 1)))));
  s.reduceSplit = std::min(kc, k);
  s.vector = w;
  s.unroll = *s.reduceSplit % 4 == 0 ? 4 : 1;
  int64_t nTiles = ceilDiv(n, nr);
  int64_t mTiles = m ? ceilDiv(*m, std::max<int64_t>(1, mr)) : 0;
  // Columns when they give every core a tile (a dynamic batch may be 1 at
  // run time); rows otherwise, or when there are more row tiles.
  bool columns = rank < 2 || (nTiles >= t.cores && nTiles >= mTiles);
  s.parallelDim = columns ? rank - 1 : rank - 2;
  return s;
}

Schedule conv(nn::Conv2DOp op, ShapedType result, const TargetInfo &t) {
  Schedule s;
  auto weight = cast<ShapedType>(op.getWeight().getType());
  int64_t f = sizeOr(result, 1, 1), oh = sizeOr(result, 2, 1),
          ow = sizeOr(result, 3, 1);
  int64_t cg = weight.getDimSize(1), kh = weight.getDimSize(2),
          kw = weight.getDimSize(3);
  bool depthwise = cg == 1 && op.getGroups() > 1;
  if (t.isGpu()) {
    s.tile = {1, std::min<int64_t>(f, depthwise ? 8 : 16),
              std::min<int64_t>(oh, 4), std::min<int64_t>(ow, 16)};
    s.gpuBlock = s.tile;
    s.gpuThread = {1, std::min<int64_t>(s.tile[1], depthwise ? 1 : 2), 1, 1};
    s.reduceSplit = std::min<int64_t>(cg, 16);
    s.vector = 1;
    s.unroll = kw;
    s.parallelDim = 1;
    return s;
  }
  int64_t w = t.vectorWidth;
  int64_t owVecs = ow >= 2 * w ? 2 : 1;
  int64_t owTile = std::min(owVecs * w, ow);
  int64_t rows =
      std::min<int64_t>(8, (t.vectorRegisters - owVecs - 1) / owVecs);
  int64_t fTile = depthwise ? 1 : std::min(f, rows);
  int64_t ohTile = depthwise ? std::min(oh, std::min<int64_t>(4, rows)) : 1;
  // A row narrower than a vector: take several rows, so that oh_tile x
  // ow_tile (fused by the backend) fills at least one vector.
  if (ow < w)
    ohTile = std::max(ohTile, std::min(oh, ceilDiv(w, ow)));
  s.tile = {1, fTile, ohTile, owTile};
  int64_t kc = t.l1Bytes / 2 / (4 * kh * kw * (fTile + owTile));
  s.reduceSplit = kc >= cg ? cg : floorPow2(std::max<int64_t>(1, kc));
  s.vector = w;
  s.unroll = kw;
  s.parallelDim = (!depthwise && ceilDiv(f, fTile) >= t.cores) ? 1
                  : depthwise && f >= t.cores                  ? 1
                                                               : 2;
  return s;
}

/// True when the scalar region computes a transcendental activation: a long
/// dependent chain (reduction, polynomial, division) per element.
bool hasLongChains(KernelOp kernel) {
  for (Operation &op : kernel.getScalar().front())
    if (auto act = dyn_cast<ActivationOp>(op))
      if (!act.getActivation().starts_with("hard_"))
        return true;
  return false;
}

Schedule elementwiseLike(KernelOp kernel, ShapedType result,
                         const TargetInfo &t, int64_t skip = -1) {
  Schedule s;
  int64_t streams = static_cast<int64_t>(kernel.getInputs().size()) + 1;
  s.vector = t.isGpu() ? 1 : t.vectorWidth;
  // A map of a transcendental activation: two vectors per iteration, so
  // that the out-of-order core overlaps their chains (about 10% in cache,
  // measured on mish, softplus and the GELUs with AVX-512).
  if (!t.isGpu() && kernel.getKind() == kind::kMap && hasLongChains(kernel))
    s.vector = 2 * t.vectorWidth;
  s.parallelDim = parallelDim(result, t, skip);
  s.parallelChunk = parallelChunk(result, *s.parallelDim, streams, t);
  if (t.isGpu()) {
    s.gpuBlock = {256};
    s.gpuThread = {4};
  }
  return s;
}

Schedule heuristic(KernelOp kernel, const TargetInfo &t) {
  auto result = cast<ShapedType>(kernel.getResult().getType());
  Operation *anchor = kernel.getAnchor();
  if (kernel.getKind() == kind::kMap || kernel.getKind() == kind::kCopy)
    return elementwiseLike(kernel, result, t);
  return llvm::TypeSwitch<Operation *, Schedule>(anchor)
      .Case([&](nn::DenseOp op) {
        auto in = cast<ShapedType>(op.getInput().getType());
        return denseLike(result, in.getDimSize(in.getRank() - 1), t);
      })
      .Case([&](nn::MatmulOp op) {
        auto lhs = cast<ShapedType>(op.getLhs().getType());
        return denseLike(result, sizeOr(lhs, lhs.getRank() - 1, 64), t);
      })
      .Case([&](nn::Conv2DOp op) { return conv(op, result, t); })
      .Case<nn::SoftmaxOp, nn::LogSoftmaxOp, nn::LayerNormOp>(
          [&](Operation *op) {
            int64_t axis = result.getRank() - 1;
            if (auto sm = dyn_cast<nn::SoftmaxOp>(op))
              axis = static_cast<int64_t>(sm.getAxis());
            if (auto lsm = dyn_cast<nn::LogSoftmaxOp>(op))
              axis = static_cast<int64_t>(lsm.getAxis());
            if (axis < 0)
              axis += result.getRank();
            Schedule s = elementwiseLike(kernel, result, t, axis);
            int64_t row = sizeOr(result, axis, 1024);
            s.reduceSplit = std::min<int64_t>(row, t.l1Bytes / 8);
            if (t.isGpu()) {
              s.gpuBlock = {std::min<int64_t>(256, roundUp(row, 32))};
              s.gpuThread = {ceilDiv(row, s.gpuBlock[0])};
            }
            return s;
          })
      .Default([&](Operation *) {
        // Pooling: vectorize along the output width, channels in parallel.
        Schedule s = elementwiseLike(kernel, result, t);
        if (!t.isGpu() && result.getRank() == 4) {
          s.tile = {1, 1, 1, std::min(sizeOr(result, 3, 1), 2 * t.vectorWidth)};
          s.parallelDim = 1;
          s.parallelChunk =
              parallelChunk(result, 1, kernel.getInputs().size() + 1, t);
        }
        return s;
      });
}

/// The database's fields replace the heuristic's one by one.
void overlay(Schedule &s, const Schedule &db) {
  if (!db.tile.empty())
    s.tile = db.tile;
  if (!db.gpuBlock.empty())
    s.gpuBlock = db.gpuBlock;
  if (!db.gpuThread.empty())
    s.gpuThread = db.gpuThread;
  for (auto [field, value] : {std::pair{&s.reduceSplit, db.reduceSplit},
                              {&s.vector, db.vector},
                              {&s.unroll, db.unroll},
                              {&s.parallelDim, db.parallelDim},
                              {&s.parallelChunk, db.parallelChunk}})
    if (value)
      *field = value;
}

struct KernTilePass : kern::impl::KernTilePassBase<KernTilePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::optional<TargetInfo> info = target::lookupTarget(target);
    if (!info) {
      std::string known;
      for (const std::string &name : target::targetNames())
        known += (known.empty() ? "" : ", ") + name;
      emitError(module.getLoc()) << "kern-tile: expected a target (" << known
                                 << "), found '" << target << "'";
      return signalPassFailure();
    }
    target::TuningDb db;
    if (!tuningDb.empty()) {
      target::TuningDbResult read = target::readTuningDb(tuningDb);
      if (!read.db) {
        emitError(module.getLoc()) << read.error;
        return signalPassFailure();
      }
      db = std::move(*read.db);
    }
    WalkResult walk = module.walk([&](KernelOp kernel) {
      std::string signature = kernelSignature(kernel);
      Schedule schedule = heuristic(kernel, *info);
      StringRef source = "heuristic";
      if (const target::TuningEntry *entry = db.find(info->name, signature)) {
        overlay(schedule, entry->schedule);
        source = "tuning-db";
      }
      int64_t rank = kernel.getResult().getType().getRank();
      if ((!schedule.tile.empty() &&
           static_cast<int64_t>(schedule.tile.size()) != rank) ||
          (schedule.parallelDim && *schedule.parallelDim >= rank)) {
        kernel.emitOpError()
            << "has a tuning database entry (" << tuningDb << ", " << info->name
            << " " << signature << ") that does not fit it: expected a tile of "
            << rank << " sizes and a parallel_dim below " << rank;
        return WalkResult::interrupt();
      }
      kernel.setScheduleAttr(toAttr(kernel, schedule, source, signature));
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      signalPassFailure();
  }

  DictionaryAttr toAttr(KernelOp kernel, const Schedule &s, StringRef source,
                        StringRef signature) {
    Builder b(kernel.getContext());
    SmallVector<NamedAttribute> entries;
    auto list = [&](StringRef key, const std::vector<int64_t> &values) {
      if (!values.empty())
        entries.emplace_back(b.getStringAttr(key),
                             b.getDenseI64ArrayAttr(values));
    };
    auto integer = [&](StringRef key, const std::optional<int64_t> &value) {
      if (value)
        entries.emplace_back(b.getStringAttr(key), b.getI64IntegerAttr(*value));
    };
    list(sched::kTile, s.tile);
    list(sched::kGpuBlock, s.gpuBlock);
    list(sched::kGpuThread, s.gpuThread);
    integer(sched::kReduceSplit, s.reduceSplit);
    integer(sched::kVector, s.vector);
    integer(sched::kUnroll, s.unroll);
    integer(sched::kParallelDim, s.parallelDim);
    integer(sched::kParallelChunk, s.parallelChunk);
    entries.emplace_back(b.getStringAttr(sched::kSource),
                         b.getStringAttr(source));
    entries.emplace_back(b.getStringAttr(sched::kTarget),
                         b.getStringAttr(target::lookupTarget(target)->name));
    entries.emplace_back(b.getStringAttr(sched::kSignature),
                         b.getStringAttr(signature));
    return b.getDictionaryAttr(entries);
  }
};

} // namespace
