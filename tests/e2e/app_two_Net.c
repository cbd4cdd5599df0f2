/* SPDX-License-Identifier: Apache-2.0
 *
 * The part of app_two.c that uses model Net (see there).
 */
#include "Net.h"

#include <stdio.h>

int run_Net(const char *weights, const float *x, float *y);

int run_Net(const char *weights, const float *x, float *y) {
  Net_model *m = NULL;
  int status = Net_create(&m, weights);
  if (status == NET_OK)
    status = Net_run(m, 1, x, y);
  if (status != NET_OK)
    printf("FAIL Net: %s %s\n", Net_last_error(NULL), Net_last_error(m));
  Net_destroy(m);
  return status;
}
