// SPDX-License-Identifier: Apache-2.0
//
// The model loading, input checking and input generation shared by `actc
// run`, `actc check` and `actc bench` (ModelRunner.h).

#include "tools/actc/ModelRunner.h"

#include "compiler/interpreter/Interpreter.h"
#include "compiler/target/Target.h"
#include "tools/actc/Commands.h"


#include "llvm/Support/raw_ostream.h"

#include <Halide.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <random>
#include <sstream>

namespace actc::cli {

//===----------------------------------------------------------------------===//
// Loading
//===----------------------------------------------------------------------===//

int report(driver::Status status, const driver::Messages &messages) {
  for (const std::string &message : messages)
    std::cerr << "actc: " << message << "\n";
  switch (status) {
  case driver::Status::Ok:
    return kSuccess;
  case driver::Status::UserError:
    return kUserError;
  case driver::Status::InternalError:
    return kInternalError;
  }
  return kInternalError;
}

int prepareModel(const std::string &path, const std::string &targetName,
                 bool keepReference, PreparedModel &out) {
  std::optional<target::TargetInfo> info = target::lookupTarget(targetName);
  if (!info) {
    std::string known;
    for (const std::string &name : target::targetNames())
      known += (known.empty() ? "" : ", ") + name;
    std::cerr << "actc: error: unknown target '" << targetName
              << "'; expected one of: " << known << "\n";
    return kUsageError;
  }
  out.target = info->name;

  // The default initialisation uses weights::kDefaultSeed, as `actc compile`
  // and `actc-interp` do without --seed.
  driver::LoadOptions options;
  options.target = targetName;
  driver::Messages messages;
  driver::Status status =
      driver::loadNNModule(path, options, out.loaded, messages);
  if (status == driver::Status::Ok) {
    out.name = out.loaded.model.name;
    if (keepReference)
      out.reference = out.loaded.module->clone();
    status = driver::runKernels(out.loaded, options, messages);
  }
  if (status == driver::Status::Ok)
    status = driver::lowerKernelModule(out.loaded, out.target, out.lowered,
                                       messages);
  return report(status, messages);
}

std::string whyNotRunnable(const std::string &name) {
  std::optional<target::TargetInfo> info = target::lookupTarget(name);
  if (!info)
    return "'" + name + "' is not a known target";
  if (info->isGpu())
    return "'" + info->name +
           "' is a GPU target; this command runs code on this machine's CPU";
  try {
    Halide::Target want(info->halideTarget);
    Halide::Target host = Halide::get_host_target();
    if (want.arch != host.arch || want.bits != host.bits)
      return "'" + info->name +
             "' is for another architecture than this "
             "machine's (" +
             host.to_string() + ")";
    for (Halide::Target::Feature f :
         {Halide::Target::SSE41, Halide::Target::AVX, Halide::Target::AVX2,
          Halide::Target::FMA, Halide::Target::F16C, Halide::Target::AVX512,
          Halide::Target::AVX512_Skylake, Halide::Target::AVX512_Cannonlake,
          Halide::Target::AVX512_SapphireRapids, Halide::Target::ARMDotProd,
          Halide::Target::ARMFp16})
      if (want.has_feature(f) && !host.has_feature(f))
        return "'" + info->name + "' needs CPU features this machine lacks (" +
               info->halideTarget + "; this machine: " + host.to_string() + ")";
  } catch (const Halide::Error &e) {
    return std::string("cannot compare the target with this machine: ") +
           e.what();
  }
  return "";
}

//===----------------------------------------------------------------------===//
// Inputs
//===----------------------------------------------------------------------===//

std::string formatDecl(const backend::TensorDecl &decl) {
  std::string s = "[";
  for (size_t i = 0; i < decl.shape.size(); ++i) {
    if (i)
      s += ", ";
    if (decl.shape[i] < 0)
      s += i < decl.dimNames.size() && !decl.dimNames[i].empty()
               ? decl.dimNames[i]
               : "?";
    else
      s += std::to_string(decl.shape[i]);
  }
  return s + "]";
}

std::string checkInputShape(const backend::TensorDecl &decl,
                            const std::string &file,
                            const std::vector<int64_t> &shape,
                            DimBindings &dims) {
  std::string head = "input '" + decl.name + "' (" + file + "): ";
  std::string found = interp::formatShape(shape);
  if (shape.size() != decl.shape.size())
    return head + "expected a rank-" + std::to_string(decl.shape.size()) +
           " tensor of shape " + formatDecl(decl) + ", found rank " +
           std::to_string(shape.size()) + " " + found;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (decl.shape[i] >= 0) {
      if (shape[i] != decl.shape[i])
        return head + "expected shape " + formatDecl(decl) + ", found " +
               found + ": dimension " + std::to_string(i) + " is " +
               std::to_string(shape[i]) + ", expected " +
               std::to_string(decl.shape[i]);
      continue;
    }
    if (shape[i] < 1)
      return head + "expected shape " + formatDecl(decl) + ", found " + found +
             ": dimension " + std::to_string(i) +
             " is empty; dynamic dimensions must be at least 1";
    std::string name =
        i < decl.dimNames.size() ? decl.dimNames[i] : std::string();
    if (name.empty())
      continue;
    auto [it, inserted] = dims.try_emplace(name, shape[i], decl.name);
    if (!inserted && it->second.first != shape[i])
      return head + "dimension " + std::to_string(i) + " ('" + name + "') is " +
             std::to_string(shape[i]) + ", but input '" + it->second.second +
             "' gave '" + name + "' = " + std::to_string(it->second.first) +
             "; every use of a named dimension must agree";
  }
  return "";
}

std::vector<int64_t> concreteShape(const backend::TensorDecl &decl,
                                   const std::map<std::string, int64_t> &dims,
                                   int64_t defaultSize) {
  std::vector<int64_t> shape = decl.shape;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] >= 0)
      continue;
    auto it =
        i < decl.dimNames.size() ? dims.find(decl.dimNames[i]) : dims.end();
    shape[i] = it != dims.end() ? it->second : defaultSize;
  }
  return shape;
}

static int64_t elementCount(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::vector<halide::HostTensor>
randomInputs(const backend::ModelInterface &iface, uint64_t seed,
             const std::map<std::string, int64_t> &dims, int64_t defaultSize) {
  std::mt19937_64 rng(seed);
  std::vector<halide::HostTensor> inputs;
  for (const backend::TensorDecl &decl : iface.inputs) {
    halide::HostTensor t;
    t.shape = concreteShape(decl, dims, defaultSize);
    t.data.resize(elementCount(t.shape));
    // 24 random bits: k * 2^-23 - 1 for k in [0, 2^24), exact in float32.
    for (float &v : t.data)
      v = float(double(rng() >> 40) * 0x1p-23 - 1.0);
    inputs.push_back(std::move(t));
  }
  return inputs;
}

const std::vector<float> &finiteEdgeValues() {
  static const std::vector<float> values = [] {
    const float denormMin = std::numeric_limits<float>::denorm_min();
    const float normMin = std::numeric_limits<float>::min();
    std::vector<float> v = {0.0f,    -0.0f,   denormMin, -denormMin, 1e-40f,
                            -1e-40f, normMin, -normMin,  1e-7f,      -1e-7f};
    // The bends: relu/leaky_relu 0, clip and thresholded_relu 1, ONNX
    // hard_sigmoid +-2.5, hard_swish / PyTorch hard_sigmoid +-3, relu6 6,
    // softplus's threshold 20; exp overflows past 88.72.
    for (float b :
         {0.5f, 1.0f, 2.5f, 3.0f, 6.0f, 20.0f, 30.0f, 88.72f, 100.0f, 1e4f}) {
      v.push_back(b);
      v.push_back(-b);
      v.push_back(std::nextafter(b, 0.0f));
      v.push_back(-std::nextafter(b, 0.0f));
    }
    return v;
  }();
  return values;
}

std::vector<halide::HostTensor>
edgeInputs(const backend::ModelInterface &iface, uint64_t seed, int phase,
           const std::map<std::string, int64_t> &dims, int64_t defaultSize) {
  const std::vector<float> &finite = finiteEdgeValues();
  const float inf = std::numeric_limits<float>::infinity();
  std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ull);
  std::vector<halide::HostTensor> inputs;
  for (const backend::TensorDecl &decl : iface.inputs) {
    halide::HostTensor t;
    t.shape = concreteShape(decl, dims, defaultSize);
    t.data.resize(elementCount(t.shape));
    size_t half = std::max<size_t>(t.data.size() / 2, 1);
    for (size_t i = 0; i < t.data.size(); ++i) {
      t.data[i] = finite[rng() % finite.size()];
      if (phase < 0 || i >= half)
        continue;
      // Position i is NaN in one phase, an infinity in another, finite in
      // the third: every position (a vector's tail included) sees each.
      size_t slot = (i + size_t(phase)) % 3;
      if (slot == 0)
        t.data[i] = std::numeric_limits<float>::quiet_NaN();
      else if (slot == 1)
        t.data[i] = (i / 3) % 2 ? -inf : inf;
    }
    inputs.push_back(std::move(t));
  }
  return inputs;
}

//===----------------------------------------------------------------------===//
// Outputs
//===----------------------------------------------------------------------===//

std::string summarize(const std::string &name,
                      const halide::HostTensor &tensor) {
  int64_t nans = 0, infs = 0, finite = 0;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo, sum = 0;
  for (float v : tensor.data) {
    if (std::isnan(v)) {
      ++nans;
    } else if (std::isinf(v)) {
      ++infs;
    } else {
      ++finite;
      lo = std::min(lo, double(v));
      hi = std::max(hi, double(v));
      sum += v;
    }
  }
  std::ostringstream os;
  char buf[64];
  os << name << ": " << interp::formatShape(tensor.shape) << "\n";
  if (finite) {
    os << "  min";
    std::snprintf(buf, sizeof buf, " %.9g, max %.9g, mean %.9g", lo, hi,
                  sum / double(finite));
    os << buf;
  } else {
    os << "  no finite values";
  }
  os << ", " << nans << " NaN, " << infs << " Inf\n  first:";
  size_t shown = std::min<size_t>(tensor.data.size(), 8);
  for (size_t i = 0; i < shown; ++i) {
    std::snprintf(buf, sizeof buf, " %.9g", double(tensor.data[i]));
    os << buf;
  }
  if (shown < tensor.data.size())
    os << " ...";
  os << "\n";
  return os.str();
}

interp::Tensor toTensor(const halide::HostTensor &t) {
  return interp::Tensor(t.shape,
                        std::vector<double>(t.data.begin(), t.data.end()));
}

} // namespace actc::cli
