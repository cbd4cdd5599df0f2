/* SPDX-License-Identifier: Apache-2.0
 *
 * The few entry points of Halide's AOT runtime that the actc runtime calls,
 * with Halide's semantics and, like Halide's, as weak symbols (each model's
 * library carries a copy). The default error handler prints, as Halide's
 * does: run-c-api.sh checks that nothing reaches stderr, i.e. that the
 * actc runtime installed its own handler.
 */
#include <HalideRuntime.h>

#include <stdio.h>

#define WEAK __attribute__((weak))

/* Halide's runtime keeps C++ vtables and inline functions in COMDAT groups,
 * which the linker deduplicates by name across objects even when their
 * symbols are local; so does this stand-in (one group, read by
 * halide_set_num_threads), so that the packing recipe is tested against
 * that. */
__asm__(".section .data.rel.ro.actc_fake_comdat,\"awG\",@progbits,"
        "actc_fake_comdat,comdat\n"
        ".weak actc_fake_comdat\n"
        ".type actc_fake_comdat,@object\n"
        ".size actc_fake_comdat,8\n"
        ".balign 8\n"
        "actc_fake_comdat:\n"
        ".quad 256\n"
        ".previous\n");
extern const long actc_fake_comdat;

WEAK void halide_default_error(void *user_context, const char *message) {
  (void)user_context;
  fprintf(stderr, "Error: %s\n", message);
}

WEAK halide_error_handler_t actc_fake_error_handler = halide_default_error;

WEAK void halide_error(void *user_context, const char *message) {
  actc_fake_error_handler(user_context, message);
}

WEAK halide_error_handler_t
halide_set_error_handler(halide_error_handler_t handler) {
  halide_error_handler_t previous = actc_fake_error_handler;
  actc_fake_error_handler = handler;
  return previous;
}

WEAK void halide_default_print(void *user_context, const char *message) {
  (void)user_context;
  fputs(message, stderr);
}

WEAK halide_print_t actc_fake_print = halide_default_print;

WEAK void halide_print(void *user_context, const char *message) {
  actc_fake_print(user_context, message);
}

WEAK halide_print_t halide_set_custom_print(halide_print_t print) {
  halide_print_t previous = actc_fake_print;
  actc_fake_print = print;
  return previous;
}

WEAK int actc_fake_num_threads = 0;

WEAK int halide_set_num_threads(int n) {
  int previous = actc_fake_num_threads;
  if (n < 0 || n > actc_fake_comdat) {
    halide_error(NULL, "halide_set_num_threads: must be >= 0.");
    return previous;
  }
  actc_fake_num_threads = n;
  return previous;
}
