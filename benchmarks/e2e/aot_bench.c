/* SPDX-License-Identifier: Apache-2.0
 *
 * The AOT half of benchmarks/e2e/run-bench.sh: the MLP library that
 * `actc compile -o DIR` writes, linked into this program, timed through its
 * C API as a user's program would call it.
 *
 *   aot_bench WEIGHTS BATCH RUNS THREADS
 *
 * max(3, RUNS/10) warm-up calls, then RUNS timed calls of mlp_run; prints
 * one JSON line with the same fields as `actc bench --json` uses for
 * latency (min, median, mean, max in ms). Inputs: a fixed pattern (the time
 * does not depend on the values). */
#define _POSIX_C_SOURCE 199309L
#include "mlp.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double nowMs(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}

static int byValue(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: aot_bench WEIGHTS BATCH RUNS THREADS\n");
    return 2;
  }
  long batch = atol(argv[2]), runs = atol(argv[3]);
  int threads = atoi(argv[4]);
  if (batch < 1 || runs < 1 || threads < 1) {
    fprintf(stderr, "aot_bench: BATCH, RUNS and THREADS must be positive\n");
    return 2;
  }
  mlp_model *model = NULL;
  if (mlp_create(&model, argv[1]) != MLP_OK) {
    fprintf(stderr, "aot_bench: %s\n", mlp_last_error(model));
    return 1;
  }
  float *x = malloc(sizeof(float) * (size_t)batch * MLP_X_DIM1);
  float *y = malloc(sizeof(float) * (size_t)batch * MLP_Y_DIM1);
  double *ms = malloc(sizeof(double) * (size_t)runs);
  if (!x || !y || !ms || mlp_set_num_threads(model, threads) != MLP_OK) {
    fprintf(stderr, "aot_bench: setup failed\n");
    return 1;
  }
  for (long i = 0; i < batch * MLP_X_DIM1; ++i)
    x[i] = (float)(i % 13) * 0.0625f - 0.375f;
  long warmup = runs / 10 > 3 ? runs / 10 : 3;
  for (long i = 0; i < warmup; ++i)
    if (mlp_run(model, batch, x, y) != MLP_OK) {
      fprintf(stderr, "aot_bench: %s\n", mlp_last_error(model));
      return 1;
    }
  double sum = 0;
  for (long i = 0; i < runs; ++i) {
    double t0 = nowMs();
    mlp_run(model, batch, x, y);
    ms[i] = nowMs() - t0;
    sum += ms[i];
  }
  qsort(ms, (size_t)runs, sizeof(double), byValue);
  printf("{\"model\": \"mlp\", \"dims\": {\"batch\": %ld}, \"threads\": %d, "
         "\"runs\": %ld, \"warmup\": %ld, \"min_ms\": %.6f, \"median_ms\": "
         "%.6f, \"mean_ms\": %.6f, \"max_ms\": %.6f, \"path\": \"aot\"}\n",
         batch, threads, runs, warmup, ms[0], ms[runs / 2], sum / (double)runs,
         ms[runs - 1]);
  mlp_destroy(model);
  free(x);
  free(y);
  free(ms);
  return 0;
}
