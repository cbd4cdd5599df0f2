// SPDX-License-Identifier: Apache-2.0
//
// The ops of the kern dialect: `kern.kernel` (one fused group),
// `kern.activation` (an activation in a scalar region) and `kern.yield` (the
// terminator of a kernel's two regions). The verifier in
// KernOps.cpp checks that the two regions agree with the kernel's kind,
// operands and result.

#ifndef ACTC_KERN_OPS
#define ACTC_KERN_OPS

include "dialects/Kern/IR/KernDialect.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Kern_Tensor : RankedTensorOf<[F32]>;

def Kern_KernelOp : Op<Kern_Dialect, "kernel",
    [IsolatedFromAbove, Pure]> {
  let summary = "one fused kernel: an anchor plus its elementwise tail";
  let description = [{
    One fused group of nn ops, computed by one Halide stage (a reduction:
    a few stages). `kind` names the anchor:

    - `contraction`: nn.dense, nn.conv2d or nn.matmul;
    - `pool`: nn.max_pool2d, nn.avg_pool2d or nn.global_avg_pool2d;
    - `reduction`: nn.softmax, nn.log_softmax or nn.layer_norm (computed
      in stages: max, sum of exp, normalize; or mean, variance, normalize);
    - `copy`: nn.transpose or nn.concat (data movement);
    - `map`: no anchor, only elementwise ops.

    The `body` region holds the fused nn ops on tensors, in order, and
    yields the kernel's result: what the kernel computes, in the nn
    dialect's own terms (an interpreter of nn ops evaluates it). The
    elementwise ops after the anchor (all of them for a `map`) are also
    lowered, once, to the `scalar` region: arith and math ops (and
    `kern.activation` for the transcendental activations) on f32 that
    compute one result element. Its arguments are bound by `scalar_inputs`:
    `-1` is the anchor's result at the same index (the accumulator of a
    contraction), `i >= 0` is operand `i` read through `scalar_maps[k]`, an
    affine map from the result's indices to that operand's indices (numpy
    broadcasting, or the channel axis of prelu and batch_norm).

    `schedule`, set by `kern-tile`, is a dictionary: `tile` (output tile per
    result dimension), `reduce_split` (the reduction loop's block), `vector`
    (f32 lanes), `unroll`, `parallel_dim` and `parallel_chunk` (the loop run
    on the thread pool and its grain), `gpu_block` and `gpu_thread` (CUDA
    block and thread tiles), `source` ("heuristic" or "tuning-db"),
    `target` and `signature` (the tuning database's key).

    ```mlir
    %y = kern.kernel "k0" "contraction" ins(%x, %w, %b : tensor<?x784xf32>, tensor<128x784xf32>, tensor<128xf32>) -> tensor<?x128xf32>
        attributes {scalar_inputs = array<i64: -1>, scalar_maps = [affine_map<(d0, d1) -> (d0, d1)>]} {
    ^bb0(%in: tensor<?x784xf32>, %wt: tensor<128x784xf32>, %bs: tensor<128xf32>):
      %0 = nn.dense %in, %wt, %bs : (tensor<?x784xf32>, tensor<128x784xf32>, tensor<128xf32>) -> tensor<?x128xf32>
      %1 = nn.relu %0 : tensor<?x128xf32>
      kern.yield %1 : tensor<?x128xf32>
    } scalar {
    ^bb0(%acc: f32):
      %zero = arith.constant 0.000000e+00 : f32
      %r = arith.maximumf %acc, %zero : f32
      kern.yield %r : f32
    }
    ```
  }];
  let arguments = (ins StrAttr:$name, StrAttr:$kind,
                       Variadic<Kern_Tensor>:$inputs,
                       DenseI64ArrayAttr:$scalar_inputs,
                       TypedArrayAttrBase<AffineMapAttr, "affine maps">:$scalar_maps,
                       OptionalAttr<DictionaryAttr>:$schedule);
  let results = (outs Kern_Tensor:$result);
  let regions = (region SizedRegion<1>:$body, SizedRegion<1>:$scalar);
  let assemblyFormat = [{
    $name $kind (`ins` `(` $inputs^ `:` type($inputs) `)`)? `->` type($result)
    attr-dict-with-keyword $body `scalar` $scalar
  }];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    /// The anchor: the first op of the body (for a `map`, its first
    /// elementwise op).
    ::mlir::Operation *getAnchor();
    /// The body's ops in order, the terminator excluded.
    ::llvm::SmallVector<::mlir::Operation *> getFusedOps();
  }];
}

def Kern_ActivationOp : Op<Kern_Dialect, "activation", [Pure]> {
  let summary = "an activation of ACTIVATIONS.md on one f32 of a scalar region";
  let description = [{
    One transcendental activation, named as the nn op it comes from (`elu`,
    `selu`, `celu`, `sigmoid`, `hard_sigmoid`, `tanh`, `silu`, `swish`,
    `hard_swish`, `gelu`, `mish`, `softplus`, `softsign`), with that op's
    attributes, all of them, in `params` (f32 `alpha`, `beta`, `gamma`,
    `threshold`; gelu's string `approximate`). kern-fuse writes these ops
    instead of spelling the activation in arith and math: the backend builds
    each from its stable vector form (compiler/backend/halide/math, within
    ACTIVATIONS.md's ULP bounds), which a composition of math ops cannot
    match (0.5 x erfc(-x / sqrt 2) in float errs by about x^2 ULP in the
    left tail, because -x / sqrt 2 is rounded before erfc sees it), and the
    interpreter evaluates it with the double-precision reference.

    ```mlir
    %y = kern.activation "gelu" %x {approximate = "tanh"} : f32
    ```
  }];
  let arguments = (ins StrAttr:$activation, F32:$x, DictionaryAttr:$params);
  let results = (outs F32:$result);
  let assemblyFormat = "$activation $x $params attr-dict `:` type($result)";
}

def Kern_YieldOp : Op<Kern_Dialect, "yield",
    [Pure, Terminator, HasParent<"KernelOp">]> {
  let summary = "the value a kernel region computes";
  let description = [{
    Ends both regions of `kern.kernel`: the body yields the result tensor,
    the scalar region one f32.

    ```mlir
    kern.yield %1 : tensor<?x128xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

#endif // ACTC_KERN_OPS
