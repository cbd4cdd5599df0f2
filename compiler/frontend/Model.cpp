// SPDX-License-Identifier: Apache-2.0
//
// The front end's entry points (read, parse, check) and the Model's
// accessors. The file is read with a size limit before anything else, so a
// huge or special file (a FIFO, /dev/zero) cannot exhaust memory.

#include "compiler/frontend/Model.h"
#include "compiler/frontend/Lexer.h"
#include "compiler/frontend/Parser.h"
#include "compiler/frontend/Sema.h"

#include <cassert>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace actc::frontend {

//===----------------------------------------------------------------------===//
// Accessors
//===----------------------------------------------------------------------===//

const Attr *Node::findAttr(std::string_view name) const {
  for (const Attr &a : attrs)
    if (a.name == name)
      return &a;
  return nullptr;
}

namespace {
template <typename T> const T &getAs(const Node &node, std::string_view name) {
  const Attr *a = node.findAttr(name);
  assert(a && std::holds_alternative<T>(a->value) &&
         "attribute missing or of another type");
  return std::get<T>(a->value);
}
} // namespace

int64_t Node::getInt(std::string_view name) const {
  return getAs<int64_t>(*this, name);
}
double Node::getFloat(std::string_view name) const {
  return getAs<double>(*this, name);
}
bool Node::getBool(std::string_view name) const {
  return getAs<bool>(*this, name);
}
const std::string &Node::getString(std::string_view name) const {
  return getAs<std::string>(*this, name);
}
const std::vector<int64_t> &Node::getInts(std::string_view name) const {
  return getAs<std::vector<int64_t>>(*this, name);
}

const rules::Shape &Model::shapeOf(ValueRef v) const {
  return v.kind == ValueRef::Input ? inputs[v.index].shape
                                   : nodes[v.index].shape;
}

const std::string &Model::nameOf(ValueRef v) const {
  return v.kind == ValueRef::Input ? inputs[v.index].name
                                   : nodes[v.index].valueName;
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

std::optional<std::string> readModelFile(const std::string &path,
                                         DiagnosticSink &diags) {
  diags.setSource(path, "");
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.error({}, std::string("cannot open the model file: ") +
                        std::strerror(errno));
    return std::nullopt;
  }
  std::string text;
  char buf[65536];
  while (in) {
    in.read(buf, sizeof(buf));
    text.append(buf, size_t(in.gcount()));
    if (text.size() > kMaxFileBytes) {
      diags.setSource(path, text.substr(0, text.find('\n')));
      diags.error({1, 1}, "expected a model file of at most " +
                              std::to_string(kMaxFileBytes) +
                              " bytes, found a larger one");
      return std::nullopt;
    }
  }
  if (in.bad()) {
    diags.error({}, "cannot read the model file");
    return std::nullopt;
  }
  diags.setSource(path, text);
  return text;
}

std::optional<Model> parseModel(std::string_view source,
                                const std::string &path,
                                DiagnosticSink &diags) {
  if (diags.path().empty())
    diags.setSource(path, std::string(source));
  auto module = parseSource(source, diags);
  if (!module)
    return std::nullopt;
  return checkModule(*module, path, diags);
}

std::optional<Model> loadModel(const std::string &path, DiagnosticSink &diags) {
  auto text = readModelFile(path, diags);
  if (!text)
    return std::nullopt;
  return parseModel(*text, path, diags);
}

} // namespace actc::frontend
