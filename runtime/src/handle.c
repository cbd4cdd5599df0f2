/* SPDX-License-Identifier: Apache-2.0
 *
 * Model handles: creation (weights loaded and validated, their Halide
 * descriptors built once), last-error storage, the thread count and the
 * timing hook, and the routing of Halide's error reports into the handle
 * that made the call (through user_context, see call.c).
 */
#define _POSIX_C_SOURCE 200809L
#include "actc/runtime.h"

#include <HalideRuntime.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACTC_HANDLE_MAGIC 0x61637468u /* "acth" */

#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define ACTC_THREAD_LOCAL _Thread_local
#else
#define ACTC_THREAD_LOCAL __thread
#endif

static ACTC_THREAD_LOCAL char create_error[ACTC_ERROR_CAPACITY];

const char *actc_create_error(void) { return create_error; }

static void set_create_error(const char *message) {
  snprintf(create_error, sizeof create_error, "%s", message);
}

int actc_handle_fail(actc_handle *handle, int status, const char *format, ...) {
  va_list args;
  if (!handle)
    return status;
  va_start(args, format);
  vsnprintf(handle->last_error, sizeof handle->last_error, format, args);
  va_end(args);
  return status;
}

const char *actc_handle_last_error(const actc_handle *handle) {
  if (!handle)
    return create_error;
  return handle->last_error;
}

int actc_handle_set_num_threads(actc_handle *handle, int threads) {
  if (!handle)
    return ACTC_ERROR_INVALID_ARGUMENT;
  if (threads < 0 || threads > ACTC_MAX_THREADS)
    return actc_handle_fail(handle, ACTC_ERROR_INVALID_ARGUMENT,
                            "thread count %d is out of range: it must be 0 "
                            "(the default) or 1 to %d",
                            threads, ACTC_MAX_THREADS);
  handle->num_threads = threads;
  handle->last_error[0] = '\0';
  return ACTC_OK;
}

int actc_handle_set_timing_hook(actc_handle *handle, actc_timing_hook hook,
                                void *user_data) {
  if (!handle)
    return ACTC_ERROR_INVALID_ARGUMENT;
  handle->timing_hook = hook;
  handle->timing_user_data = user_data;
  handle->last_error[0] = '\0';
  return ACTC_OK;
}

void actc_handle_destroy(actc_handle *handle) {
  if (!handle)
    return;
  actc_weights_release(&handle->weights);
  free(handle->weight_buffers);
  free(handle->weight_dims);
  handle->magic = 0;
  free(handle);
}

int actc_handle_create(actc_handle **out_handle, size_t handle_size,
                       const actc_model_desc *model, const char *weights_path,
                       const void *embedded_image, size_t embedded_size) {
  actc_handle *handle;
  char message[ACTC_ERROR_CAPACITY];
  size_t i, total_rank = 0, used = 0;
  int status;

  create_error[0] = '\0';
  if (!out_handle) {
    set_create_error("the model pointer (where create stores the handle) is "
                     "NULL");
    return ACTC_ERROR_INVALID_ARGUMENT;
  }
  *out_handle = NULL;
  if (!model || handle_size < sizeof(actc_handle)) {
    set_create_error("actc_handle_create: invalid model description");
    return ACTC_ERROR_INVALID_ARGUMENT;
  }
  if (embedded_image && weights_path) {
    snprintf(message, sizeof message,
             "model '%s' has its weights embedded: pass NULL as the weights "
             "path (got '%s')",
             model->name, weights_path);
    set_create_error(message);
    return ACTC_ERROR_INVALID_ARGUMENT;
  }
  handle = (actc_handle *)calloc(1, handle_size);
  if (!handle) {
    set_create_error("out of memory creating a model handle");
    return ACTC_ERROR_OUT_OF_MEMORY;
  }
  handle->magic = ACTC_HANDLE_MAGIC;
  handle->model = model;
  message[0] = '\0';
  if (embedded_image)
    status = actc_weights_load_image(&handle->weights, embedded_image,
                                     embedded_size, "(embedded weights)", model,
                                     message, sizeof message);
  else
    status = actc_weights_load_file(&handle->weights, weights_path, model,
                                    message, sizeof message);
  if (status != ACTC_OK) {
    set_create_error(message);
    actc_handle_destroy(handle);
    return status;
  }

  for (i = 0; i < model->num_weights; ++i)
    total_rank += (size_t)model->weights[i].rank;
  handle->weight_buffers = (halide_buffer_t *)calloc(
      model->num_weights ? model->num_weights : 1, sizeof(halide_buffer_t));
  handle->weight_dims = (halide_dimension_t *)calloc(
      total_rank ? total_rank : 1, sizeof(halide_dimension_t));
  if (!handle->weight_buffers || !handle->weight_dims) {
    set_create_error("out of memory creating a model handle");
    actc_handle_destroy(handle);
    return ACTC_ERROR_OUT_OF_MEMORY;
  }
  for (i = 0; i < model->num_weights; ++i) {
    status = actc_buffer_init(handle, &handle->weight_buffers[i],
                              handle->weight_dims + used, &model->weights[i],
                              NULL, handle->weights.data[i]);
    if (status != ACTC_OK) {
      set_create_error(handle->last_error);
      actc_handle_destroy(handle);
      return status;
    }
    used += (size_t)model->weights[i].rank;
  }
  handle->last_error[0] = '\0';
  *out_handle = handle;
  return ACTC_OK;
}
