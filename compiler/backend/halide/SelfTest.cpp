// SPDX-License-Identifier: Apache-2.0
//
// See SelfTest.h.

#include "compiler/backend/halide/SelfTest.h"

#include <Halide.h>

#include <sstream>

namespace actc::halide {

std::string runJitSelfTest() {
  try {
    Halide::Func f("actc_selftest");
    Halide::Var x("x");
    f(x) = Halide::cast<float>(x) * 2.0f + 1.0f;
    // 37 is not a multiple of the vector width: GuardWithIf keeps the tail
    // inside the buffer.
    f.vectorize(x, 8, Halide::TailStrategy::GuardWithIf);
    Halide::Buffer<float> out =
        f.realize({37}, Halide::get_jit_target_from_environment());
    for (int i = 0; i < out.width(); ++i) {
      if (out(i) != 2.0f * float(i) + 1.0f) {
        std::ostringstream os;
        os << "element " << i << " is " << out(i) << ", expected "
           << 2.0f * float(i) + 1.0f;
        return os.str();
      }
    }
    return {};
  } catch (const Halide::Error &e) {
    return std::string("Halide error: ") + e.what();
  }
}

} // namespace actc::halide
