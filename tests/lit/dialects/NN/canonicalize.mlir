// RUN: actc-opt %s --split-input-file --canonicalize | FileCheck %s

// The activation algebra and constant folding of the nn ops
// (dialects/NN/IR/NNOpFolders.cpp says why each rule is exact).

// relu(relu x) = relu x: the outer relu sees only values >= 0 or NaN.
// CHECK-LABEL: func.func @relu_relu
//  CHECK-NEXT:   %[[R:.+]] = nn.relu %arg0 : tensor<4xf32>
//  CHECK-NEXT:   return %[[R]]
func.func @relu_relu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = nn.relu %x : tensor<4xf32>
  %b = nn.relu %a : tensor<4xf32>
  return %b : tensor<4xf32>
}

// -----

// relu6(relu x) = relu6 x.
// CHECK-LABEL: func.func @relu6_relu
//  CHECK-NEXT:   %[[R:.+]] = nn.relu6 %arg0 : tensor<4xf32>
//  CHECK-NEXT:   return %[[R]]
func.func @relu6_relu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = nn.relu %x : tensor<4xf32>
  %b = nn.relu6 %a : tensor<4xf32>
  return %b : tensor<4xf32>
}

// -----

// relu(relu6 x) = relu6 x, and relu6(relu6 x) = relu6 x.
// CHECK-LABEL: func.func @relu_relu6
//  CHECK-NEXT:   %[[R:.+]] = nn.relu6 %arg0 : tensor<4xf32>
//  CHECK-NEXT:   return %[[R]], %[[R]]
func.func @relu_relu6(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %a = nn.relu6 %x : tensor<4xf32>
  %b = nn.relu %a : tensor<4xf32>
  %c = nn.relu6 %a : tensor<4xf32>
  return %b, %c : tensor<4xf32>, tensor<4xf32>
}

// -----

// A relu whose inner value has another user: the inner op stays for it, the
// outer one still reads x directly.
// CHECK-LABEL: func.func @relu6_relu_shared
//   CHECK-DAG:   %[[A:.+]] = nn.relu %arg0
//   CHECK-DAG:   %[[B:.+]] = nn.relu6 %arg0
//       CHECK:   return %[[A]], %[[B]]
func.func @relu6_relu_shared(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %a = nn.relu %x : tensor<4xf32>
  %b = nn.relu6 %a : tensor<4xf32>
  return %a, %b : tensor<4xf32>, tensor<4xf32>
}

// -----

// clip of clip = clip of the intersection of the ranges.
// CHECK-LABEL: func.func @clip_clip
//  CHECK-NEXT:   %[[C:.+]] = nn.clip %arg0 {hi = 2.000000e+00 : f32, lo = -5.000000e-01 : f32}
//  CHECK-NEXT:   return %[[C]]
func.func @clip_clip(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = nn.clip %x {lo = -2.0 : f32, hi = 2.0 : f32} : tensor<4xf32>
  %b = nn.clip %a {lo = -0.5 : f32, hi = 3.0 : f32} : tensor<4xf32>
  return %b : tensor<4xf32>
}

// -----

// Ranges that do not meet: every non-NaN value ends at the outer bound
// nearest the inner range (clip(x, 2, 2)), NaN stays NaN.
// CHECK-LABEL: func.func @clip_clip_disjoint
//  CHECK-NEXT:   %[[C:.+]] = nn.clip %arg0 {hi = 2.000000e+00 : f32, lo = 2.000000e+00 : f32}
//  CHECK-NEXT:   return %[[C]]
func.func @clip_clip_disjoint(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = nn.clip %x {lo = 0.0 : f32, hi = 1.0 : f32} : tensor<4xf32>
  %b = nn.clip %a {lo = 2.0 : f32, hi = 3.0 : f32} : tensor<4xf32>
  return %b : tensor<4xf32>
}

// -----

// A clip inside a wider one is the inner clip (a fold).
// CHECK-LABEL: func.func @clip_inside_clip
//  CHECK-NEXT:   %[[C:.+]] = nn.clip %arg0 {hi = 5.000000e-01 : f32, lo = 0.000000e+00 : f32}
//  CHECK-NEXT:   return %[[C]]
func.func @clip_inside_clip(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = nn.clip %x {lo = 0.0 : f32, hi = 0.5 : f32} : tensor<4xf32>
  %b = nn.clip %a : tensor<4xf32>
  return %b : tensor<4xf32>
}

// -----

// relu of clip(lo > 0) is the clip; clip(0, 6) of a relu is relu6.
// CHECK-LABEL: func.func @relu_clip
//   CHECK-DAG:   %[[A:.+]] = nn.clip %arg0 {hi = 4.000000e+00 : f32, lo = 5.000000e-01 : f32}
//   CHECK-DAG:   %[[C:.+]] = nn.relu6 %arg0
//   CHECK-NOT:   nn.relu %
//       CHECK:   return %[[A]], %[[C]]
func.func @relu_clip(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %a = nn.clip %x {lo = 0.5 : f32, hi = 4.0 : f32} : tensor<4xf32>
  %ra = nn.relu %a : tensor<4xf32>
  %c = nn.relu %x : tensor<4xf32>
  %rc = nn.clip %c {lo = 0.0 : f32, hi = 6.0 : f32} : tensor<4xf32>
  return %ra, %rc : tensor<4xf32>, tensor<4xf32>
}

// -----

// Signed zeros: relu and relu6 turn -0 into +0 where a clip whose range
// holds 0 gives -0 back (the reference's conventions). So relu(clip(x, 0,
// 4)) and relu(clip(x, -3, 4)) are not clip(x, 0, 4) at x = -0 and stay;
// clip(clip(x, -1, 10), 0, 6) is clip(x, 0, 6), not relu6.
// CHECK-LABEL: func.func @signed_zero
//       CHECK:   %[[A:.+]] = nn.clip %arg0 {hi = 4.000000e+00 : f32, lo = 0.000000e+00 : f32}
//       CHECK:   nn.relu %[[A]]
//       CHECK:   %[[B:.+]] = nn.clip %arg0 {hi = 4.000000e+00 : f32, lo = -3.000000e+00 : f32}
//       CHECK:   nn.relu %[[B]]
//       CHECK:   nn.clip %arg0 {hi = 6.000000e+00 : f32, lo = 0.000000e+00 : f32}
//   CHECK-NOT:   nn.relu6
func.func @signed_zero(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %a = nn.clip %x {lo = 0.0 : f32, hi = 4.0 : f32} : tensor<4xf32>
  %ra = nn.relu %a : tensor<4xf32>
  %b = nn.clip %x {lo = -3.0 : f32, hi = 4.0 : f32} : tensor<4xf32>
  %rb = nn.relu %b : tensor<4xf32>
  %c = nn.clip %x {lo = -1.0 : f32, hi = 10.0 : f32} : tensor<4xf32>
  %rc = nn.clip %c {lo = 0.0 : f32, hi = 6.0 : f32} : tensor<4xf32>
  return %ra, %rb, %rc : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// leaky_relu(leaky_relu(x, a), b) = leaky_relu(x, a*b) when a or b is a
// power of two and a*b is exact: 0.5 * 0.2 = 0.1 (the f32 0.2 halved).
// CHECK-LABEL: func.func @leaky_leaky_power_of_two
//  CHECK-NEXT:   %[[L:.+]] = nn.leaky_relu %arg0 {alpha = 1.000000e-01 : f32}
//  CHECK-NEXT:   return %[[L]]
func.func @leaky_leaky_power_of_two(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = nn.leaky_relu %x {alpha = 0.5 : f32} : tensor<4xf32>
  %b = nn.leaky_relu %a {alpha = 0.2 : f32} : tensor<4xf32>
  return %b : tensor<4xf32>
}

// -----

// A zero slope: exact for every input (0 = 0 * b).
// CHECK-LABEL: func.func @leaky_leaky_zero
//  CHECK-NEXT:   %[[L:.+]] = nn.leaky_relu %arg0 {alpha = 0.000000e+00 : f32}
//  CHECK-NEXT:   return %[[L]]
func.func @leaky_leaky_zero(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = nn.leaky_relu %x {alpha = 0.0 : f32} : tensor<4xf32>
  %b = nn.leaky_relu %a {alpha = 0.3 : f32} : tensor<4xf32>
  return %b : tensor<4xf32>
}

// -----

// Neither slope a power of two: fl(0.2 * fl(0.1 * x)) and fl(fl(0.02) * x)
// differ in the last bit for some x, so the pair stays.
// CHECK-LABEL: func.func @leaky_leaky_inexact
//       CHECK:   %[[A:.+]] = nn.leaky_relu %arg0 {alpha = 1.000000e-01 : f32}
//       CHECK:   nn.leaky_relu %[[A]] {alpha = 2.000000e-01 : f32}
func.func @leaky_leaky_inexact(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = nn.leaky_relu %x {alpha = 0.1 : f32} : tensor<4xf32>
  %b = nn.leaky_relu %a {alpha = 0.2 : f32} : tensor<4xf32>
  return %b : tensor<4xf32>
}

// -----

// A negative slope: the inner op's negative side becomes positive, the rule
// does not hold.
// CHECK-LABEL: func.func @leaky_leaky_negative
//       CHECK:   %[[A:.+]] = nn.leaky_relu %arg0 {alpha = -5.000000e-01 : f32}
//       CHECK:   nn.leaky_relu %[[A]] {alpha = 5.000000e-01 : f32}
func.func @leaky_leaky_negative(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = nn.leaky_relu %x {alpha = -0.5 : f32} : tensor<4xf32>
  %b = nn.leaky_relu %a {alpha = 0.5 : f32} : tensor<4xf32>
  return %b : tensor<4xf32>
}

// -----

// leaky_relu(x, 1) is x.
// CHECK-LABEL: func.func @leaky_one
//  CHECK-NEXT:   return %arg0
func.func @leaky_one(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = nn.leaky_relu %x {alpha = 1.0 : f32} : tensor<4xf32>
  return %a : tensor<4xf32>
}

// -----

// prelu with a single slope ([1], or [C] all equal) is leaky_relu.
// CHECK-LABEL: func.func @prelu_single_slope
//   CHECK-DAG:   %[[A:.+]] = nn.leaky_relu %arg0 {alpha = 2.500000e-01 : f32} : tensor<1x3x2x2xf32>
//   CHECK-DAG:   %[[B:.+]] = nn.leaky_relu %arg0 {alpha = 1.250000e-01 : f32} : tensor<1x3x2x2xf32>
//   CHECK-NOT:   nn.prelu
//       CHECK:   return %[[A]], %[[B]]
func.func @prelu_single_slope(%x: tensor<1x3x2x2xf32>) -> (tensor<1x3x2x2xf32>, tensor<1x3x2x2xf32>) {
  %s = arith.constant dense<0.25> : tensor<1xf32>
  %a = nn.prelu %x, %s : (tensor<1x3x2x2xf32>, tensor<1xf32>) -> tensor<1x3x2x2xf32>
  %t = arith.constant dense<0.125> : tensor<3xf32>
  %b = nn.prelu %x, %t : (tensor<1x3x2x2xf32>, tensor<3xf32>) -> tensor<1x3x2x2xf32>
  return %a, %b : tensor<1x3x2x2xf32>, tensor<1x3x2x2xf32>
}

// -----

// A per-channel slope stays a prelu.
// CHECK-LABEL: func.func @prelu_per_channel
//       CHECK:   nn.prelu
func.func @prelu_per_channel(%x: tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32> {
  %s = arith.constant dense<[0.25, 0.5, 0.125]> : tensor<3xf32>
  %a = nn.prelu %x, %s : (tensor<1x3x2x2xf32>, tensor<3xf32>) -> tensor<1x3x2x2xf32>
  return %a : tensor<1x3x2x2xf32>
}

// -----

// Constant folding of activations: the reference value, rounded once. NaN
// stays NaN (relu and relu6 of NaN), -Inf gives the limit (-0 for
// hard_swish, -1 for elu), and relu and relu6 give +0 for -0 (as the
// reference interpreter does).
// CHECK-LABEL: func.func @fold_activations
//   CHECK-DAG:   arith.constant dense<[0.000000e+00, 0.000000e+00, 2.500000e+00, 0x7FC00000, 0x7F800000]> : tensor<5xf32>
//   CHECK-DAG:   arith.constant dense<[0.000000e+00, 0.000000e+00, 2.500000e+00, 0x7FC00000, 6.000000e+00]> : tensor<5xf32>
//   CHECK-DAG:   arith.constant dense<[-1.000000e+00, -0.000000e+00, 2.500000e+00, 0x7FC00000, 0x7F800000]> : tensor<5xf32>
//   CHECK-DAG:   arith.constant dense<[-0.000000e+00, -0.000000e+00, 2.29166675, 0x7FC00000, 0x7F800000]> : tensor<5xf32>
//   CHECK-DAG:   arith.constant dense<[0.000000e+00, 5.000000e-01, 0.924141824, 0x7FC00000, 1.000000e+00]> : tensor<5xf32>
//   CHECK-NOT:   nn.
func.func @fold_activations() -> (tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>) {
  %c = arith.constant dense<[0xFF800000, -0.0, 2.5, 0x7FC00000, 0x7F800000]> : tensor<5xf32>
  %relu = nn.relu %c : tensor<5xf32>
  %relu6 = nn.relu6 %c : tensor<5xf32>
  %elu = nn.elu %c : tensor<5xf32>
  %hswish = nn.hard_swish %c : tensor<5xf32>
  %sigmoid = nn.sigmoid %c : tensor<5xf32>
  return %relu, %relu6, %elu, %hswish, %sigmoid : tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>
}

// -----

// A splat folds to a splat whatever its size; gelu uses the erfc form, so
// its left tail is not lost to cancellation (gelu(-10) = -7.6e-23).
// CHECK-LABEL: func.func @fold_splat
//   CHECK-DAG:   arith.constant dense<-7.6198{{[0-9]+}}E-23> : tensor<1000x1000xf32>
//   CHECK-NOT:   nn.gelu
func.func @fold_splat() -> tensor<1000x1000xf32> {
  %c = arith.constant dense<-10.0> : tensor<1000x1000xf32>
  %g = nn.gelu %c : tensor<1000x1000xf32>
  return %g : tensor<1000x1000xf32>
}

// -----

// Elementwise arithmetic on constants, with broadcasting.
// CHECK-LABEL: func.func @fold_binary
//   CHECK-DAG:   arith.constant dense<{{\[}}[2.100000e+01, 3.200000e+01], [2.300000e+01, 3.400000e+01]]> : tensor<2x2xf32>
//   CHECK-DAG:   arith.constant dense<{{\[}}[2.000000e+00, 4.000000e+00], [6.000000e+00, 8.000000e+00]]> : tensor<2x2xf32>
//   CHECK-DAG:   arith.constant dense<-1.000000e+00> : tensor<2xf32>
//   CHECK-NOT:   nn.
func.func @fold_binary() -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2xf32>) {
  %m = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %col = arith.constant dense<[[10.0], [10.0]]> : tensor<2x1xf32>
  %row = arith.constant dense<[10.0, 20.0]> : tensor<2xf32>
  %two = arith.constant dense<2.0> : tensor<f32>
  %three = arith.constant dense<3.0> : tensor<2xf32>
  %a0 = nn.add %m, %col : (tensor<2x2xf32>, tensor<2x1xf32>) -> tensor<2x2xf32>
  %a = nn.add %a0, %row : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %b = nn.mul %two, %m : (tensor<f32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %c = nn.sub %two, %three : (tensor<f32>, tensor<2xf32>) -> tensor<2xf32>
  return %a, %b, %c : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2xf32>
}

// -----

// Past 4096 result elements nothing is folded (a weight is never copied
// into a second constant): 65x64 = 4160 here, from two small constants. A
// resource whose data is not loaded (elided when printed) is not folded
// either.
// CHECK-LABEL: func.func @no_fold_large
//       CHECK:   nn.add
//       CHECK:   nn.relu
func.func @no_fold_large() -> (tensor<65x64xf32>, tensor<4097xf32>) {
  %col = arith.constant dense<[[0.0], [1.0], [2.0], [3.0], [4.0], [5.0], [6.0], [7.0], [8.0], [9.0], [10.0], [11.0], [12.0], [13.0], [14.0], [15.0], [16.0], [17.0], [18.0], [19.0], [20.0], [21.0], [22.0], [23.0], [24.0], [25.0], [26.0], [27.0], [28.0], [29.0], [30.0], [31.0], [32.0], [33.0], [34.0], [35.0], [36.0], [37.0], [38.0], [39.0], [40.0], [41.0], [42.0], [43.0], [44.0], [45.0], [46.0], [47.0], [48.0], [49.0], [50.0], [51.0], [52.0], [53.0], [54.0], [55.0], [56.0], [57.0], [58.0], [59.0], [60.0], [61.0], [62.0], [63.0], [64.0]]> : tensor<65x1xf32>
  %row = arith.constant dense<[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0, 40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0, 52.0, 53.0, 54.0, 55.0, 56.0, 57.0, 58.0, 59.0, 60.0, 61.0, 62.0, 63.0]> : tensor<64xf32>
  %sum = nn.add %col, %row : (tensor<65x1xf32>, tensor<64xf32>) -> tensor<65x64xf32>
  %c = arith.constant dense_resource<big> : tensor<4097xf32>
  %r = nn.relu %c : tensor<4097xf32>
  return %sum, %r : tensor<65x64xf32>, tensor<4097xf32>
}

// -----

// A small resource constant (a bound weight) folds like a dense one.
// CHECK-LABEL: func.func @fold_resource
//       CHECK:   arith.constant dense<[0.000000e+00, 2.000000e+00]> : tensor<2xf32>
//   CHECK-NOT:   nn.relu
func.func @fold_resource() -> tensor<2xf32> {
  %c = arith.constant dense_resource<small> : tensor<2xf32>
  %r = nn.relu %c : tensor<2xf32>
  return %r : tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      small: "0x04000000000080BF00000040"
    }
  }
#-}
