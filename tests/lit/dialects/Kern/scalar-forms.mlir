// RUN: actc-opt %s --split-input-file --kern-fuse | FileCheck %s

// The scalar form of every elementwise activation (ScalarForms.cpp): arith
// ops with NaN-propagating maximumf/minimumf for the piecewise-linear ones,
// one kern.activation carrying every attribute (defaults filled in) for the
// transcendental ones and the two hard_ ones.

// CHECK-LABEL: func.func @relu
//       CHECK:   } scalar {
//   CHECK-DAG:     arith.maximumf %{{.+}}, %{{.+}} : f32
//       CHECK:     kern.yield %{{.+}} : f32
func.func @relu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.relu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @leaky_relu
//       CHECK:   } scalar {
//   CHECK-DAG:     arith.constant 2.000000e-01
//   CHECK-DAG:     arith.cmpf oge
//   CHECK-DAG:     arith.select
//       CHECK:     kern.yield %{{.+}} : f32
func.func @leaky_relu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.leaky_relu %x {alpha = 2.000000e-01 : f32} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @relu6
//       CHECK:   } scalar {
//   CHECK-DAG:     arith.maximumf
//   CHECK-DAG:     arith.minimumf
//       CHECK:     kern.yield %{{.+}} : f32
func.func @relu6(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.relu6 %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @leaky_relu6
//       CHECK:   } scalar {
//   CHECK-DAG:     arith.cmpf olt
//   CHECK-DAG:     arith.minimumf
//   CHECK-DAG:     arith.select
//       CHECK:     kern.yield %{{.+}} : f32
func.func @leaky_relu6(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.leaky_relu6 %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @clip
//       CHECK:   } scalar {
//   CHECK-DAG:     arith.maximumf
//   CHECK-DAG:     arith.minimumf
//       CHECK:     kern.yield %{{.+}} : f32
func.func @clip(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.clip %x {lo = -2.000000e+00 : f32, hi = 3.000000e+00 : f32} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @elu
//       CHECK:   } scalar {
//  CHECK-NEXT:     ^bb0(%{{.+}}: f32):
//  CHECK-NEXT:     %{{.+}} = kern.activation "elu" %{{.+}} {alpha = 1.000000e+00 : f32} : f32
//  CHECK-NEXT:     kern.yield %{{.+}} : f32
func.func @elu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.elu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @selu
//       CHECK:   } scalar {
//  CHECK-NEXT:     ^bb0(%{{.+}}: f32):
//  CHECK-NEXT:     %{{.+}} = kern.activation "selu" %{{.+}} {alpha = 1.67326319 : f32, gamma = 1.05070102 : f32} : f32
//  CHECK-NEXT:     kern.yield %{{.+}} : f32
func.func @selu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.selu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @celu
//       CHECK:   } scalar {
//  CHECK-NEXT:     ^bb0(%{{.+}}: f32):
//  CHECK-NEXT:     %{{.+}} = kern.activation "celu" %{{.+}} {alpha = 2.000000e+00 : f32} : f32
//  CHECK-NEXT:     kern.yield %{{.+}} : f32
func.func @celu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.celu %x {alpha = 2.000000e+00 : f32} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @thresholded_relu
//       CHECK:   } scalar {
//   CHECK-DAG:     arith.cmpf ugt
//   CHECK-DAG:     arith.select
//       CHECK:     kern.yield %{{.+}} : f32
func.func @thresholded_relu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.thresholded_relu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @sigmoid
//       CHECK:   } scalar {
//  CHECK-NEXT:     ^bb0(%{{.+}}: f32):
//  CHECK-NEXT:     %{{.+}} = kern.activation "sigmoid" %{{.+}} {} : f32
//  CHECK-NEXT:     kern.yield %{{.+}} : f32
func.func @sigmoid(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.sigmoid %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @hard_sigmoid
//       CHECK:   } scalar {
//  CHECK-NEXT:     ^bb0(%{{.+}}: f32):
//  CHECK-NEXT:     %{{.+}} = kern.activation "hard_sigmoid" %{{.+}} {alpha = 0.166666672 : f32, beta = 5.000000e-01 : f32} : f32
//  CHECK-NEXT:     kern.yield %{{.+}} : f32
func.func @hard_sigmoid(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.hard_sigmoid %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @tanh
//       CHECK:   } scalar {
//  CHECK-NEXT:     ^bb0(%{{.+}}: f32):
//  CHECK-NEXT:     %{{.+}} = kern.activation "tanh" %{{.+}} {} : f32
//  CHECK-NEXT:     kern.yield %{{.+}} : f32
func.func @tanh(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.tanh %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @silu
//       CHECK:   } scalar {
//  CHECK-NEXT:     ^bb0(%{{.+}}: f32):
//  CHECK-NEXT:     %{{.+}} = kern.activation "silu" %{{.+}} {} : f32
//  CHECK-NEXT:     kern.yield %{{.+}} : f32
func.func @silu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.silu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @swish
//       CHECK:   } scalar {
//  CHECK-NEXT:     ^bb0(%{{.+}}: f32):
//  CHECK-NEXT:     %{{.+}} = kern.activation "swish" %{{.+}} {beta = 2.000000e+00 : f32} : f32
//  CHECK-NEXT:     kern.yield %{{.+}} : f32
func.func @swish(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.swish %x {beta = 2.000000e+00 : f32} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @hard_swish
//       CHECK:   } scalar {
//  CHECK-NEXT:     ^bb0(%{{.+}}: f32):
//  CHECK-NEXT:     %{{.+}} = kern.activation "hard_swish" %{{.+}} {} : f32
//  CHECK-NEXT:     kern.yield %{{.+}} : f32
func.func @hard_swish(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.hard_swish %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @gelu
//       CHECK:   } scalar {
//  CHECK-NEXT:     ^bb0(%{{.+}}: f32):
//  CHECK-NEXT:     %{{.+}} = kern.activation "gelu" %{{.+}} {approximate = "none"} : f32
//  CHECK-NEXT:     kern.yield %{{.+}} : f32
func.func @gelu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.gelu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @gelu_tanh
//       CHECK:   } scalar {
//  CHECK-NEXT:     ^bb0(%{{.+}}: f32):
//  CHECK-NEXT:     %{{.+}} = kern.activation "gelu" %{{.+}} {approximate = "tanh"} : f32
//  CHECK-NEXT:     kern.yield %{{.+}} : f32
func.func @gelu_tanh(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.gelu %x {approximate = "tanh"} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @mish
//       CHECK:   } scalar {
//  CHECK-NEXT:     ^bb0(%{{.+}}: f32):
//  CHECK-NEXT:     %{{.+}} = kern.activation "mish" %{{.+}} {} : f32
//  CHECK-NEXT:     kern.yield %{{.+}} : f32
func.func @mish(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.mish %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @softplus
//       CHECK:   } scalar {
//  CHECK-NEXT:     ^bb0(%{{.+}}: f32):
//  CHECK-NEXT:     %{{.+}} = kern.activation "softplus" %{{.+}} {beta = 2.000000e+00 : f32, threshold = 1.000000e+01 : f32} : f32
//  CHECK-NEXT:     kern.yield %{{.+}} : f32
func.func @softplus(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.softplus %x {beta = 2.000000e+00 : f32, threshold = 1.000000e+01 : f32} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @softsign
//       CHECK:   } scalar {
//  CHECK-NEXT:     ^bb0(%{{.+}}: f32):
//  CHECK-NEXT:     %{{.+}} = kern.activation "softsign" %{{.+}} {} : f32
//  CHECK-NEXT:     kern.yield %{{.+}} : f32
func.func @softsign(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.softsign %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
