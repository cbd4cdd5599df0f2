/* SPDX-License-Identifier: Apache-2.0
 *
 * One run of a pipeline: halide_buffer_t descriptors for the caller's dense
 * row-major f32 arrays (checked sizes, Halide dimension 0 = innermost axis),
 * the thread count, the timing hook, and Halide's error reports.
 *
 * Halide's AOT runtime reports errors through halide_error, a weak symbol
 * whose default prints to stderr. We never define halide_error (a strong
 * definition in each model's library would clash when two models link into
 * one program); we install a handler with halide_set_error_handler, once per
 * copy of Halide's runtime, and the handler finds the calling handle through
 * user_context (an actc_call, checked by its magic). halide_print (Halide's
 * print() and tracing) is dropped: the runtime never prints.
 */
#define _POSIX_C_SOURCE 200809L
#include "actc/runtime.h"

#include <HalideRuntime.h>

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define ACTC_CALL_MAGIC 0x61637463u /* "actc" */

static halide_error_handler_t previous_error_handler;

static void route_error(void *user_context, const char *message) {
  actc_call *call = (actc_call *)user_context;
  if (call && call->magic == ACTC_CALL_MAGIC && call->handle) {
    if (!call->halide_reported)
      snprintf(call->handle->last_error, sizeof call->handle->last_error,
               "%s: %s", call->handle->model->pipeline_name,
               message ? message : "(no message)");
    call->halide_reported = 1;
    return;
  }
  /* Not one of our calls (possible only when Halide's runtime is shared
   * with other Halide code): leave it to whoever handled it before, unless
   * that is Halide's printing default. */
  if (previous_error_handler && previous_error_handler != halide_default_error)
    previous_error_handler(user_context, message);
}

static void drop_print(void *user_context, const char *message) {
  (void)user_context;
  (void)message;
}

static pthread_once_t install_once = PTHREAD_ONCE_INIT;

static void install_handlers(void) {
  previous_error_handler = halide_set_error_handler(route_error);
  halide_set_custom_print(drop_print);
}

static double now_seconds(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
    return 0.0;
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int actc_buffer_init(actc_handle *handle, halide_buffer_t *out_buffer,
                     halide_dimension_t *dims, const actc_tensor_spec *spec,
                     const int64_t *dynamic_sizes, const float *data) {
  int64_t stride = 1;
  int32_t i;
  memset(out_buffer, 0, sizeof(*out_buffer));
  if (spec->rank < 0 || spec->rank > ACTC_WEIGHTS_MAX_RANK)
    return actc_handle_fail(handle, ACTC_ERROR_INVALID_ARGUMENT,
                            "tensor '%s' has rank %d", spec->name,
                            (int)spec->rank);
  for (i = spec->rank - 1; i >= 0; --i) {
    int64_t extent = spec->shape[i];
    halide_dimension_t *dim = &dims[spec->rank - 1 - i];
    if (extent < 0) {
      size_t index = (size_t)(-extent - 1);
      if (!dynamic_sizes)
        return actc_handle_fail(handle, ACTC_ERROR_INVALID_ARGUMENT,
                                "tensor '%s' has a dynamic size here",
                                spec->name);
      extent = dynamic_sizes[index];
    }
    if (extent < 1 || extent > INT32_MAX)
      return actc_handle_fail(handle, ACTC_ERROR_INVALID_SIZE,
                              "tensor '%s': dimension %d has size %" PRId64
                              ", which must be between 1 and %" PRId32,
                              spec->name, (int)i, extent, INT32_MAX);
    dim->min = 0;
    dim->extent = (int32_t)extent;
    dim->stride = (int32_t)stride;
    dim->flags = 0;
    /* stride * extent <= 2^31 * 2^31: no int64 overflow; check bytes. */
    stride *= extent;
    if (stride > ACTC_MAX_TENSOR_BYTES / 4)
      return actc_handle_fail(handle, ACTC_ERROR_INVALID_SIZE,
                              "tensor '%s' would have more than %" PRId64
                              " bytes (the largest tensor a pipeline "
                              "addresses); reduce its dynamic sizes",
                              spec->name, (int64_t)ACTC_MAX_TENSOR_BYTES);
  }
  out_buffer->host = (uint8_t *)(uintptr_t)data;
  out_buffer->type.code = halide_type_float;
  out_buffer->type.bits = 32;
  out_buffer->type.lanes = 1;
  out_buffer->dimensions = spec->rank;
  out_buffer->dim = dims;
  return ACTC_OK;
}

int actc_call_begin(actc_call *out_call, actc_handle *handle,
                    const int64_t *dynamic_sizes, const float *const *pointers,
                    halide_buffer_t *buffers, halide_dimension_t *dims) {
  const actc_model_desc *model;
  size_t i, used = 0;
  int status;

  memset(out_call, 0, sizeof(*out_call));
  if (!handle)
    return ACTC_ERROR_INVALID_ARGUMENT;
  model = handle->model;
  handle->last_error[0] = '\0';
  for (i = 0; i < model->num_dynamic; ++i)
    if (dynamic_sizes[i] < 1 || dynamic_sizes[i] > INT32_MAX)
      return actc_handle_fail(
          handle, ACTC_ERROR_INVALID_SIZE,
          "dynamic size '%s' is %" PRId64 "; it must be between 1 and %" PRId32,
          model->dynamic_names[i], dynamic_sizes[i], INT32_MAX);
  for (i = 0; i < model->num_inputs + model->num_outputs; ++i) {
    int is_input = i < model->num_inputs;
    const actc_tensor_spec *spec =
        is_input ? &model->inputs[i] : &model->outputs[i - model->num_inputs];
    if (!pointers[i])
      return actc_handle_fail(handle, ACTC_ERROR_INVALID_ARGUMENT,
                              "%s '%s' is a NULL pointer",
                              is_input ? "input" : "output", spec->name);
    status = actc_buffer_init(handle, &buffers[i], dims + used, spec,
                              dynamic_sizes, pointers[i]);
    if (status != ACTC_OK)
      return status;
    used += (size_t)spec->rank;
  }
  pthread_once(&install_once, install_handlers);
  halide_set_num_threads(handle->num_threads);
  out_call->magic = ACTC_CALL_MAGIC;
  out_call->handle = handle;
  if (handle->timing_hook)
    out_call->start_seconds = now_seconds();
  return ACTC_OK;
}

int actc_call_end(actc_call *call, int pipeline_result) {
  actc_handle *handle = call->handle;
  if (handle->timing_hook)
    handle->timing_hook(handle->timing_user_data, handle->model->pipeline_name,
                        now_seconds() - call->start_seconds);
  call->magic = 0;
  if (pipeline_result != 0) {
    if (!call->halide_reported)
      return actc_handle_fail(handle, ACTC_ERROR_PIPELINE,
                              "%s failed with Halide error code %d",
                              handle->model->pipeline_name, pipeline_result);
    return ACTC_ERROR_PIPELINE;
  }
  return ACTC_OK;
}
