/* SPDX-License-Identifier: Apache-2.0
 *
 * Must NOT compile: net.h and Net.h share the macro prefix NET_, and the
 * second header says so with #error (run-c-api.sh checks the message).
 */
#include "Net.h"
#include "net.h"

int main(void) { return 0; }
