// SPDX-License-Identifier: Apache-2.0
//
// The kern dialect: the model after fusion. Every `kern.kernel` is one fused
// group that the Halide backend turns into one Halide stage (or a few, for a
// reduction): an anchor (contraction, pooling, reduction, data movement or a
// plain elementwise map) plus the elementwise ops fused into it, with the
// schedule the tiling pass chose. docs/kern-dialect.md says why it looks so.

#ifndef ACTC_KERN_DIALECT
#define ACTC_KERN_DIALECT

include "mlir/IR/OpBase.td"

def Kern_Dialect : Dialect {
  let name = "kern";
  let summary = "Fused kernels with their schedules";
  let description = [{
    A model after fusion is a function whose ops are `kern.kernel`s (plus
    the parameters, constants and free views between them). A kernel holds
    its fused nn ops on tensors (what it computes, unambiguously), the
    elementwise tail of those ops lowered to one scalar arith/math body
    (what the backend applies to each element of the anchor's result), and
    the schedule the tiling pass chose.

    ```mlir
    %y = kern.kernel "k0" contraction ins(%x, %w, %b : tensor<?x784xf32>, tensor<128x784xf32>, tensor<128xf32>)
        -> tensor<?x128xf32> attributes {fused = ["nn.dense", "nn.leaky_relu"], scalar_inputs = array<i64: -1>,
                                         scalar_maps = [affine_map<(d0, d1) -> (d0, d1)>]} {
    ^bb0(%a: tensor<?x784xf32>, %bw: tensor<128x784xf32>, %bb: tensor<128xf32>):
      %0 = nn.dense %a, %bw, %bb : (tensor<?x784xf32>, tensor<128x784xf32>, tensor<128xf32>) -> tensor<?x128xf32>
      %1 = nn.leaky_relu %0 : tensor<?x128xf32>
      kern.yield %1 : tensor<?x128xf32>
    } scalar {
    ^bb0(%acc: f32):
      ...
      kern.yield %r : f32
    }
    ```
  }];
  let cppNamespace = "::actc::kern";
  let dependentDialects = ["::actc::nn::NNDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

#endif // ACTC_KERN_DIALECT
