// SPDX-License-Identifier: Apache-2.0
//
// The schedule half of the Halide backend: a kernel's `schedule` attributes
// (kern-tile's heuristic or the tuning database) become Halide schedule
// calls on the Funcs Lowering.cpp built. The same function serves hand
// (heuristic) and tuned schedules, so `tune` and `bench` compare like with
// like.
//
// Every split uses TailStrategy::GuardWithIf: kernels have odd and size-1
// extents (a dynamic batch of 1, 3 or 17, 10 classes), and the default
// ShiftInwards/RoundUp would read outside a producer smaller than the
// vector or the tile. Every kernel result is stored (compute_root): the
// tensors between kernels are dense (docs/kern-dialect.md).
//
// CPU only for now; gpu_block / gpu_thread are read by nobody yet (the CUDA
// schedule is the next step, behind the target table's isGpu()).
// Measured times: none yet (this is the first schedule; see
// docs/halide-backend.md).

#include "compiler/backend/halide/Lowering.h"

#include <set>

namespace actc::halide {

using Halide::Func;
using Halide::TailStrategy;
using Halide::Var;
using Halide::VarOrRVar;

namespace {

constexpr TailStrategy kGuard = TailStrategy::GuardWithIf;

/// Splits `pv` of `f` by `chunk` (when > 1) and makes the outer loop
/// parallel. Returns the Var that replaces `pv` for compute_at.
Var parallelize(Halide::Stage f, Var pv, int64_t chunk) {
  if (chunk > 1) {
    Var outer(pv.name() + "_task"), inner(pv.name() + "_in");
    f.split(pv, outer, inner, int(chunk), kGuard).parallel(outer);
    return inner;
  }
  f.parallel(pv);
  return pv;
}

/// The Halide dimension to parallelize: parallel_dim (tensor order) mapped
/// to Halide order, or the outermost one.
int parallelHalideDim(const KernelStages &k) {
  int pd = int(k.schedule.parallelDim);
  if (pd < 0 || pd >= k.rank)
    return k.rank - 1;
  return k.rank - 1 - pd;
}

/// One tiled Halide dimension of a contraction's result.
struct TiledDim {
  int h = 0;          ///< Halide dimension
  int tile = 1;       ///< the split factor
  bool split = false; ///< split into outer and inner (names kept by every
                      ///< specialization, even where the factor is 1)
  bool dynamic = false;
  Var outer, inner;
};

/// Splits `stage` (the result, or one specialization of it) into tiles,
/// vectorized along the row (Halide dim 0, the stored layout's contiguous
/// one, whatever dim the accumulator's vectors run along). `exact`: every tile
/// fits (static extents were clamped to the tile, the dynamic ones are known to
/// be at least the tile), so ShiftInwards keeps the inner extents constant;
/// otherwise the dynamic dims are guarded.
void tileStage(Halide::Stage stage, const std::vector<Var> &args,
               const std::vector<TiledDim> &dims, bool exact, int vec,
               const std::vector<VarOrRVar> &order) {
  for (const TiledDim &d : dims)
    if (d.split)
      stage.split(args[d.h], d.outer, d.inner, d.tile,
                  exact || !d.dynamic ? TailStrategy::ShiftInwards : kGuard);
  stage.reorder(order);
  const TiledDim &x = dims[0];
  if (x.split)
    stage.vectorize(x.inner, std::min(vec, x.tile),
                    exact || !x.dynamic ? TailStrategy::ShiftInwards : kGuard);
  else if (!x.dynamic)
    stage.vectorize(args[0], vec, kGuard);
}

/// The accumulator of one tile: pure dims inside the reduction loops (a
/// register tile), the innermost vectorized, the others unrolled where the
/// tile makes their extent constant, the innermost reduction loop unrolled
/// by `unroll`.
void scheduleAccumulator(Halide::Stage update, Func acc, KernelStages &k,
                         const std::vector<TiledDim> &dims, bool exact,
                         int vec) {
  std::vector<Var> a = acc.args();
  int rank = k.rank;
  int hv = k.vectorDim;
  std::vector<VarOrRVar> order{a[hv]};
  for (int h = 0; h < rank; ++h)
    if (h != hv)
      order.push_back(a[h]);
  Halide::RDom rd = k.reduction;
  int64_t unroll = k.schedule.unroll;
  const int64_t *r0 = Halide::Internal::as_const_int(rd[0].extent());
  bool splitK = unroll > 1 && r0 && *r0 > unroll && *r0 % unroll == 0;
  Halide::RVar rki(rd[0].name() + "_u"), rko(rd[0].name() + "_o");
  if (splitK) {
    update.split(rd[0], rko, rki, int(unroll));
    order.push_back(rki);
    order.push_back(rko);
  } else {
    order.push_back(rd[0]);
  }
  for (int i = 1; i < rd.dimensions(); ++i)
    order.push_back(rd[i]);
  // Pure dims outside the tile (extent 1 per tile) go outermost.
  update.reorder(order);
  const TiledDim &x = dims[hv];
  int lanes = x.tile > 1 ? std::min(vec, x.tile) : vec;
  update.vectorize(a[hv], lanes, kGuard);
  // Unroll the other tiled dims while the register tile stays small.
  int64_t unrolled = std::max<int64_t>(1, x.tile / lanes);
  for (size_t i = 0; i < dims.size(); ++i) {
    const TiledDim &d = dims[i];
    if (int(i) == hv || d.tile <= 1 || (d.dynamic && !exact) ||
        unrolled * d.tile > 64)
      continue;
    unrolled *= d.tile;
    update.unroll(a[d.h]);
  }
  if (splitK && unrolled * unroll <= 256)
    update.unroll(rki);
}

void scheduleContraction(KernelStages &k, int vec, bool isOutput) {
  Func r = k.result, acc = k.accumulator;
  std::vector<Var> args = r.args();
  int rank = k.rank;
  r.compute_root();
  if (k.paddedInput.defined()) {
    // Rows of the padded input, vectorized, channels on the thread pool.
    std::vector<Var> p = k.paddedInput.args();
    k.paddedInput.compute_root().vectorize(p[0], vec, kGuard).parallel(p[2]);
  }
  if (rank < 2) {
    r.vectorize(args[0], vec, kGuard);
    acc.compute_root();
    acc.vectorize(acc.args()[0], vec, kGuard);
    acc.update().vectorize(acc.args()[0], vec, kGuard);
    return;
  }
  // The realized region is exactly the result's shape, so tile tails can be
  // shifted inwards (recomputing a few elements) instead of guarded.
  for (int h = 0; h < rank; ++h) {
    Halide::Expr extent = k.shape[rank - 1 - h];
    if (isOutput)
      r.output_buffer().dim(h).set_bounds(0, extent);
    else
      r.bound(args[h], 0, extent);
  }

  // Tile sizes: the attribute, clamped to static extents. A conv
  // vectorized along its channels (hv = 2, Halide order ow, oh, f, n) takes
  // its own register tile: the whole output row (at most half a vector
  // wide) by two vectors of filters, at most 16 accumulators.
  int hv = k.vectorDim;
  std::vector<int64_t> tile = k.schedule.tile;
  if (hv == 2 && rank == 4) {
    const int64_t *w = Halide::Internal::as_const_int(k.shape[3]);
    tile = {1, 2 * int64_t(vec), 1, w ? *w : 1};
  }
  std::vector<TiledDim> dims(rank);
  Halide::Expr fits = Halide::Internal::const_true();
  bool anyDynamic = false;
  for (int h = 0; h < rank; ++h) {
    TiledDim &d = dims[h];
    d.h = h;
    int64_t t = tile.size() == size_t(rank) ? tile[rank - 1 - h]
                : h == 0                    ? 2 * vec
                : h == 1                    ? 4
                                            : 1;
    const int64_t *e = Halide::Internal::as_const_int(k.shape[rank - 1 - h]);
    d.dynamic = !e;
    if (e)
      t = std::min(t, *e);
    d.tile = int(std::max<int64_t>(t, 1));
    if (e && d.tile == *e && h != 0 && h != hv)
      d.tile = 1; // the whole extent is one tile: no split needed
    d.split = d.tile > 1;
    d.outer = Var(args[h].name() + "_o");
    d.inner = Var(args[h].name() + "_i");
    if (d.split && d.dynamic) {
      anyDynamic = true;
      fits = fits && k.shape[rank - 1 - h] >= d.tile;
    }
  }
  // Where a dynamic extent is smaller than its tile (a batch of 1 against
  // a tile of 8 rows), the tile halves along it until it fits, down to one,
  // so the register tile stays exact: guarded rows kept the accumulators in
  // memory, a store-to-load chain per reduction step (a batch-1 dense ran
  // at a sixth of the speed of full tiles). The innermost dim keeps its
  // guarded vectors. `levels` holds each halving and the condition under
  // which it fits; the last (tiles of one) needs none.
  struct Level {
    std::vector<TiledDim> dims;
    Halide::Expr fits;
  };
  std::vector<Level> levels;
  for (int div = 2;; div *= 2) {
    Level l{dims, Halide::Internal::const_true()};
    bool any = false;
    for (size_t h = 0; h < dims.size(); ++h) {
      if (!dims[h].split || !dims[h].dynamic)
        continue;
      if (h > 0) {
        l.dims[h].tile = std::max(1, dims[h].tile / div);
        any |= l.dims[h].tile > 1;
      }
      // (A dynamic innermost dim keeps its tile: it must fit too.)
      l.fits = l.fits && k.shape[rank - 1 - h] >= l.dims[h].tile;
    }
    levels.push_back(l);
    if (!any)
      break;
  }
  const std::vector<TiledDim> &small = levels.back().dims;

  // Loop order: tile loops innermost, then the tile counters, the parallel
  // one outermost.
  int hp = parallelHalideDim(k);
  // (The result's loops keep the row innermost even when the accumulator's
  // vectors run along the channels: it is stored row-major, and a vector
  // along f would be a scatter; copying the epilogue out is the cheap part.)
  std::vector<VarOrRVar> order;
  for (const TiledDim &d : dims)
    if (d.split)
      order.push_back(d.inner);
  std::vector<Var> outerLoops;
  for (const TiledDim &d : dims)
    outerLoops.push_back(d.split ? d.outer : args[d.h]);
  Var pv = outerLoops[hp];
  for (Var v : outerLoops)
    if (v.name() != pv.name())
      order.push_back(v);
  order.push_back(pv);
  Var at = pv;
  // The loop just outside the tile: the first counter after the tile loops.
  for (const VarOrRVar &v : order) {
    bool isInner = false;
    for (const TiledDim &d : dims)
      isInner |= d.split && v.name() == d.inner.name();
    if (!isInner) {
      at = Var(v.name());
      break;
    }
  }

  Var pvAt = pv;
  auto scheduleResult = [&](Halide::Stage stage,
                            const std::vector<TiledDim> &tiles, bool exact) {
    tileStage(stage, args, tiles, exact, vec, order);
    pvAt = parallelize(stage, pv, k.schedule.parallelChunk);
  };
  if (anyDynamic) {
    scheduleResult(r.specialize(fits), dims, true);
    for (size_t i = 0; i + 1 < levels.size(); ++i)
      scheduleResult(r.specialize(levels[i].fits), levels[i].dims, true);
  }
  scheduleResult(Halide::Stage(r), small, !anyDynamic);
  if (at.name() == pv.name())
    at = pvAt;

  acc.compute_at(r, at);
  std::vector<Var> accArgs = acc.args();
  if (hv != 0) {
    // The accumulator tile stored with the vector dim innermost.
    std::vector<Var> storage{accArgs[hv]};
    for (int h = 0; h < rank; ++h)
      if (h != hv)
        storage.push_back(accArgs[h]);
    acc.reorder_storage(storage);
  }
  acc.vectorize(accArgs[hv],
                dims[hv].tile > 1 ? std::min(vec, dims[hv].tile) : vec, kGuard);
  if (anyDynamic) {
    scheduleAccumulator(acc.update().specialize(fits), acc, k, dims, true,
                        vec);
    for (size_t i = 0; i + 1 < levels.size(); ++i)
      scheduleAccumulator(acc.update().specialize(levels[i].fits), acc, k,
                          levels[i].dims, true, vec);
  }
  scheduleAccumulator(acc.update(), acc, k, small, !anyDynamic, vec);
}

/// Pools, reductions, copies and maps: vectors along the innermost axis,
/// rows on the thread pool, per-row stages computed at the row.
void scheduleElementwise(KernelStages &k, int vec) {
  Func r = k.result;
  std::vector<Var> args = r.args();
  int rank = k.rank;
  r.compute_root();
  if (rank == 0)
    return;
  r.vectorize(args[0], vec, kGuard);
  Var rowAt = rank >= 2 ? args[1] : args[0];
  if (rank >= 2) {
    int hp = parallelHalideDim(k);
    if (hp == 0)
      hp = rank - 1;
    Var pv = args[hp];
    std::vector<VarOrRVar> order;
    for (int d = 0; d < rank; ++d)
      if (d != hp)
        order.push_back(args[d]);
    order.push_back(pv);
    r.reorder(order);
    Var pvAt = parallelize(r, pv, k.schedule.parallelChunk);
    if (pv.name() == rowAt.name())
      rowAt = pvAt;
  }
  if (k.accumulator.defined()) {
    Func acc = k.accumulator;
    std::vector<Var> accArgs = acc.args();
    if (rank >= 2)
      acc.compute_at(r, rowAt);
    else
      acc.compute_root();
    acc.vectorize(accArgs[0], vec, kGuard);
    acc.update().vectorize(accArgs[0], vec, kGuard);
  }
  // Row statistics (softmax max/sum, layer_norm mean/variance) are indexed
  // by every dim but the reduced one; when that is the innermost they are
  // computed once per row, just before the row is written.
  for (Func s : k.rowStages) {
    if (rank >= 2 && k.rowStagesPerRow)
      s.compute_at(r, rowAt);
    else
      s.compute_root();
  }
}

} // namespace

std::string applySchedules(LoweredModel &model, int64_t defaultVector) {
  std::set<std::string> outputs;
  for (const Func &f : model.outputs)
    outputs.insert(f.name());
  for (KernelStages &k : model.kernels) {
    try {
      int vec = int(k.schedule.vector > 0 ? k.schedule.vector : defaultVector);
      vec = std::max(vec, 1);
      if (k.kind == "contraction" && k.accumulator.defined())
        scheduleContraction(k, vec, outputs.count(k.result.name()) > 0);
      else
        scheduleElementwise(k, vec);
    } catch (const Halide::Error &err) {
      return "kernel " + k.name + " (" + k.anchor +
             "): schedule: Halide error: " + err.what();
    }
  }
  return "";
}

} // namespace actc::halide
