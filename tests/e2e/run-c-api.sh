#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The C API end to end, without Halide: generates four models' C with
# actc_emit, compiles each glue with the stand-in pipeline, the stand-in
# Halide runtime and the actc runtime into DIR/libNAME.a (packed as
# docs/c-api.md says: one relocatable object whose only global symbols are
# the model's API), then builds applications that use only the generated
# headers, as C99 and as C++, with the documented link line, and runs them.
# Also links three models into one program (packed privately and, again,
# with a plain ar), and checks that two headers with one macro prefix
# refuse to be included together. Nothing may reach stderr.
#
# Usage: run-c-api.sh GEN RUNTIME_LIB SRC_DIR WORK_DIR HALIDE_INCLUDE
#                     RUNTIME_INCLUDE
set -euo pipefail
gen=$1 runtime_lib=$2 src=$3 work=$4 halide_include=$5 runtime_include=$6
cc=${CC:-cc}
cxx=${CXX:-c++}

rm -rf "$work"
mkdir -p "$work/runtime-objs"
for m in net Net int emb; do mkdir -p "$work/$m" "$work/plain/$m"; done
"$gen" "$work"
(cd "$work/runtime-objs" && ar x "$runtime_lib")

gen_flags=(-std=c99 -O1 -Wall -Wextra -Werror -fPIC -I "$runtime_include"
           -I "$halide_include")

# pack DIR ID [extra .c files]: compiles and packs DIR/libID.a.
pack() {
  local dir=$1 id=$2
  shift 2
  local objs=()
  for c in "$dir/${id}_glue.c" "$@"; do
    local o="$dir/$(basename "${c%.c}").o"
    "$cc" "${gen_flags[@]}" -I "$dir" -c "$c" -o "$o"
    objs+=("$o")
  done
  "$cc" "${gen_flags[@]}" -DACTC_STANDIN_SYMBOL="${id}_pipeline" \
    -c "$src/standin_pipeline.c" -o "$dir/pipeline.o"
  "$cc" "${gen_flags[@]}" -c "$src/fake_halide_runtime.c" \
    -o "$dir/halide_runtime.o"
  objs+=("$dir/pipeline.o" "$dir/halide_runtime.o" "$work"/runtime-objs/*.o)
  # Plain: every object as it is.
  mkdir -p "$work/plain/$(basename "$dir")"
  ar rcs "$work/plain/$(basename "$dir")/lib$id.a" "${objs[@]}"
  # Private: one object; every other defined symbol renamed actc_<id>_*
  # (which renames COMDAT groups too: the linker merges groups by name even
  # when their symbols are local), then made local, leaving the API global.
  "$cc" -r -nostdlib -o "$dir/$id.o" "${objs[@]}"
  printf '%s\n' "${id}_create" "${id}_run" "${id}_destroy" \
    "${id}_status_string" "${id}_last_error" "${id}_set_num_threads" \
    "${id}_set_timing_hook" > "$dir/$id.api"
  nm -g --defined-only "$dir/$id.o" | awk 'NF==3 {print $3}' |
    grep -vxFf "$dir/$id.api" | awk -v p="actc_${id}_" '{print $1, p $1}' \
    > "$dir/$id.rename"
  objcopy --redefine-syms="$dir/$id.rename" \
    --keep-global-symbols="$dir/$id.api" "$dir/$id.o"
  rm -f "$dir/lib$id.a"
  ar rcs "$dir/lib$id.a" "$dir/$id.o"
  # The library defines nothing global but the API.
  local extra
  extra=$(nm -g --defined-only "$dir/lib$id.a" | awk 'NF==3 {print $3}' |
          grep -vxFf "$dir/$id.api" || true)
  if [ -n "$extra" ]; then
    echo "lib$id.a exports more than its API:" $extra >&2
    exit 1
  fi
}

pack "$work/net" net
pack "$work/Net" Net
pack "$work/int" int_x
pack "$work/emb" emb "$work/emb/emb_weights.c"

# run NAME COMMAND...: runs it; fails on a non-zero status or on stderr.
run() {
  local name=$1
  shift
  if ! "$@" > "$work/$name.out" 2> "$work/$name.err"; then
    cat "$work/$name.out" "$work/$name.err"
    echo "$name failed" >&2
    exit 1
  fi
  if [ -s "$work/$name.err" ]; then
    echo "$name wrote to stderr:" >&2
    cat "$work/$name.err" >&2
    exit 1
  fi
  tail -1 "$work/$name.out"
}

cd "$work"
# The documented link line, exactly (a.out), then with the strict flags.
cp "$src/app_net.c" app.c
"$cc" app.c -I net net/libnet.a -lpthread -ldl -lm
run app-plain ./a.out net/net.weights Net/Net.weights "$work"
"$cc" -std=c99 -Wall -Wextra -Werror -pedantic app.c -I net net/libnet.a \
  -lpthread -ldl -lm -o app-c99
run app-c99 ./app-c99 net/net.weights Net/Net.weights "$work"
"$cxx" -x c++ -Wall -Wextra -Werror -pedantic app.c -x none -I net \
  net/libnet.a -lpthread -ldl -lm -o app-cxx
run app-cxx ./app-cxx net/net.weights Net/Net.weights "$work"

# Three models in one program, private and plain packing, C and C++.
for lib in "$work" "$work/plain"; do
  "$cc" -std=c99 -Wall -Wextra -Werror -pedantic "$src/app_two.c" \
    "$src/app_two_Net.c" -I net -I Net -I int "$lib/net/libnet.a" \
    "$lib/Net/libNet.a" "$lib/int/libint_x.a" -lpthread -ldl -lm -o two
  run two ./two net/net.weights Net/Net.weights int/int_x.weights
  "$cxx" -x c++ -Wall -Wextra -Werror "$src/app_two.c" "$src/app_two_Net.c" \
    -x none -I net -I Net -I int "$lib/net/libnet.a" "$lib/Net/libNet.a" \
    "$lib/int/libint_x.a" -lpthread -ldl -lm -o two-cxx
  run two-cxx ./two-cxx net/net.weights Net/Net.weights int/int_x.weights
done

# Embedded weights.
"$cc" -std=c99 -Wall -Wextra -Werror -pedantic "$src/app_emb.c" -I emb \
  emb/libemb.a -lpthread -ldl -lm -o emb-app
run emb-app ./emb-app

# net.h and Net.h in one source file: a clear #error, not wrong values.
if "$cc" -std=c99 -c "$src/app_both_headers.c" -I net -I Net -o both.o \
    2> both.err; then
  echo "net.h and Net.h compiled together" >&2
  exit 1
fi
grep -q "already defined by the header of another model" both.err
echo "all C API checks passed"
