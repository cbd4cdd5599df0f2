// RUN: actc-opt %s --split-input-file --verify-diagnostics

// Every verifier message of the nn dialect, one case per block: each says
// what the op expected and what it found. A result type that differs from
// the inferred one gets MLIR's own two errors (inferred vs written type).

// param dynamic
func.func @param_dynamic(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.param' op expects a static shape, found 'tensor<?x3xf32>'}}
  %w = nn.param "w" : tensor<?x3xf32>
  return
}

// -----

// param empty
func.func @param_empty(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.param' op expects a non-empty name}}
  %w = nn.param "" : tensor<3xf32>
  return
}

// -----

// dense weight rank
func.func @dense_weight_rank(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  %w = nn.param "w" : tensor<784xf32>
  // expected-error @+1 {{'nn.dense' op expects weight of rank 2 [units, in], found [784]}}
  %y = nn.dense %x, %w : (tensor<?x784xf32>, tensor<784xf32>) -> tensor<?x10xf32>
  return
}

// -----

// dense weight shape
func.func @dense_weight_shape(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  %w = nn.param "w" : tensor<10x783xf32>
  // expected-error @+1 {{'nn.dense' op expects weight of shape [10, 784], found [10, 783]}}
  %y = nn.dense %x, %w : (tensor<?x784xf32>, tensor<10x783xf32>) -> tensor<?x10xf32>
  return
}

// -----

// dense bias shape
func.func @dense_bias_shape(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  %w = nn.param "w" : tensor<10x784xf32>
  %b = nn.param "b" : tensor<11xf32>
  // expected-error @+1 {{'nn.dense' op expects bias of shape [10], found [11]}}
  %y = nn.dense %x, %w, %b : (tensor<?x784xf32>, tensor<10x784xf32>, tensor<11xf32>) -> tensor<?x10xf32>
  return
}

// -----

// dense result
func.func @dense_result(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  %w = nn.param "w" : tensor<10x784xf32>
  // expected-error @+2 {{'nn.dense' op inferred type(s) 'tensor<?x10xf32>' are incompatible with return type(s) of operation 'tensor<?x11xf32>'}}
  // expected-error @+1 {{'nn.dense' op failed to infer returned types}}
  %y = nn.dense %x, %w : (tensor<?x784xf32>, tensor<10x784xf32>) -> tensor<?x11xf32>
  return
}

// -----

// dense dynamic in
func.func @dense_dynamic_in(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  %w = nn.param "w" : tensor<10x784xf32>
  // expected-error @+1 {{'nn.dense' op expects a static last dimension (the input features), found ? in [2, ?]}}
  %y = nn.dense %xd, %w : (tensor<2x?xf32>, tensor<10x784xf32>) -> tensor<2x10xf32>
  return
}

// -----

// dense rank0
func.func @dense_rank0(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  %w = nn.param "w" : tensor<10x1xf32>
  // expected-error @+1 {{'nn.dense' op expects an input of rank >= 1, found rank 0 ([])}}
  %y = nn.dense %s, %w : (tensor<f32>, tensor<10x1xf32>) -> tensor<10xf32>
  return
}

// -----

// conv weight rank
func.func @conv_weight_rank(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  %w = nn.param "w" : tensor<16x3x3xf32>
  // expected-error @+1 {{'nn.conv2d' op expects weight of rank 4 [filters, C/groups, kh, kw], found [16, 3, 3]}}
  %y = nn.conv2d %img, %w : (tensor<1x3x8x8xf32>, tensor<16x3x3xf32>) -> tensor<1x16x6x6xf32>
  return
}

// -----

// conv input rank
func.func @conv_input_rank(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  %w = nn.param "w" : tensor<16x784x1x1xf32>
  // expected-error @+1 {{'nn.conv2d' op expects an input of rank 4 [N, C, H, W], found rank 2 ([?, 784])}}
  %y = nn.conv2d %x, %w : (tensor<?x784xf32>, tensor<16x784x1x1xf32>) -> tensor<?x16xf32>
  return
}

// -----

// conv stride len
func.func @conv_stride_len(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  %w = nn.param "w" : tensor<16x3x3x3xf32>
  // expected-error @+1 {{'nn.conv2d' op expects stride to have 2 values, found 3}}
  %y = nn.conv2d %img, %w {stride = array<i64: 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x6x6xf32>
  return
}

// -----

// conv padding len
func.func @conv_padding_len(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  %w = nn.param "w" : tensor<16x3x3x3xf32>
  // expected-error @+1 {{'nn.conv2d' op expects padding to have 4 values, found 2}}
  %y = nn.conv2d %img, %w {padding = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// conv groups
func.func @conv_groups(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  %w = nn.param "w" : tensor<16x1x3x3xf32>
  // expected-error @+1 {{'nn.conv2d' op expects groups to divide the input channels, found groups=2 and 3 channels in [1, 3, 8, 8]}}
  %y = nn.conv2d %img, %w {groups = 2} : (tensor<1x3x8x8xf32>, tensor<16x1x3x3xf32>) -> tensor<1x16x6x6xf32>
  return
}

// -----

// conv kernel big
func.func @conv_kernel_big(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  %w = nn.param "w" : tensor<16x3x9x9xf32>
  // expected-error @+1 {{'nn.conv2d' op expects a kernel that fits in the padded input, found kernel 9x9 on input [1, 3, 8, 8] with padding [0, 0, 0, 0]}}
  %y = nn.conv2d %img, %w : (tensor<1x3x8x8xf32>, tensor<16x3x9x9xf32>) -> tensor<1x16x1x1xf32>
  return
}

// -----

// conv weight channels
func.func @conv_weight_channels(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  %w = nn.param "w" : tensor<16x4x3x3xf32>
  // expected-error @+1 {{'nn.conv2d' op expects weight of shape [16, 3, 3, 3], found [16, 4, 3, 3]}}
  %y = nn.conv2d %img, %w : (tensor<1x3x8x8xf32>, tensor<16x4x3x3xf32>) -> tensor<1x16x6x6xf32>
  return
}

// -----

// conv result
func.func @conv_result(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  %w = nn.param "w" : tensor<16x3x3x3xf32>
  // expected-error @+2 {{'nn.conv2d' op inferred type(s) 'tensor<1x16x6x6xf32>' are incompatible with return type(s) of operation 'tensor<1x16x8x8xf32>'}}
  // expected-error @+1 {{'nn.conv2d' op failed to infer returned types}}
  %y = nn.conv2d %img, %w : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// conv bias
func.func @conv_bias(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  %w = nn.param "w" : tensor<16x3x3x3xf32>
  %b = nn.param "b" : tensor<3xf32>
  // expected-error @+1 {{'nn.conv2d' op expects bias of shape [16], found [3]}}
  %y = nn.conv2d %img, %w, %b : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>, tensor<3xf32>) -> tensor<1x16x6x6xf32>
  return
}

// -----

// bn rank
func.func @bn_rank(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  %p = nn.param "p" : tensor<3xf32>
  // expected-error @+1 {{'nn.batch_norm' op expects an input of rank >= 2 (channels on axis 1), found rank 1 ([3])}}
  %y = nn.batch_norm %v, %p, %p, %p, %p : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// bn param
func.func @bn_param(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  %p = nn.param "p" : tensor<4xf32>
  // expected-error @+1 {{'nn.batch_norm' op expects weight of shape [3], found [4]}}
  %y = nn.batch_norm %img, %p, %p, %p, %p : (tensor<1x3x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x3x8x8xf32>
  return
}

// -----

// bn eps
func.func @bn_eps(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  %p = nn.param "p" : tensor<3xf32>
  // expected-error @+1 {{'nn.batch_norm' op expects eps > 0, found 0}}
  %y = nn.batch_norm %img, %p, %p, %p, %p {eps = 0.0 : f32} : (tensor<1x3x8x8xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x8x8xf32>
  return
}

// -----

// ln param bad
func.func @ln_param_bad(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  %p = nn.param "p" : tensor<7xf32>
  // expected-error @+1 {{'nn.layer_norm' op expects weight of shape [8], found [7]}}
  %y = nn.layer_norm %img, %p, %p : (tensor<1x3x8x8xf32>, tensor<7xf32>, tensor<7xf32>) -> tensor<1x3x8x8xf32>
  return
}

// -----

// ln dynamic
func.func @ln_dynamic(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  %p = nn.param "p" : tensor<7xf32>
  // expected-error @+1 {{'nn.layer_norm' op expects a static last dimension (the normalized features), found ? in [2, ?]}}
  %y = nn.layer_norm %xd, %p, %p : (tensor<2x?xf32>, tensor<7xf32>, tensor<7xf32>) -> tensor<2x?xf32>
  return
}

// -----

// pool kernel len
func.func @pool_kernel_len(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.max_pool2d' op expects kernel to have 2 values, found 1}}
  %y = nn.max_pool2d %img {kernel = array<i64: 2>, stride = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
  return
}

// -----

// pool kernel big
func.func @pool_kernel_big(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.avg_pool2d' op expects a kernel that fits in the padded input, found kernel 9x9 on input [1, 3, 8, 8] with padding [0, 0, 0, 0]}}
  %y = nn.avg_pool2d %img {kernel = array<i64: 9, 9>, stride = array<i64: 1, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x1x1xf32>
  return
}

// -----

// pool rank
func.func @pool_rank(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.max_pool2d' op expects an input of rank 4 [N, C, H, W], found rank 2 ([?, 784])}}
  %y = nn.max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<?x784xf32> -> tensor<?x392xf32>
  return
}

// -----

// pool result
func.func @pool_result(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+2 {{'nn.max_pool2d' op inferred type(s) 'tensor<1x3x4x4xf32>' are incompatible with return type(s) of operation 'tensor<1x3x8x8xf32>'}}
  // expected-error @+1 {{'nn.max_pool2d' op failed to infer returned types}}
  %y = nn.max_pool2d %img {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x8x8xf32>
  return
}

// -----

// pool stride0
func.func @pool_stride0(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.max_pool2d' op expects stride >= 1, found 0}}
  %y = nn.max_pool2d %img {kernel = array<i64: 2, 2>, stride = array<i64: 0, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
  return
}

// -----

// gap rank
func.func @gap_rank(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.global_avg_pool2d' op expects an input of rank 4 [N, C, H, W], found rank 2 ([?, 784])}}
  %y = nn.global_avg_pool2d %x : tensor<?x784xf32> -> tensor<?x1xf32>
  return
}

// -----

// add mismatch
func.func @add_mismatch(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.add' op cannot broadcast [1, 3, 8, 8] with [?, 784]: dimension 3 is 8 and 784}}
  %y = nn.add %img, %x : (tensor<1x3x8x8xf32>, tensor<?x784xf32>) -> tensor<1x3x8x784xf32>
  return
}

// -----

// sub result
func.func @sub_result(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+2 {{'nn.sub' op inferred type(s) 'tensor<1x3x8x8xf32>' are incompatible with return type(s) of operation 'tensor<1x3x8x9xf32>'}}
  // expected-error @+1 {{'nn.sub' op failed to infer returned types}}
  %y = nn.sub %img, %img : (tensor<1x3x8x8xf32>, tensor<1x3x8x8xf32>) -> tensor<1x3x8x9xf32>
  return
}

// -----

// matmul k
func.func @matmul_k(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.matmul' op cannot multiply [1, 3, 8, 7] by [1, 3, 8, 8]: the inner dimensions are 7 and 8}}
  %y = nn.matmul %img2, %img : (tensor<1x3x8x7xf32>, tensor<1x3x8x8xf32>) -> tensor<1x3x8x8xf32>
  return
}

// -----

// matmul rank
func.func @matmul_rank(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.matmul' op expects operands of rank >= 2, found rank 1 ([3])}}
  %y = nn.matmul %v, %v : (tensor<3xf32>, tensor<3xf32>) -> tensor<f32>
  return
}

// -----

// flatten axis
func.func @flatten_axis(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.flatten' op expects axis in [-4, 4] for an input of rank 4, found 5}}
  %y = nn.flatten %img {axis = 5} : tensor<1x3x8x8xf32> -> tensor<1x192xf32>
  return
}

// -----

// reshape count
func.func @reshape_count(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.reshape' op expects the same element count, found [1, 3, 8, 8] (192 elements) and shape [10, 10] (100 elements)}}
  %y = nn.reshape %img {shape = array<i64: 10, 10>} : tensor<1x3x8x8xf32> -> tensor<10x10xf32>
  return
}

// -----

// reshape two minus
func.func @reshape_two_minus(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.reshape' op expects at most one -1 in shape, found [-1, -1]}}
  %y = nn.reshape %img {shape = array<i64: -1, -1>} : tensor<1x3x8x8xf32> -> tensor<1x192xf32>
  return
}

// -----

// reshape zero
func.func @reshape_zero(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.reshape' op expects shape entries >= 1 or -1, found 0 in [0, 192]}}
  %y = nn.reshape %img {shape = array<i64: 0, 192>} : tensor<1x3x8x8xf32> -> tensor<1x192xf32>
  return
}

// -----

// transpose perm
func.func @transpose_perm(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.transpose' op expects a permutation of [0, 4), found [0, 1, 1, 2]}}
  %y = nn.transpose %img {perm = array<i64: 0, 1, 1, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x3x8xf32>
  return
}

// -----

// transpose len
func.func @transpose_len(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.transpose' op expects a perm of 4 entries for an input of rank 4 ([1, 3, 8, 8]), found [0, 1]}}
  %y = nn.transpose %img {perm = array<i64: 0, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x8x8xf32>
  return
}

// -----

// concat dims
func.func @concat_dims(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.concat' op expects operands of the same rank, found [1, 3, 8, 8] (operand 0) and [?, 784] (operand 1)}}
  %y = nn.concat %img, %x : (tensor<1x3x8x8xf32>, tensor<?x784xf32>) -> tensor<1x3x8x8xf32>
  return
}

// -----

// concat off axis
func.func @concat_off_axis(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.concat' op expects operands with equal dimensions off axis 1, found [1, 3, 8, 8] and [1, 3, 8, 7]: dimension 3 is 8 and 7}}
  %y = nn.concat %img, %img2 {axis = 1} : (tensor<1x3x8x8xf32>, tensor<1x3x8x7xf32>) -> tensor<1x6x8x8xf32>
  return
}

// -----

// concat axis
func.func @concat_axis(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.concat' op expects axis in [-4, 4) for an input of rank 4, found 4}}
  %y = nn.concat %img, %img {axis = 4} : (tensor<1x3x8x8xf32>, tensor<1x3x8x8xf32>) -> tensor<1x3x8x16xf32>
  return
}

// -----

// concat none
func.func @concat_none(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.concat' op expects at least one operand, found none}}
  %y = nn.concat {axis = 0} : () -> tensor<1xf32>
  return
}

// -----

// clip range
func.func @clip_range(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.clip' op expects lo <= hi, found lo=1 and hi=-1}}
  %y = nn.clip %x {lo = 1.0 : f32, hi = -1.0 : f32} : tensor<?x784xf32>
  return
}

// -----

// celu zero
func.func @celu_zero(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.celu' op expects alpha != 0, found 0}}
  %y = nn.celu %x {alpha = 0.0 : f32} : tensor<?x784xf32>
  return
}

// -----

// softplus beta
func.func @softplus_beta(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.softplus' op expects beta > 0, found -1}}
  %y = nn.softplus %x {beta = -1.0 : f32} : tensor<?x784xf32>
  return
}

// -----

// leaky6 cap
func.func @leaky6_cap(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.leaky_relu6' op expects cap > 0, found 0}}
  %y = nn.leaky_relu6 %x {cap = 0.0 : f32} : tensor<?x784xf32>
  return
}

// -----

// leaky inf
func.func @leaky_inf(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.leaky_relu' op expects alpha to be a finite f32 value, found inf}}
  %y = nn.leaky_relu %x {alpha = 0x7F800000 : f32} : tensor<?x784xf32>
  return
}

// -----

// gelu approx
func.func @gelu_approx(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.gelu' op expects approximate "none" or "tanh", found "fast"}}
  %y = nn.gelu %x {approximate = "fast"} : tensor<?x784xf32>
  return
}

// -----

// softmax axis
func.func @softmax_axis(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.softmax' op expects axis in [-2, 2) for an input of rank 2, found 2}}
  %y = nn.softmax %x {axis = 2} : tensor<?x784xf32>
  return
}

// -----

// log softmax axis
func.func @log_softmax_axis(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.log_softmax' op expects axis in [-2, 2) for an input of rank 2, found -3}}
  %y = nn.log_softmax %x {axis = -3} : tensor<?x784xf32>
  return
}

// -----

// prelu slope
func.func @prelu_slope(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  %sl = nn.param "s" : tensor<2xf32>
  // expected-error @+1 {{'nn.prelu' op expects a slope of shape [1] or [3] for input [1, 3, 8, 8], found [2]}}
  %y = nn.prelu %img, %sl : (tensor<1x3x8x8xf32>, tensor<2xf32>) -> tensor<1x3x8x8xf32>
  return
}

// -----

// prelu result
func.func @prelu_result(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  %sl = nn.param "s" : tensor<3xf32>
  // expected-error @+2 {{'nn.prelu' op inferred type(s) 'tensor<1x3x8x8xf32>' are incompatible with return type(s) of operation 'tensor<1x3x8x9xf32>'}}
  // expected-error @+1 {{'nn.prelu' op failed to infer returned types}}
  %y = nn.prelu %img, %sl : (tensor<1x3x8x8xf32>, tensor<3xf32>) -> tensor<1x3x8x9xf32>
  return
}

// -----

// act type
func.func @act_type(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.relu' op requires the same type for all operands and results}}
  %y = "nn.relu"(%x) : (tensor<?x784xf32>) -> tensor<?x785xf32>
  return
}

// -----

// elem type
func.func @elem_type(%x: tensor<?x784xf32>, %xd: tensor<2x?xf32>, %img: tensor<1x3x8x8xf32>, %img2: tensor<1x3x8x7xf32>, %v: tensor<3xf32>, %s: tensor<f32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{'nn.relu' op operand #0 must be ranked tensor of 32-bit float values, but got 'tensor<4xi32>'}}
  %y = "nn.relu"(%i) : (tensor<4xi32>) -> tensor<4xi32>
  return
}
