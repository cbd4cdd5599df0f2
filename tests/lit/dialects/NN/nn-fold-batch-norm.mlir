// RUN: actc-opt %s --split-input-file --nn-fold-batch-norm | FileCheck %s

// Batch-norm folding: w' = w * s, b' = (b - mean) * s + beta with
// s = gamma / sqrt(var + eps) per output channel, in double, rounded once.

// Constant statistics end up inside the conv's weight and bias. With eps = 1
// every value is exact: s = [2 / sqrt(3 + 1), 0.5 / sqrt(0 + 1)] = [1, 0.5],
// w' = [[1, 2], [3 * 0.5, 4 * 0.5]], b' = [(0.5 - 1) * 1 + 1,
// (-1 - 2) * 0.5 + 0] = [0.5, -1.5].
// CHECK-LABEL: func.func @conv_then_bn
//   CHECK-DAG:   %[[W:.+]] = arith.constant dense<{{\[}}{{\[}}{{\[}}[1.000000e+00]], {{\[}}[2.000000e+00]]], {{\[}}{{\[}}[1.500000e+00]], {{\[}}[2.000000e+00]]]]> : tensor<2x2x1x1xf32>
//   CHECK-DAG:   %[[B:.+]] = arith.constant dense<[5.000000e-01, -1.500000e+00]> : tensor<2xf32>
//       CHECK:   %[[Y:.+]] = nn.conv2d %arg0, %[[W]], %[[B]] {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x5x5xf32>
//   CHECK-NOT:   nn.batch_norm
//       CHECK:   return %[[Y]]
func.func @conv_then_bn(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x5x5xf32> {
  %w = arith.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %b = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %y = nn.conv2d %x, %w, %b {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x5x5xf32>
  %gamma = arith.constant dense<[2.0, 0.5]> : tensor<2xf32>
  %beta = arith.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %z = nn.batch_norm %y, %gamma, %beta, %mean, %var {eps = 1.0 : f32} : (tensor<1x2x5x5xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x5x5xf32>
  return %z : tensor<1x2x5x5xf32>
}

// -----

// A dense without bias whose weight is a bound weight (a resource blob):
// the folded weight and the new bias are resource blobs named after it.
// eps = 1e-5 (f32); the values, rounded once, from Python:
//   s = gamma / sqrt(var + eps) with gamma = [1.5, 0.8], var = [0.9, 2.0]
//   w' = [0.790565, -1.58113, 3.16226; 0.848526, 0.141421, -0.424263]
//   b' = (0 - mean) * s + beta = [-0.374339, 0.0262736]
// CHECK-LABEL: func.func @dense_resource_then_bn
//   CHECK-DAG:   %[[W:.+]] = arith.constant dense_resource<fc1.weight.folded> : tensor<2x3xf32>
//   CHECK-DAG:   %[[B:.+]] = arith.constant dense_resource<fc1.bias.folded> : tensor<2xf32>
//       CHECK:   %[[Y:.+]] = nn.dense %arg0, %[[W]], %[[B]]
//   CHECK-NOT:   nn.batch_norm
//       CHECK:   return %[[Y]]
//       CHECK:   fc1.weight.folded: "0x4000000078624A3F7862CABF78624A400039593FABD0103E0039D9BE"
//       CHECK:   fc1.bias.folded: "0x400000005EA9BFBEC03BD73C"
func.func @dense_resource_then_bn(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense_resource<fc1.weight> : tensor<2x3xf32>
  %y = nn.dense %x, %w : (tensor<4x3xf32>, tensor<2x3xf32>) -> tensor<4x2xf32>
  %gamma = arith.constant dense_resource<bn1.weight> : tensor<2xf32>
  %beta = arith.constant dense_resource<bn1.bias> : tensor<2xf32>
  %mean = arith.constant dense_resource<bn1.running_mean> : tensor<2xf32>
  %var = arith.constant dense_resource<bn1.running_var> : tensor<2xf32>
  %z = nn.batch_norm %y, %gamma, %beta, %mean, %var : (tensor<4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<4x2xf32>
  return %z : tensor<4x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      fc1.weight: "0x400000000000003F000080BF000000400000C03F0000803E000040BF",
      bn1.weight: "0x400000000000C03FCDCC4C3F",
      bn1.bias: "0x40000000CDCCCC3DCDCC4CBE",
      bn1.running_mean: "0x400000009A99993ECDCCCCBE",
      bn1.running_var: "0x400000006666663F00000040"
    }
  }
#-}

// -----

// Statistics that are not constants (a function argument): nothing folds.
// CHECK-LABEL: func.func @non_constant_stats
//       CHECK:   nn.conv2d
//       CHECK:   nn.batch_norm
func.func @non_constant_stats(%x: tensor<1x2x3x3xf32>, %var: tensor<2xf32>) -> tensor<1x2x3x3xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2x1x1xf32>
  %y = nn.conv2d %x, %w : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %c = arith.constant dense<1.0> : tensor<2xf32>
  %z = nn.batch_norm %y, %c, %c, %c, %var : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %z : tensor<1x2x3x3xf32>
}

// -----

// A conv weight that is not constant: nothing folds.
// CHECK-LABEL: func.func @non_constant_weight
//       CHECK:   nn.batch_norm
func.func @non_constant_weight(%x: tensor<1x2x3x3xf32>, %w: tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32> {
  %y = nn.conv2d %x, %w : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %c = arith.constant dense<1.0> : tensor<2xf32>
  %z = nn.batch_norm %y, %c, %c, %c, %c : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %z : tensor<1x2x3x3xf32>
}

// -----

// The conv's output is also returned: folding would change it, so the
// batch_norm stays.
// CHECK-LABEL: func.func @multi_use_conv
//       CHECK:   %[[Y:.+]] = nn.conv2d
//       CHECK:   %[[Z:.+]] = nn.batch_norm %[[Y]]
//       CHECK:   return %[[Y]], %[[Z]]
func.func @multi_use_conv(%x: tensor<1x2x3x3xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) {
  %w = arith.constant dense<1.0> : tensor<2x2x1x1xf32>
  %y = nn.conv2d %x, %w : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %c = arith.constant dense<1.0> : tensor<2xf32>
  %z = nn.batch_norm %y, %c, %c, %c, %c : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %y, %z : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
}

// -----

// A batch_norm after a relu, not after a conv: nothing folds.
// CHECK-LABEL: func.func @bn_after_relu
//       CHECK:   nn.relu
//       CHECK:   nn.batch_norm
func.func @bn_after_relu(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2x1x1xf32>
  %y = nn.conv2d %x, %w : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %r = nn.relu %y : tensor<1x2x3x3xf32>
  %c = arith.constant dense<1.0> : tensor<2xf32>
  %z = nn.batch_norm %r, %c, %c, %c, %c : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %z : tensor<1x2x3x3xf32>
}

// -----

// A dense of rank 3 has its units on axis 2, the batch_norm normalises axis
// 1: they are different channels, nothing folds.
// CHECK-LABEL: func.func @dense_rank3
//       CHECK:   nn.batch_norm
func.func @dense_rank3(%x: tensor<2x2x3xf32>) -> tensor<2x2x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x3xf32>
  %y = nn.dense %x, %w : (tensor<2x2x3xf32>, tensor<2x3xf32>) -> tensor<2x2x2xf32>
  %c = arith.constant dense<1.0> : tensor<2xf32>
  %z = nn.batch_norm %y, %c, %c, %c, %c : (tensor<2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x2x2xf32>
  return %z : tensor<2x2x2xf32>
}

// -----

// var + eps = 0 makes the scale infinite: the batch_norm gives Inf or NaN
// per element, which a weight cannot reproduce, so nothing folds.
// CHECK-LABEL: func.func @infinite_scale
//       CHECK:   nn.batch_norm
func.func @infinite_scale(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2x1x1xf32>
  %y = nn.conv2d %x, %w : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %c = arith.constant dense<1.0> : tensor<2xf32>
  %var = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %z = nn.batch_norm %y, %c, %c, %c, %var {eps = 1.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %z : tensor<1x2x3x3xf32>
}
