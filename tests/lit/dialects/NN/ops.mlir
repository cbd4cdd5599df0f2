// RUN: actc-opt %s | FileCheck %s
// RUN: actc-opt %s | actc-opt | FileCheck %s
// RUN: actc-opt %s --mlir-print-op-generic | actc-opt | FileCheck %s

// Every nn op parses, verifies and prints back in its custom form (and again
// from the generic form).

// CHECK-LABEL: func.func @layers
func.func @layers(%x: tensor<?x784xf32>, %img: tensor<2x3x9x9xf32>) -> (tensor<?x128xf32>, tensor<2x16x5x5xf32>) {
  // CHECK: %[[W:.+]] = nn.param "fc1.weight" : tensor<128x784xf32>
  // CHECK: %[[B:.+]] = nn.param "fc1.bias" : tensor<128xf32>
  // CHECK: nn.dense %{{.+}}, %[[W]], %[[B]] : (tensor<?x784xf32>, tensor<128x784xf32>, tensor<128xf32>) -> tensor<?x128xf32>
  %w = nn.param "fc1.weight" : tensor<128x784xf32>
  %b = nn.param "fc1.bias" : tensor<128xf32>
  %d = nn.dense %x, %w, %b : (tensor<?x784xf32>, tensor<128x784xf32>, tensor<128xf32>) -> tensor<?x128xf32>
  // A dense without bias.
  // CHECK: nn.dense %{{.+}}, %[[W]] : (tensor<?x784xf32>, tensor<128x784xf32>) -> tensor<?x128xf32>
  %d2 = nn.dense %x, %w : (tensor<?x784xf32>, tensor<128x784xf32>) -> tensor<?x128xf32>
  // CHECK: nn.conv2d {{.+}} {padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<2x3x9x9xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<2x16x5x5xf32>
  %cw = nn.param "c.weight" : tensor<16x3x3x3xf32>
  %cb = nn.param "c.bias" : tensor<16xf32>
  %c = nn.conv2d %img, %cw, %cb {stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : (tensor<2x3x9x9xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<2x16x5x5xf32>
  // CHECK: nn.batch_norm {{.+}} {eps = 1.000000e-03 : f32}
  %bw = nn.param "bn.weight" : tensor<16xf32>
  %bb = nn.param "bn.bias" : tensor<16xf32>
  %bm = nn.param "bn.running_mean" : tensor<16xf32>
  %bv = nn.param "bn.running_var" : tensor<16xf32>
  %bn = nn.batch_norm %c, %bw, %bb, %bm, %bv {eps = 1.000000e-03 : f32} : (tensor<2x16x5x5xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x16x5x5xf32>
  return %d, %bn : tensor<?x128xf32>, tensor<2x16x5x5xf32>
}

// CHECK-LABEL: func.func @grouped_dilated_conv
func.func @grouped_dilated_conv(%x: tensor<1x8x10x10xf32>) -> tensor<1x8x6x6xf32> {
  // CHECK: nn.conv2d {{.+}} {dilation = array<i64: 2, 2>, groups = 4 : i64}
  %w = nn.param "g.weight" : tensor<8x2x3x3xf32>
  %y = nn.conv2d %x, %w {dilation = array<i64: 2, 2>, groups = 4} : (tensor<1x8x10x10xf32>, tensor<8x2x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}

// CHECK-LABEL: func.func @norms_and_pools
func.func @norms_and_pools(%x: tensor<?x16x64xf32>, %img: tensor<1x4x7x7xf32>) -> (tensor<?x16x64xf32>, tensor<1x4x3x3xf32>, tensor<1x4x4x4xf32>, tensor<1x4x1x1xf32>) {
  // CHECK: nn.layer_norm {{.+}} : (tensor<?x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<?x16x64xf32>
  %w = nn.param "ln.weight" : tensor<64xf32>
  %b = nn.param "ln.bias" : tensor<64xf32>
  %ln = nn.layer_norm %x, %w, %b : (tensor<?x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<?x16x64xf32>
  // CHECK: nn.max_pool2d %{{.+}} {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<1x4x7x7xf32> -> tensor<1x4x3x3xf32>
  %mp = nn.max_pool2d %img {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<1x4x7x7xf32> -> tensor<1x4x3x3xf32>
  // CHECK: nn.avg_pool2d %{{.+}} {count_include_pad = false, kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>}
  %ap = nn.avg_pool2d %img {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, count_include_pad = false} : tensor<1x4x7x7xf32> -> tensor<1x4x4x4xf32>
  // CHECK: nn.global_avg_pool2d %{{.+}} : tensor<1x4x7x7xf32> -> tensor<1x4x1x1xf32>
  %gp = nn.global_avg_pool2d %img : tensor<1x4x7x7xf32> -> tensor<1x4x1x1xf32>
  return %ln, %mp, %ap, %gp : tensor<?x16x64xf32>, tensor<1x4x3x3xf32>, tensor<1x4x4x4xf32>, tensor<1x4x1x1xf32>
}

// CHECK-LABEL: func.func @shapes
func.func @shapes(%a: tensor<?x1x16xf32>, %b: tensor<4x16xf32>, %m: tensor<3x4x8xf32>, %n: tensor<8x5xf32>) -> (tensor<?x4x16xf32>, tensor<?x4x16xf32>, tensor<?x4x16xf32>, tensor<3x4x5xf32>, tensor<3x32xf32>, tensor<12x8xf32>, tensor<8x4x3xf32>, tensor<3x8x8xf32>) {
  // CHECK: nn.add {{.+}} : (tensor<?x1x16xf32>, tensor<4x16xf32>) -> tensor<?x4x16xf32>
  %add = nn.add %a, %b : (tensor<?x1x16xf32>, tensor<4x16xf32>) -> tensor<?x4x16xf32>
  // CHECK: nn.sub
  %sub = nn.sub %a, %b : (tensor<?x1x16xf32>, tensor<4x16xf32>) -> tensor<?x4x16xf32>
  // CHECK: nn.mul
  %mul = nn.mul %a, %b : (tensor<?x1x16xf32>, tensor<4x16xf32>) -> tensor<?x4x16xf32>
  // CHECK: nn.matmul {{.+}} : (tensor<3x4x8xf32>, tensor<8x5xf32>) -> tensor<3x4x5xf32>
  %mm = nn.matmul %m, %n : (tensor<3x4x8xf32>, tensor<8x5xf32>) -> tensor<3x4x5xf32>
  // CHECK: nn.flatten %{{.+}} : tensor<3x4x8xf32> -> tensor<3x32xf32>
  %fl = nn.flatten %m : tensor<3x4x8xf32> -> tensor<3x32xf32>
  // CHECK: nn.reshape %{{.+}} {shape = array<i64: -1, 8>} : tensor<3x4x8xf32> -> tensor<12x8xf32>
  %rs = nn.reshape %m {shape = array<i64: -1, 8>} : tensor<3x4x8xf32> -> tensor<12x8xf32>
  // CHECK: nn.transpose %{{.+}} {perm = array<i64: 2, 1, 0>} : tensor<3x4x8xf32> -> tensor<8x4x3xf32>
  %tr = nn.transpose %m {perm = array<i64: 2, 1, 0>} : tensor<3x4x8xf32> -> tensor<8x4x3xf32>
  // An attribute equal to its default (concat axis 1) is not printed.
  // CHECK: nn.concat %{{.+}}, %{{.+}} : (tensor<3x4x8xf32>, tensor<3x4x8xf32>) -> tensor<3x8x8xf32>
  %cc = nn.concat %m, %m {axis = 1} : (tensor<3x4x8xf32>, tensor<3x4x8xf32>) -> tensor<3x8x8xf32>
  return %add, %sub, %mul, %mm, %fl, %rs, %tr, %cc : tensor<?x4x16xf32>, tensor<?x4x16xf32>, tensor<?x4x16xf32>, tensor<3x4x5xf32>, tensor<3x32xf32>, tensor<12x8xf32>, tensor<8x4x3xf32>, tensor<3x8x8xf32>
}

// Every activation, with its attributes where it has some.
// CHECK-LABEL: func.func @activations
func.func @activations(%x: tensor<?x16xf32>, %img: tensor<1x4x2x2xf32>) {
  // CHECK: nn.relu %{{.+}} : tensor<?x16xf32>
  %0 = nn.relu %x : tensor<?x16xf32>
  // CHECK: nn.leaky_relu %{{.+}} {alpha = 2.000000e-01 : f32} : tensor<?x16xf32>
  %1 = nn.leaky_relu %x {alpha = 0.2 : f32} : tensor<?x16xf32>
  // CHECK: nn.relu6
  %2 = nn.relu6 %x : tensor<?x16xf32>
  // CHECK: nn.leaky_relu6 %{{.+}} {alpha = 1.000000e-01 : f32, cap = 4.000000e+00 : f32}
  %3 = nn.leaky_relu6 %x {alpha = 0.1 : f32, cap = 4.0 : f32} : tensor<?x16xf32>
  // CHECK: nn.clip %{{.+}} {hi = 2.000000e+00 : f32, lo = -2.000000e+00 : f32}
  %4 = nn.clip %x {lo = -2.0 : f32, hi = 2.0 : f32} : tensor<?x16xf32>
  // CHECK: nn.elu %{{.+}} {alpha = 5.000000e-01 : f32}
  %5 = nn.elu %x {alpha = 0.5 : f32} : tensor<?x16xf32>
  // CHECK: nn.selu %{{.+}} : tensor<?x16xf32>
  %6 = nn.selu %x : tensor<?x16xf32>
  // CHECK: nn.celu %{{.+}} {alpha = 2.000000e+00 : f32}
  %7 = nn.celu %x {alpha = 2.0 : f32} : tensor<?x16xf32>
  // CHECK: nn.thresholded_relu %{{.+}} {alpha = 5.000000e-01 : f32}
  %8 = nn.thresholded_relu %x {alpha = 0.5 : f32} : tensor<?x16xf32>
  // CHECK: nn.sigmoid
  %9 = nn.sigmoid %x : tensor<?x16xf32>
  // ONNX's alpha 0.2 is printed; beta 0.5 is the default and is not.
  // CHECK: nn.hard_sigmoid %{{.+}} {alpha = 2.000000e-01 : f32} : tensor<?x16xf32>
  %10 = nn.hard_sigmoid %x {alpha = 0.2 : f32, beta = 0.5 : f32} : tensor<?x16xf32>
  // CHECK: nn.tanh
  %11 = nn.tanh %x : tensor<?x16xf32>
  // CHECK: nn.silu
  %12 = nn.silu %x : tensor<?x16xf32>
  // CHECK: nn.swish %{{.+}} {beta = 1.500000e+00 : f32}
  %13 = nn.swish %x {beta = 1.5 : f32} : tensor<?x16xf32>
  // CHECK: nn.hard_swish
  %14 = nn.hard_swish %x : tensor<?x16xf32>
  // CHECK: nn.gelu %{{.+}} {approximate = "tanh"}
  %15 = nn.gelu %x {approximate = "tanh"} : tensor<?x16xf32>
  // CHECK: nn.mish
  %16 = nn.mish %x : tensor<?x16xf32>
  // CHECK: nn.softplus %{{.+}} {beta = 2.000000e+00 : f32, threshold = 1.000000e+01 : f32}
  %17 = nn.softplus %x {beta = 2.0 : f32, threshold = 10.0 : f32} : tensor<?x16xf32>
  // CHECK: nn.softsign
  %18 = nn.softsign %x : tensor<?x16xf32>
  // CHECK: nn.softmax %{{.+}} {axis = 0 : i64}
  %19 = nn.softmax %x {axis = 0} : tensor<?x16xf32>
  // CHECK: nn.log_softmax %{{.+}} : tensor<?x16xf32>
  %20 = nn.log_softmax %x : tensor<?x16xf32>
  // CHECK: nn.prelu {{.+}} : (tensor<1x4x2x2xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  %s = nn.param "p.weight" : tensor<4xf32>
  %21 = nn.prelu %img, %s : (tensor<1x4x2x2xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  // CHECK: nn.prelu {{.+}} : (tensor<1x4x2x2xf32>, tensor<1xf32>) -> tensor<1x4x2x2xf32>
  %s1 = nn.param "q.weight" : tensor<1xf32>
  %22 = nn.prelu %img, %s1 : (tensor<1x4x2x2xf32>, tensor<1xf32>) -> tensor<1x4x2x2xf32>
  return
}
