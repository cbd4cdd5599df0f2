// SPDX-License-Identifier: Apache-2.0
//
// The passes over the nn graph (alphabetical). Canonicalization (activation
// algebra, constant folding) is not a pass of its own: it lives on the ops
// (NNOpFolders.cpp) and runs with --canonicalize.

#ifndef ACTC_NN_TRANSFORMS_PASSES
#define ACTC_NN_TRANSFORMS_PASSES

include "mlir/Pass/PassBase.td"

def FoldBatchNormPass : Pass<"nn-fold-batch-norm"> {
  let summary = "fold inference batch_norm into the dense/conv2d before it";
  let description = [{
    A `nn.batch_norm` whose weight, bias, running mean and running variance
    are constants, and whose input is the only use of an `nn.dense` (rank-2
    result) or `nn.conv2d` with a constant weight (and bias, if any), is
    removed: with `s = weight / sqrt(running_var + eps)` per output channel,

        w'[c, ...] = w[c, ...] * s[c]
        b'[c]      = (b[c] - running_mean[c]) * s[c] + bias[c]   (b = 0 if absent)

    computed in double from the f32 values and rounded once to f32. The new
    constants are `dense_resource` blobs named after the weight they replace
    (`conv1.weight.folded`, `conv1.bias.folded`) when the weight was a
    resource, and plain `dense<...>` otherwise. Inference only: the folded
    graph no longer has the statistics.

    Before:
    ```mlir
    %y = nn.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
    %z = nn.batch_norm %y, %g, %beta, %mean, %var : (...) -> tensor<1x2x4x4xf32>
    ```
    After:
    ```mlir
    %w2 = arith.constant dense_resource<conv1.weight.folded> : tensor<2x2x1x1xf32>
    %b2 = arith.constant dense_resource<conv1.bias.folded> : tensor<2xf32>
    %z = nn.conv2d %x, %w2, %b2 : (...) -> tensor<1x2x4x4xf32>
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def RecomposeActivationsPass : Pass<"nn-recompose-activations"> {
  let summary = "turn activations spelled out as graphs into their nn ops";
  let description = [{
    Importers (ONNX graphs of older opsets, traced PyTorch code) spell some
    activations out as small graphs of nn.add/nn.mul/arith/math ops on splat
    constants. This pass recognises them and replaces each by the one op,
    which is then computed as ACTIVATIONS.md says (ref rounded once) instead
    of through several roundings:

    - hard_swish: x * relu6(x + 3) * (1/6), x * clip(x + 3, 0, 6) * (1/6),
      arith.divf(x * relu6(x + 3), 6), x * hard_sigmoid(x) (alpha 1/6,
      beta 0.5: ONNX's own definition);
    - hard_sigmoid: clip(a * x + b, 0, 1) (a or b may be absent) and
      relu6(x + 3) * (1/6);
    - silu: x * sigmoid(x); swish: x * sigmoid(b * x);
    - gelu "tanh": 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))
      with x^3 as x * x * x or math.powf(x, 3);
    - gelu "none": 0.5 * x * (1 + math.erf(x * (1/sqrt 2))) or with
      arith.divf(x, sqrt 2) (the nn dialect has no erf; an importer produces
      math.erf on the tensor);
    - mish: x * tanh(softplus(x)) (softplus beta 1, threshold >= 10);
    - leaky_relu6: arith.minimumf(leaky_relu(x, a), cap) or
      clip(leaky_relu(x, a), lo <= -FLT_MAX, cap), a >= 0, cap > 0.

    Products may be associated and ordered any way (intermediate products
    with no other user are looked through); scalars are splat constants whose
    broadcast leaves the type of x unchanged. Constants must equal the
    expected value to within 2 ulp of f32. The op computes the function as
    ACTIVATIONS.md defines it (rounded once), so its results may differ from
    the spelled-out graph's by the few ulp that graph's roundings lose; NaN
    propagates the same way (graphs that would drop a NaN, such as
    arith.minnumf, are not recognised).

    Before:
    ```mlir
    %three = arith.constant dense<3.0> : tensor<f32>
    %sixth = arith.constant dense<0.166666672> : tensor<f32>
    %a = nn.add %x, %three : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
    %r = nn.relu6 %a : tensor<4xf32>
    %m = nn.mul %x, %r : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    %y = nn.mul %m, %sixth : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
    ```
    After:
    ```mlir
    %y = nn.hard_swish %x : tensor<4xf32>
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

#endif // ACTC_NN_TRANSFORMS_PASSES
