// RUN: actc-opt %s --kern-fuse --kern-tile="target=x86-64-avx2 tuning-db=%S/Inputs/tuning.db" | FileCheck %s
// RUN: actc-opt %s --kern-fuse --kern-tile="target=arm64 tuning-db=%S/Inputs/tuning.db" | FileCheck %s --check-prefix=ARM
// RUN: not actc-opt %s --kern-fuse --kern-tile="target=x86-64-avx2 tuning-db=%S/Inputs/bad-version.db" 2>&1 | FileCheck %s --check-prefix=VERSION
// RUN: not actc-opt %s --kern-fuse --kern-tile="target=x86-64-avx2 tuning-db=%S/Inputs/bad-key.db" 2>&1 | FileCheck %s --check-prefix=KEY
// RUN: not actc-opt %s --kern-fuse --kern-tile="target=x86-64-avx2 tuning-db=%S/Inputs/bad-target.db" 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not actc-opt %s --kern-fuse --kern-tile="target=x86-64-avx2 tuning-db=%S/Inputs/bad-value.db" 2>&1 | FileCheck %s --check-prefix=VALUE
// RUN: not actc-opt %s --kern-fuse --kern-tile="target=x86-64-avx2 tuning-db=%S/Inputs/duplicate.db" 2>&1 | FileCheck %s --check-prefix=DUP
// RUN: not actc-opt %s --kern-fuse --kern-tile="target=x86-64-avx2 tuning-db=%S/Inputs/wrong-rank.db" 2>&1 | FileCheck %s --check-prefix=RANK
// RUN: not actc-opt %s --kern-fuse --kern-tile="target=x86-64-avx2 tuning-db=%S/Inputs/missing.db" 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not actc-opt %s --kern-fuse --kern-tile="target=pdp11" 2>&1 | FileCheck %s --check-prefix=NOTARGET

// The database's entry for (x86-64-avx2, this dense's signature) replaces
// the heuristic's tile, reduce_split and unroll; the fields it leaves out
// (vector, parallel_dim) stay the heuristic's. The conv has no entry.
// CHECK: "k0" "contraction" {{.*}}schedule = {parallel_dim = 1 : i64, reduce_split = 256 : i64, signature = "dense:?x512,256x512,256->?x256", source = "tuning-db", target = "x86-64-avx2", tile = array<i64: 4, 32>, unroll = 2 : i64, vector = 8 : i64}
// CHECK: "k1" "contraction" {{.*}}source = "heuristic"

// An entry applies to its own target only.
// ARM: "k0" "contraction" {{.*}}source = "tuning-db", target = "arm64", tile = array<i64: 2, 2>, unroll = 4 : i64, vector = 4 : i64}

// VERSION: bad-version.db:1: expected format version 1, found '2'
// KEY: bad-key.db:3: expected a schedule key (tile, reduce_split, vector, unroll, parallel_dim, parallel_chunk, gpu_block, gpu_thread), found 'tiles'
// TARGET: bad-target.db:2: expected a target (x86-64-avx2, x86-64-avx512, arm64, cuda, cuda-sm75, cuda-sm80, cuda-sm86, cuda-sm90), found 'x86-64-avx3'
// VALUE: bad-value.db:2: expected a comma-separated list of positive integers for 'tile', found '4,x'
// DUP: duplicate.db:3: expected one entry per target and signature, found a second one for arm64 dense:2x4,3x4->2x3 (the first is on line 2)
// RANK: error: 'kern.kernel' op has a tuning database entry ({{.*}}wrong-rank.db, x86-64-avx2 dense:?x512,256x512,256->?x256) that does not fit it: expected a tile of 2 sizes and a parallel_dim below 2
// MISSING: missing.db: cannot open the tuning database: No such file or directory
// NOTARGET: kern-tile: expected a target (host, x86-64-avx2, x86-64-avx512, arm64, cuda, cuda-sm75, cuda-sm80, cuda-sm86, cuda-sm90), found 'pdp11'
func.func @layers(%x: tensor<?x512xf32>, %w: tensor<256x512xf32>, %b: tensor<256xf32>,
                  %img: tensor<1x32x28x28xf32>, %cw: tensor<64x32x3x3xf32>)
    -> (tensor<?x256xf32>, tensor<1x64x28x28xf32>) {
  %0 = nn.dense %x, %w, %b : (tensor<?x512xf32>, tensor<256x512xf32>, tensor<256xf32>) -> tensor<?x256xf32>
  %1 = nn.conv2d %img, %cw {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x32x28x28xf32>, tensor<64x32x3x3xf32>) -> tensor<1x64x28x28xf32>
  return %0, %1 : tensor<?x256xf32>, tensor<1x64x28x28xf32>
}
