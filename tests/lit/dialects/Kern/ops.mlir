// RUN: actc-opt %s | actc-opt | FileCheck %s
// RUN: actc-opt %s --mlir-print-op-generic | actc-opt | FileCheck %s

// A contraction kernel with an epilogue and a schedule prints and parses
// back unchanged.
// CHECK-LABEL: func.func @dense_relu
//       CHECK:   kern.kernel "k0" "contraction" ins(%arg0, %arg1, %arg2 : tensor<?x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<?x4xf32>
//  CHECK-SAME:     schedule = {parallel_dim = 1 : i64, tile = array<i64: 6, 16>, vector = 8 : i64}
//       CHECK:     nn.dense
//       CHECK:     nn.relu
//       CHECK:   } scalar {
//       CHECK:     arith.maximumf
func.func @dense_relu(%x: tensor<?x8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>) -> tensor<?x4xf32> {
  %0 = kern.kernel "k0" "contraction" ins(%x, %w, %b : tensor<?x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<?x4xf32>
      attributes {scalar_inputs = array<i64: -1>, scalar_maps = [affine_map<(d0, d1) -> (d0, d1)>],
                  schedule = {parallel_dim = 1 : i64, tile = array<i64: 6, 16>, vector = 8 : i64}} {
  ^bb0(%in: tensor<?x8xf32>, %wt: tensor<4x8xf32>, %bs: tensor<4xf32>):
    %1 = nn.dense %in, %wt, %bs : (tensor<?x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<?x4xf32>
    %2 = nn.relu %1 : tensor<?x4xf32>
    kern.yield %2 : tensor<?x4xf32>
  } scalar {
  ^bb0(%acc: f32):
    %zero = arith.constant 0.000000e+00 : f32
    %r = arith.maximumf %acc, %zero : f32
    kern.yield %r : f32
  }
  return %0 : tensor<?x4xf32>
}

// A map kernel reads its operands through their maps (here a broadcast
// bias) and has no anchor input.
// CHECK-LABEL: func.func @map_add
//       CHECK:   kern.kernel "k0" "map" ins(%arg0, %arg1 : tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
//  CHECK-SAME:     scalar_inputs = array<i64: 0, 1>
func.func @map_add(%x: tensor<2x3xf32>, %y: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = kern.kernel "k0" "map" ins(%x, %y : tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
      attributes {scalar_inputs = array<i64: 0, 1>,
                  scalar_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>]} {
  ^bb0(%a: tensor<2x3xf32>, %b: tensor<3xf32>):
    %1 = nn.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    kern.yield %1 : tensor<2x3xf32>
  } scalar {
  ^bb0(%a: f32, %b: f32):
    %r = arith.addf %a, %b : f32
    kern.yield %r : f32
  }
  return %0 : tensor<2x3xf32>
}
