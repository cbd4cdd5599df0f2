#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# run-c-api.sh's main checks against Halide's real AOT runtime: the models
# net and Net with a Halide pipeline (HalideScaleBias.cpp) instead of the
# stand-in, packed privately (docs/c-api.md) and plainly; app_net.c must
# pass as is (its pipeline error is Halide's require), and both models link
# into one program, and four threads run one instance each. Nothing may
# reach stderr.
#
# Usage: run-c-api-halide.sh GEN HALIDE_GEN RUNTIME_LIB SRC_DIR WORK_DIR
#                            HALIDE_INCLUDE RUNTIME_INCLUDE
set -euo pipefail
gen=$1 halide_gen=$2 runtime_lib=$3 src=$4 work=$5 halide_include=$6
runtime_include=$7
cc=${CC:-cc}

rm -rf "$work"
mkdir -p "$work/runtime-objs"
for m in net Net int emb; do mkdir -p "$work/$m"; done
"$gen" "$work"
(cd "$work/runtime-objs" && ar x "$runtime_lib")

for id in net Net; do
  dir=$work/$id
  "$halide_gen" "$dir/pipeline" "${id}_pipeline"
  (cd "$dir" && ar x pipeline.a)
  "$cc" -std=c99 -O1 -Wall -Wextra -Werror -fPIC -I "$runtime_include" \
    -I "$halide_include" -I "$dir" -c "$dir/${id}_glue.c" -o "$dir/glue.o"
  objs=("$dir/glue.o" "$dir/pipeline.a.o" "$work"/runtime-objs/*.o)
  ar rcs "$dir/libplain$id.a" "${objs[@]}"
  "$cc" -r -nostdlib -o "$dir/$id.o" "${objs[@]}"
  printf '%s\n' "${id}_create" "${id}_run" "${id}_destroy" \
    "${id}_status_string" "${id}_last_error" "${id}_set_num_threads" \
    "${id}_set_timing_hook" > "$dir/$id.api"
  nm -g --defined-only "$dir/$id.o" | awk 'NF==3 {print $3}' |
    grep -vxFf "$dir/$id.api" | awk -v p="actc_${id}_" '{print $1, p $1}' \
    > "$dir/$id.rename"
  objcopy --redefine-syms="$dir/$id.rename" \
    --keep-global-symbols="$dir/$id.api" "$dir/$id.o"
  ar rcs "$dir/lib$id.a" "$dir/$id.o"
done

run() {
  local name=$1
  shift
  if ! "$@" > "$work/$name.out" 2> "$work/$name.err" ||
      [ -s "$work/$name.err" ]; then
    cat "$work/$name.out" "$work/$name.err"
    echo "$name failed or wrote to stderr" >&2
    exit 1
  fi
  tail -1 "$work/$name.out"
}

cd "$work"
cp "$src/app_net.c" app.c
for lib in lib libplain; do
  "$cc" app.c -I net "net/${lib}net.a" -lpthread -ldl -lm -o "app-$lib"
  run "app-$lib" "./app-$lib" net/net.weights Net/Net.weights "$work"
done
cat > two.c <<'C'
#include "net.h"
#include <math.h>
#include <stdio.h>
int run_Net(const char *weights, const float *x, float *y);
int main(int argc, char **argv) {
  net_model *a = NULL;
  float x[4] = {1, 1, 1, 1}, y[4], z[4];
  (void)argc;
  if (net_create(&a, argv[1]) != NET_OK || net_run(a, 1, x, y) != NET_OK)
    return 1;
  if (run_Net(argv[2], x, z) != 0)
    return 1;
  net_destroy(a);
  printf("two Halide models: %g %g\n", y[3], z[3]);
  return fabsf(y[3] - 14.0f) > 1e-6f || fabsf(z[3] - 2.0f) > 1e-6f;
}
C
for lib in lib libplain; do
  "$cc" -std=c99 -Wall -Wextra -Werror two.c "$src/app_two_Net.c" -I net \
    -I Net "net/${lib}net.a" "Net/${lib}Net.a" -lpthread -ldl -lm -o two
  run "two-$lib" ./two net/net.weights Net/Net.weights
done
# One instance per thread, four threads at once.
"$cc" -std=c99 -Wall -Wextra -Werror -pedantic "$src/app_threads.c" -I net \
  net/libnet.a -lpthread -ldl -lm -o threads
run threads ./threads net/net.weights
echo "all C API checks against Halide's runtime passed"
