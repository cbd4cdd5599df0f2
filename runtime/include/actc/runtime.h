/* SPDX-License-Identifier: Apache-2.0
 *
 * The actc runtime: the model-independent C99 half of every compiled model.
 * The generated glue (NAME_glue.c) describes its model with the tables below
 * (actc_model_desc) and calls these functions; applications never include
 * this header, they use the generated NAME.h. It is packed into each
 * libNAME.a (docs/c-api.md, "Packing") together with the Halide pipeline and
 * Halide's runtime.
 *
 * Nothing here aborts or prints: every function returns a status and, where
 * a handle is at hand, leaves a message in it (actc_handle_last_error).
 *
 * Thread safety
 * - One handle per thread: a handle (its last error, its buffers) is used by
 *   one thread at a time. Different handles may run concurrently.
 * - Handles never share weights: each create that reads a weights file keeps
 *   its own copy. Embedded weights are one read-only array that every handle
 *   of the model reads (no copy).
 * - The thread count is stored per handle, but Halide's thread pool is one
 *   per copy of Halide's runtime (one per libNAME.a when packed as
 *   docs/c-api.md says): each run sets the pool's size to its handle's count
 *   just before calling the pipeline, so concurrent runs of handles of the
 *   same model with different counts race on the size (never on
 *   correctness).
 * - The Halide error and print handlers are installed once per copy of the
 *   runtime (pthread_once); they route by user_context to the calling handle.
 * - The message of a failed create is kept per thread (actc_create_error).
 */
#ifndef ACTC_RUNTIME_H
#define ACTC_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*===------------------------------------------------------------------------===*
 * Status codes (the generated NAME_OK, NAME_ERROR_... have these values)
 *===------------------------------------------------------------------------===*/

#define ACTC_OK 0
/** A NULL pointer where one is required, or a value out of its range. */
#define ACTC_ERROR_INVALID_ARGUMENT 1
/** A dynamic dimension size out of range (< 1, or too large for a tensor). */
#define ACTC_ERROR_INVALID_SIZE 2
/** An allocation failed. */
#define ACTC_ERROR_OUT_OF_MEMORY 3
/** The weights file cannot be opened or read. */
#define ACTC_ERROR_WEIGHTS_MISSING 4
/** The weights file is truncated, not a weights file, or fails a checksum. */
#define ACTC_ERROR_WEIGHTS_CORRUPT 5
/** The weights file has a format version this runtime does not read. */
#define ACTC_ERROR_WEIGHTS_VERSION 6
/** The weights file belongs to another model (its fingerprint differs). */
#define ACTC_ERROR_WEIGHTS_MISMATCH 7
/** The generated code (Halide) reported an error while running. */
#define ACTC_ERROR_PIPELINE 8
/** One more than the largest status code. */
#define ACTC_STATUS_COUNT 9

/** A fixed, static message for a status ("unknown status" when out of range).
 */
const char *actc_status_string(int status);

/*===------------------------------------------------------------------------===*
 * Checksums and fingerprints
 *===------------------------------------------------------------------------===*/

/** The 64-bit checksum of the weights file (docs/weights-file.md gives the
 *  algorithm). The C++ writer links this same function. */
uint64_t actc_checksum64(const void *data, size_t size);

/*===------------------------------------------------------------------------===*
 * Weights files
 *===------------------------------------------------------------------------===*/

#define ACTC_WEIGHTS_MAGIC "ACTCWGT\n"
#define ACTC_WEIGHTS_VERSION 1u
#define ACTC_WEIGHTS_ALIGNMENT 64u
#define ACTC_WEIGHTS_HEADER_SIZE 64u
#define ACTC_WEIGHTS_MAX_RANK 8

/** One tensor a model expects: its name and its static shape. */
typedef struct actc_tensor_spec {
  const char *name;
  int32_t rank;
  /** rank sizes, outermost first. In an input or output a negative entry -k
   *  is the model's dynamic size k-1 (so -1 is the first one). */
  const int64_t *shape;
} actc_tensor_spec;

/** What the glue knows about its model. */
typedef struct actc_model_desc {
  const char *name;
  uint64_t fingerprint;
  size_t num_dynamic;
  const char *const *dynamic_names;
  size_t num_inputs;
  const actc_tensor_spec *inputs;
  size_t num_weights;
  const actc_tensor_spec *weights;
  size_t num_outputs;
  const actc_tensor_spec *outputs;
  /** The Halide pipeline's symbol, for messages and the timing hook. */
  const char *pipeline_name;
} actc_model_desc;

/** Weights loaded and validated: one pointer per tensor of the model's
 *  table, in its order, each 64-byte aligned. */
typedef struct actc_weights {
  /** Owned storage (NULL for embedded weights). */
  void *storage;
  size_t num_tensors;
  const float **data;
} actc_weights;

/** Reads and validates the weights file at `path` for `model` into
 *  `out_weights` (zeroed on failure). On failure returns a status and writes
 *  a message naming the file into `err` (at most `err_size` bytes). Reads
 *  the file with read(2) into 64-byte aligned memory; never past its end. */
int actc_weights_load_file(actc_weights *out_weights, const char *path,
                           const actc_model_desc *model, char *err,
                           size_t err_size);

/** The same checks on an image in memory (embedded weights; `image` must be
 *  64-byte aligned). The tensors point into `image`, nothing is copied.
 *  `what` names the image in messages. */
int actc_weights_load_image(actc_weights *out_weights, const void *image,
                            size_t size, const char *what,
                            const actc_model_desc *model, char *err,
                            size_t err_size);

/** Frees what a successful load allocated; a zeroed struct is fine. */
void actc_weights_release(actc_weights *weights);

/*===------------------------------------------------------------------------===*
 * Handles
 *===------------------------------------------------------------------------===*/

#define ACTC_ERROR_CAPACITY 1024
#define ACTC_MAX_THREADS 256

/** Called after each pipeline call with the pipeline's name and its wall
 *  time. TODO: per-kernel times need one Halide pipeline per kernel or
 *  Halide's profiler (which prints); the Halide backend has neither yet, so
 *  the whole pipeline is reported as one kernel. */
typedef void (*actc_timing_hook)(void *user_data, const char *kernel,
                                 double seconds);

struct halide_buffer_t;
struct halide_dimension_t;

/** The part of every generated NAME_model struct that the runtime owns. */
typedef struct actc_handle {
  uint32_t magic;
  const actc_model_desc *model;
  actc_weights weights;
  /** Halide descriptors of the weights, built once at create. */
  struct halide_buffer_t *weight_buffers;
  struct halide_dimension_t *weight_dims;
  /** 0: Halide's default (HL_NUM_THREADS or the number of cores). */
  int num_threads;
  actc_timing_hook timing_hook;
  void *timing_user_data;
  char last_error[ACTC_ERROR_CAPACITY];
} actc_handle;

/** Creates a handle for `model` in `*out_handle` (of `handle_size` bytes,
 *  at least sizeof(actc_handle), which must be its first member), loading
 *  weights from `weights_path` or, when `embedded_image` is not NULL, from
 *  that image (then `weights_path` must be NULL). On failure `*out_handle`
 *  is NULL and actc_create_error() has the message. */
int actc_handle_create(actc_handle **out_handle, size_t handle_size,
                       const actc_model_desc *model, const char *weights_path,
                       const void *embedded_image, size_t embedded_size);

/** Frees the handle; NULL is fine. */
void actc_handle_destroy(actc_handle *handle);

/** The message of the handle's last failed call ("" after a success); for
 *  NULL, the message of this thread's last failed create. */
const char *actc_handle_last_error(const actc_handle *handle);

/** The message of this thread's last failed create ("" if none). */
const char *actc_create_error(void);

/** 0 (Halide's default) or 1..ACTC_MAX_THREADS. */
int actc_handle_set_num_threads(actc_handle *handle, int threads);

int actc_handle_set_timing_hook(actc_handle *handle, actc_timing_hook hook,
                                void *user_data);

/** Formats a message into the handle and returns `status`. */
int actc_handle_fail(actc_handle *handle, int status, const char *format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/*===------------------------------------------------------------------------===*
 * Tensor descriptors and calls
 *===------------------------------------------------------------------------===*/

/** The largest byte size of one tensor: Halide buffers without the
 *  large_buffers feature address at most 2^31 - 1 bytes. */
#define ACTC_MAX_TENSOR_BYTES INT64_C(2147483647)

/** Fills `out_buffer` (with `dims`, spec->rank entries, Halide dimension 0 =
 *  the innermost axis) for a dense row-major f32 tensor at `data`, its
 *  dynamic sizes taken from `dynamic_sizes`. Checks every product for
 *  overflow and the total against ACTC_MAX_TENSOR_BYTES. */
int actc_buffer_init(actc_handle *handle, struct halide_buffer_t *out_buffer,
                     struct halide_dimension_t *dims,
                     const actc_tensor_spec *spec, const int64_t *dynamic_sizes,
                     const float *data);

/** State of one run, passed to the pipeline as its user_context. */
typedef struct actc_call {
  uint32_t magic;
  actc_handle *handle;
  int halide_reported;
  double start_seconds;
} actc_call;

/** Everything before the pipeline: checks the handle (not NULL), the dynamic
 *  sizes (1..INT32_MAX each) and the pointers (not NULL), builds one buffer
 *  per input then per output into `buffers` using `dims` (the sum of their
 *  ranks), applies the thread count and starts the clock. `pointers` holds
 *  the inputs then the outputs. The weights' buffers are the handle's own
 *  (weight_buffers), built once at create: the glue passes them between
 *  the inputs and the outputs. */
int actc_call_begin(actc_call *out_call, actc_handle *handle,
                    const int64_t *dynamic_sizes, const float *const *pointers,
                    struct halide_buffer_t *buffers,
                    struct halide_dimension_t *dims);

/** After the pipeline: turns its result into a status (with Halide's
 *  message, routed through user_context) and reports the time. */
int actc_call_end(actc_call *call, int pipeline_result);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ACTC_RUNTIME_H */
