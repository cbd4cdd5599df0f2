// SPDX-License-Identifier: Apache-2.0
//
// Weights for a model that has no weights file, so that every example model
// compiles and runs. Each parameter is drawn as PyTorch's default
// initialisation draws it (ParamInit: Uniform is U(-1/sqrt(fanIn),
// 1/sqrt(fanIn)), then Zeros, Ones and 0.25), which gives activations of a
// realistic scale. The values match PyTorch's ranges, not its random stream:
// they come from our own generator (splitmix64, with our own mapping to
// float, since std::uniform_real_distribution's output differs between
// standard libraries), so the same seed gives bit-identical weights on every
// platform and compiler. A parameter's values depend only on the seed, its
// name, its shape and its init, so adding a layer does not change the others.

#ifndef ACTC_COMPILER_WEIGHTS_DEFAULTINIT_H
#define ACTC_COMPILER_WEIGHTS_DEFAULTINIT_H

#include "compiler/weights/Binding.h"
#include "dialects/NN/Rules/OpRules.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace actc::weights {

/// The seed `actc` uses when none is given.
constexpr uint64_t kDefaultSeed = 0;

/// splitmix64 (Steele, Lea and Flood, 2014): tiny, fast, and its output is
/// fully specified by integer arithmetic.
class SplitMix64 {
public:
  explicit SplitMix64(uint64_t seed) : state(seed) {}
  uint64_t next();

private:
  uint64_t state;
};

/// Maps 64 random bits to a float uniform on [-1, 1): the top 24 bits give
/// one of 2^24 equally spaced values, each exactly representable, so the
/// mapping involves no rounding at all.
float signedUnitFromBits(uint64_t bits);

/// The default values of one parameter. Precondition: a static shape whose
/// element count is at most rules::kMaxElements (initDefaultWeights checks).
std::vector<float> defaultValues(std::string_view name,
                                 const rules::ParamShape &param,
                                 uint64_t seed = kDefaultSeed);

/// Weights for every parameter from `seed`, in the same form as bindWeights
/// gives them (errors only for shapes no tensor can have, or no memory).
BindResult initDefaultWeights(const std::vector<ModelParam> &params,
                              uint64_t seed = kDefaultSeed);

} // namespace actc::weights

#endif // ACTC_COMPILER_WEIGHTS_DEFAULTINIT_H
