// RUN: actc-opt %s --kern-fuse --kern-tile=target=x86-64-avx2 | FileCheck %s --check-prefix=AVX2
// RUN: actc-opt %s --kern-fuse --kern-tile=target=x86-64-avx512 | FileCheck %s --check-prefix=AVX512
// RUN: actc-opt %s --kern-fuse --kern-tile=target=arm64 | FileCheck %s --check-prefix=ARM
// RUN: actc-opt %s --kern-fuse --kern-tile=target=cuda-sm80 | FileCheck %s --check-prefix=CUDA
// RUN: actc-opt %s --kern-fuse --kern-tile=target=host | FileCheck %s --check-prefix=HOST

// The heuristic's schedules for a dense layer, a 3x3 conv, a depthwise conv
// (with a fused sigmoid and a multiply by its input), a softmax and an
// elementwise map, on each target of the target table.
// x86-64-avx2: 8 lanes, 16 registers: a 6x16 register tile (12
// accumulators); avx512: 16 lanes, 32 registers: 8x32; arm64: 4 lanes, 32
// registers: 8x8. The reduction block keeps both panels in half the L1.

// AVX2-LABEL: func.func @layers
//       AVX2: "k0" "contraction" {{.*}}schedule = {parallel_dim = 1 : i64, reduce_split = 128 : i64, signature = "dense:?x512,256x512,256->?x256", source = "heuristic", target = "x86-64-avx2", tile = array<i64: 6, 16>, unroll = 4 : i64, vector = 8 : i64}
//       AVX2: "k1" "contraction" {{.*}}schedule = {parallel_dim = 1 : i64, reduce_split = 16 : i64, signature = "conv2d:1x32x28x28,64x32x3x3,64->1x64x28x28:s1x1:p1x1x1x1:d1x1:g1", source = "heuristic", target = "x86-64-avx2", tile = array<i64: 1, 6, 1, 16>, unroll = 3 : i64, vector = 8 : i64}
//       AVX2: "k2" "contraction" {{.*}}schedule = {parallel_dim = 1 : i64, reduce_split = 1 : i64, signature = "conv2d:1x64x28x28,64x1x3x3->1x64x28x28:s1x1:p1x1x1x1:d1x1:g64", source = "heuristic", target = "x86-64-avx2", tile = array<i64: 1, 1, 4, 16>, unroll = 3 : i64, vector = 8 : i64}
//       AVX2: "k3" "reduction" {{.*}}schedule = {parallel_chunk = 4 : i64, parallel_dim = 0 : i64, reduce_split = 1000 : i64, signature = "softmax:32x1000->32x1000:a-1", source = "heuristic", target = "x86-64-avx2", vector = 8 : i64}
//       AVX2: "k4" "map" {{.*}}schedule = {parallel_chunk = 8 : i64, parallel_dim = 1 : i64, signature = "map:hard_swish+mul:1x64x28x28:in1", source = "heuristic", target = "x86-64-avx2", vector = 8 : i64}

// AVX512-LABEL: func.func @layers
//       AVX512: "k0" "contraction" {{.*}}schedule = {parallel_dim = 1 : i64, reduce_split = 64 : i64, {{.*}}target = "x86-64-avx512", tile = array<i64: 8, 32>, unroll = 4 : i64, vector = 16 : i64}
//       AVX512: "k1" "contraction" {{.*}}schedule = {parallel_dim = 1 : i64, reduce_split = 16 : i64, {{.*}}tile = array<i64: 1, 8, 1, 16>, unroll = 3 : i64, vector = 16 : i64}
//       AVX512: "k2" "contraction" {{.*}}tile = array<i64: 1, 1, 4, 16>, unroll = 3 : i64, vector = 16 : i64}
//       AVX512: "k3" "reduction" {{.*}}vector = 16 : i64}
//       AVX512: "k4" "map" {{.*}}schedule = {parallel_chunk = 8 : i64, parallel_dim = 1 : i64, {{.*}}vector = 16 : i64}

// ARM-LABEL: func.func @layers
//       ARM: "k0" "contraction" {{.*}}schedule = {parallel_dim = 1 : i64, reduce_split = 512 : i64, {{.*}}target = "arm64", tile = array<i64: 8, 8>, unroll = 4 : i64, vector = 4 : i64}
//       ARM: "k1" "contraction" {{.*}}schedule = {parallel_dim = 1 : i64, reduce_split = 32 : i64, {{.*}}tile = array<i64: 1, 8, 1, 8>, unroll = 3 : i64, vector = 4 : i64}
//       ARM: "k2" "contraction" {{.*}}tile = array<i64: 1, 1, 4, 8>, unroll = 3 : i64, vector = 4 : i64}
//       ARM: "k3" "reduction" {{.*}}schedule = {parallel_chunk = 8 : i64, {{.*}}vector = 4 : i64}
//       ARM: "k4" "map" {{.*}}schedule = {parallel_chunk = 16 : i64, parallel_dim = 1 : i64, {{.*}}vector = 4 : i64}

// For cuda-sm80, block and thread tiles on every kernel.
// CUDA-LABEL: func.func @layers
//       CUDA: "k0" "contraction" {{.*}}schedule = {gpu_block = array<i64: 64, 64>, gpu_thread = array<i64: 4, 4>, parallel_dim = 0 : i64, reduce_split = 32 : i64, {{.*}}target = "cuda-sm80", tile = array<i64: 64, 64>
//       CUDA: "k1" "contraction" {{.*}}schedule = {gpu_block = array<i64: 1, 16, 4, 16>, gpu_thread = array<i64: 1, 2, 1, 1>
//       CUDA: "k2" "contraction" {{.*}}schedule = {gpu_block = array<i64: 1, 8, 4, 16>, gpu_thread = array<i64: 1, 1, 1, 1>
//       CUDA: "k3" "reduction" {{.*}}schedule = {gpu_block = array<i64: 256>, gpu_thread = array<i64: 4>
//       CUDA: "k4" "map" {{.*}}schedule = {gpu_block = array<i64: 256>, gpu_thread = array<i64: 4>

// `host` resolves to an entry of the table (this machine's).
// HOST: target = "x86-64-avx{{2|512}}"
func.func @layers(%x: tensor<?x512xf32>, %w: tensor<256x512xf32>, %b: tensor<256xf32>,
                  %img: tensor<1x32x28x28xf32>, %cw: tensor<64x32x3x3xf32>, %cb: tensor<64xf32>,
                  %dw: tensor<64x1x3x3xf32>, %logits: tensor<32x1000xf32>, %m: tensor<1x64x28x28xf32>)
    -> (tensor<?x256xf32>, tensor<1x64x28x28xf32>, tensor<32x1000xf32>, tensor<1x64x28x28xf32>) {
  %0 = nn.dense %x, %w, %b : (tensor<?x512xf32>, tensor<256x512xf32>, tensor<256xf32>) -> tensor<?x256xf32>
  %1 = nn.relu %0 : tensor<?x256xf32>
  %2 = nn.conv2d %img, %cw, %cb {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x32x28x28xf32>, tensor<64x32x3x3xf32>, tensor<64xf32>) -> tensor<1x64x28x28xf32>
  %3 = nn.conv2d %2, %dw {padding = array<i64: 1, 1, 1, 1>, groups = 64 : i64} : (tensor<1x64x28x28xf32>, tensor<64x1x3x3xf32>) -> tensor<1x64x28x28xf32>
  %4 = nn.sigmoid %3 : tensor<1x64x28x28xf32>
  %5 = nn.mul %4, %2 : (tensor<1x64x28x28xf32>, tensor<1x64x28x28xf32>) -> tensor<1x64x28x28xf32>
  %6 = nn.softmax %logits : tensor<32x1000xf32>
  %7 = nn.hard_swish %m : tensor<1x64x28x28xf32>
  %8 = nn.mul %7, %m : (tensor<1x64x28x28xf32>, tensor<1x64x28x28xf32>) -> tensor<1x64x28x28xf32>
  return %1, %5, %6, %8 : tensor<?x256xf32>, tensor<1x64x28x28xf32>, tensor<32x1000xf32>, tensor<1x64x28x28xf32>
}
