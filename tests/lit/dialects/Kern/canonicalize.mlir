// RUN: actc-opt %s --split-input-file --canonicalize | FileCheck %s

// kern.kernel has no patterns of its own; it is Pure, so a kernel whose
// result nothing reads is removed, and canonicalize leaves a used one (and
// both its regions) alone.
// CHECK-LABEL: func.func @dead_and_live
//       CHECK:   %[[K:.+]] = kern.kernel "live" "map"
//       CHECK:     nn.relu
//       CHECK:   } scalar {
//       CHECK:     arith.maximumf
//   CHECK-NOT:   kern.kernel "dead"
//       CHECK:   return %[[K]]
func.func @dead_and_live(%x: tensor<4xf32>) -> tensor<4xf32> {
  %dead = kern.kernel "dead" "map" ins(%x : tensor<4xf32>) -> tensor<4xf32>
      attributes {scalar_inputs = array<i64: 0>, scalar_maps = [affine_map<(d0) -> (d0)>]} {
  ^bb0(%a: tensor<4xf32>):
    %1 = nn.tanh %a : tensor<4xf32>
    kern.yield %1 : tensor<4xf32>
  } scalar {
  ^bb0(%a: f32):
    %t = math.tanh %a : f32
    kern.yield %t : f32
  }
  %live = kern.kernel "live" "map" ins(%x : tensor<4xf32>) -> tensor<4xf32>
      attributes {scalar_inputs = array<i64: 0>, scalar_maps = [affine_map<(d0) -> (d0)>]} {
  ^bb0(%a: tensor<4xf32>):
    %1 = nn.relu %a : tensor<4xf32>
    kern.yield %1 : tensor<4xf32>
  } scalar {
  ^bb0(%a: f32):
    %zero = arith.constant 0.000000e+00 : f32
    %r = arith.maximumf %a, %zero : f32
    kern.yield %r : f32
  }
  return %live : tensor<4xf32>
}
