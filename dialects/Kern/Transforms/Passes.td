// SPDX-License-Identifier: Apache-2.0
//
// The passes of the kern dialect: fusion (nn ops into kern.kernel groups)
// and tiling (a schedule on every kernel).

#ifndef ACTC_KERN_PASSES
#define ACTC_KERN_PASSES

include "mlir/Pass/PassBase.td"

def KernFusePass : Pass<"kern-fuse", "::mlir::func::FuncOp"> {
  let summary = "Fuse the nn graph into kernels";
  let description = [{
    Groups the nn ops of a function into `kern.kernel`s, each one anchor
    (contraction, pooling, reduction, copy, or none for a map) plus the
    elementwise ops fused after it, and lowers that elementwise tail to the
    kernel's scalar region. The rules:

    - an elementwise op joins the kernel that produces its operand when that
      value has no other user and already has the op's result shape (so
      bias + activation + residual add + scale after a dense/conv become
      its epilogue, and elementwise chains of any length one map kernel);
    - otherwise it starts a map kernel;
    - contractions, pooling, softmax, log_softmax, layer_norm, transpose and
      concat start a kernel each;
    - reshape and flatten are free views and stay between kernels;
    - a value with several users is computed once and stored, except a
      cheap op (piecewise linear, no exp/log/erf) that reads values
      already in memory and feeds only elementwise ops of its shape: it is
      recomputed in each consumer, which saves a store and a load per
      consumer for a few ALU ops.

    Before:
    ```mlir
    %0 = nn.dense %x, %w, %b : (...) -> tensor<?x128xf32>
    %1 = nn.relu %0 : tensor<?x128xf32>
    ```
    After:
    ```mlir
    %1 = kern.kernel "k0" "contraction" ins(%x, %w, %b : ...) -> tensor<?x128xf32> ... {
      nn.dense, nn.relu; kern.yield
    } scalar { arith.maximumf ...; kern.yield }
    ```
  }];
  let dependentDialects = ["::actc::kern::KernDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

def KernTilePass : Pass<"kern-tile", "::mlir::ModuleOp"> {
  let summary = "Choose and record a schedule for every kernel";
  let description = [{
    Sets each `kern.kernel`'s `schedule`: the tuning database's entry for
    (kernel signature, target) when it has one, else the heuristic of
    KernTile.cpp, which reads the target's vector width, caches and core
    count from the target table (compiler/target).

    ```mlir
    kern.kernel "k0" "contraction" ... attributes {schedule = {parallel_dim = 1 : i64,
        reduce_split = 128 : i64, signature = "dense:?x784,128x784,128->?x128",
        source = "heuristic", target = "x86-64-avx2", tile = array<i64: 6, 16>,
        unroll = 4 : i64, vector = 8 : i64}, ...}
    ```
  }];
  let options = [
    Option<"target", "target", "std::string", "\"host\"",
           "The target string (actc targets lists them)">,
    Option<"tuningDb", "tuning-db", "std::string", "\"\"",
           "The tuning database file (empty: none)">,
  ];
  let dependentDialects = ["::actc::kern::KernDialect"];
}

#endif // ACTC_KERN_PASSES
