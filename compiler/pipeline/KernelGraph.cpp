// SPDX-License-Identifier: Apache-2.0
//
// The kernel graph printer (KernelGraph.h).

#include "compiler/pipeline/KernelGraph.h"

#include "dialects/Kern/IR/KernOps.h"
#include "dialects/NN/IR/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "llvm/ADT/DenseMap.h"

#include <string>

using namespace mlir;

namespace actc::pipeline {
namespace {

std::string shapeText(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  kern::printShape(os, type);
  return text;
}

/// Quotes `text` for a DOT label (\l line breaks are added by the caller).
std::string escape(llvm::StringRef text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out;
}

std::string scheduleText(DictionaryAttr schedule) {
  std::string text;
  llvm::raw_string_ostream os(text);
  bool first = true;
  for (NamedAttribute entry : schedule) {
    StringRef key = entry.getName().strref();
    if (key == kern::sched::kSignature || key == kern::sched::kTarget)
      continue;
    os << (first ? "" : " ") << key << '=';
    first = false;
    Attribute value = entry.getValue();
    if (auto list = dyn_cast<DenseI64ArrayAttr>(value))
      llvm::interleave(list.asArrayRef(), os, "x");
    else if (auto i = dyn_cast<IntegerAttr>(value))
      os << i.getInt();
    else if (auto s = dyn_cast<StringAttr>(value))
      os << s.getValue();
  }
  return text;
}

bool isWeight(Operation *op) {
  return op && (isa<nn::ParamOp>(op) || isa<arith::ConstantOp>(op));
}

void printFunction(func::FuncOp func, llvm::raw_ostream &os) {
  os << "digraph \"" << escape(func.getSymName()) << "\" {\n"
     << "  rankdir=TB;\n"
     << "  node [shape=box, fontname=\"monospace\", fontsize=10];\n"
     << "  edge [fontname=\"monospace\", fontsize=9];\n";
  llvm::DenseMap<Value, std::string> producer;
  for (auto [i, arg] : llvm::enumerate(func.getArguments())) {
    std::string id = "in" + std::to_string(i);
    std::string name = id;
    if (auto attr = func.getArgAttrOfType<StringAttr>(i, "nn.name"))
      name = attr.str();
    os << "  " << id << " [shape=ellipse, label=\"" << escape(name) << "\\n"
       << shapeText(arg.getType()) << "\"];\n";
    producer[arg] = id;
  }
  auto edgesTo = [&](Operation *op, const std::string &id) {
    for (Value operand : op->getOperands()) {
      auto it = producer.find(operand);
      if (it == producer.end())
        continue;
      os << "  " << it->second << " -> " << id << " [label=\""
         << shapeText(operand.getType()) << "\"];\n";
    }
  };
  unsigned other = 0;
  for (Operation &op : func.getBody().getOps()) {
    if (isWeight(&op))
      continue;
    if (auto kernel = dyn_cast<kern::KernelOp>(op)) {
      std::string id = kernel.getName().str();
      os << "  " << id << " [label=\"" << escape(kernel.getName()) << " "
         << escape(kernel.getKind()) << "\\l";
      for (Operation *fused : kernel.getFusedOps())
        os << (fused == kernel.getAnchor() ? "" : "+ ")
           << escape(fused->getName().getStringRef()) << "\\l";
      if (std::optional<DictionaryAttr> schedule = kernel.getSchedule())
        os << escape(scheduleText(*schedule)) << "\\l";
      os << "\"];\n";
      edgesTo(&op, id);
      producer[kernel.getResult()] = id;
      continue;
    }
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      for (auto [i, value] : llvm::enumerate(ret.getOperands())) {
        std::string id = "out" + std::to_string(i);
        std::string name = id;
        if (auto attr = func.getResultAttrOfType<StringAttr>(i, "nn.name"))
          name = attr.str();
        os << "  " << id << " [shape=ellipse, label=\"" << escape(name)
           << "\"];\n";
        auto it = producer.find(value);
        if (it != producer.end())
          os << "  " << it->second << " -> " << id << " [label=\""
             << shapeText(value.getType()) << "\"];\n";
      }
      continue;
    }
    // A free view, or an op fusion left alone.
    std::string id = "op" + std::to_string(other++);
    bool view = kern::isView(&op);
    os << "  " << id << " [" << (view ? "style=dashed, " : "") << "label=\""
       << escape(op.getName().getStringRef()) << (view ? " (view)" : "")
       << "\"];\n";
    edgesTo(&op, id);
    for (Value result : op.getResults())
      producer[result] = id;
  }
  os << "}\n";
}

} // namespace

void printKernelGraph(ModuleOp module, llvm::raw_ostream &os) {
  for (auto func : module.getOps<func::FuncOp>())
    printFunction(func, os);
}

} // namespace actc::pipeline
