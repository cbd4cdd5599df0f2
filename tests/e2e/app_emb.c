/* SPDX-License-Identifier: Apache-2.0
 *
 * Model 'emb' with its weights embedded in libemb.a: create takes NULL.
 */
#include "emb.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  emb_model *m = NULL;
  float x[4] = {1, 2, 3, 4}, y[4];
  int failures = 0;
  if (emb_create(&m, "emb.weights") != EMB_ERROR_INVALID_ARGUMENT ||
      !strstr(emb_last_error(NULL), "embedded: pass NULL"))
    ++failures;
  if (emb_create(&m, NULL) != EMB_OK || emb_run(m, 1, x, y) != EMB_OK) {
    printf("FAIL emb: %s %s\n", emb_last_error(NULL), emb_last_error(m));
    return 1;
  }
  failures += fabsf(y[3] - 26.0f) > 1e-6f;
  failures += fabsf(y[0] - 1.5f) > 1e-6f;
  emb_destroy(m);
  printf("embedded: %d failed\n", failures);
  return failures ? 1 : 0;
}
