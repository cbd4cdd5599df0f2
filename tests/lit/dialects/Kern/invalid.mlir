// RUN: actc-opt %s --split-input-file --verify-diagnostics

// An unknown kind.
func.func @kind(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expects kind contraction, pool, reduction, copy or map, found 'fancy'}}
  %0 = kern.kernel "k0" "fancy" ins(%x : tensor<4xf32>) -> tensor<4xf32>
      attributes {scalar_inputs = array<i64: 0>, scalar_maps = [affine_map<(d0) -> (d0)>]} {
  ^bb0(%a: tensor<4xf32>):
    %1 = nn.relu %a : tensor<4xf32>
    kern.yield %1 : tensor<4xf32>
  } scalar {
  ^bb0(%a: f32):
    kern.yield %a : f32
  }
  return %0 : tensor<4xf32>
}

// -----

// A map kernel must not read an anchor value.
func.func @map_anchor(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expects a map kernel to have no anchor scalar input (-1), found 1}}
  %0 = kern.kernel "k0" "map" ins(%x : tensor<4xf32>) -> tensor<4xf32>
      attributes {scalar_inputs = array<i64: -1>, scalar_maps = [affine_map<(d0) -> (d0)>]} {
  ^bb0(%a: tensor<4xf32>):
    %1 = nn.relu %a : tensor<4xf32>
    kern.yield %1 : tensor<4xf32>
  } scalar {
  ^bb0(%a: f32):
    kern.yield %a : f32
  }
  return %0 : tensor<4xf32>
}

// -----

// A scalar map must go from the result's indices to the operand's.
func.func @map_rank(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{expects scalar map 0 to map 2 result indices to 2 operand indices, found affine_map<(d0) -> (d0)>}}
  %0 = kern.kernel "k0" "map" ins(%x : tensor<2x4xf32>) -> tensor<2x4xf32>
      attributes {scalar_inputs = array<i64: 0>, scalar_maps = [affine_map<(d0) -> (d0)>]} {
  ^bb0(%a: tensor<2x4xf32>):
    %1 = nn.relu %a : tensor<2x4xf32>
    kern.yield %1 : tensor<2x4xf32>
  } scalar {
  ^bb0(%a: f32):
    kern.yield %a : f32
  }
  return %0 : tensor<2x4xf32>
}

// -----

// The anchor of a contraction kernel comes first.
func.func @anchor_first(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{expects a contraction kernel's first op to be its anchor, found 'nn.relu'}}
  %0 = kern.kernel "k0" "contraction" ins(%x, %w : tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
      attributes {scalar_inputs = array<i64: -1>, scalar_maps = [affine_map<(d0, d1) -> (d0, d1)>]} {
  ^bb0(%a: tensor<2x4xf32>, %b: tensor<3x4xf32>):
    %1 = nn.relu %a : tensor<2x4xf32>
    %2 = nn.dense %1, %b : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
    kern.yield %2 : tensor<2x3xf32>
  } scalar {
  ^bb0(%a: f32):
    kern.yield %a : f32
  }
  return %0 : tensor<2x3xf32>
}

// -----

// Only elementwise ops follow the anchor.
func.func @second_anchor(%x: tensor<2x4xf32>, %w: tensor<4x4xf32>) -> tensor<2x4xf32> {
  %0 = kern.kernel "k0" "contraction" ins(%x, %w : tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
      attributes {scalar_inputs = array<i64: -1>, scalar_maps = [affine_map<(d0, d1) -> (d0, d1)>]} {
  ^bb0(%a: tensor<2x4xf32>, %b: tensor<4x4xf32>):
    %1 = nn.dense %a, %b : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
    // expected-error @+1 {{cannot be fused after a kernel's anchor: only elementwise nn ops can}}
    %2 = nn.dense %1, %b : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
    kern.yield %2 : tensor<2x4xf32>
  } scalar {
  ^bb0(%a: f32):
    kern.yield %a : f32
  }
  return %0 : tensor<2x4xf32>
}

// -----

// The scalar region holds arith and math only.
func.func @scalar_dialect(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = kern.kernel "k0" "map" ins(%x : tensor<4xf32>) -> tensor<4xf32>
      attributes {scalar_inputs = array<i64: 0>, scalar_maps = [affine_map<(d0) -> (d0)>]} {
  ^bb0(%a: tensor<4xf32>):
    %1 = nn.relu %a : tensor<4xf32>
    kern.yield %1 : tensor<4xf32>
  } scalar {
  ^bb0(%a: f32):
    // expected-error @+1 {{is not allowed in a kernel's scalar region: only arith, math and kern.activation ops are}}
    %t = tensor.from_elements %a : tensor<1xf32>
    kern.yield %a : f32
  }
  return %0 : tensor<4xf32>
}

// -----

// The body yields the kernel's result type.
func.func @yield_type(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expects the body to yield one 'tensor<4xf32>'}}
  %0 = kern.kernel "k0" "map" ins(%x : tensor<4xf32>) -> tensor<4xf32>
      attributes {scalar_inputs = array<i64: 0>, scalar_maps = [affine_map<(d0) -> (d0)>]} {
  ^bb0(%a: tensor<4xf32>):
    %1 = nn.relu %a : tensor<4xf32>
    kern.yield
  } scalar {
  ^bb0(%a: f32):
    kern.yield %a : f32
  }
  return %0 : tensor<4xf32>
}

// -----

// One scalar argument per scalar input.
func.func @scalar_args(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expects the scalar region to take one argument per scalar input (1), found 2}}
  %0 = kern.kernel "k0" "map" ins(%x : tensor<4xf32>) -> tensor<4xf32>
      attributes {scalar_inputs = array<i64: 0>, scalar_maps = [affine_map<(d0) -> (d0)>]} {
  ^bb0(%a: tensor<4xf32>):
    %1 = nn.relu %a : tensor<4xf32>
    kern.yield %1 : tensor<4xf32>
  } scalar {
  ^bb0(%a: f32, %b: f32):
    kern.yield %a : f32
  }
  return %0 : tensor<4xf32>
}

// -----

// A schedule's tile has one size per result dimension.
func.func @tile_rank(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{expects schedule 'tile' to have one entry per result dimension (2), found 3}}
  %0 = kern.kernel "k0" "map" ins(%x : tensor<2x4xf32>) -> tensor<2x4xf32>
      attributes {scalar_inputs = array<i64: 0>, scalar_maps = [affine_map<(d0, d1) -> (d0, d1)>],
                  schedule = {tile = array<i64: 1, 2, 3>}} {
  ^bb0(%a: tensor<2x4xf32>):
    %1 = nn.relu %a : tensor<2x4xf32>
    kern.yield %1 : tensor<2x4xf32>
  } scalar {
  ^bb0(%a: f32):
    kern.yield %a : f32
  }
  return %0 : tensor<2x4xf32>
}

// -----

// An unknown schedule key.
func.func @schedule_key(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{has an unknown schedule key 'tiles'}}
  %0 = kern.kernel "k0" "map" ins(%x : tensor<4xf32>) -> tensor<4xf32>
      attributes {scalar_inputs = array<i64: 0>, scalar_maps = [affine_map<(d0) -> (d0)>],
                  schedule = {tiles = array<i64: 4>}} {
  ^bb0(%a: tensor<4xf32>):
    %1 = nn.relu %a : tensor<4xf32>
    kern.yield %1 : tensor<4xf32>
  } scalar {
  ^bb0(%a: f32):
    kern.yield %a : f32
  }
  return %0 : tensor<4xf32>
}

// -----

// A schedule value of the wrong kind.
func.func @schedule_value(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{has a bad schedule value for 'vector': expected a positive integer, found 0 : i64}}
  %0 = kern.kernel "k0" "map" ins(%x : tensor<4xf32>) -> tensor<4xf32>
      attributes {scalar_inputs = array<i64: 0>, scalar_maps = [affine_map<(d0) -> (d0)>],
                  schedule = {vector = 0 : i64}} {
  ^bb0(%a: tensor<4xf32>):
    %1 = nn.relu %a : tensor<4xf32>
    kern.yield %1 : tensor<4xf32>
  } scalar {
  ^bb0(%a: f32):
    kern.yield %a : f32
  }
  return %0 : tensor<4xf32>
}

// -----

// A scalar input names an operand that exists.
func.func @scalar_input_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expects scalar input 0 to be -1 (the anchor) or an operand index below 1, found 3}}
  %0 = kern.kernel "k0" "map" ins(%x : tensor<4xf32>) -> tensor<4xf32>
      attributes {scalar_inputs = array<i64: 3>, scalar_maps = [affine_map<(d0) -> (d0)>]} {
  ^bb0(%a: tensor<4xf32>):
    %1 = nn.relu %a : tensor<4xf32>
    kern.yield %1 : tensor<4xf32>
  } scalar {
  ^bb0(%a: f32):
    kern.yield %a : f32
  }
  return %0 : tensor<4xf32>
}
