// RUN: actc-opt %s --actc-kernel-pipeline="target=x86-64-avx2" | FileCheck %s
// RUN: actc-opt %s --actc-kernel-pipeline="target=x86-64-avx2" | actc-opt --verify-diagnostics

// The whole pipeline of compiler/pipeline: the batch norm folds into the
// conv's constants (nn-fold-batch-norm), the leaky ReLU becomes the conv's
// epilogue (kern-fuse), CSE merges the scalar constants, and the kernel
// gets a schedule for the target (kern-tile).
// CHECK-LABEL: func.func @conv_bn_leaky
//   CHECK-NOT:   nn.batch_norm
//       CHECK:   kern.kernel "k0" "contraction"
//  CHECK-SAME:     source = "heuristic", target = "x86-64-avx2", tile = array<i64: 1, 2, 1, 8>
//  CHECK-NEXT:   ^bb0
//  CHECK-NEXT:     nn.conv2d
//  CHECK-NEXT:     nn.leaky_relu
//  CHECK-NEXT:     kern.yield
//   CHECK-NOT:   kern.kernel
func.func @conv_bn_leaky(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32> {
  %w = arith.constant dense<0.5> : tensor<2x2x1x1xf32>
  %g = arith.constant dense<2.0> : tensor<2xf32>
  %b = arith.constant dense<0.1> : tensor<2xf32>
  %m = arith.constant dense<0.2> : tensor<2xf32>
  %v = arith.constant dense<4.0> : tensor<2xf32>
  %0 = nn.conv2d %x, %w : (tensor<1x2x8x8xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x8x8xf32>
  %1 = nn.batch_norm %0, %g, %b, %m, %v : (tensor<1x2x8x8xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x8x8xf32>
  %2 = nn.leaky_relu %1 {alpha = 1.000000e-01 : f32} : tensor<1x2x8x8xf32>
  return %2 : tensor<1x2x8x8xf32>
}
