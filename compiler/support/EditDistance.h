// SPDX-License-Identifier: Apache-2.0
//
// The edit distance behind every "did you mean" of actc: unknown ops and
// keywords in a model, tensor names missing from a weights file.

#ifndef ACTC_COMPILER_SUPPORT_EDITDISTANCE_H
#define ACTC_COMPILER_SUPPORT_EDITDISTANCE_H

#include <cstddef>
#include <string_view>

namespace actc {

/// The cost of substituting `b` for `a` (never called with a == b).
using SubstitutionCost = size_t (*)(char a, char b);

/// Optimal string alignment distance between `a` and `b`: an insertion, a
/// deletion or a transposition of two adjacent characters costs `step`; a
/// substitution costs `substitution(a, b)`, or `step` when that is null.
/// Returns `limit + 1` as soon as the distance must exceed `limit`, so long
/// names cost little.
size_t editDistance(std::string_view a, std::string_view b, size_t limit,
                    size_t step = 1, SubstitutionCost substitution = nullptr);

} // namespace actc

#endif // ACTC_COMPILER_SUPPORT_EDITDISTANCE_H
