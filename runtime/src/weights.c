/* SPDX-License-Identifier: Apache-2.0
 *
 * The reader and validator of NAME.weights (docs/weights-file.md). Every
 * field is checked against the file's real size before it is used, so a
 * truncated or crafted file never makes it read outside the bytes it has;
 * each failure names the file and says what was expected and what was found.
 */
#define _POSIX_C_SOURCE 200809L
#include "actc/runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(char *err, size_t err_size, int status, const char *format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static int fail(char *err, size_t err_size, int status, const char *format,
                ...) {
  va_list args;
  if (err && err_size) {
    va_start(args, format);
    vsnprintf(err, err_size, format, args);
    va_end(args);
  }
  return status;
}

static uint64_t le64(const unsigned char *p) {
  uint64_t v = 0;
  int i;
  for (i = 7; i >= 0; --i)
    v = (v << 8) | p[i];
  return v;
}

static uint32_t le32(const unsigned char *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
         ((uint32_t)p[3] << 24);
}

/* "[128, 784]" into buf. */
static const char *format_shape(char *buf, size_t size, int32_t rank,
                                const int64_t *dims) {
  size_t used = 0;
  int32_t i;
  buf[0] = '\0';
  used += (size_t)snprintf(buf, size, "[");
  for (i = 0; i < rank && used < size; ++i)
    used += (size_t)snprintf(buf + used, size - used, "%s%" PRId64,
                             i ? ", " : "", dims[i]);
  if (used < size)
    snprintf(buf + used, size - used, "]");
  return buf;
}

void actc_weights_release(actc_weights *weights) {
  if (!weights)
    return;
  free(weights->storage);
  free((void *)weights->data);
  memset(weights, 0, sizeof(*weights));
}

/* Validates the image and fills out->data; out->storage is the caller's. */
static int parse(actc_weights *out, const unsigned char *image, uint64_t size,
                 const char *what, const actc_model_desc *model, char *err,
                 size_t err_size) {
  uint64_t count, table_size, file_size, pos;
  size_t i;
  const size_t magic_size = 8;

  if (size < magic_size) {
    if (memcmp(image, ACTC_WEIGHTS_MAGIC, (size_t)size) == 0)
      return fail(err, err_size, ACTC_ERROR_WEIGHTS_CORRUPT,
                  "weights file '%s' is truncated: it has %" PRIu64
                  " bytes, less than the %u-byte header",
                  what, size, ACTC_WEIGHTS_HEADER_SIZE);
    return fail(err, err_size, ACTC_ERROR_WEIGHTS_CORRUPT,
                "'%s' is not an actc weights file (it has %" PRIu64
                " bytes and no magic)",
                what, size);
  }
  if (memcmp(image, ACTC_WEIGHTS_MAGIC, magic_size) != 0)
    return fail(err, err_size, ACTC_ERROR_WEIGHTS_CORRUPT,
                "'%s' is not an actc weights file (its first 8 bytes are not "
                "the magic \"ACTCWGT\\n\")",
                what);
  if (size < ACTC_WEIGHTS_HEADER_SIZE)
    return fail(err, err_size, ACTC_ERROR_WEIGHTS_CORRUPT,
                "weights file '%s' is truncated: it has %" PRIu64
                " bytes, less than the %u-byte header",
                what, size, ACTC_WEIGHTS_HEADER_SIZE);
  if (le32(image + 8) != ACTC_WEIGHTS_VERSION)
    return fail(err, err_size, ACTC_ERROR_WEIGHTS_VERSION,
                "weights file '%s' has format version %" PRIu32
                "; this runtime reads version %u (compile the model and its "
                "weights with the same actc)",
                what, le32(image + 8), ACTC_WEIGHTS_VERSION);
  if (actc_checksum64(image, 56) != le64(image + 56))
    return fail(err, err_size, ACTC_ERROR_WEIGHTS_CORRUPT,
                "weights file '%s' is corrupt: the checksum of its header "
                "does not match",
                what);
  file_size = le64(image + 40);
  if (size < file_size)
    return fail(err, err_size, ACTC_ERROR_WEIGHTS_CORRUPT,
                "weights file '%s' is truncated: it has %" PRIu64
                " bytes, its header says %" PRIu64,
                what, size, file_size);
  if (size > file_size)
    return fail(err, err_size, ACTC_ERROR_WEIGHTS_CORRUPT,
                "weights file '%s' is corrupt: it has %" PRIu64
                " bytes, its header says %" PRIu64,
                what, size, file_size);
  if (le64(image + 16) != model->fingerprint)
    return fail(err, err_size, ACTC_ERROR_WEIGHTS_MISMATCH,
                "weights file '%s' belongs to another model: its fingerprint "
                "is 0x%016" PRIx64 ", model '%s' expects 0x%016" PRIx64,
                what, le64(image + 16), model->name, model->fingerprint);
  count = le64(image + 24);
  table_size = le64(image + 32);
  if (table_size > size - ACTC_WEIGHTS_HEADER_SIZE)
    return fail(err, err_size, ACTC_ERROR_WEIGHTS_CORRUPT,
                "weights file '%s' is corrupt: its table (%" PRIu64
                " bytes) does not fit in the file",
                what, table_size);
  if (actc_checksum64(image + ACTC_WEIGHTS_HEADER_SIZE, (size_t)table_size) !=
      le64(image + 48))
    return fail(err, err_size, ACTC_ERROR_WEIGHTS_CORRUPT,
                "weights file '%s' is corrupt: the checksum of its tensor "
                "table does not match",
                what);
  if (count != model->num_weights)
    return fail(err, err_size, ACTC_ERROR_WEIGHTS_CORRUPT,
                "weights file '%s' has %" PRIu64
                " tensors, model '%s' expects %lu",
                what, count, model->name, (unsigned long)model->num_weights);

  out->num_tensors = (size_t)count;
  out->data =
      (const float **)calloc(count ? (size_t)count : 1, sizeof(const float *));
  if (!out->data)
    return fail(err, err_size, ACTC_ERROR_OUT_OF_MEMORY,
                "out of memory while reading weights file '%s'", what);

  pos = ACTC_WEIGHTS_HEADER_SIZE;
  for (i = 0; i < (size_t)count; ++i) {
    const actc_tensor_spec *spec = &model->weights[i];
    const unsigned char *entry = image + pos;
    uint64_t end = ACTC_WEIGHTS_HEADER_SIZE + table_size;
    uint32_t name_len, rank;
    uint64_t offset, bytes, checksum, elements = 1, entry_size;
    int64_t dims[ACTC_WEIGHTS_MAX_RANK];
    char shape_a[160], shape_b[160];
    uint32_t d;

    if (end - pos < 32)
      return fail(err, err_size, ACTC_ERROR_WEIGHTS_CORRUPT,
                  "weights file '%s' is corrupt: its table ends inside "
                  "entry %lu",
                  what, (unsigned long)i);
    name_len = le32(entry);
    rank = le32(entry + 4);
    offset = le64(entry + 8);
    bytes = le64(entry + 16);
    checksum = le64(entry + 24);
    if (rank > ACTC_WEIGHTS_MAX_RANK || name_len > 4096)
      return fail(err, err_size, ACTC_ERROR_WEIGHTS_CORRUPT,
                  "weights file '%s' is corrupt: entry %lu has rank %" PRIu32
                  " and a %" PRIu32 "-byte name",
                  what, (unsigned long)i, rank, name_len);
    entry_size = 32 + 8 * (uint64_t)rank + name_len;
    entry_size = (entry_size + 7) & ~(uint64_t)7;
    if (end - pos < entry_size)
      return fail(err, err_size, ACTC_ERROR_WEIGHTS_CORRUPT,
                  "weights file '%s' is corrupt: its table ends inside "
                  "entry %lu",
                  what, (unsigned long)i);
    for (d = 0; d < rank; ++d)
      dims[d] = (int64_t)le64(entry + 32 + 8 * d);
    if (strlen(spec->name) != name_len ||
        memcmp(spec->name, entry + 32 + 8 * rank, name_len) != 0)
      return fail(
          err, err_size, ACTC_ERROR_WEIGHTS_MISMATCH,
          "weights file '%s': tensor %lu is '%.*s', model '%s' "
          "expects '%s'",
          what, (unsigned long)i, (int)(name_len > 200 ? 200 : name_len),
          (const char *)(entry + 32 + 8 * rank), model->name, spec->name);
    if ((int32_t)rank != spec->rank ||
        (rank && memcmp(dims, spec->shape, 8 * (size_t)rank) != 0))
      return fail(
          err, err_size, ACTC_ERROR_WEIGHTS_MISMATCH,
          "weights file '%s': tensor '%s' has shape %s, model '%s' "
          "expects %s",
          what, spec->name,
          format_shape(shape_a, sizeof shape_a, (int32_t)rank, dims),
          model->name,
          format_shape(shape_b, sizeof shape_b, spec->rank, spec->shape));
    for (d = 0; d < rank; ++d)
      elements *= (uint64_t)dims[d]; /* the model's shapes: no overflow */
    if (bytes != elements * 4)
      return fail(err, err_size, ACTC_ERROR_WEIGHTS_CORRUPT,
                  "weights file '%s' is corrupt: tensor '%s' has %" PRIu64
                  " bytes, its shape needs %" PRIu64,
                  what, spec->name, bytes, elements * 4);
    if (offset % ACTC_WEIGHTS_ALIGNMENT != 0 || offset < end || offset > size ||
        size - offset < bytes)
      return fail(err, err_size, ACTC_ERROR_WEIGHTS_CORRUPT,
                  "weights file '%s' is corrupt: tensor '%s' at offset "
                  "%" PRIu64 " (%" PRIu64 " bytes) is misaligned or outside "
                  "the file's %" PRIu64 " bytes",
                  what, spec->name, offset, bytes, size);
    if (actc_checksum64(image + offset, (size_t)bytes) != checksum)
      return fail(err, err_size, ACTC_ERROR_WEIGHTS_CORRUPT,
                  "weights file '%s' is corrupt: the checksum of tensor '%s' "
                  "does not match",
                  what, spec->name);
    out->data[i] = (const float *)(const void *)(image + offset);
    pos += entry_size;
  }
  return ACTC_OK;
}

int actc_weights_load_image(actc_weights *out_weights, const void *image,
                            size_t size, const char *what,
                            const actc_model_desc *model, char *err,
                            size_t err_size) {
  int status;
  if (!out_weights || !model)
    return fail(err, err_size, ACTC_ERROR_INVALID_ARGUMENT,
                "actc_weights_load_image: NULL argument");
  memset(out_weights, 0, sizeof(*out_weights));
  if (!image)
    return fail(err, err_size, ACTC_ERROR_INVALID_ARGUMENT,
                "embedded weights of model '%s' are missing", model->name);
  if ((uintptr_t)image % ACTC_WEIGHTS_ALIGNMENT != 0)
    return fail(err, err_size, ACTC_ERROR_INVALID_ARGUMENT,
                "embedded weights of model '%s' are not %u-byte aligned",
                model->name, ACTC_WEIGHTS_ALIGNMENT);
  status = parse(out_weights, (const unsigned char *)image, size,
                 what ? what : "(embedded)", model, err, err_size);
  if (status != ACTC_OK)
    actc_weights_release(out_weights);
  return status;
}

int actc_weights_load_file(actc_weights *out_weights, const char *path,
                           const actc_model_desc *model, char *err,
                           size_t err_size) {
  int fd, status;
  struct stat st;
  void *storage = NULL;
  uint64_t size, done = 0;

  if (!out_weights || !model)
    return fail(err, err_size, ACTC_ERROR_INVALID_ARGUMENT,
                "actc_weights_load_file: NULL argument");
  memset(out_weights, 0, sizeof(*out_weights));
  if (!path)
    return fail(err, err_size, ACTC_ERROR_INVALID_ARGUMENT,
                "model '%s' reads its weights from a file: the weights path "
                "is NULL",
                model->name);
  fd = open(path, O_RDONLY);
  if (fd < 0)
    return fail(err, err_size, ACTC_ERROR_WEIGHTS_MISSING,
                "cannot open weights file '%s': %s", path, strerror(errno));
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return fail(err, err_size, ACTC_ERROR_WEIGHTS_MISSING,
                "weights file '%s' is not a regular file", path);
  }
  size = (uint64_t)st.st_size;
  if (size > (uint64_t)SIZE_MAX / 2) {
    close(fd);
    return fail(err, err_size, ACTC_ERROR_WEIGHTS_CORRUPT,
                "weights file '%s' is too large (%" PRIu64 " bytes)", path,
                size);
  }
  if (posix_memalign(&storage, ACTC_WEIGHTS_ALIGNMENT,
                     size ? (size_t)size : 1) != 0) {
    close(fd);
    return fail(err, err_size, ACTC_ERROR_OUT_OF_MEMORY,
                "out of memory reading weights file '%s' (%" PRIu64 " bytes)",
                path, size);
  }
  while (done < size) {
    ssize_t got =
        read(fd, (unsigned char *)storage + done, (size_t)(size - done));
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      int saved = errno;
      close(fd);
      free(storage);
      return fail(err, err_size, ACTC_ERROR_WEIGHTS_MISSING,
                  "cannot read weights file '%s': %s", path, strerror(saved));
    }
    if (got == 0)
      break; /* the file shrank: parse sees the bytes that are there */
    done += (uint64_t)got;
  }
  close(fd);
  status = parse(out_weights, (const unsigned char *)storage, done, path, model,
                 err, err_size);
  if (status != ACTC_OK) {
    free(storage);
    actc_weights_release(out_weights);
    return status;
  }
  out_weights->storage = storage;
  return ACTC_OK;
}
