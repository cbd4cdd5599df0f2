// SPDX-License-Identifier: Apache-2.0
//
// Matching a model's parameters with a weights file's tensors. All problems
// are collected (a user fixing a converted checkpoint wants every mismatch at
// once), in the model's parameter order so that the output is stable.

#include "compiler/weights/Binding.h"

#include "compiler/support/EditDistance.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>
#include <set>

namespace actc::weights {

std::string formatParamType(const rules::Shape &shape) {
  return "f32" + formatDims(shape);
}

namespace {

/// PyTorch's BatchNorm counter: an I64 scalar no inference model reads.
bool isIgnored(std::string_view name) {
  constexpr std::string_view kCounter = "num_batches_tracked";
  if (name == kCounter)
    return true;
  return name.size() > kCounter.size() &&
         name.substr(name.size() - kCounter.size()) == kCounter &&
         name[name.size() - kCounter.size() - 1] == '.';
}

bool endsWithComponent(std::string_view longer, std::string_view shorter) {
  return longer.size() > shorter.size() &&
         longer.substr(longer.size() - shorter.size()) == shorter &&
         longer[longer.size() - shorter.size() - 1] == '.';
}

/// "dense at mlp.act:4:6 expects f32[10, 20]" (or "f32[1] or f32[16]").
std::string describeUse(const ModelParam &param) {
  std::string who = param.op.empty() ? std::string("the model") : param.op;
  if (!param.location.empty())
    who += " at " + param.location;
  std::vector<std::string> types{formatParamType(param.param.shape)};
  for (const rules::Shape &shape : param.param.alsoAccepted)
    types.push_back(formatParamType(shape));
  return fmt::format("{} expects {}", who, fmt::join(types, " or "));
}

bool accepts(const rules::ParamShape &param, const rules::Shape &shape) {
  return shape == param.shape ||
         std::find(param.alsoAccepted.begin(), param.alsoAccepted.end(),
                   shape) != param.alsoAccepted.end();
}

/// A name among `unused` that the user probably meant by `wanted`: the same
/// name under an extra (or a missing) prefix, as a wrapper module or
/// DataParallel's "module." adds, else the closest spelling within a few
/// edits.
std::optional<std::string> suggest(std::string_view wanted,
                                   const std::vector<std::string> &unused) {
  std::vector<const std::string *> prefixed;
  for (const std::string &name : unused)
    if (endsWithComponent(name, wanted) || endsWithComponent(wanted, name))
      prefixed.push_back(&name);
  if (prefixed.size() == 1)
    return *prefixed[0];

  size_t limit = std::max<size_t>(1, std::min<size_t>(3, wanted.size() / 4));
  const std::string *best = nullptr;
  size_t bestDistance = limit + 1;
  for (const std::string &name : unused) { // sorted: ties go to the first
    size_t distance = editDistance(wanted, name, limit);
    if (distance < bestDistance) {
      best = &name;
      bestDistance = distance;
    }
  }
  if (!best)
    return std::nullopt;
  return *best;
}

std::string quoteList(const std::vector<std::string> &names, size_t listed) {
  std::vector<std::string> quoted;
  for (size_t i = 0; i < names.size() && i < listed; ++i)
    quoted.push_back(quoteName(names[i]));
  std::string text = fmt::format("{}", fmt::join(quoted, ", "));
  if (names.size() > listed)
    text += fmt::format(" and {} more", names.size() - listed);
  return text;
}

} // namespace

BindResult bindWeights(const std::vector<ModelParam> &params,
                       SafetensorsFile file) {
  BindResult result;
  result.notes = std::move(file.notes);
  const std::string &path = file.path;

  std::set<std::string_view> requested;
  for (const ModelParam &param : params)
    requested.insert(param.name);
  std::vector<std::string> unused; // sorted, as the map is
  for (const auto &[name, tensor] : file.tensors)
    if (!requested.count(name) && !isIgnored(name))
      unused.push_back(name);

  for (const ModelParam &param : params) {
    std::string name = quoteName(param.name);
    if (std::any_of(param.param.shape.begin(), param.param.shape.end(),
                    rules::isDynamic)) {
      result.errors.push_back(fmt::format(
          "internal error: parameter {} ({}) has a dynamic shape (a bug: "
          "parameters must be static)",
          name, describeUse(param)));
      continue;
    }
    auto found = file.tensors.find(param.name);
    if (found == file.tensors.end()) {
      std::string message = fmt::format("{}: missing tensor {} ({})", path,
                                        name, describeUse(param));
      if (auto close = suggest(param.name, unused))
        message += fmt::format("; did you mean {}?", quoteName(*close));
      result.errors.push_back(std::move(message));
      continue;
    }
    FileTensor &tensor = found->second;
    if (!tensor.loaded) { // a dtype the format defines (checked on reading)
      result.errors.push_back(fmt::format(
          "{}: tensor {} is {} {}, but actc reads only F32, F16, BF16 and F64 "
          "({})",
          path, name, tensor.dtype, formatDims(tensor.shape),
          describeUse(param)));
      continue;
    }
    if (!accepts(param.param, tensor.shape)) {
      result.errors.push_back(fmt::format("{}: tensor {} has shape {}, but {}",
                                          path, name, formatDims(tensor.shape),
                                          describeUse(param)));
      continue;
    }
    if (!result.tensors.count(param.name)) // shared: bound once
      result.tensors.emplace(
          param.name, WeightTensor{tensor.shape, std::move(tensor.data)});
  }

  if (unused.size() == 1)
    result.warnings.push_back(fmt::format(
        "{}: tensor {} is not used by the model", path, quoteName(unused[0])));
  else if (!unused.empty())
    result.warnings.push_back(
        fmt::format("{}: {} tensors are not used by the model: {}", path,
                    unused.size(), quoteList(unused, 10)));
  if (!result.ok())
    result.tensors.clear(); // no half-bound model leaks out
  return result;
}

BindResult loadWeights(const std::vector<ModelParam> &params,
                       const std::string &path) {
  Expected<SafetensorsFile> file = readSafetensorsFile(path);
  if (!file) {
    BindResult result;
    result.errors.push_back(file.error().message);
    return result;
  }
  return bindWeights(params, std::move(file).value());
}

} // namespace actc::weights
