// SPDX-License-Identifier: Apache-2.0
//
// See EditDistance.h. Three rolling rows of the dynamic program (the third
// for transpositions), with an early exit when a whole row is past the limit.

#include "compiler/support/EditDistance.h"

#include <algorithm>
#include <vector>

namespace actc {

size_t editDistance(std::string_view a, std::string_view b, size_t limit,
                    size_t step, SubstitutionCost substitution) {
  size_t gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (gap * step > limit)
    return limit + 1;
  std::vector<size_t> before(b.size() + 1), previous(b.size() + 1),
      current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    previous[j] = j * step;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i * step;
    size_t rowMin = current[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0
                    : substitution       ? substitution(a[i - 1], b[j - 1])
                                         : step;
      size_t best = std::min(
          {previous[j] + step, current[j - 1] + step, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        best = std::min(best, before[j - 2] + step);
      current[j] = best;
      rowMin = std::min(rowMin, best);
    }
    if (rowMin > limit) // every later row is at least this far
      return limit + 1;
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return std::min(previous[b.size()], limit + 1);
}

} // namespace actc
