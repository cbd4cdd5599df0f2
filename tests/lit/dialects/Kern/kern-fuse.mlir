// RUN: actc-opt %s --split-input-file --kern-fuse | FileCheck %s

// Epilogue: bias, activation, residual add and scale after a dense are one
// kernel; the scalar region reads the accumulator (-1), the residual
// (operand 3, same indices) and the scale (operand 4, broadcast along the
// features).
// CHECK-LABEL: func.func @dense_epilogue
//       CHECK:   %[[K:.+]] = kern.kernel "k0" "contraction" ins(%arg0, %arg1, %arg2, %arg3, %arg4 :
//  CHECK-SAME:     scalar_inputs = array<i64: -1, 3, 4>
//  CHECK-SAME:     scalar_maps = [#map, #map, #map1]
//       CHECK:     nn.dense
//  CHECK-NEXT:     nn.gelu
//  CHECK-NEXT:     nn.add
//  CHECK-NEXT:     nn.mul
//  CHECK-NEXT:     kern.yield
//       CHECK:   } scalar {
//       CHECK:     kern.activation "gelu" %{{.+}} {approximate = "none"} : f32
//       CHECK:     arith.addf
//       CHECK:     arith.mulf
//       CHECK:     kern.yield %{{.+}} : f32
//   CHECK-NOT:   kern.kernel
//       CHECK:   return %[[K]]
func.func @dense_epilogue(%x: tensor<?x64xf32>, %w: tensor<32x64xf32>, %b: tensor<32xf32>,
                          %res: tensor<?x32xf32>, %scale: tensor<32xf32>) -> tensor<?x32xf32> {
  %0 = nn.dense %x, %w, %b : (tensor<?x64xf32>, tensor<32x64xf32>, tensor<32xf32>) -> tensor<?x32xf32>
  %1 = nn.gelu %0 : tensor<?x32xf32>
  %2 = nn.add %1, %res : (tensor<?x32xf32>, tensor<?x32xf32>) -> tensor<?x32xf32>
  %3 = nn.mul %2, %scale : (tensor<?x32xf32>, tensor<32xf32>) -> tensor<?x32xf32>
  return %3 : tensor<?x32xf32>
}

// -----

// A conv followed by an unfolded batch_norm and prelu is one kernel; the
// per-channel parameters read the channel axis (d1), not numpy's last axis.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CH:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @conv_bn_prelu
//       CHECK:   kern.kernel "k0" "contraction"
//  CHECK-SAME:     scalar_maps = [#[[ID]], #[[CH]], #[[CH]], #[[CH]], #[[CH]], #[[CH]]]
//       CHECK:     nn.conv2d
//  CHECK-NEXT:     nn.batch_norm
//  CHECK-NEXT:     nn.prelu
//       CHECK:     math.sqrt
//   CHECK-NOT:   kern.kernel
func.func @conv_bn_prelu(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %g: tensor<4xf32>,
                         %beta: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>,
                         %slope: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  %0 = nn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  %1 = nn.batch_norm %0, %g, %beta, %m, %v : (tensor<1x4x6x6xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  %2 = nn.prelu %1, %slope : (tensor<1x4x6x6xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  return %2 : tensor<1x4x6x6xf32>
}

// -----

// An elementwise chain of any length is one map kernel over the chain's
// inputs; a broadcast operand ([8]) gets a projected map.
// CHECK-LABEL: func.func @map_chain
//       CHECK:   kern.kernel "k0" "map" ins(%arg0, %arg1 :
//  CHECK-SAME:     scalar_inputs = array<i64: 0, 1>
//  CHECK-SAME:     scalar_maps = [#map, #map1]
//       CHECK:     nn.sigmoid
//  CHECK-NEXT:     nn.mul
//  CHECK-NEXT:     nn.elu
//  CHECK-NEXT:     nn.softplus
//  CHECK-NEXT:     nn.tanh
//  CHECK-NEXT:     nn.sub
//  CHECK-NEXT:     kern.yield
//   CHECK-NOT:   kern.kernel
func.func @map_chain(%x: tensor<4x8xf32>, %y: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = nn.sigmoid %x : tensor<4x8xf32>
  %1 = nn.mul %0, %y : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %2 = nn.elu %1 : tensor<4x8xf32>
  %3 = nn.softplus %2 : tensor<4x8xf32>
  %4 = nn.tanh %3 : tensor<4x8xf32>
  %5 = nn.sub %4, %x : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %5 : tensor<4x8xf32>
}

// -----

// softmax and log_softmax are one reduction kernel each; an elementwise op
// after a softmax is its epilogue.
// CHECK-LABEL: func.func @softmaxes
//       CHECK:   kern.kernel "k0" "reduction"
//       CHECK:     nn.softmax
//  CHECK-NEXT:     nn.mul
//  CHECK-NEXT:     kern.yield
//       CHECK:   kern.kernel "k1" "reduction"
//       CHECK:     nn.log_softmax
//  CHECK-NEXT:     kern.yield
//       CHECK:   } scalar {
//  CHECK-NEXT:   ^bb0(%[[ACC:.+]]: f32):
//  CHECK-NEXT:     kern.yield %[[ACC]] : f32
func.func @softmaxes(%x: tensor<2x10xf32>, %s: tensor<2x10xf32>) -> (tensor<2x10xf32>, tensor<2x10xf32>) {
  %0 = nn.softmax %x : tensor<2x10xf32>
  %1 = nn.mul %0, %s : (tensor<2x10xf32>, tensor<2x10xf32>) -> tensor<2x10xf32>
  %2 = nn.log_softmax %x : tensor<2x10xf32>
  return %1, %2 : tensor<2x10xf32>, tensor<2x10xf32>
}

// -----

// reshape and flatten are free views: they stay between kernels, and the
// kernels on either side read and write through them.
// CHECK-LABEL: func.func @views
//       CHECK:   %[[A:.+]] = kern.kernel "k0" "pool"
//       CHECK:     nn.global_avg_pool2d
//  CHECK-NEXT:     nn.relu
//       CHECK:   %[[F:.+]] = nn.flatten %[[A]]
//       CHECK:   %[[D:.+]] = kern.kernel "k1" "contraction" ins(%[[F]],
//       CHECK:   %[[R:.+]] = nn.reshape %[[D]]
//       CHECK:   kern.kernel "k2" "map" ins(%[[R]] :
func.func @views(%x: tensor<1x8x4x4xf32>, %w: tensor<6x8xf32>) -> tensor<2x3xf32> {
  %0 = nn.global_avg_pool2d %x : tensor<1x8x4x4xf32> -> tensor<1x8x1x1xf32>
  %1 = nn.relu %0 : tensor<1x8x1x1xf32>
  %2 = nn.flatten %1 : tensor<1x8x1x1xf32> -> tensor<1x8xf32>
  %3 = nn.dense %2, %w : (tensor<1x8xf32>, tensor<6x8xf32>) -> tensor<1x6xf32>
  %4 = nn.reshape %3 {shape = array<i64: 2, 3>} : tensor<1x6xf32> -> tensor<2x3xf32>
  %5 = nn.sigmoid %4 : tensor<2x3xf32>
  return %5 : tensor<2x3xf32>
}

// -----

// Must not fuse: the dense's result is also returned, so it is stored once
// and the relu reads it back in a map kernel of its own.
// CHECK-LABEL: func.func @two_users
//       CHECK:   %[[D:.+]] = kern.kernel "k0" "contraction"
//       CHECK:     nn.dense
//  CHECK-NEXT:     kern.yield
//       CHECK:   %[[R:.+]] = kern.kernel "k1" "map" ins(%[[D]] :
//       CHECK:     nn.relu
//       CHECK:   return %[[D]], %[[R]]
func.func @two_users(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = nn.dense %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %1 = nn.relu %0 : tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Must not fuse: the add broadcasts the dense's [2x1] result up to [2x3],
// which would make the contraction's epilogue run over a larger index
// space than its accumulator.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[COL0:.+]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @broadcast_up
//       CHECK:   %[[D:.+]] = kern.kernel "k0" "contraction"
//       CHECK:     nn.dense
//  CHECK-NEXT:     kern.yield
//       CHECK:   kern.kernel "k1" "map" ins(%[[D]], %arg2 :
//  CHECK-SAME:     scalar_maps = [#[[COL0]], #[[ID]]]
func.func @broadcast_up(%x: tensor<2x4xf32>, %w: tensor<1x4xf32>, %y: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = nn.dense %x, %w : (tensor<2x4xf32>, tensor<1x4xf32>) -> tensor<2x1xf32>
  %1 = nn.add %0, %y : (tensor<2x1xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// Must not fuse: two contractions in a row are two kernels (a contraction
// is never an epilogue), and an elementwise op before a contraction is a
// map of its own (no prologue fusion).
// CHECK-LABEL: func.func @dense_dense
//       CHECK:   %[[M:.+]] = kern.kernel "k0" "map"
//       CHECK:   %[[A:.+]] = kern.kernel "k1" "contraction" ins(%[[M]],
//       CHECK:   kern.kernel "k2" "contraction" ins(%[[A]],
func.func @dense_dense(%x: tensor<2x4xf32>, %w1: tensor<4x4xf32>, %w2: tensor<3x4xf32>) -> tensor<2x3xf32> {
  %0 = nn.sigmoid %x : tensor<2x4xf32>
  %1 = nn.dense %0, %w1 : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %2 = nn.dense %1, %w2 : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return %2 : tensor<2x3xf32>
}

// -----

// An add of two kernels' results joins the first; the second is stored.
// CHECK-LABEL: func.func @two_producers
//       CHECK:   %[[B:.+]] = kern.kernel "k0" "contraction" ins(%arg0, %arg2 :
//       CHECK:     nn.dense
//  CHECK-NEXT:     kern.yield
//       CHECK:   kern.kernel "k1" "contraction" ins(%arg0, %arg1, %[[B]] :
//       CHECK:     nn.dense
//  CHECK-NEXT:     nn.add
func.func @two_producers(%x: tensor<2x4xf32>, %w1: tensor<3x4xf32>, %w2: tensor<3x4xf32>) -> tensor<2x3xf32> {
  %0 = nn.dense %x, %w1 : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %1 = nn.dense %x, %w2 : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %2 = nn.add %0, %1 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %2 : tensor<2x3xf32>
}

// -----

// Recompute when cheaper: a relu of an input read by two elementwise
// consumers is computed again inside each consumer's kernel (a max per
// element) instead of being stored and read back twice.
// CHECK-LABEL: func.func @recompute_cheap
//   CHECK-NOT:   nn.relu %arg0
//       CHECK:   kern.kernel "k0" "map" ins(%arg0 :
//       CHECK:     nn.relu
//  CHECK-NEXT:     nn.sigmoid
//       CHECK:   kern.kernel "k1" "map" ins(%arg0 :
//       CHECK:     nn.relu
//  CHECK-NEXT:     nn.tanh
//   CHECK-NOT:   kern.kernel
func.func @recompute_cheap(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %0 = nn.relu %x : tensor<4x8xf32>
  %1 = nn.sigmoid %0 : tensor<4x8xf32>
  %2 = nn.tanh %0 : tensor<4x8xf32>
  return %1, %2 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Not recomputed: a sigmoid (an exp per element) with two consumers is
// computed once and stored.
// CHECK-LABEL: func.func @no_recompute_expensive
//       CHECK:   %[[S:.+]] = kern.kernel "k0" "map" ins(%arg0 :
//       CHECK:     nn.sigmoid
//  CHECK-NEXT:     kern.yield
//       CHECK:   kern.kernel "k1" "map" ins(%[[S]] :
//       CHECK:   kern.kernel "k2" "map" ins(%[[S]] :
func.func @no_recompute_expensive(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %0 = nn.sigmoid %x : tensor<4x8xf32>
  %1 = nn.relu %0 : tensor<4x8xf32>
  %2 = nn.tanh %0 : tensor<4x8xf32>
  return %1, %2 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Not recomputed: a cheap op whose consumers include a contraction (or the
// function's result) is stored once; the dense reads it from memory anyway.
// CHECK-LABEL: func.func @no_recompute_for_contraction
//       CHECK:   %[[R:.+]] = kern.kernel "k0" "map" ins(%arg0 :
//       CHECK:     nn.relu
//  CHECK-NEXT:     kern.yield
//       CHECK:   kern.kernel "k1" "contraction" ins(%[[R]],
//       CHECK:   kern.kernel "k2" "map" ins(%[[R]] :
func.func @no_recompute_for_contraction(%x: tensor<2x4xf32>, %w: tensor<4x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %0 = nn.relu %x : tensor<2x4xf32>
  %1 = nn.dense %0, %w : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %2 = nn.sigmoid %0 : tensor<2x4xf32>
  return %1, %2 : tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// Parameters are kernel operands like any other value (nn.param is treated
// as a constant and stays outside the kernel); layer_norm is a reduction
// with an epilogue, max pooling a pool kernel with one; transpose and
// concat are copies.
// CHECK-LABEL: func.func @anchors
//       CHECK:   %[[G:.+]] = nn.param "ln.weight"
//       CHECK:   kern.kernel "k0" "reduction" ins(%arg0, %[[G]],
//       CHECK:     nn.layer_norm
//  CHECK-NEXT:     nn.silu
//       CHECK:   kern.kernel "k1" "copy"
//       CHECK:     nn.transpose
//       CHECK:   kern.kernel "k2" "pool"
//       CHECK:     nn.max_pool2d
//  CHECK-NEXT:     nn.leaky_relu
//       CHECK:   kern.kernel "k3" "copy"
//       CHECK:     nn.concat
func.func @anchors(%x: tensor<2x4x8xf32>, %img: tensor<1x2x4x4xf32>) -> (tensor<2x8x4xf32>, tensor<1x4x2x2xf32>) {
  %g = nn.param "ln.weight" : tensor<8xf32>
  %b = nn.param "ln.bias" : tensor<8xf32>
  %0 = nn.layer_norm %x, %g, %b : (tensor<2x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
  %1 = nn.silu %0 : tensor<2x4x8xf32>
  %2 = nn.transpose %1 {perm = array<i64: 0, 2, 1>} : tensor<2x4x8xf32> -> tensor<2x8x4xf32>
  %3 = nn.max_pool2d %img {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>
  %4 = nn.leaky_relu %3 {alpha = 1.000000e-01 : f32} : tensor<1x2x2x2xf32>
  %5 = nn.concat %4, %4 {axis = 1 : i64} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x4x2x2xf32>
  return %2, %5 : tensor<2x8x4xf32>, tensor<1x4x2x2xf32>
}
