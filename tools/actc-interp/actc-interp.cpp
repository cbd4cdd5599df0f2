// SPDX-License-Identifier: Apache-2.0
//
// actc-interp: runs a model through the reference interpreter, for lit tests
// and for `actc check` to compare against. The model is a .act file (front
// end, weights binding from its weights file or the default initialisation
// with --seed, then MLIRGen) or a .mlir file (nn, arith and math ops; its
// nn.param ops read --weights FILE.safetensors). Inputs are .npy files;
// outputs are written as .npy (float32, rounded once from the double
// results) or printed.
//
//   actc-interp model.act --input x=x.npy --output y=y.npy
//   actc-interp net.mlir --input a.npy --input b.npy --print
//
// An --input or --output is NAME=FILE (NAME: the model's name for the value,
// its `nn.name`, or its position) or just FILE (in order). Outputs without an
// --output are printed when --print is given, or when no --output is given
// at all. Exit status as actc: 0 success, 1 a user error (with a message),
// 2 a wrong command line.

#include "compiler/frontend/Model.h"
#include "compiler/interpreter/Interpreter.h"
#include "compiler/mlirgen/MLIRGen.h"
#include "compiler/support/Npy.h"
#include "compiler/weights/Binding.h"
#include "compiler/weights/DefaultInit.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

using namespace mlir;
using namespace actc;

namespace {

enum ExitCode { kSuccess = 0, kUserError = 1, kUsageError = 2 };

llvm::cl::opt<std::string> modelPath(llvm::cl::Positional, llvm::cl::Required,
                                     llvm::cl::desc("<model.act|model.mlir>"));
llvm::cl::list<std::string>
    inputSpecs("input", llvm::cl::desc("an input: NAME=FILE.npy or FILE.npy"),
               llvm::cl::value_desc("[NAME=]FILE"));
llvm::cl::alias inputAlias("i", llvm::cl::aliasopt(inputSpecs),
                           llvm::cl::desc("alias for --input"));
llvm::cl::list<std::string>
    outputSpecs("output",
                llvm::cl::desc("an output: NAME=FILE.npy or FILE.npy"),
                llvm::cl::value_desc("[NAME=]FILE"));
llvm::cl::alias outputAlias("o", llvm::cl::aliasopt(outputSpecs),
                            llvm::cl::desc("alias for --output"));
llvm::cl::opt<std::string>
    funcName("func", llvm::cl::desc("the function to run (.mlir; default: "
                                    "the first)"));
llvm::cl::opt<std::string>
    weightsPath("weights",
                llvm::cl::desc("safetensors file for the nn.param ops of a "
                               ".mlir model"));
llvm::cl::opt<uint64_t>
    seed("seed",
         llvm::cl::desc("seed of the default weights of a .act "
                        "model without a weights file"),
         llvm::cl::init(weights::kDefaultSeed));
llvm::cl::opt<bool> printOutputs("print",
                                 llvm::cl::desc("print the outputs that no "
                                                "--output names"));
llvm::cl::opt<bool>
    printDouble("double", llvm::cl::desc("print the double results (default: "
                                         "rounded to float32)"));

int error(const std::string &message) {
  llvm::errs() << "actc-interp: error: " << message << "\n";
  return kUserError;
}

/// Splits "NAME=FILE" (NAME without '/' or '.') from "FILE".
std::pair<std::string, std::string> splitSpec(llvm::StringRef spec) {
  size_t eq = spec.find('=');
  if (eq != llvm::StringRef::npos) {
    llvm::StringRef name = spec.take_front(eq);
    if (!name.empty() && !name.contains('/'))
      return {name.str(), spec.drop_front(eq + 1).str()};
  }
  return {"", spec.str()};
}

/// The position of `name` among the names (or a decimal position), or -1.
int findName(const std::vector<std::string> &names, const std::string &name) {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name)
      return int(i);
  unsigned index;
  if (!llvm::StringRef(name).getAsInteger(10, index) && index < names.size())
    return int(index);
  return -1;
}

/// Maps specs to positions: NAME=FILE by name, FILE in order of the
/// remaining positions. Returns false (after a message) on a bad spec.
bool assignSpecs(const std::vector<std::string> &specs,
                 const std::vector<std::string> &names, const char *what,
                 std::vector<std::optional<std::string>> &files) {
  files.assign(names.size(), std::nullopt);
  size_t next = 0;
  for (const std::string &spec : specs) {
    auto [name, file] = splitSpec(spec);
    int index;
    if (!name.empty()) {
      index = findName(names, name);
      if (index < 0) {
        error(std::string("no ") + what + " named '" + name + "'; the " + what +
              "s are: " + llvm::join(names, ", "));
        return false;
      }
    } else {
      while (next < files.size() && files[next])
        ++next;
      if (next >= files.size()) {
        error(std::string("more --") + what + "s than the model has (" +
              std::to_string(names.size()) + ")");
        return false;
      }
      index = int(next);
    }
    if (files[index]) {
      error(std::string(what) + " '" + names[index] + "' is given twice");
      return false;
    }
    files[index] = file;
  }
  return true;
}

/// The nn.name of each argument or result (else its position).
std::vector<std::string> valueNames(func::FuncOp func, bool results) {
  std::vector<std::string> names;
  unsigned n = results ? func.getNumResults() : func.getNumArguments();
  for (unsigned i = 0; i < n; ++i) {
    StringAttr name = results
                          ? func.getResultAttrOfType<StringAttr>(i, "nn.name")
                          : func.getArgAttrOfType<StringAttr>(i, "nn.name");
    names.push_back(name ? name.getValue().str() : std::to_string(i));
  }
  return names;
}

void printTensor(const std::string &name, const interp::Tensor &t) {
  llvm::outs() << name << ": " << interp::formatShape(t.shape) << "\n";
  int64_t row = t.shape.empty() ? 1 : std::max<int64_t>(t.shape.back(), 1);
  for (size_t i = 0; i < t.data.size(); ++i) {
    char buf[40];
    if (printDouble)
      std::snprintf(buf, sizeof buf, "%.17g", t.data[i]);
    else
      std::snprintf(buf, sizeof buf, "%.9g", double(float(t.data[i])));
    llvm::outs() << (i % row ? " " : "  ") << buf;
    if ((i + 1) % row == 0 || i + 1 == t.data.size())
      llvm::outs() << "\n";
  }
}

/// Prints binding's messages; false on an error.
bool report(const weights::BindResult &bound) {
  for (const std::string &note : bound.notes)
    llvm::errs() << "actc-interp: note: " << note << "\n";
  for (const std::string &warning : bound.warnings)
    llvm::errs() << "actc-interp: warning: " << warning << "\n";
  for (const std::string &e : bound.errors)
    llvm::errs() << "actc-interp: error: " << e << "\n";
  return bound.ok();
}

} // namespace

int main(int argc, char **argv) {
  if (!llvm::cl::ParseCommandLineOptions(
          argc, argv, "actc reference interpreter\n", &llvm::errs()))
    return kUsageError;

  DialectRegistry registry;
  interp::registerInterpreterDialects(registry);
  MLIRContext context(registry);
  loadFrontendDialects(context);
  context.loadAllAvailableDialects();
  ScopedDiagnosticHandler handler(&context, [](Diagnostic &diag) {
    llvm::errs() << "actc-interp: "
                 << (diag.getSeverity() == DiagnosticSeverity::Error ? "error: "
                                                                     : "note: ")
                 << diag.getLocation() << ": " << diag << "\n";
    return success();
  });

  OwningOpRef<ModuleOp> module;
  weights::WeightMap weightMap;
  if (llvm::StringRef(modelPath).ends_with(".act")) {
    frontend::DiagnosticSink diags;
    std::optional<frontend::Model> model =
        frontend::loadModel(modelPath, diags);
    if (!model) {
      llvm::errs() << diags.render();
      return kUserError;
    }
    std::vector<weights::ModelParam> params = modelParams(*model);
    weights::BindResult bound =
        model->weightsPath ? weights::loadWeights(params, *model->weightsPath)
                           : weights::initDefaultWeights(params, seed);
    if (!report(bound))
      return kUserError;
    weightMap = std::move(bound.tensors);
    module = buildModule(context, *model);
    if (!module)
      return error("the nn module of a valid model does not verify (a bug in "
                   "actc; please report it)");
  } else {
    module = parseSourceFile<ModuleOp>(modelPath, &context);
    if (!module)
      return kUserError;
  }

  func::FuncOp func;
  for (func::FuncOp f : module->getOps<func::FuncOp>())
    if (!func && (funcName.empty() || f.getSymName() == funcName))
      func = f;
  if (!func)
    return error(funcName.empty() ? "the module has no func.func"
                                  : "no func.func named '" + funcName + "'");

  // Parameters of a .mlir model come from --weights.
  if (!llvm::StringRef(modelPath).ends_with(".act")) {
    std::vector<weights::ModelParam> params;
    func.walk([&](Operation *op) {
      if (op->getName().getStringRef() != "nn.param")
        return;
      auto name = op->getAttrOfType<StringAttr>("name");
      rules::ParamShape shape;
      shape.shape = interp::typeShape(op->getResult(0).getType());
      std::string where;
      if (auto loc = dyn_cast<FileLineColLoc>(op->getLoc()))
        where = loc.getFilename().str() + ":" + std::to_string(loc.getLine()) +
                ":" + std::to_string(loc.getColumn());
      params.push_back({name.getValue().str(), shape, "nn.param", where});
    });
    if (!params.empty()) {
      if (weightsPath.empty())
        return error("'" + params.front().name +
                     "' is an nn.param; give "
                     "--weights FILE.safetensors");
      weights::BindResult bound = weights::loadWeights(params, weightsPath);
      if (!report(bound))
        return kUserError;
      weightMap = std::move(bound.tensors);
    }
  }

  std::vector<std::string> inNames = valueNames(func, /*results=*/false);
  std::vector<std::string> outNames = valueNames(func, /*results=*/true);
  std::vector<std::optional<std::string>> inFiles, outFiles;
  if (!assignSpecs(inputSpecs, inNames, "input", inFiles) ||
      !assignSpecs(outputSpecs, outNames, "output", outFiles))
    return kUsageError;

  std::vector<interp::Tensor> inputs;
  for (size_t i = 0; i < inNames.size(); ++i) {
    if (!inFiles[i])
      return error("input '" + inNames[i] + "' has no --input " + inNames[i] +
                   "=FILE.npy");
    npy::NpyResult in = npy::readNpyFile(*inFiles[i]);
    for (const std::string &note : in.notes)
      llvm::errs() << "actc-interp: note: " << note << "\n";
    if (!in.ok())
      return error(in.error);
    // The model computes in float32: round the inputs once.
    inputs.push_back(interp::roundToF32(
        interp::Tensor(in.array->shape, std::move(in.array->data))));
  }

  interp::Interpreter interpreter;
  interpreter.setWeights(&weightMap);
  FailureOr<std::vector<interp::Tensor>> results =
      interpreter.run(func, inputs);
  if (failed(results))
    return kUserError;

  bool printRest = printOutputs || outputSpecs.empty();
  for (size_t i = 0; i < results->size(); ++i) {
    const interp::Tensor &t = (*results)[i];
    if (outFiles[i]) {
      interp::Tensor rounded = interp::roundToF32(t);
      std::string e = npy::writeNpyFile(
          *outFiles[i], t.shape,
          std::vector<float>(rounded.data.begin(), rounded.data.end()));
      if (!e.empty())
        return error(e);
    } else if (printRest) {
      printTensor(outNames[i], t);
    }
  }
  return kSuccess;
}
