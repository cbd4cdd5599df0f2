/* SPDX-License-Identifier: Apache-2.0
 *
 * An application of model 'net' that uses nothing but net.h: the results
 * against values computed by hand, then every misuse of the C API with its
 * documented status and message. Built as C99 (-pedantic -Werror) and as
 * C++ by run-c-api.sh, linked with cc app.c -I DIR DIR/libnet.a -lpthread
 * -ldl -lm. Usage: app NET_WEIGHTS OTHER_MODEL_WEIGHTS SCRATCH_DIR
 */
#include "net.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    ++checks;                                                                  \
    if (!(cond)) {                                                             \
      ++failures;                                                              \
      printf("FAIL line %d: %s\n", __LINE__, #cond);                           \
    }                                                                          \
  } while (0)

/* status == expected and the message contains `part`. */
static void expect(int line, int status, int expected, const char *message,
                   const char *part) {
  ++checks;
  if (status != expected || !message || !strstr(message, part)) {
    ++failures;
    printf("FAIL line %d: status %d (%s), expected %d; message '%s', "
           "expected to contain '%s'\n",
           line, status, net_status_string(status), expected,
           message ? message : "(null)", part);
  }
}

/* Copies `src` into `dst`, cut to `keep` bytes (-1: all), with byte
 * `flip_at` (-1: none) xor-ed with `flip`. */
static long copy_file(const char *src, const char *dst, long keep, long flip_at,
                      int flip) {
  FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
  long n = 0;
  int c;
  if (!in || !out)
    return -1;
  while ((c = fgetc(in)) != EOF && (keep < 0 || n < keep)) {
    if (n == flip_at)
      c ^= flip;
    fputc(c, out);
    ++n;
  }
  fclose(in);
  fclose(out);
  return n;
}

static int hook_calls = 0;
static void hook(void *user_data, const char *kernel, double seconds) {
  if (user_data == (void *)&hook_calls && strcmp(kernel, "net_pipeline") == 0 &&
      seconds >= 0.0)
    ++hook_calls;
}

int main(int argc, char **argv) {
  net_model *model = NULL, *second = NULL;
  float x[8] = {1, 2, 3, 4, -1, 0, 0.5f, 2};
  float y[8];
  /* y = x * scale + bias, scale = {1, 2, 3, 4}, bias = {0.5, -1, 0.25, 10} */
  const float want[8] = {1.5f, 3.0f, 9.25f, 26.0f, -0.5f, -1.0f, 1.75f, 18.0f};
  char path[4096];
  long size;
  int i, status;

  if (argc != 4) {
    printf("usage: %s NET_WEIGHTS OTHER_WEIGHTS SCRATCH_DIR\n", argv[0]);
    return 2;
  }

  /* The macros. */
  CHECK(NET_OK == 0);
  CHECK(NET_NUM_INPUTS == 1 && NET_NUM_OUTPUTS == 1);
  CHECK(NET_X_RANK == 2 && NET_X_DIM1 == 4);
  CHECK(NET_Y_RANK == 2 && NET_Y_DIM1 == 4);
  CHECK(NET_ERROR_INVALID_ARGUMENT != NET_OK);

  /* Results. */
  status = net_create(&model, argv[1]);
  expect(__LINE__, status, NET_OK, net_last_error(model), "");
  if (!model) {
    printf("FAIL: no model: %s\n", net_last_error(NULL));
    return 1;
  }
  CHECK(strcmp(net_last_error(model), "") == 0);
  status = net_run(model, 2, x, y);
  expect(__LINE__, status, NET_OK, net_last_error(model), "");
  for (i = 0; i < 8; ++i)
    CHECK(fabsf(y[i] - want[i]) < 1e-6f);
  status = net_run(model, 1, x + 4, y);
  CHECK(status == NET_OK && fabsf(y[3] - 18.0f) < 1e-6f);

  /* NULL pointers. */
  expect(__LINE__, net_create(NULL, argv[1]), NET_ERROR_INVALID_ARGUMENT,
         net_last_error(NULL), "NULL");
  second = (net_model *)&status; /* must be overwritten with NULL */
  expect(__LINE__, net_create(&second, NULL), NET_ERROR_INVALID_ARGUMENT,
         net_last_error(NULL), "the weights path is NULL");
  CHECK(second == NULL);
  CHECK(net_run(NULL, 2, x, y) == NET_ERROR_INVALID_ARGUMENT);
  expect(__LINE__, net_run(model, 2, NULL, y), NET_ERROR_INVALID_ARGUMENT,
         net_last_error(model), "input 'x' is a NULL pointer");
  expect(__LINE__, net_run(model, 2, x, NULL), NET_ERROR_INVALID_ARGUMENT,
         net_last_error(model), "output 'y' is a NULL pointer");
  CHECK(net_set_num_threads(NULL, 1) == NET_ERROR_INVALID_ARGUMENT);
  CHECK(net_set_timing_hook(NULL, hook, NULL) == NET_ERROR_INVALID_ARGUMENT);
  net_destroy(NULL);
  CHECK(net_last_error(NULL) != NULL);

  /* Dynamic sizes. */
  expect(__LINE__, net_run(model, 0, x, y), NET_ERROR_INVALID_SIZE,
         net_last_error(model), "dynamic size 'batch' is 0");
  expect(__LINE__, net_run(model, -3, x, y), NET_ERROR_INVALID_SIZE,
         net_last_error(model), "dynamic size 'batch' is -3");
  expect(__LINE__, net_run(model, INT64_MAX, x, y), NET_ERROR_INVALID_SIZE,
         net_last_error(model), "it must be between 1 and 2147483647");
  expect(__LINE__, net_run(model, (int64_t)1 << 31, x, y),
         NET_ERROR_INVALID_SIZE, net_last_error(model),
         "dynamic size 'batch' is 2147483648");
  expect(__LINE__, net_run(model, (int64_t)1 << 28, x, y),
         NET_ERROR_INVALID_SIZE, net_last_error(model),
         "tensor 'x' would have more than 2147483647 bytes");
  /* A success clears the last error. */
  CHECK(net_run(model, 2, x, y) == NET_OK);
  CHECK(strcmp(net_last_error(model), "") == 0);

  /* An error inside the pipeline reaches the handle through user_context. */
  x[5] = -999.0f;
  expect(__LINE__, net_run(model, 2, x, y), NET_ERROR_PIPELINE,
         net_last_error(model), "input element -999 is refused");
  CHECK(strncmp(net_last_error(model), "net_pipeline: ", 14) == 0);
  x[5] = 0.0f;
  CHECK(net_run(model, 2, x, y) == NET_OK);

  /* Threads and the timing hook. */
  expect(__LINE__, net_set_num_threads(model, -1), NET_ERROR_INVALID_ARGUMENT,
         net_last_error(model), "thread count -1 is out of range");
  expect(__LINE__, net_set_num_threads(model, 257), NET_ERROR_INVALID_ARGUMENT,
         net_last_error(model), "1 to 256");
  CHECK(net_set_num_threads(model, 2) == NET_OK);
  CHECK(net_set_num_threads(model, 0) == NET_OK);
  CHECK(net_set_timing_hook(model, hook, &hook_calls) == NET_OK);
  CHECK(net_run(model, 2, x, y) == NET_OK);
  CHECK(hook_calls == 1);
  CHECK(net_set_timing_hook(model, NULL, NULL) == NET_OK);
  CHECK(net_run(model, 2, x, y) == NET_OK && hook_calls == 1);

  /* Status strings. */
  for (i = NET_OK; i <= NET_ERROR_PIPELINE; ++i)
    CHECK(net_status_string(i) && strlen(net_status_string(i)) > 0);
  CHECK(strcmp(net_status_string(99), "unknown status") == 0);

  /* A destroyed handle's successor starts clean. */
  net_destroy(model);
  model = NULL;
  CHECK(net_create(&model, argv[1]) == NET_OK && model != NULL);
  CHECK(model && strcmp(net_last_error(model), "") == 0);
  CHECK(model && net_run(model, 2, x, y) == NET_OK &&
        fabsf(y[7] - want[7]) < 1e-6f);
  /* Two handles at once. */
  CHECK(net_create(&second, argv[1]) == NET_OK && second != NULL);
  CHECK(net_run(second, 1, x, y) == NET_OK);
  net_destroy(second);
  net_destroy(model);

  /* Wrong weights files, each kind. */
  snprintf(path, sizeof path, "%s/missing.weights", argv[3]);
  expect(__LINE__, net_create(&model, path), NET_ERROR_WEIGHTS_MISSING,
         net_last_error(NULL), "cannot open weights file");
  CHECK(model == NULL);
  expect(__LINE__, net_create(&model, argv[2]), NET_ERROR_WEIGHTS_MISMATCH,
         net_last_error(NULL), "belongs to another model");
  snprintf(path, sizeof path, "%s/bad.weights", argv[3]);
  size = copy_file(argv[1], path, -1, -1, 0);
  CHECK(size > 64);
  {
    const long cuts[] = {0, 5, 40, 64, 100, 200};
    size_t k;
    for (k = 0; k < sizeof cuts / sizeof cuts[0]; ++k) {
      copy_file(argv[1], path, cuts[k], -1, 0);
      expect(__LINE__, net_create(&model, path), NET_ERROR_WEIGHTS_CORRUPT,
             net_last_error(NULL), "is truncated");
    }
    copy_file(argv[1], path, size - 1, -1, 0);
    expect(__LINE__, net_create(&model, path), NET_ERROR_WEIGHTS_CORRUPT,
           net_last_error(NULL), "is truncated");
  }
  copy_file(argv[1], path, -1, 0, 0x20);
  expect(__LINE__, net_create(&model, path), NET_ERROR_WEIGHTS_CORRUPT,
         net_last_error(NULL), "is not an actc weights file");
  copy_file(argv[1], path, -1, 8, 0x03);
  expect(__LINE__, net_create(&model, path), NET_ERROR_WEIGHTS_VERSION,
         net_last_error(NULL), "format version 2");
  /* The last tensor (bias, 16 bytes) starts 64 bytes before the end (the
   * file is padded to a multiple of 64). */
  copy_file(argv[1], path, -1, size - 64 + 4, 0x01);
  expect(__LINE__, net_create(&model, path), NET_ERROR_WEIGHTS_CORRUPT,
         net_last_error(NULL), "the checksum of tensor 'bias' does not match");
  CHECK(model == NULL);

  printf("%d checks, %d failed\n", checks, failures);
  return failures ? 1 : 0;
}
