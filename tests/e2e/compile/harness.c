/* SPDX-License-Identifier: Apache-2.0
 *
 * A generic program over one compiled model, for compile_e2e.py: it
 * includes the header named by ACTC_HEADER and calls the functions of the
 * model ACTC_MODEL (its C name) with the macros of ACTC_MACRO (its macro
 * prefix), so one source serves every example model. Raw little-endian
 * float32 files in and out (the test converts to and from .npy).
 *
 *   harness run WEIGHTS THREADS BATCH NOUT OUT.f32 IN.f32 [IN2.f32]
 *       WEIGHTS "-" passes NULL (embedded weights). Exit 0 only when
 *       create, set_num_threads and run return OK.
 *   harness create WEIGHTS
 *       prints "STATUS<TAB>last_error(NULL)" of create, exits 0.
 */
#include ACTC_HEADER

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACTC_CAT_(a, b) a##b
#define ACTC_CAT(a, b) ACTC_CAT_(a, b)
#define FN(suffix) ACTC_CAT(ACTC_MODEL, suffix)
#define MACRO(suffix) ACTC_CAT(ACTC_MACRO, suffix)

static float *read_floats(const char *path, long *count) {
  FILE *f = fopen(path, "rb");
  long size;
  float *data;
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  size = ftell(f);
  fseek(f, 0, SEEK_SET);
  data = (float *)malloc((size_t)size + 4);
  if (data && fread(data, 1, (size_t)size, f) != (size_t)size) {
    free(data);
    data = NULL;
  }
  fclose(f);
  *count = size / 4;
  return data;
}

int main(int argc, char **argv) {
  FN(_model) *model = NULL;
  const char *weights;
  int status;
  if (argc == 3 && strcmp(argv[1], "create") == 0) {
    weights = strcmp(argv[2], "-") == 0 ? NULL : argv[2];
    status = FN(_create)(&model, weights);
    printf("%d\t%s\n", status, FN(_last_error)(NULL));
    FN(_destroy)(model);
    return 0;
  }
  if (argc != 7 + MACRO(_NUM_INPUTS) || strcmp(argv[1], "run") != 0) {
    fprintf(stderr, "usage: %s run WEIGHTS THREADS BATCH NOUT OUT IN...\n",
            argv[0]);
    return 2;
  }
  {
    int threads = atoi(argv[3]);
    long batch = atol(argv[4]), nout = atol(argv[5]), nin = 0;
    float *in[2] = {NULL, NULL};
    float *out = (float *)malloc((size_t)nout * sizeof(float) + 4);
    int i;
    FILE *f;
    (void)batch;
    for (i = 0; i < MACRO(_NUM_INPUTS); ++i)
      if (!(in[i] = read_floats(argv[7 + i], &nin))) {
        fprintf(stderr, "cannot read %s\n", argv[7 + i]);
        return 1;
      }
    weights = strcmp(argv[2], "-") == 0 ? NULL : argv[2];
    status = FN(_create)(&model, weights);
    if (status != MACRO(_OK)) {
      fprintf(stderr, "create: %s\n", FN(_last_error)(NULL));
      return 1;
    }
    status = FN(_set_num_threads)(model, threads);
    if (status == MACRO(_OK)) {
#if MACRO(_NUM_INPUTS) == 1 && MACRO(_NUM_DYNAMIC_DIMS) == 0
      status = FN(_run)(model, in[0], out);
#elif MACRO(_NUM_INPUTS) == 1 && MACRO(_NUM_DYNAMIC_DIMS) == 1
      status = FN(_run)(model, (int64_t)batch, in[0], out);
#elif MACRO(_NUM_INPUTS) == 2 && MACRO(_NUM_DYNAMIC_DIMS) == 1
      status = FN(_run)(model, (int64_t)batch, in[0], in[1], out);
#else
#error "harness.c: this shape of interface is not supported"
#endif
    }
    if (status != MACRO(_OK)) {
      fprintf(stderr, "run: %s: %s\n", FN(_status_string)(status),
              FN(_last_error)(model));
      return 1;
    }
    FN(_destroy)(model);
    f = fopen(argv[6], "wb");
    if (!f || fwrite(out, sizeof(float), (size_t)nout, f) != (size_t)nout) {
      fprintf(stderr, "cannot write %s\n", argv[6]);
      return 1;
    }
    fclose(f);
    free(out);
    free(in[0]);
    free(in[1]);
  }
  return 0;
}
