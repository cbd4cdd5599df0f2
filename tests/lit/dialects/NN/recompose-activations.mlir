// RUN: actc-opt %s --split-input-file --nn-recompose-activations | FileCheck %s

// Activations spelled out as graphs become the activation op; the same
// graphs with a different constant, a different operand or a different NaN
// behaviour stay as they are.

// x * relu6(x + 3) * (1/6), scalars as tensor<f32> splats.
// CHECK-LABEL: func.func @hard_swish_relu6
//  CHECK-NEXT:   %[[Y:.+]] = nn.hard_swish %arg0 : tensor<4xf32>
//  CHECK-NEXT:   return %[[Y]]
func.func @hard_swish_relu6(%x: tensor<4xf32>) -> tensor<4xf32> {
  %three = arith.constant dense<3.0> : tensor<f32>
  %sixth = arith.constant dense<0.166666672> : tensor<f32>
  %a = nn.add %x, %three : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %r = nn.relu6 %a : tensor<4xf32>
  %m = nn.mul %x, %r : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %y = nn.mul %m, %sixth : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// (x * (1/6)) * clip(3 + x, 0, 6), scalars as rank-matching splats.
// CHECK-LABEL: func.func @hard_swish_clip
//  CHECK-NEXT:   %[[Y:.+]] = nn.hard_swish %arg0 : tensor<2x4xf32>
//  CHECK-NEXT:   return %[[Y]]
func.func @hard_swish_clip(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %three = arith.constant dense<3.0> : tensor<1x1xf32>
  %sixth = arith.constant dense<0.166666672> : tensor<1x1xf32>
  %a = nn.add %three, %x : (tensor<1x1xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %r = nn.clip %a {lo = 0.0 : f32, hi = 6.0 : f32} : tensor<2x4xf32>
  %s = nn.mul %x, %sixth : (tensor<2x4xf32>, tensor<1x1xf32>) -> tensor<2x4xf32>
  %y = nn.mul %s, %r : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// x * relu6(x + 3) / 6 with a division (arith.divf needs both operands of
// the same type, so the 6 is a splat of x's type).
// CHECK-LABEL: func.func @hard_swish_div
//  CHECK-NEXT:   %[[Y:.+]] = nn.hard_swish %arg0 : tensor<2x4xf32>
//  CHECK-NEXT:   return %[[Y]]
func.func @hard_swish_div(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %three = arith.constant dense<3.0> : tensor<f32>
  %six = arith.constant dense<6.0> : tensor<2x4xf32>
  %a = nn.add %x, %three : (tensor<2x4xf32>, tensor<f32>) -> tensor<2x4xf32>
  %r = nn.relu6 %a : tensor<2x4xf32>
  %m = nn.mul %r, %x : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %y = arith.divf %m, %six : tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// x * (relu6(x + 3) * (1/6)): the inner product is PyTorch's hard_sigmoid,
// and x * hard_sigmoid(x) is hard_swish (ONNX's definition).
// CHECK-LABEL: func.func @hard_swish_via_hard_sigmoid
//  CHECK-NEXT:   %[[Y:.+]] = nn.hard_swish %arg0 : tensor<4xf32>
//  CHECK-NEXT:   return %[[Y]]
func.func @hard_swish_via_hard_sigmoid(%x: tensor<4xf32>) -> tensor<4xf32> {
  %three = arith.constant dense<3.0> : tensor<f32>
  %sixth = arith.constant dense<0.166666672> : tensor<f32>
  %a = nn.add %x, %three : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %r = nn.relu6 %a : tensor<4xf32>
  %h = nn.mul %r, %sixth : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %y = nn.mul %x, %h : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Negative: x + 4 inside the relu6, or a scale of 1/5: not hard_swish.
// CHECK-LABEL: func.func @hard_swish_wrong_constants
//   CHECK-NOT:   nn.hard_swish
//   CHECK-NOT:   nn.hard_sigmoid
//       CHECK:   return
func.func @hard_swish_wrong_constants(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %three = arith.constant dense<3.0> : tensor<f32>
  %four = arith.constant dense<4.0> : tensor<f32>
  %sixth = arith.constant dense<0.166666672> : tensor<f32>
  %fifth = arith.constant dense<0.2> : tensor<f32>
  %a = nn.add %x, %four : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %r = nn.relu6 %a : tensor<4xf32>
  %m = nn.mul %x, %r : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %y = nn.mul %m, %sixth : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %b = nn.add %x, %three : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %s = nn.relu6 %b : tensor<4xf32>
  %n = nn.mul %x, %s : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %z = nn.mul %n, %fifth : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %y, %z : tensor<4xf32>, tensor<4xf32>
}

// -----

// Negative: a constant whose broadcast widens x (tensor<2x4> splats against
// a tensor<4> x) would change the result's shape.
// CHECK-LABEL: func.func @hard_swish_widening_constant
//   CHECK-NOT:   nn.hard_swish
//       CHECK:   return
func.func @hard_swish_widening_constant(%x: tensor<4xf32>) -> tensor<2x4xf32> {
  %three = arith.constant dense<3.0> : tensor<f32>
  %sixth = arith.constant dense<0.166666672> : tensor<2x4xf32>
  %a = nn.add %x, %three : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %r = nn.relu6 %a : tensor<4xf32>
  %m = nn.mul %x, %r : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %y = nn.mul %m, %sixth : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// clip(a * x + b, 0, 1) is hard_sigmoid(x, a, b) (ONNX's 0.2 and 0.5 here);
// without the add it is hard_sigmoid with beta 0.
// CHECK-LABEL: func.func @hard_sigmoid
//   CHECK-DAG:   %[[A:.+]] = nn.hard_sigmoid %arg0 {alpha = 2.000000e-01 : f32} : tensor<4xf32>
//   CHECK-DAG:   %[[B:.+]] = nn.hard_sigmoid %arg0 {alpha = 2.500000e-01 : f32, beta = 0.000000e+00 : f32} : tensor<4xf32>
//   CHECK-NOT:   nn.clip
//       CHECK:   return %[[A]], %[[B]]
func.func @hard_sigmoid(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %alpha = arith.constant dense<0.2> : tensor<f32>
  %beta = arith.constant dense<0.5> : tensor<f32>
  %m = nn.mul %alpha, %x : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %a = nn.add %m, %beta : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %y = nn.clip %a {lo = 0.0 : f32, hi = 1.0 : f32} : tensor<4xf32>
  %quarter = arith.constant dense<0.25> : tensor<f32>
  %n = nn.mul %x, %quarter : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %z = nn.clip %n {lo = 0.0 : f32, hi = 1.0 : f32} : tensor<4xf32>
  return %y, %z : tensor<4xf32>, tensor<4xf32>
}

// -----

// Negative: a clip to [0, 2], and a plain clip(x, 0, 1), are not
// hard_sigmoids.
// CHECK-LABEL: func.func @hard_sigmoid_wrong_range
//   CHECK-NOT:   nn.hard_sigmoid
//       CHECK:   return
func.func @hard_sigmoid_wrong_range(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %alpha = arith.constant dense<0.2> : tensor<f32>
  %beta = arith.constant dense<0.5> : tensor<f32>
  %m = nn.mul %alpha, %x : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %a = nn.add %m, %beta : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %y = nn.clip %a {lo = 0.0 : f32, hi = 2.0 : f32} : tensor<4xf32>
  %z = nn.clip %x {lo = 0.0 : f32, hi = 1.0 : f32} : tensor<4xf32>
  return %y, %z : tensor<4xf32>, tensor<4xf32>
}

// -----

// x * sigmoid(x) is silu; x * sigmoid(1.702 * x) is swish with that beta.
// CHECK-LABEL: func.func @silu_swish
//   CHECK-DAG:   %[[A:.+]] = nn.silu %arg0 : tensor<4xf32>
//   CHECK-DAG:   %[[B:.+]] = nn.swish %arg0 {beta = 1.702000e+00 : f32} : tensor<4xf32>
//   CHECK-NOT:   nn.sigmoid
//       CHECK:   return %[[A]], %[[B]]
func.func @silu_swish(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %s = nn.sigmoid %x : tensor<4xf32>
  %y = nn.mul %s, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %beta = arith.constant dense<1.702> : tensor<f32>
  %bx = nn.mul %x, %beta : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %t = nn.sigmoid %bx : tensor<4xf32>
  %z = nn.mul %x, %t : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y, %z : tensor<4xf32>, tensor<4xf32>
}

// -----

// Negative: x * sigmoid(y) for another y is a gate, not silu.
// CHECK-LABEL: func.func @sigmoid_gate
//   CHECK-NOT:   nn.silu
//   CHECK-NOT:   nn.swish
//       CHECK:   return
func.func @sigmoid_gate(%x: tensor<4xf32>, %g: tensor<4xf32>) -> tensor<4xf32> {
  %s = nn.sigmoid %g : tensor<4xf32>
  %y = nn.mul %x, %s : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// The tanh form of GELU, as PyTorch's approximate="tanh" spells it, with
// x^3 as x * x * x and, in a second copy, as math.powf(x, 3).
// CHECK-LABEL: func.func @gelu_tanh
//   CHECK-DAG:   %[[A:.+]] = nn.gelu %arg0 {approximate = "tanh"} : tensor<4xf32>
//   CHECK-DAG:   %[[B:.+]] = nn.gelu %arg1 {approximate = "tanh"} : tensor<4xf32>
//   CHECK-NOT:   nn.tanh
//   CHECK-NOT:   math.powf
//       CHECK:   return %[[A]], %[[B]]
func.func @gelu_tanh(%x: tensor<4xf32>, %v: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %half = arith.constant dense<0.5> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %k = arith.constant dense<0.797884583> : tensor<f32>
  %c = arith.constant dense<0.044715> : tensor<f32>
  %x2 = nn.mul %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %x3 = nn.mul %x2, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %cx3 = nn.mul %c, %x3 : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %inner = nn.add %x, %cx3 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %u = nn.mul %k, %inner : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %t = nn.tanh %u : tensor<4xf32>
  %onept = nn.add %one, %t : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %hx = nn.mul %half, %x : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %y = nn.mul %hx, %onept : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>

  %three = arith.constant dense<3.0> : tensor<4xf32>
  %v3 = math.powf %v, %three : tensor<4xf32>
  %cv3 = nn.mul %v3, %c : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %vinner = nn.add %cv3, %v : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %vu = nn.mul %vinner, %k : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %vt = nn.tanh %vu : tensor<4xf32>
  %vonept = nn.add %vt, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %vo = nn.mul %v, %vonept : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %z = nn.mul %vo, %half : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %y, %z : tensor<4xf32>, tensor<4xf32>
}

// -----

// Negative: 0.05 instead of 0.044715 in the cubic term.
// CHECK-LABEL: func.func @gelu_tanh_wrong_cubic
//   CHECK-NOT:   nn.gelu
//       CHECK:   return
func.func @gelu_tanh_wrong_cubic(%x: tensor<4xf32>) -> tensor<4xf32> {
  %half = arith.constant dense<0.5> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %k = arith.constant dense<0.797884583> : tensor<f32>
  %c = arith.constant dense<0.05> : tensor<f32>
  %x2 = nn.mul %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %x3 = nn.mul %x2, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %cx3 = nn.mul %c, %x3 : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %inner = nn.add %x, %cx3 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %u = nn.mul %k, %inner : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %t = nn.tanh %u : tensor<4xf32>
  %onept = nn.add %one, %t : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %hx = nn.mul %half, %x : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %y = nn.mul %hx, %onept : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// The erf form of GELU: 0.5 * x * (1 + erf(x / sqrt 2)), with math.erf on
// the tensor (the nn dialect has no erf op; this is what an importer writes),
// once with a multiplication by 1/sqrt 2 and once with arith.divf by sqrt 2.
// CHECK-LABEL: func.func @gelu_erf
//   CHECK-DAG:   %[[A:.+]] = nn.gelu %arg0 : tensor<4xf32>
//   CHECK-DAG:   %[[B:.+]] = nn.gelu %arg1 : tensor<4xf32>
//   CHECK-NOT:   math.erf
//       CHECK:   return %[[A]], %[[B]]
func.func @gelu_erf(%x: tensor<4xf32>, %v: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %half = arith.constant dense<0.5> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %rsqrt2 = arith.constant dense<0.707106769> : tensor<f32>
  %s = nn.mul %x, %rsqrt2 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %e = math.erf %s : tensor<4xf32>
  %p = nn.add %e, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %hx = nn.mul %x, %half : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %y = nn.mul %hx, %p : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>

  %sqrt2 = arith.constant dense<1.41421354> : tensor<4xf32>
  %vs = arith.divf %v, %sqrt2 : tensor<4xf32>
  %ve = math.erf %vs : tensor<4xf32>
  %vp = nn.add %one, %ve : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %vq = nn.mul %vp, %half : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %z = nn.mul %v, %vq : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y, %z : tensor<4xf32>, tensor<4xf32>
}

// -----

// Negative: x / 2 instead of x / sqrt 2 inside the erf.
// CHECK-LABEL: func.func @gelu_erf_wrong_scale
//   CHECK-NOT:   nn.gelu
//       CHECK:   return
func.func @gelu_erf_wrong_scale(%x: tensor<4xf32>) -> tensor<4xf32> {
  %half = arith.constant dense<0.5> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %s = nn.mul %x, %half : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %e = math.erf %s : tensor<4xf32>
  %p = nn.add %e, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %hx = nn.mul %x, %half : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %y = nn.mul %hx, %p : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// x * tanh(softplus(x)) is mish.
// CHECK-LABEL: func.func @mish
//  CHECK-NEXT:   %[[Y:.+]] = nn.mish %arg0 : tensor<4xf32>
//  CHECK-NEXT:   return %[[Y]]
func.func @mish(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = nn.softplus %x : tensor<4xf32>
  %t = nn.tanh %s : tensor<4xf32>
  %y = nn.mul %x, %t : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Negative: a softplus with beta 2 is not mish's.
// CHECK-LABEL: func.func @mish_wrong_beta
//   CHECK-NOT:   nn.mish
//       CHECK:   return
func.func @mish_wrong_beta(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = nn.softplus %x {beta = 2.0 : f32} : tensor<4xf32>
  %t = nn.tanh %s : tensor<4xf32>
  %y = nn.mul %x, %t : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// min(leaky_relu(x, a), cap) is leaky_relu6, as arith.minimumf (ONNX Min,
// NaN-propagating) or as a clip whose lower bound is -FLT_MAX (ONNX Clip
// with only a max).
// CHECK-LABEL: func.func @leaky_relu6
//   CHECK-DAG:   %[[A:.+]] = nn.leaky_relu6 %arg0 {alpha = 1.000000e-01 : f32} : tensor<4xf32>
//   CHECK-DAG:   %[[B:.+]] = nn.leaky_relu6 %arg0 {alpha = 2.000000e-01 : f32, cap = 4.000000e+00 : f32} : tensor<4xf32>
//   CHECK-NOT:   nn.leaky_relu %
//       CHECK:   return %[[A]], %[[B]]
func.func @leaky_relu6(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %l = nn.leaky_relu %x {alpha = 0.1 : f32} : tensor<4xf32>
  %six = arith.constant dense<6.0> : tensor<4xf32>
  %y = arith.minimumf %six, %l : tensor<4xf32>
  %m = nn.leaky_relu %x {alpha = 0.2 : f32} : tensor<4xf32>
  %z = nn.clip %m {lo = -3.40282347e+38 : f32, hi = 4.0 : f32} : tensor<4xf32>
  return %y, %z : tensor<4xf32>, tensor<4xf32>
}

// -----

// Negative: arith.minnumf drops NaN (minnumf(NaN, 6) = 6) where leaky_relu6
// keeps it; a clip with a finite lower bound cuts the negative side; a
// negative slope makes the negative side exceed the cap.
// CHECK-LABEL: func.func @leaky_relu6_negative
//   CHECK-NOT:   nn.leaky_relu6
//       CHECK:   return
func.func @leaky_relu6_negative(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %l = nn.leaky_relu %x {alpha = 0.1 : f32} : tensor<4xf32>
  %six = arith.constant dense<6.0> : tensor<4xf32>
  %y = arith.minnumf %l, %six : tensor<4xf32>
  %z = nn.clip %l {lo = -1.0 : f32, hi = 6.0 : f32} : tensor<4xf32>
  %n = nn.leaky_relu %x {alpha = -0.5 : f32} : tensor<4xf32>
  %w = arith.minimumf %n, %six : tensor<4xf32>
  return %y, %z, %w : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// x that is itself a product (a * b, read twice) stays one factor:
// (a * b) * sigmoid(a * b) is silu(a * b).
// CHECK-LABEL: func.func @silu_of_product
//       CHECK:   %[[X:.+]] = nn.mul %arg0, %arg1
//  CHECK-NEXT:   %[[Y:.+]] = nn.silu %[[X]] : tensor<4xf32>
//  CHECK-NEXT:   return %[[Y]]
func.func @silu_of_product(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %x = nn.mul %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s = nn.sigmoid %x : tensor<4xf32>
  %y = nn.mul %x, %s : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
