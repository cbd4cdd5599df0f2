// SPDX-License-Identifier: Apache-2.0
//
// See MLIRGen.h. The mapping is generic: a node of op `foo` becomes
// `nn.foo`, its operands are the node's operands followed by its parameters
// (in the order of the op's ODS operands: weight, then bias, ...), and each
// of the node's attributes that the op declares becomes an attribute of the
// matching type. Attributes that only the language has (dense `units`,
// conv2d `filters`/`kernel`/`bias`) are implied by the parameters' shapes.
//
// Function arguments and results carry `nn.name` (the model's name for the
// value); an argument with named dynamic dimensions carries `nn.dims` (the
// name of each dimension, "" for a static one), so later stages know which
// `?` are the same size.

#include "compiler/mlirgen/MLIRGen.h"

#include "compiler/frontend/Model.h"
#include "compiler/weights/Binding.h"
#include "dialects/NN/IR/NNDialect.h"
#include "dialects/NN/IR/NNOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Verifier.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace actc {
namespace {

class ModuleBuilder {
public:
  ModuleBuilder(MLIRContext &context, const frontend::Model &model,
                const weights::WeightMap *bound)
      : context(context), model(model), bound(bound), builder(&context) {}

  OwningOpRef<ModuleOp> build();

private:
  Location loc(frontend::SourceLoc at) {
    return FileLineColLoc::get(&context, model.file, at.line, at.col);
  }

  RankedTensorType tensorType(const rules::Shape &shape) {
    SmallVector<int64_t> dims;
    for (rules::Dim d : shape)
      dims.push_back(rules::isDynamic(d) ? ShapedType::kDynamic : d);
    return RankedTensorType::get(dims, builder.getF32Type());
  }

  Value valueOf(frontend::ValueRef ref) {
    return ref.kind == frontend::ValueRef::Input ? inputs[ref.index]
                                                 : nodes[ref.index];
  }

  Attribute attribute(const frontend::AttrValue &value);
  DictionaryAttr argumentAttrs(const frontend::Input &input);
  Value buildNode(const frontend::Node &node);

  MLIRContext &context;
  const frontend::Model &model;
  const weights::WeightMap *bound;
  OpBuilder builder;
  SmallVector<Value> inputs;
  SmallVector<Value> nodes;
};

Attribute ModuleBuilder::attribute(const frontend::AttrValue &value) {
  return std::visit(
      [&](const auto &v) -> Attribute {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, int64_t>)
          return builder.getI64IntegerAttr(v);
        else if constexpr (std::is_same_v<T, double>)
          return builder.getF32FloatAttr(static_cast<float>(v));
        else if constexpr (std::is_same_v<T, bool>)
          return builder.getBoolAttr(v);
        else if constexpr (std::is_same_v<T, std::string>)
          return builder.getStringAttr(v);
        else
          return builder.getDenseI64ArrayAttr(v);
      },
      value);
}

DictionaryAttr ModuleBuilder::argumentAttrs(const frontend::Input &input) {
  SmallVector<NamedAttribute> attrs{
      builder.getNamedAttr("nn.name", builder.getStringAttr(input.name))};
  if (llvm::any_of(input.shape, [](rules::Dim d) { return d <= -2; })) {
    SmallVector<Attribute> dims;
    for (rules::Dim d : input.shape)
      dims.push_back(builder.getStringAttr(d <= -2 ? model.dimNames[-d - 2]
                                                   : std::string()));
    attrs.push_back(
        builder.getNamedAttr("nn.dims", builder.getArrayAttr(dims)));
  }
  return builder.getDictionaryAttr(attrs);
}

Value ModuleBuilder::buildNode(const frontend::Node &node) {
  Location at = loc(node.loc);
  OperationState state(at, "nn." + node.op);
  for (frontend::ValueRef operand : node.operands)
    state.addOperands(valueOf(operand));
  for (const frontend::Param &param : node.params) {
    const rules::Shape *shape = &param.shape.shape;
    if (bound)
      if (auto it = bound->find(param.name); it != bound->end())
        shape = &it->second.shape;
    state.addOperands(
        nn::ParamOp::create(builder, at, tensorType(*shape), param.name)
            .getResult());
  }

  std::optional<RegisteredOperationName> registered =
      state.name.getRegisteredInfo();
  assert(registered && "the op table names an op the dialect lacks");
  ArrayRef<StringAttr> declared = registered->getAttributeNames();
  for (const frontend::Attr &attr : node.attrs)
    if (llvm::any_of(declared,
                     [&](StringAttr name) { return name == attr.name; }))
      state.addAttribute(attr.name, attribute(attr.value));

  state.addTypes(tensorType(node.shape));
  return builder.create(state)->getResult(0);
}

OwningOpRef<ModuleOp> ModuleBuilder::build() {
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc(model.loc));
  builder.setInsertionPointToEnd(module->getBody());

  SmallVector<Type> argTypes, resultTypes;
  SmallVector<DictionaryAttr> argAttrs, resultAttrs;
  for (const frontend::Input &input : model.inputs) {
    argTypes.push_back(tensorType(input.shape));
    argAttrs.push_back(argumentAttrs(input));
  }
  for (const frontend::Output &output : model.outputs) {
    resultTypes.push_back(tensorType(model.shapeOf(output.value)));
    resultAttrs.push_back(builder.getDictionaryAttr(
        builder.getNamedAttr("nn.name", builder.getStringAttr(output.name))));
  }

  auto func =
      func::FuncOp::create(builder, loc(model.loc), model.name,
                           builder.getFunctionType(argTypes, resultTypes));
  func.setAllArgAttrs(argAttrs);
  func.setAllResultAttrs(resultAttrs);
  Block *entry = func.addEntryBlock();
  builder.setInsertionPointToStart(entry);
  for (auto [input, arg] : llvm::zip(model.inputs, entry->getArguments())) {
    arg.setLoc(loc(input.loc));
    inputs.push_back(arg);
  }
  for (const frontend::Node &node : model.nodes)
    nodes.push_back(buildNode(node));

  SmallVector<Value> results;
  for (const frontend::Output &output : model.outputs)
    results.push_back(valueOf(output.value));
  func::ReturnOp::create(builder, loc(model.outputs.back().loc), results);

  if (failed(verify(*module)))
    return nullptr;
  return module;
}

} // namespace

std::vector<weights::ModelParam> modelParams(const frontend::Model &model) {
  std::vector<weights::ModelParam> params;
  for (const frontend::Node &node : model.nodes)
    for (const frontend::Param &param : node.params)
      params.push_back({param.name, param.shape, node.op,
                        model.file + ":" + frontend::formatLoc(node.loc)});
  return params;
}

void loadFrontendDialects(MLIRContext &context) {
  context.loadDialect<nn::NNDialect, func::FuncDialect>();
}

OwningOpRef<ModuleOp> buildModule(MLIRContext &context,
                                  const frontend::Model &model,
                                  const weights::WeightMap *bound) {
  loadFrontendDialects(context);
  return ModuleBuilder(context, model, bound).build();
}

} // namespace actc
