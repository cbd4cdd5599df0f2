// SPDX-License-Identifier: Apache-2.0
//
// The ops of the nn dialect: one per op of SPEC.md section 1 and one per
// activation of ACTIVATIONS.md, with the same attribute names and defaults.
// Every op has a C++ verifier (NNOps.cpp) that checks operand and result
// shapes with the shared rules of dialects/NN/Rules and says what it expected
// and what it found.

#ifndef ACTC_NN_OPS
#define ACTC_NN_OPS

include "dialects/NN/IR/NNDialect.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def NN_Tensor : RankedTensorOf<[F32]>;

class NN_Op<string mnemonic, list<Trait> traits = []>
    : Op<NN_Dialect, mnemonic, !listconcat([Pure], traits)> {
  let hasVerifier = 1;
}

// Runs the op's shape rules (`verifyRules()`) before InferTypeOpInterface's
// own verifier, so a broken op reports the rule that failed rather than
// "failed to infer returned types".
def NN_CheckRulesFirst : NativeOpTrait<"CheckRulesFirst"> {
  let cppNamespace = "::actc::nn";
}

// An op whose result type the shape rules infer: builders need no result
// type, and a written result type must be exactly the inferred one.
class NN_ShapedOp<string mnemonic>
    : NN_Op<mnemonic, [NN_CheckRulesFirst, InferTypeOpAdaptor]> {
  let hasVerifier = 0;
  let extraClassDeclaration = [{
    /// The shape rules and parameter shapes (run by CheckRulesFirst).
    ::mlir::LogicalResult verifyRules();
  }];
}

//===----------------------------------------------------------------------===//
// Parameters
//===----------------------------------------------------------------------===//

def NN_ParamOp : NN_Op<"param"> {
  let summary = "a tensor of the model's weights, by its state_dict name";
  let description = [{
    Names one tensor of the model's weights (a PyTorch state_dict name such
    as `conv1.weight`). The data is bound outside the IR, from the weights
    file or from the default initialisation. The shape is static.

    ```mlir
    %w = nn.param "fc1.weight" : tensor<128x784xf32>
    ```
  }];
  let arguments = (ins StrAttr:$name);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$name attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

def NN_DenseOp : NN_ShapedOp<"dense"> {
  let summary = "a fully connected layer: x * weight^T + bias";
  let description = [{
    `x [..., in]` times the transpose of `weight [units, in]`, plus `bias
    [units]` when present (PyTorch's nn.Linear). The result is `[..., units]`.

    ```mlir
    %y = nn.dense %x, %w, %b : (tensor<?x784xf32>, tensor<128x784xf32>, tensor<128xf32>) -> tensor<?x128xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$weight,
                       Optional<NN_Tensor>:$bias);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def NN_Conv2DOp : NN_ShapedOp<"conv2d"> {
  let summary = "a 2-D convolution over NCHW";
  let description = [{
    PyTorch's nn.Conv2d: `x [N, C, H, W]`, `weight [filters, C/groups, kh,
    kw]`, optional `bias [filters]`. `padding` is explicit: top, left,
    bottom, right (the front end resolves `"same"`).

    ```mlir
    %y = nn.conv2d %x, %w {stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>}
        : (tensor<1x3x64x64xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x32x32xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$weight,
                       Optional<NN_Tensor>:$bias,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$stride,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilation,
                       DefaultValuedAttr<I64Attr, "1">:$groups);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def NN_BatchNormOp : NN_ShapedOp<"batch_norm"> {
  let summary = "inference batch normalisation over channel axis 1";
  let description = [{
    `(x - running_mean) / sqrt(running_var + eps) * weight + bias`, each
    parameter `[C]` broadcast over axis 1.

    ```mlir
    %y = nn.batch_norm %x, %w, %b, %mean, %var {eps = 1.000000e-05 : f32}
        : (tensor<1x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$weight, NN_Tensor:$bias,
                       NN_Tensor:$running_mean, NN_Tensor:$running_var,
                       DefaultValuedAttr<F32Attr, "1e-5f">:$eps);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight `,` $bias `,` $running_mean `,` $running_var attr-dict
    `:` functional-type(operands, results)
  }];
}

def NN_LayerNormOp : NN_ShapedOp<"layer_norm"> {
  let summary = "layer normalisation over the last axis";
  let description = [{
    `(x - mean) / sqrt(var + eps) * weight + bias` along the last axis
    (population variance), `weight` and `bias` `[features]`.

    ```mlir
    %y = nn.layer_norm %x, %w, %b : (tensor<?x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<?x16x64xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$weight, NN_Tensor:$bias,
                       DefaultValuedAttr<F32Attr, "1e-5f">:$eps);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight `,` $bias attr-dict `:` functional-type(operands, results)
  }];
}

class NN_Pool2DOp<string mnemonic, string what, dag extraArgs = (ins)>
    : NN_ShapedOp<mnemonic> {
  let summary = what # " pooling over the spatial axes of NCHW";
  let description = [{
    Pooling with a `kernel` window, `stride` and explicit `padding` (top,
    left, bottom, right). Max pooling pads with -Inf; average pooling with
    zeros, counted in the divisor when `count_include_pad`.

    ```mlir
    %y = nn.max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<1x16x8x8xf32> -> tensor<1x16x4x4xf32>
    ```
  }];
  let arguments = !con((ins NN_Tensor:$input,
                            DenseI64ArrayAttr:$kernel,
                            DenseI64ArrayAttr:$stride,
                            DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding),
                       extraArgs);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
}

def NN_MaxPool2DOp : NN_Pool2DOp<"max_pool2d", "max">;
def NN_AvgPool2DOp : NN_Pool2DOp<"avg_pool2d", "average",
    (ins DefaultValuedAttr<BoolAttr, "true">:$count_include_pad)>;

def NN_GlobalAvgPool2DOp : NN_ShapedOp<"global_avg_pool2d"> {
  let summary = "the mean over H and W of NCHW, keeping them as 1";
  let description = [{
    ```mlir
    %y = nn.global_avg_pool2d %x : tensor<1x16x8x8xf32> -> tensor<1x16x1x1xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

class NN_BroadcastOp<string mnemonic, string what> : NN_ShapedOp<mnemonic> {
  let summary = "elementwise " # what # " with numpy broadcasting";
  let description = [{
    ```mlir
    %y = nn.}] # mnemonic # [{ %a, %b : (tensor<?x16xf32>, tensor<16xf32>) -> tensor<?x16xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$lhs, NN_Tensor:$rhs);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasCanonicalizer = 1;
}

def NN_AddOp : NN_BroadcastOp<"add", "addition">;
def NN_SubOp : NN_BroadcastOp<"sub", "subtraction">;
def NN_MulOp : NN_BroadcastOp<"mul", "multiplication">;

def NN_MatmulOp : NN_ShapedOp<"matmul"> {
  let summary = "batched matrix product with numpy broadcasting of batch dims";
  let description = [{
    `[..., m, k] x [..., k, n] -> [..., m, n]`.

    ```mlir
    %y = nn.matmul %a, %b : (tensor<4x8x16xf32>, tensor<16x32xf32>) -> tensor<4x8x32xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$lhs, NN_Tensor:$rhs);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def NN_FlattenOp : NN_ShapedOp<"flatten"> {
  let summary = "flatten to 2-D at an axis (ONNX Flatten)";
  let description = [{
    `[prod(d[0:axis]), prod(d[axis:])]`.

    ```mlir
    %y = nn.flatten %x {axis = 1 : i64} : tensor<?x16x4x4xf32> -> tensor<?x256xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def NN_ReshapeOp : NN_ShapedOp<"reshape"> {
  let summary = "reshape to a shape with at most one -1 entry";
  let description = [{
    ```mlir
    %y = nn.reshape %x {shape = array<i64: -1, 64>} : tensor<2x8x8xf32> -> tensor<2x64xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def NN_TransposeOp : NN_ShapedOp<"transpose"> {
  let summary = "permute the axes";
  let description = [{
    Result axis `i` is input axis `perm[i]`.

    ```mlir
    %y = nn.transpose %x {perm = array<i64: 0, 2, 1>} : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def NN_ConcatOp : NN_ShapedOp<"concat"> {
  let summary = "join tensors along an axis";
  let description = [{
    ```mlir
    %y = nn.concat %a, %b {axis = 1 : i64} : (tensor<1x16x8x8xf32>, tensor<1x32x8x8xf32>) -> tensor<1x48x8x8xf32>
    ```
  }];
  let arguments = (ins Variadic<NN_Tensor>:$inputs,
                       DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $inputs attr-dict `:` functional-type($inputs, results)
  }];
}

//===----------------------------------------------------------------------===//
// Activations (ACTIVATIONS.md: formulas, defaults and edge values)
//===----------------------------------------------------------------------===//

class NN_ActivationOp<string mnemonic, string formula, dag attrs = (ins)>
    : NN_Op<mnemonic, [SameOperandsAndResultType]> {
  let summary = formula;
  let description = [{
    The activation `}] # mnemonic # [{` of ACTIVATIONS.md, elementwise:
    }] # formula # [{. NaN in gives NaN out; +-Inf gives the limit.

    ```mlir
    %y = nn.}] # mnemonic # [{ %x : tensor<?x16xf32>
    ```
  }];
  let arguments = !con((ins NN_Tensor:$input), attrs);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasCanonicalizer = 1;
}

def NN_ReluOp : NN_ActivationOp<"relu", "max(0, x)"> {
  let hasFolder = 1;
}
def NN_LeakyReluOp : NN_ActivationOp<"leaky_relu",
    "x if x >= 0 else alpha * x",
    (ins DefaultValuedAttr<F32Attr, "0.01f">:$alpha)>;
def NN_Relu6Op : NN_ActivationOp<"relu6", "min(max(0, x), 6)"> {
  let hasFolder = 1;
}
def NN_LeakyRelu6Op : NN_ActivationOp<"leaky_relu6",
    "alpha * x if x < 0; x if 0 <= x <= cap; cap if x > cap",
    (ins DefaultValuedAttr<F32Attr, "0.01f">:$alpha,
         DefaultValuedAttr<F32Attr, "6.0f">:$cap)>;
def NN_ClipOp : NN_ActivationOp<"clip", "min(max(lo, x), hi)",
    (ins DefaultValuedAttr<F32Attr, "-1.0f">:$lo,
         DefaultValuedAttr<F32Attr, "1.0f">:$hi)> {
  let hasFolder = 1;
}
def NN_EluOp : NN_ActivationOp<"elu", "x if x > 0 else alpha * (exp(x) - 1)",
    (ins DefaultValuedAttr<F32Attr, "1.0f">:$alpha)>;
def NN_SeluOp : NN_ActivationOp<"selu",
    "gamma * (x if x > 0 else alpha * (exp(x) - 1))",
    (ins DefaultValuedAttr<F32Attr, "1.6732632423543772f">:$alpha,
         DefaultValuedAttr<F32Attr, "1.0507009873554805f">:$gamma)>;
def NN_CeluOp : NN_ActivationOp<"celu",
    "max(0, x) + min(0, alpha * (exp(x / alpha) - 1))",
    (ins DefaultValuedAttr<F32Attr, "1.0f">:$alpha)>;
def NN_ThresholdedReluOp : NN_ActivationOp<"thresholded_relu",
    "x if x > alpha else 0",
    (ins DefaultValuedAttr<F32Attr, "1.0f">:$alpha)>;
def NN_SigmoidOp : NN_ActivationOp<"sigmoid", "1 / (1 + exp(-x))">;
def NN_HardSigmoidOp : NN_ActivationOp<"hard_sigmoid",
    "max(0, min(1, alpha * x + beta))",
    (ins DefaultValuedAttr<F32Attr, "1.0f / 6.0f">:$alpha,
         DefaultValuedAttr<F32Attr, "0.5f">:$beta)>;
def NN_TanhOp : NN_ActivationOp<"tanh", "tanh(x)">;
def NN_SiluOp : NN_ActivationOp<"silu", "x * sigmoid(x)">;
def NN_SwishOp : NN_ActivationOp<"swish", "x * sigmoid(beta * x)",
    (ins DefaultValuedAttr<F32Attr, "1.0f">:$beta)>;
def NN_HardSwishOp : NN_ActivationOp<"hard_swish", "x * relu6(x + 3) / 6">;
def NN_GeluOp : NN_ActivationOp<"gelu",
    "0.5 * x * (1 + erf(x / sqrt(2))), or its tanh approximation",
    (ins DefaultValuedStrAttr<StrAttr, "none">:$approximate)>;
def NN_MishOp : NN_ActivationOp<"mish", "x * tanh(softplus(x))">;
def NN_SoftplusOp : NN_ActivationOp<"softplus",
    "(1 / beta) * log(1 + exp(beta * x)), x where beta * x > threshold",
    (ins DefaultValuedAttr<F32Attr, "1.0f">:$beta,
         DefaultValuedAttr<F32Attr, "20.0f">:$threshold)>;
def NN_SoftsignOp : NN_ActivationOp<"softsign", "x / (1 + abs(x))">;
def NN_SoftmaxOp : NN_ActivationOp<"softmax",
    "exp(x - max) / sum(exp(x - max)) along an axis",
    (ins DefaultValuedAttr<I64Attr, "-1">:$axis)>;
def NN_LogSoftmaxOp : NN_ActivationOp<"log_softmax",
    "(x - max) - log(sum(exp(x - max))) along an axis",
    (ins DefaultValuedAttr<I64Attr, "-1">:$axis)>;

def NN_PReluOp : NN_ShapedOp<"prelu"> {
  let summary = "x if x >= 0 else slope[c] * x, slope learned per channel";
  let description = [{
    The slope is `[1]` or `[C]`, broadcast over axis 1 (axis 0 at rank 1).

    ```mlir
    %y = nn.prelu %x, %slope : (tensor<1x16x8x8xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$slope);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $slope attr-dict `:` functional-type(operands, results)
  }];
  let hasCanonicalizer = 1;
}

#endif // ACTC_NN_OPS
