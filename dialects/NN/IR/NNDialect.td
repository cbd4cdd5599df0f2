// SPDX-License-Identifier: Apache-2.0
//
// The nn dialect: the tensor graph that the model language (and later ONNX)
// is imported into. Every op works on ranked f32 tensors with static or
// dynamic (`?`) dimensions and checks its shapes with the rules of
// dialects/NN/Rules, the same code the front end validates models with.

#ifndef ACTC_NN_DIALECT
#define ACTC_NN_DIALECT

include "mlir/IR/OpBase.td"

def NN_Dialect : Dialect {
  let name = "nn";
  let summary = "A tensor graph of neural-network layers and activations";
  let description = [{
    The nn dialect holds a model as a graph of layers (dense, conv2d,
    batch_norm, pooling, ...) and activation functions (one op per activation
    of ACTIVATIONS.md, with that table's attributes and defaults). Parameters
    (weights, biases, batch-norm statistics) are `nn.param` ops that name a
    tensor of the model's weights by its PyTorch state_dict name.

    ```mlir
    func.func @mlp(%x: tensor<?x784xf32>) -> tensor<?x10xf32> {
      %w = nn.param "fc1.weight" : tensor<10x784xf32>
      %b = nn.param "fc1.bias" : tensor<10xf32>
      %y = nn.dense %x, %w, %b : (tensor<?x784xf32>, tensor<10x784xf32>, tensor<10xf32>) -> tensor<?x10xf32>
      %z = nn.leaky_relu %y {alpha = 1.000000e-01 : f32} : tensor<?x10xf32>
      return %z : tensor<?x10xf32>
    }
    ```
  }];
  let cppNamespace = "::actc::nn";
}

#endif // ACTC_NN_DIALECT
