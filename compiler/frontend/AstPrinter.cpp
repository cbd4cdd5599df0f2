// SPDX-License-Identifier: Apache-2.0
//
// The `--emit=ast` printer (see AstPrinter.h). Strings are printed with the
// language's own escapes so the output reads like the input.

#include "compiler/frontend/AstPrinter.h"
#include "compiler/frontend/Model.h"
#include "compiler/frontend/Parser.h"

namespace actc::frontend {

namespace {

std::string at(SourceLoc loc) { return " @" + formatLoc(loc); }

std::string quoted(const std::string &s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else
      out += c;
  }
  return out + "\"";
}

std::string printValue(const ast::Value &v) {
  switch (v.kind) {
  case ast::Value::Int:
    return "int " + v.text + at(v.loc);
  case ast::Value::Float:
    return "float " + v.text + at(v.loc);
  case ast::Value::String:
    return "string " + quoted(v.stringValue) + at(v.loc);
  case ast::Value::Bool:
    return std::string("bool ") + (v.boolValue ? "true" : "false") + at(v.loc);
  case ast::Value::List: {
    std::string out = "list" + at(v.loc) + " [";
    for (size_t i = 0; i < v.list.size(); ++i)
      out += (i ? ", " : "") + printValue(v.list[i]);
    return out + "]";
  }
  }
  return "?";
}

void printExpr(const ast::Expr &e, int indent, std::string &out) {
  std::string pad(size_t(indent) * 2, ' ');
  if (e.kind == ast::Expr::Name) {
    out += pad + "name " + e.name + at(e.loc) + "\n";
    return;
  }
  out += pad + "call " + e.name + at(e.loc) + "\n";
  for (const auto &operand : e.operands)
    printExpr(*operand, indent + 1, out);
  for (const ast::KeywordArg &kw : e.keywords)
    out += pad + "  keyword " + kw.key + at(kw.loc) + " = " +
           printValue(kw.value) + "\n";
}

} // namespace

std::string printAst(const ast::Module &module) {
  std::string out;
  for (const ast::Statement &s : module.statements) {
    switch (s.kind) {
    case ast::Statement::Model:
      out += "model" + at(s.loc) + " " + s.name + at(s.nameLoc) + "\n";
      break;
    case ast::Statement::Weights:
      out +=
          "weights" + at(s.loc) + " " + quoted(s.name) + at(s.nameLoc) + "\n";
      break;
    case ast::Statement::Input: {
      out += "input" + at(s.loc) + " " + s.name + at(s.nameLoc) + " : " +
             s.type.elementType + at(s.type.loc) + " [";
      for (size_t i = 0; i < s.type.dims.size(); ++i) {
        const ast::Dim &d = s.type.dims[i];
        out += (i ? ", " : "") +
               (d.kind == ast::Dim::Int ? std::to_string(d.value) : d.name) +
               at(d.loc);
      }
      out += "]\n";
      break;
    }
    case ast::Statement::Define:
    case ast::Statement::Output:
      out +=
          std::string(s.kind == ast::Statement::Define ? "define" : "output") +
          at(s.loc) + " " + s.name + at(s.nameLoc) + "\n";
      if (s.expr)
        printExpr(*s.expr, 1, out);
      break;
    }
  }
  return out;
}

std::optional<ast::Module> loadAst(const std::string &path,
                                   DiagnosticSink &diags) {
  auto text = readModelFile(path, diags);
  if (!text)
    return std::nullopt;
  return parseSource(*text, diags);
}

} // namespace actc::frontend
