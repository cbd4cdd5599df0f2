// SPDX-License-Identifier: Apache-2.0
//
// `actc run`: compiles a model for the host (kernel pipeline, Halide
// lowering, JIT) and runs it once. Inputs come from `--input NAME=FILE.npy`
// (every input, checked against the model's declared shape; dynamic dims
// are taken from the files and every use of a named dim must agree), or,
// with no --input, are random (ModelRunner.h: uniform in [-1, 1) from
// --seed, every dynamic dim 1). `--output NAME=FILE.npy` writes an output
// (float32); every output without one is printed as a summary.
//
// Exit statuses: a malformed NAME=FILE, an unknown name, a name given twice
// or an input left out when others are given is the command line's fault
// (2); a file that does not read, has the wrong shape or disagrees on a
// dynamic dim is the user's input (1).

#include "compiler/support/Npy.h"
#include "tools/actc/Commands.h"
#include "tools/actc/ModelRunner.h"

#include <iostream>
#include <optional>

namespace actc::cli {
namespace {

struct Spec {
  std::string name;
  std::string file;
};

/// Splits the NAME=FILE specs of `flag`; false after a message on a
/// malformed one.
bool splitSpecs(const std::vector<std::string> &specs, const char *flag,
                std::vector<Spec> &out) {
  for (const std::string &spec : specs) {
    size_t eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
      std::cerr << "actc: error: " << flag << " '" << spec
                << "': expected NAME=FILE.npy\n";
      return false;
    }
    out.push_back({spec.substr(0, eq), spec.substr(eq + 1)});
  }
  return true;
}

std::string joinNames(const std::vector<backend::TensorDecl> &decls) {
  std::string s;
  for (const backend::TensorDecl &d : decls)
    s += (s.empty() ? "" : ", ") + d.name;
  return s;
}

/// Maps specs to tensor positions by name; false after a message on an
/// unknown or repeated name.
bool assignSpecs(const std::vector<Spec> &specs,
                 const std::vector<backend::TensorDecl> &decls,
                 const char *what, std::vector<std::optional<Spec>> &out) {
  out.assign(decls.size(), std::nullopt);
  for (const Spec &spec : specs) {
    size_t index = 0;
    while (index < decls.size() && decls[index].name != spec.name)
      ++index;
    if (index == decls.size()) {
      std::cerr << "actc: error: the model has no " << what << " named '"
                << spec.name << "'; its " << what
                << "s are: " << joinNames(decls) << "\n";
      return false;
    }
    if (out[index]) {
      std::cerr << "actc: error: " << what << " '" << spec.name
                << "' is given twice (" << out[index]->file << " and "
                << spec.file << ")\n";
      return false;
    }
    out[index] = spec;
  }
  return true;
}

} // namespace

int runRun(const RunOptions &options) {
  std::vector<Spec> inSpecs, outSpecs;
  if (!splitSpecs(options.inputs, "--input", inSpecs) ||
      !splitSpecs(options.outputs, "--output", outSpecs))
    return kUsageError;

  PreparedModel prepared;
  if (int status = prepareModel(options.model, "host", false, prepared))
    return status;
  const backend::ModelInterface &iface = prepared.lowered.interface;

  std::vector<std::optional<Spec>> inFiles, outFiles;
  if (!assignSpecs(inSpecs, iface.inputs, "input", inFiles) ||
      !assignSpecs(outSpecs, iface.outputs, "output", outFiles))
    return kUsageError;

  std::vector<halide::HostTensor> inputs;
  if (inSpecs.empty()) {
    inputs = randomInputs(iface, options.seed, {}, 1);
  } else {
    for (size_t i = 0; i < iface.inputs.size(); ++i)
      if (!inFiles[i]) {
        std::cerr << "actc: error: input '" << iface.inputs[i].name
                  << "' has no --input " << iface.inputs[i].name
                  << "=FILE.npy (with --input, every input is given)\n";
        return kUsageError;
      }
    DimBindings dims;
    for (size_t i = 0; i < iface.inputs.size(); ++i) {
      npy::NpyResult read = npy::readNpyFile(inFiles[i]->file);
      for (const std::string &note : read.notes)
        std::cerr << "actc: note: " << note << "\n";
      if (!read.ok()) {
        std::cerr << "actc: error: input '" << iface.inputs[i].name
                  << "': " << read.error << "\n";
        return kUserError;
      }
      std::string problem = checkInputShape(iface.inputs[i], inFiles[i]->file,
                                            read.array->shape, dims);
      if (!problem.empty()) {
        std::cerr << "actc: error: " << problem << "\n";
        return kUserError;
      }
      inputs.push_back({read.array->shape, npy::toFloat32(*read.array)});
    }
  }

  std::vector<halide::HostTensor> outputs;
  halide::JitOptions jit;
  jit.threads = options.threads;
  std::string error = halide::runJit(prepared.lowered, inputs, outputs, jit);
  if (!error.empty()) {
    // The inputs were checked against the model's shapes: a failure here
    // is ours.
    std::cerr << "actc: internal error: running the compiled model failed "
                 "(a bug in actc; please report it): "
              << error << "\n";
    return kInternalError;
  }

  for (size_t i = 0; i < outputs.size(); ++i) {
    if (outFiles[i]) {
      std::string e = npy::writeNpyFile(outFiles[i]->file, outputs[i].shape,
                                        outputs[i].data);
      if (!e.empty()) {
        std::cerr << "actc: error: output '" << iface.outputs[i].name
                  << "': " << e << "\n";
        return kUserError;
      }
      continue;
    }
    std::cout << summarize(iface.outputs[i].name, outputs[i]);
  }
  return kSuccess;
}

} // namespace actc::cli
