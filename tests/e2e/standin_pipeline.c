/* SPDX-License-Identifier: Apache-2.0
 *
 * A stand-in for a Halide AOT pipeline, with Halide's exact C ABI: it reads
 * the halide_buffer_t descriptors the glue builds and computes
 * out = in * scale + bias along the innermost axis (Halide dimension 0).
 * Like generated Halide code it reports a bad buffer through
 * halide_error(user_context, ...) and returns non-zero; an input element of
 * -999 is such an error on purpose, to test the routing.
 * Compile with -DACTC_STANDIN_SYMBOL=<the model's pipeline symbol>.
 */
#include <HalideRuntime.h>

#include <stdio.h>

static int check(void *uc, const halide_buffer_t *b, const char *name) {
  char message[256];
  int32_t i;
  int64_t stride = 1;
  if (b->type.code != halide_type_float || b->type.bits != 32 ||
      b->type.lanes != 1 || !b->host) {
    snprintf(message, sizeof message, "buffer %s is not f32 host memory", name);
    halide_error(uc, message);
    return -1;
  }
  for (i = 0; i < b->dimensions; ++i) {
    if (b->dim[i].min != 0 || b->dim[i].stride != stride) {
      snprintf(message, sizeof message, "buffer %s is not dense", name);
      halide_error(uc, message);
      return -1;
    }
    stride *= b->dim[i].extent;
  }
  return 0;
}

static int64_t elements(const halide_buffer_t *b) {
  int64_t n = 1;
  int32_t i;
  for (i = 0; i < b->dimensions; ++i)
    n *= b->dim[i].extent;
  return n;
}

int ACTC_STANDIN_SYMBOL(void *uc, halide_buffer_t *in, halide_buffer_t *scale,
                        halide_buffer_t *bias, halide_buffer_t *out) {
  const float *x, *s, *b;
  float *y;
  int64_t n, i, inner;
  int32_t d;
  if (check(uc, in, "in") || check(uc, scale, "scale") ||
      check(uc, bias, "bias") || check(uc, out, "out"))
    return -1;
  inner = in->dim[0].extent;
  if (scale->dimensions != 1 || bias->dimensions != 1 ||
      scale->dim[0].extent != inner || bias->dim[0].extent != inner ||
      out->dimensions != in->dimensions) {
    halide_error(uc, "stand-in: buffer shapes do not agree");
    return -1;
  }
  for (d = 0; d < in->dimensions; ++d)
    if (in->dim[d].extent != out->dim[d].extent) {
      halide_error(uc, "stand-in: in and out differ");
      return -1;
    }
  x = (const float *)in->host;
  s = (const float *)scale->host;
  b = (const float *)bias->host;
  y = (float *)out->host;
  n = elements(in);
  for (i = 0; i < n; ++i) {
    if (x[i] == -999.0f) {
      halide_error(uc, "stand-in: input element -999 is refused");
      return -7;
    }
    y[i] = x[i] * s[i % inner] + b[i % inner];
  }
  return 0;
}
