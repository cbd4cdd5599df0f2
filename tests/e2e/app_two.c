/* SPDX-License-Identifier: Apache-2.0
 *
 * Three models in one program: net, Net (its name differs only in case, so
 * its header lives in app_two_Net.c: the two share the macro prefix NET_)
 * and int (a keyword: int_x_*). Each library carries its own copy of the
 * actc runtime and of the (stand-in) Halide runtime.
 * Usage: app NET_WEIGHTS Net_WEIGHTS INT_WEIGHTS
 */
#include "int_x.h"
#include "net.h"

#include <math.h>
#include <stdio.h>

int run_Net(const char *weights, const float *x, float *y);

int main(int argc, char **argv) {
  net_model *a = NULL;
  int_x_model *c = NULL;
  float x[4] = {1, 1, 1, 1}, y[4], z[4], w[2 * 3 * 4];
  int failures = 0, i;
  if (argc != 4)
    return 2;
  if (net_create(&a, argv[1]) != NET_OK || net_run(a, 1, x, y) != NET_OK) {
    printf("FAIL net: %s %s\n", net_last_error(NULL), net_last_error(a));
    return 1;
  }
  /* scale {1,2,3,4}, bias {0.5,-1,0.25,10} */
  failures += fabsf(y[3] - 14.0f) > 1e-6f;
  /* Net: scale * -2 */
  if (run_Net(argv[2], x, z) != 0)
    return 1;
  failures += fabsf(z[3] - 2.0f) > 1e-6f;
  /* int: dims N=2, n=3, scale * 3; run(model, N, n_2, for_x, class_x) */
  for (i = 0; i < 24; ++i)
    w[i] = (float)i;
  if (INT_X_FOR_X_RANK != 3 || INT_X_CLASS_X_DIM2 != 4 ||
      INT_X_NUM_DYNAMIC_DIMS != 2)
    ++failures;
  if (int_x_create(&c, argv[3]) != INT_X_OK) {
    printf("FAIL int: %s\n", int_x_last_error(NULL));
    return 1;
  }
  {
    float out[24];
    if (int_x_run(c, 2, 3, w, out) != INT_X_OK) {
      printf("FAIL int run: %s\n", int_x_last_error(c));
      return 1;
    }
    /* element 23: x = 23, inner index 3: 23 * 12 + 10 */
    failures += fabsf(out[23] - 286.0f) > 1e-4f;
    failures += int_x_run(c, 2, 0, w, out) != INT_X_ERROR_INVALID_SIZE;
  }
  net_destroy(a);
  int_x_destroy(c);
  printf("three models: %d failed\n", failures);
  return failures ? 1 : 0;
}
