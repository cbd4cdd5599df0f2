/* SPDX-License-Identifier: Apache-2.0
 *
 * Deploying a compiled model: the MLP example (examples/mlp.act) through
 * the header and static library `actc compile` writes. Builds as C99 and
 * as C++:
 *
 *   actc compile examples/mlp.act -o out
 *   cc -std=c99 main.c -I out out/libmlp.a -lpthread -ldl -lm -o deploy
 *   ./deploy out/mlp.weights
 *
 * It runs one image (batch 1) of a fixed pattern and prints the ten class
 * scores, one per line, then the best class.
 */
#include "mlp.h"

#include <stdio.h>

int main(int argc, char **argv) {
  static float x[MLP_X_DIM1];
  float y[MLP_Y_DIM1];
  mlp_model *model = NULL;
  int status, i, best = 0;

  if (argc != 2) {
    fprintf(stderr, "usage: %s mlp.weights\n", argv[0]);
    return 2;
  }
  /* A fixed input: a ramp folded into [-1, 1]. */
  for (i = 0; i < MLP_X_DIM1; ++i)
    x[i] = (float)((i * 37) % 101 - 50) / 50.0f;

  status = mlp_create(&model, argv[1]);
  if (status != MLP_OK) {
    fprintf(stderr, "mlp_create: %s: %s\n", mlp_status_string(status),
            mlp_last_error(NULL));
    return 1;
  }
  status = mlp_run(model, 1, x, y);
  if (status != MLP_OK) {
    fprintf(stderr, "mlp_run: %s: %s\n", mlp_status_string(status),
            mlp_last_error(model));
    mlp_destroy(model);
    return 1;
  }
  for (i = 0; i < MLP_Y_DIM1; ++i) {
    printf("%.9g\n", y[i]);
    if (y[i] > y[best])
      best = i;
  }
  printf("class %d\n", best);
  mlp_destroy(model);
  return 0;
}
