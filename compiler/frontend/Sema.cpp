// SPDX-License-Identifier: Apache-2.0
//
// The semantic checks of the model language (see Sema.h). Calls are checked
// in source order (op name, operands left to right with their nested calls,
// then keywords, then the op's shape rule), so the first error reported is
// the first one in the line. Shape and attribute rules come from OpRules;
// their Blame tells where the caret goes: on the operand, on the keyword's
// value, or on the op name when the attribute took its default.

#include "compiler/frontend/Sema.h"
#include "compiler/frontend/OpTable.h"

#include <cassert>
#include <filesystem>
#include <map>
#include <unordered_map>

namespace actc::frontend {

namespace {

/// "the integer 3", "the string \"same\"", ... for "found ..." in messages.
std::string describeValue(const ast::Value &v) {
  switch (v.kind) {
  case ast::Value::Int:
    return "the integer " + v.text;
  case ast::Value::Float:
    return "the number " + v.text;
  case ast::Value::String:
    return "the string \"" + v.stringValue + "\"";
  case ast::Value::Bool:
    return std::string("the value ") + (v.boolValue ? "true" : "false");
  case ast::Value::List:
    return "a list of " + std::to_string(v.list.size()) +
           (v.list.size() == 1 ? " value" : " values");
  }
  return "a value";
}

/// A state_dict prefix: dot-separated segments of [A-Za-z0-9_].
bool isValidPrefix(const std::string &s) {
  if (s.empty() || s.front() == '.' || s.back() == '.')
    return false;
  char prev = 0;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '.';
    if (!ok || (c == '.' && prev == '.'))
      return false;
    prev = c;
  }
  return true;
}

std::array<int64_t, 2> pair(const std::vector<int64_t> &v) {
  return {v[0], v[1]};
}
std::array<int64_t, 4> quad(const std::vector<int64_t> &v) {
  return {v[0], v[1], v[2], v[3]};
}

/// Where each written keyword's value is, for carets.
using AttrLocs = std::map<std::string, SourceLoc>;

class Sema {
public:
  Sema(const std::string &path, DiagnosticSink &diags)
      : path(path), diags(diags) {}

  std::optional<Model> run(const ast::Module &module);

private:
  bool error(SourceLoc loc, std::string message) {
    diags.error(loc, std::move(message));
    return false;
  }
  bool checkInput(const ast::Statement &stmt);
  bool define(const std::string &name, SourceLoc loc, ValueRef ref);
  bool markOutput(const std::string &name, SourceLoc loc, ValueRef ref);
  std::optional<ValueRef> lookup(const std::string &name, SourceLoc loc);
  std::optional<ValueRef> checkExpr(const ast::Expr &expr,
                                    const ast::Statement &stmt, bool outermost);
  bool resolveAttrs(const OpSpec &spec, const ast::Expr &call, Node &node,
                    AttrLocs &locs, const ast::Value *&nameValue);
  std::optional<AttrValue> convert(const OpSpec &spec, const AttrSpec &attr,
                                   const ast::Value &value);
  bool inferShape(const OpSpec &spec, const ast::Expr &call, Node &node,
                  const AttrLocs &locs);
  bool setParams(const OpSpec &spec, const ast::Expr &call,
                 const ast::Statement &stmt, bool outermost,
                 const ast::Value *nameValue, Node &node);
  bool report(const rules::Failure &failure, const ast::Expr &call,
              const AttrLocs &locs);
  bool report(const rules::Check &check, const ast::Expr &call,
              const AttrLocs &locs) {
    return check ? report(*check, call, locs) : true;
  }
  AttrValue &attr(Node &node, const std::string &name);

  std::string path;
  DiagnosticSink &diags;
  Model model;
  struct Symbol {
    ValueRef ref;
    SourceLoc loc;
  };
  std::unordered_map<std::string, Symbol> symbols;
  std::vector<std::string> symbolNames; ///< for suggestions
  std::unordered_map<std::string, rules::Dim> dimIds;
  std::unordered_map<std::string, SourceLoc> prefixes;
  std::unordered_map<std::string, SourceLoc> outputNames;
};

std::optional<Model> Sema::run(const ast::Module &module) {
  model.file = path;
  for (const ast::Statement &stmt : module.statements) {
    bool ok = true;
    switch (stmt.kind) {
    case ast::Statement::Model:
      model.name = stmt.name;
      model.loc = stmt.nameLoc;
      break;
    case ast::Statement::Weights: {
      std::filesystem::path weights(stmt.name);
      if (weights.is_relative())
        weights = std::filesystem::path(path).parent_path() / weights;
      model.weightsPath = weights.string();
      model.weightsLoc = stmt.nameLoc;
      break;
    }
    case ast::Statement::Input:
      ok = checkInput(stmt);
      break;
    case ast::Statement::Define:
    case ast::Statement::Output: {
      std::optional<ValueRef> ref;
      if (stmt.expr) {
        ref = checkExpr(*stmt.expr, stmt, /*outermost=*/true);
        ok = ref && define(stmt.name, stmt.nameLoc, *ref);
      } else {
        ref = lookup(stmt.name, stmt.nameLoc);
        ok = ref.has_value();
      }
      if (ok && stmt.kind == ast::Statement::Output)
        ok = markOutput(stmt.name, stmt.nameLoc, *ref);
      break;
    }
    }
    if (!ok)
      return std::nullopt;
  }
  if (model.outputs.empty()) {
    error(model.loc, "expected at least one 'output' statement in model '" +
                         model.name + "', found none");
    return std::nullopt;
  }
  return std::move(model);
}

bool Sema::checkInput(const ast::Statement &stmt) {
  const ast::TensorType &type = stmt.type;
  if (type.elementType != "f32")
    return error(type.loc, "expected the element type f32, found '" +
                               type.elementType + "'");
  rules::Shape shape;
  for (const ast::Dim &dim : type.dims) {
    if (dim.kind == ast::Dim::Int) {
      if (dim.value < 1)
        return error(dim.loc, "expected a positive dimension, found " +
                                  std::to_string(dim.value));
      shape.push_back(dim.value);
      continue;
    }
    auto it = dimIds.find(dim.name);
    if (it == dimIds.end()) {
      rules::Dim id = -rules::Dim(model.dimNames.size()) - 2;
      it = dimIds.emplace(dim.name, id).first;
      model.dimNames.push_back(dim.name);
    }
    shape.push_back(it->second);
  }
  if (auto failure = rules::checkTensorShape(shape, model.dimNames))
    return error(type.loc, failure->message);
  ValueRef ref{ValueRef::Input, uint32_t(model.inputs.size())};
  model.inputs.push_back({stmt.name, shape, stmt.nameLoc});
  return define(stmt.name, stmt.nameLoc, ref);
}

bool Sema::define(const std::string &name, SourceLoc loc, ValueRef ref) {
  auto [it, inserted] = symbols.emplace(name, Symbol{ref, loc});
  if (!inserted) {
    error(loc, "redefinition of '" + name +
                   "'; expected each value to be defined once");
    diags.note(it->second.loc, "'" + name + "' is first defined here");
    return false;
  }
  symbolNames.push_back(name);
  return true;
}

bool Sema::markOutput(const std::string &name, SourceLoc loc, ValueRef ref) {
  auto [it, inserted] = outputNames.emplace(name, loc);
  if (!inserted) {
    error(loc, "'" + name +
                   "' is already an output; expected each output "
                   "once");
    diags.note(it->second, "'" + name + "' is first made an output here");
    return false;
  }
  model.outputs.push_back({name, ref, loc});
  return true;
}

std::optional<ValueRef> Sema::lookup(const std::string &name, SourceLoc loc) {
  auto it = symbols.find(name);
  if (it != symbols.end())
    return it->second.ref;
  std::string message = "undefined value '" + name + "'";
  std::string suggestion = closestSpelling(name, symbolNames);
  if (!suggestion.empty())
    message += "; did you mean '" + suggestion + "'?";
  else if (findOp(name))
    message += "; to call the op, write " + name + "(...)";
  error(loc, message);
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Calls
//===----------------------------------------------------------------------===//

std::optional<ValueRef> Sema::checkExpr(const ast::Expr &expr,
                                        const ast::Statement &stmt,
                                        bool outermost) {
  if (expr.kind == ast::Expr::Name)
    return lookup(expr.name, expr.loc);

  const OpSpec *spec = findOp(expr.name);
  if (!spec) {
    std::string message = "unknown op '" + expr.name + "'";
    std::string suggestion = closestSpelling(expr.name, allOpNames());
    if (!suggestion.empty())
      message += "; did you mean '" + suggestion + "'?";
    error(expr.loc, message);
    return std::nullopt;
  }

  int count = int(expr.operands.size());
  if (count < spec->minOperands ||
      (spec->maxOperands >= 0 && count > spec->maxOperands)) {
    std::string expected = spec->maxOperands < 0
                               ? "at least " + std::to_string(spec->minOperands)
                               : std::to_string(spec->minOperands);
    bool plural = spec->minOperands != 1;
    error(expr.loc, spec->name + " expects " + expected +
                        (plural ? " operands" : " operand") + ", found " +
                        std::to_string(count));
    return std::nullopt;
  }

  Node node;
  node.op = spec->canonical;
  node.loc = expr.loc;
  if (outermost)
    node.valueName = stmt.name;
  for (const auto &operand : expr.operands) {
    auto ref = checkExpr(*operand, stmt, /*outermost=*/false);
    if (!ref)
      return std::nullopt;
    node.operands.push_back(*ref);
  }

  AttrLocs locs;
  const ast::Value *nameValue = nullptr;
  if (!resolveAttrs(*spec, expr, node, locs, nameValue) ||
      !inferShape(*spec, expr, node, locs) ||
      !setParams(*spec, expr, stmt, outermost, nameValue, node))
    return std::nullopt;

  ValueRef ref{ValueRef::Node, uint32_t(model.nodes.size())};
  model.nodes.push_back(std::move(node));
  return ref;
}

bool Sema::resolveAttrs(const OpSpec &spec, const ast::Expr &call, Node &node,
                        AttrLocs &locs, const ast::Value *&nameValue) {
  std::map<std::string, AttrValue> given;
  std::map<std::string, SourceLoc> keyLocs;
  for (const ast::KeywordArg &kw : call.keywords) {
    auto [it, inserted] = keyLocs.emplace(kw.key, kw.loc);
    if (!inserted) {
      error(kw.loc, "duplicate keyword '" + kw.key + "' in the call to " +
                        spec.name + "; expected each keyword once");
      diags.note(it->second, "'" + kw.key + "' is first given here");
      return false;
    }
    if (kw.key == "name") {
      if (!spec.hasParams)
        return error(kw.loc, "unknown keyword 'name' for " + spec.name +
                                 ": name= sets a parameter prefix, and " +
                                 spec.name + " has no parameters");
      if (kw.value.kind != ast::Value::String)
        return error(kw.value.loc, "expected a string for 'name', found " +
                                       describeValue(kw.value));
      nameValue = &kw.value;
      continue;
    }
    const AttrSpec *attr = spec.findAttr(kw.key);
    if (!attr) {
      std::vector<std::string> keys;
      for (const AttrSpec &a : spec.attrs)
        keys.push_back(a.name);
      if (spec.hasParams)
        keys.push_back("name");
      if (keys.empty())
        return error(kw.loc, spec.name +
                                 " takes no keyword arguments, found '" +
                                 kw.key + "'");
      std::string message = "unknown keyword '" + kw.key + "' for " + spec.name;
      std::string suggestion = closestSpelling(kw.key, keys);
      if (!suggestion.empty())
        message += "; did you mean '" + suggestion + "'?";
      else {
        message += "; expected one of ";
        for (size_t i = 0; i < keys.size(); ++i)
          message += (i ? ", " : "") + keys[i];
      }
      return error(kw.loc, message);
    }
    auto value = convert(spec, *attr, kw.value);
    if (!value)
      return false;
    given.emplace(kw.key, std::move(*value));
    locs.emplace(kw.key, kw.value.loc);
  }

  for (const AttrSpec &attr : spec.attrs) {
    auto it = given.find(attr.name);
    if (it != given.end()) {
      node.attrs.push_back({attr.name, it->second});
    } else if (attr.required) {
      return error(call.loc, spec.name + " expects the keyword '" + attr.name +
                                 "' (" + describeAttrType(attr.type) +
                                 "), found none");
    } else if (attr.fromKernel) {
      node.attrs.push_back({attr.name, this->attr(node, "kernel")});
    } else {
      node.attrs.push_back({attr.name, attr.defaultValue});
    }
  }
  return true;
}

std::optional<AttrValue> Sema::convert(const OpSpec &spec, const AttrSpec &attr,
                                       const ast::Value &value) {
  auto mismatch = [&]() -> std::optional<AttrValue> {
    error(value.loc, "expected " + std::string(describeAttrType(attr.type)) +
                         " for '" + attr.name + "', found " +
                         describeValue(value));
    return std::nullopt;
  };
  // The integers of a list value, or nullopt after reporting a bad element.
  auto ints =
      [&](const ast::Value &list) -> std::optional<std::vector<int64_t>> {
    std::vector<int64_t> out;
    for (const ast::Value &element : list.list) {
      if (element.kind != ast::Value::Int) {
        error(element.loc, "expected integers in the list for '" + attr.name +
                               "', found " + describeValue(element));
        return std::nullopt;
      }
      out.push_back(element.intValue);
    }
    return out;
  };

  switch (attr.type) {
  case AttrType::Int:
    if (value.kind != ast::Value::Int)
      return mismatch();
    return AttrValue(value.intValue);
  case AttrType::Float: {
    if (value.kind != ast::Value::Int && value.kind != ast::Value::Float)
      return mismatch();
    double v = value.kind == ast::Value::Int ? double(value.intValue)
                                             : value.floatValue;
    if (auto failure = rules::checkFinite(spec.name, attr.name, v)) {
      error(value.loc, failure->message);
      return std::nullopt;
    }
    return AttrValue(v);
  }
  case AttrType::Bool:
    if (value.kind != ast::Value::Bool)
      return mismatch();
    return AttrValue(value.boolValue);
  case AttrType::String:
    if (value.kind != ast::Value::String)
      return mismatch();
    return AttrValue(value.stringValue);
  case AttrType::IntPair:
    if (value.kind == ast::Value::Int)
      return AttrValue(std::vector<int64_t>{value.intValue, value.intValue});
    if (value.kind != ast::Value::List || value.list.size() != 2)
      return mismatch();
    if (auto v = ints(value))
      return AttrValue(*v);
    return std::nullopt;
  case AttrType::IntList:
    if (value.kind == ast::Value::Int)
      return AttrValue(std::vector<int64_t>{value.intValue});
    if (value.kind != ast::Value::List)
      return mismatch();
    if (auto v = ints(value))
      return AttrValue(*v);
    return std::nullopt;
  case AttrType::Padding:
    if (value.kind == ast::Value::Int)
      return AttrValue(std::vector<int64_t>(4, value.intValue));
    if (value.kind == ast::Value::String) {
      if (value.stringValue == "same")
        return AttrValue(std::string("same")); // resolved with the shape
      if (value.stringValue == "valid")
        return AttrValue(std::vector<int64_t>(4, 0));
      return mismatch();
    }
    if (value.kind != ast::Value::List ||
        (value.list.size() != 2 && value.list.size() != 4))
      return mismatch();
    if (auto v = ints(value)) {
      if (v->size() == 2)
        return AttrValue(
            std::vector<int64_t>{(*v)[0], (*v)[1], (*v)[0], (*v)[1]});
      return AttrValue(*v);
    }
    return std::nullopt;
  }
  return mismatch();
}

AttrValue &Sema::attr(Node &node, const std::string &name) {
  for (Attr &a : node.attrs)
    if (a.name == name)
      return a.value;
  assert(false && "the op table lists every attribute Sema reads");
  static AttrValue missing;
  return missing;
}

bool Sema::report(const rules::Failure &failure, const ast::Expr &call,
                  const AttrLocs &locs) {
  SourceLoc loc = call.loc;
  const rules::Blame &blame = failure.blame;
  if (blame.kind == rules::Blame::Operand && blame.operand >= 0 &&
      size_t(blame.operand) < call.operands.size())
    loc = call.operands[size_t(blame.operand)]->loc;
  if (blame.kind == rules::Blame::Attribute) {
    auto it = locs.find(blame.attribute);
    if (it != locs.end())
      loc = it->second;
  }
  return error(loc, failure.message);
}

//===----------------------------------------------------------------------===//
// Shapes and parameters
//===----------------------------------------------------------------------===//

bool Sema::inferShape(const OpSpec &spec, const ast::Expr &call, Node &node,
                      const AttrLocs &locs) {
  const rules::DimNames &names = model.dimNames;
  std::vector<rules::Shape> in;
  for (ValueRef ref : node.operands)
    in.push_back(model.shapeOf(ref));
  const rules::Shape &x = in[0];
  auto finish = [&](const rules::ShapeResult &result) {
    if (!result)
      return report(result.failure(), call, locs);
    node.shape = result.value();
    return true;
  };
  auto ints = [&](const char *name) -> std::vector<int64_t> & {
    return std::get<std::vector<int64_t>>(attr(node, name));
  };
  // Resolves padding="same" in place, once kernel, stride and dilation are
  // known to be in range.
  auto resolvePadding = [&](std::array<int64_t, 2> dilation) {
    AttrValue &padding = attr(node, "padding");
    if (!std::holds_alternative<std::string>(padding))
      return true;
    if (!report(rules::checkWindow(spec.name, pair(ints("kernel")),
                                   pair(ints("stride")), dilation,
                                   {0, 0, 0, 0}),
                call, locs))
      return false;
    auto pads = rules::samePadding(x, pair(ints("kernel")),
                                   pair(ints("stride")), dilation, names);
    if (!pads)
      return report(pads.failure(), call, locs);
    padding = std::vector<int64_t>(pads.value().begin(), pads.value().end());
    return true;
  };

  switch (spec.kind) {
  case OpKind::Dense:
    return finish(
        rules::inferDense(x, std::get<int64_t>(attr(node, "units")), names));
  case OpKind::Conv2D: {
    if (!resolvePadding(pair(ints("dilation"))))
      return false;
    rules::Conv2DAttrs a;
    a.filters = std::get<int64_t>(attr(node, "filters"));
    a.kernel = pair(ints("kernel"));
    a.stride = pair(ints("stride"));
    a.dilation = pair(ints("dilation"));
    a.padding = quad(ints("padding"));
    a.groups = std::get<int64_t>(attr(node, "groups"));
    return finish(rules::inferConv2D(x, a, names));
  }
  case OpKind::Pool2D: {
    if (!resolvePadding({1, 1}))
      return false;
    rules::Pool2DAttrs a;
    a.kernel = pair(ints("kernel"));
    a.stride = pair(ints("stride"));
    a.padding = quad(ints("padding"));
    return finish(rules::inferPool2D(spec.canonical, x, a, names));
  }
  case OpKind::GlobalAvgPool2D:
    return finish(rules::inferGlobalAvgPool2D(x, names));
  case OpKind::BatchNorm:
    return finish(rules::inferBatchNorm(x, names));
  case OpKind::LayerNorm:
    return finish(rules::inferLayerNorm(x, names));
  case OpKind::Broadcast:
    return finish(rules::inferBroadcast(spec.canonical, x, in[1], names));
  case OpKind::Matmul:
    return finish(rules::inferMatmul(x, in[1], names));
  case OpKind::Flatten:
    return finish(
        rules::inferFlatten(x, std::get<int64_t>(attr(node, "axis")), names));
  case OpKind::Reshape:
    return finish(rules::inferReshape(x, ints("shape"), names));
  case OpKind::Transpose:
    return finish(rules::inferTranspose(x, ints("perm"), names));
  case OpKind::Concat:
    return finish(
        rules::inferConcat(in, std::get<int64_t>(attr(node, "axis")), names));
  case OpKind::PRelu:
    node.shape = x;
    return true;
  case OpKind::Activation:
    break;
  }

  // Attribute rules of the activations (finiteness was checked on input).
  const std::string &op = spec.canonical;
  auto num = [&](const char *name) {
    return std::get<double>(attr(node, name));
  };
  rules::Check check;
  if (op == "leaky_relu6")
    check = rules::checkPositive(spec.name, "cap", num("cap"));
  else if (op == "softplus")
    check = rules::checkPositive(spec.name, "beta", num("beta"));
  else if (op == "celu")
    check = rules::checkNonZero(spec.name, "alpha", num("alpha"));
  else if (op == "clip")
    check = rules::checkClipRange(num("lo"), num("hi"));
  else if (op == "gelu")
    check = rules::checkGeluApproximate(
        std::get<std::string>(attr(node, "approximate")));
  else if (op == "softmax" || op == "log_softmax")
    check = rules::checkAxis(spec.name, std::get<int64_t>(attr(node, "axis")),
                             int64_t(x.size()));
  if (!report(check, call, locs))
    return false;
  node.shape = x;
  return true;
}

bool Sema::setParams(const OpSpec &spec, const ast::Expr &call,
                     const ast::Statement &stmt, bool outermost,
                     const ast::Value *nameValue, Node &node) {
  if (!spec.hasParams)
    return true;
  SourceLoc prefixLoc = call.loc;
  if (nameValue) {
    if (!isValidPrefix(nameValue->stringValue))
      return error(nameValue->loc,
                   "expected a parameter prefix such as \"conv1\" or "
                   "\"layer1.0.conv1\" for 'name', found \"" +
                       nameValue->stringValue + "\"");
    node.paramPrefix = nameValue->stringValue;
    prefixLoc = nameValue->loc;
  } else if (outermost) {
    node.paramPrefix = stmt.name;
  } else {
    return error(call.loc, "expected name=\"...\" on the nested " + spec.name +
                               " to name its parameters, found none; only "
                               "the outermost op of a statement takes the "
                               "statement's name ('" +
                               stmt.name + "')");
  }
  auto [it, inserted] = prefixes.emplace(node.paramPrefix, prefixLoc);
  if (!inserted) {
    error(prefixLoc, "parameter prefix '" + node.paramPrefix +
                         "' is already used; expected a distinct name for "
                         "each op with parameters");
    diags.note(it->second, "'" + node.paramPrefix + "' is first used here");
    return false;
  }

  const rules::Shape &x = model.shapeOf(node.operands[0]);
  std::vector<rules::ParamShape> shapes;
  switch (spec.kind) {
  case OpKind::Dense:
    shapes = rules::denseParams(x, node.getInt("units"), node.getBool("bias"));
    break;
  case OpKind::Conv2D: {
    rules::Conv2DAttrs a;
    a.filters = node.getInt("filters");
    a.kernel = pair(node.getInts("kernel"));
    a.stride = pair(node.getInts("stride"));
    a.dilation = pair(node.getInts("dilation"));
    a.padding = quad(node.getInts("padding"));
    a.groups = node.getInt("groups");
    shapes = rules::conv2DParams(x, a, node.getBool("bias"));
    break;
  }
  case OpKind::BatchNorm:
    shapes = rules::batchNormParams(x);
    break;
  case OpKind::LayerNorm:
    shapes = rules::layerNormParams(x);
    break;
  case OpKind::PRelu:
    shapes = rules::preluParams(x);
    break;
  default:
    assert(false && "an op with parameters has no parameter rule");
  }
  for (rules::ParamShape &shape : shapes)
    node.params.push_back(
        {node.paramPrefix + "." + shape.suffix, std::move(shape)});
  return true;
}

} // namespace

std::optional<Model> checkModule(const ast::Module &module,
                                 const std::string &path,
                                 DiagnosticSink &diags) {
  Sema sema(path, diags);
  return sema.run(module);
}

} // namespace actc::frontend
