/* SPDX-License-Identifier: Apache-2.0
 *
 * Four threads, one instance of model 'net' each (the documented rule),
 * running concurrently with different thread counts; every result is
 * checked. Usage: app NET_WEIGHTS
 */
#include "net.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>

static const char *weights;

static void *worker(void *arg) {
  long id = (long)arg;
  net_model *m = NULL;
  float x[64 * 4], y[64 * 4];
  int i, k;
  long bad = 0;
  if (net_create(&m, weights) != NET_OK)
    return (void *)1;
  net_set_num_threads(m, (int)(id % 3));
  for (k = 0; k < 200; ++k) {
    for (i = 0; i < 64 * 4; ++i)
      x[i] = (float)(id * 1000 + k + i);
    if (net_run(m, 64, x, y) != NET_OK) {
      ++bad;
      continue;
    }
    /* scale {1,2,3,4}, bias {0.5,-1,0.25,10} */
    for (i = 0; i < 64 * 4; ++i) {
      const float s[4] = {1, 2, 3, 4}, b[4] = {0.5f, -1, 0.25f, 10};
      if (fabsf(y[i] - (x[i] * s[i % 4] + b[i % 4])) > 1e-3f * fabsf(y[i]))
        ++bad;
    }
  }
  net_destroy(m);
  return (void *)bad;
}

int main(int argc, char **argv) {
  pthread_t threads[4];
  long i, bad = 0;
  if (argc != 2)
    return 2;
  weights = argv[1];
  for (i = 0; i < 4; ++i)
    pthread_create(&threads[i], NULL, worker, (void *)i);
  for (i = 0; i < 4; ++i) {
    void *r;
    pthread_join(threads[i], &r);
    bad += (long)r;
  }
  printf("four threads: %ld bad\n", bad);
  return bad != 0;
}
