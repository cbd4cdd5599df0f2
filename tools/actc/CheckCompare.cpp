// SPDX-License-Identifier: Apache-2.0
//
// `actc check`'s comparison and tolerance (CheckCompare.h).

#include "tools/actc/CheckCompare.h"

#include <algorithm>
#include <cmath>

namespace actc::cli {

interp::Tolerance checkTolerance(const interp::Tensor &reference) {
  double scale = 1.0;
  for (double v : reference.data)
    if (std::isfinite(v))
      scale = std::max(scale, std::fabs(v));
  return {kCheckAbsTol * scale, kCheckRelTol};
}

interp::Comparison compareOutput(const interp::Tensor &reference,
                                 const interp::Tensor &actual) {
  interp::Tensor rounded = interp::roundToF32(reference);
  return interp::compareTensors(rounded, actual, checkTolerance(rounded));
}

} // namespace actc::cli
