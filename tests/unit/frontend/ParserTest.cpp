// SPDX-License-Identifier: Apache-2.0
//
// Tests of the model-language parser: the tree it builds (nested calls,
// keyword arguments, lists, named dims, comments, contextual keywords) and
// its grammar errors with their positions, plus the AST printer.

#include "compiler/frontend/Parser.h"
#include "compiler/frontend/AstPrinter.h"

#include <gtest/gtest.h>

using namespace actc::frontend;

namespace {

/// The first error as "line:col message", or "<no error>".
std::string errorAt(std::string_view src) {
  DiagnosticSink diags;
  auto module = parseSource(src, diags);
  if (!diags.hasErrors()) {
    EXPECT_TRUE(module.has_value());
    return "<no error>";
  }
  EXPECT_FALSE(module.has_value());
  const Diagnostic &d = diags.diagnostics().front();
  return formatLoc(d.loc) + " " + d.message;
}

ast::Module parseOk(std::string_view src) {
  DiagnosticSink diags;
  auto module = parseSource(src, diags);
  EXPECT_TRUE(module) << diags.firstError();
  return module ? std::move(*module) : ast::Module{};
}

TEST(ParserTest, Statements) {
  auto m = parseOk("# header\n"
                   "model mlp   # name\n"
                   "\n"
                   "weights \"w.safetensors\"\n"
                   "input x : f32[batch, 784]\n"
                   "h = relu(x)\n"
                   "output y = tanh(h)\n"
                   "output h\n");
  ASSERT_EQ(m.statements.size(), 6u);
  EXPECT_EQ(m.statements[0].kind, ast::Statement::Model);
  EXPECT_EQ(m.statements[0].name, "mlp");
  EXPECT_EQ(m.statements[0].nameLoc, (SourceLoc{2, 7}));
  EXPECT_EQ(m.statements[1].kind, ast::Statement::Weights);
  EXPECT_EQ(m.statements[1].name, "w.safetensors");
  const ast::Statement &in = m.statements[2];
  EXPECT_EQ(in.kind, ast::Statement::Input);
  EXPECT_EQ(in.type.elementType, "f32");
  ASSERT_EQ(in.type.dims.size(), 2u);
  EXPECT_EQ(in.type.dims[0].kind, ast::Dim::Name);
  EXPECT_EQ(in.type.dims[0].name, "batch");
  EXPECT_EQ(in.type.dims[0].loc, (SourceLoc{5, 15}));
  EXPECT_EQ(in.type.dims[1].kind, ast::Dim::Int);
  EXPECT_EQ(in.type.dims[1].value, 784);
  EXPECT_EQ(m.statements[3].kind, ast::Statement::Define);
  EXPECT_EQ(m.statements[4].kind, ast::Statement::Output);
  ASSERT_TRUE(m.statements[4].expr);
  EXPECT_EQ(m.statements[5].kind, ast::Statement::Output);
  EXPECT_FALSE(m.statements[5].expr);
}

TEST(ParserTest, NestedCallsAndKeywords) {
  auto m = parseOk("model m\n"
                   "a = add(relu(x), conv2d(y, kernel=[3, 1], padding=\"same\","
                   " bias=false, alpha=-0.5, name=\"c\"))\n");
  const ast::Expr &add = *m.statements[1].expr;
  EXPECT_EQ(add.kind, ast::Expr::Call);
  EXPECT_EQ(add.name, "add");
  ASSERT_EQ(add.operands.size(), 2u);
  EXPECT_EQ(add.operands[0]->name, "relu");
  EXPECT_EQ(add.operands[0]->operands[0]->kind, ast::Expr::Name);
  EXPECT_EQ(add.operands[0]->operands[0]->loc, (SourceLoc{2, 14}));
  const ast::Expr &conv = *add.operands[1];
  EXPECT_EQ(conv.loc, (SourceLoc{2, 18}));
  ASSERT_EQ(conv.keywords.size(), 5u);
  EXPECT_EQ(conv.keywords[0].key, "kernel");
  EXPECT_EQ(conv.keywords[0].value.kind, ast::Value::List);
  ASSERT_EQ(conv.keywords[0].value.list.size(), 2u);
  EXPECT_EQ(conv.keywords[0].value.list[1].intValue, 1);
  EXPECT_EQ(conv.keywords[1].value.kind, ast::Value::String);
  EXPECT_EQ(conv.keywords[1].value.stringValue, "same");
  EXPECT_EQ(conv.keywords[2].value.kind, ast::Value::Bool);
  EXPECT_FALSE(conv.keywords[2].value.boolValue);
  EXPECT_EQ(conv.keywords[3].value.kind, ast::Value::Float);
  EXPECT_DOUBLE_EQ(conv.keywords[3].value.floatValue, -0.5);
  EXPECT_EQ(conv.keywords[4].loc, (SourceLoc{2, 83}));
}

TEST(ParserTest, EmptyCallsAndLists) {
  auto m = parseOk("model m\na = f()\nb = g(x, shape=[])\n");
  EXPECT_TRUE(m.statements[1].expr->operands.empty());
  EXPECT_TRUE(m.statements[2].expr->keywords[0].value.list.empty());
}

TEST(ParserTest, ContextualKeywords) {
  auto m = parseOk("model m\ninput input : f32[1]\nmodel2 = relu(input)\n"
                   "output = relu(input)\nweights = relu(output)\n"
                   "output weights\n");
  EXPECT_EQ(m.statements[1].name, "input");
  EXPECT_EQ(m.statements[3].kind, ast::Statement::Define);
  EXPECT_EQ(m.statements[3].name, "output");
  EXPECT_EQ(m.statements[4].kind, ast::Statement::Define);
  EXPECT_EQ(m.statements[5].kind, ast::Statement::Output);
  EXPECT_EQ(m.statements[5].name, "weights");
}

TEST(ParserTest, StatementErrors) {
  EXPECT_EQ(errorAt(""), "1:1 expected 'model NAME' as the first statement, "
                         "found the end of the file");
  EXPECT_EQ(errorAt("# c\n\n"), "3:1 expected 'model NAME' as the first "
                                "statement, found the end of the file");
  EXPECT_EQ(errorAt("input x : f32[1]\nmodel m"),
            "1:1 expected 'model NAME' as the first statement, found 'input'");
  EXPECT_EQ(errorAt("a = relu(x)\nmodel m"),
            "1:1 expected 'model NAME' as the first statement, found a "
            "definition");
  EXPECT_EQ(errorAt("model m\nmodel n"),
            "2:1 expected one 'model' statement, found a second one");
  EXPECT_EQ(errorAt("model m\nweights \"a\"\nweights \"b\""),
            "3:1 expected at most one 'weights' statement, found a second one");
  EXPECT_EQ(errorAt("model\n"),
            "1:6 expected a model name after 'model', found the end of the "
            "line");
  EXPECT_EQ(errorAt("model m extra"),
            "1:9 expected the end of the line after the model name (one "
            "statement a line), found 'extra'");
  EXPECT_EQ(errorAt("model m\nweights w"),
            "2:9 expected a path in double quotes after 'weights', found 'w'");
  EXPECT_EQ(errorAt("model m\na = relu(x) b = relu(a)"),
            "2:13 expected the end of the line after the definition (one "
            "statement a line), found 'b'");
  EXPECT_EQ(errorAt("model m\nrelu(x)"),
            "2:5 expected '=' after 'relu' (a definition is NAME = EXPR), "
            "found '('");
  EXPECT_EQ(errorAt("model m\n= relu(x)"),
            "2:1 expected a statement (model, weights, input, output or "
            "NAME = EXPR), found '='");
  EXPECT_EQ(errorAt("model m\noutput 3"),
            "2:8 expected a value name after 'output', found the integer 3");
}

TEST(ParserTest, TypeErrors) {
  EXPECT_EQ(errorAt("model m\ninput x f32[1]"),
            "2:9 expected ':' and a type after the input name 'x', found "
            "'f32'");
  EXPECT_EQ(errorAt("model m\ninput x : f32 1"),
            "2:15 expected '[' and the dimensions after the element type "
            "'f32', found the integer 1");
  EXPECT_EQ(errorAt("model m\ninput x : f32[2.5]"),
            "2:15 expected an integer or a name for a dimension, found the "
            "number 2.5");
  EXPECT_EQ(errorAt("model m\ninput x : f32[1 2]"),
            "2:17 expected ',' or ']' in the dimensions, found the integer 2");
  EXPECT_EQ(errorAt("model m\ninput x : [1]"),
            "2:11 expected a tensor type such as f32[1, 784], found '['");
}

TEST(ParserTest, CallErrors) {
  EXPECT_EQ(errorAt("model m\na = add(x, k=1, y)"),
            "2:17 expected a keyword argument (key=value) after 'k=', found "
            "the operand 'y'; operands come before keyword arguments");
  EXPECT_EQ(errorAt("model m\na = relu(x"),
            "2:11 expected ',' or ')' in the call to 'relu', found the end of "
            "the file");
  EXPECT_EQ(errorAt("model m\na = relu(x,)"),
            "2:12 expected an operand (a value name or an op call), found "
            "')'");
  EXPECT_EQ(errorAt("model m\na = (x)"),
            "2:5 expected an operand (a value name or an op call), found '('");
  EXPECT_EQ(errorAt("model m\na = f(x, k=)"),
            "2:12 expected a value for 'k', found ')'");
  EXPECT_EQ(
      errorAt("model m\na = f(x, k=[1 2])"),
      "2:15 expected ',' or ']' in the list for 'k', found the integer 2");
  EXPECT_EQ(errorAt("model m\na = f(x, k=none)"),
            "2:12 expected a value for 'k' (a number, a string in double "
            "quotes, true, false or a list), found the name 'none'");
}

std::string nested(int depth) {
  std::string s = "model m\na = ";
  for (int i = 0; i < depth; ++i)
    s += "f(";
  s += "x";
  for (int i = 0; i < depth; ++i)
    s += ")";
  return s;
}

TEST(ParserTest, NestingLimit) {
  EXPECT_EQ(errorAt(nested(kMaxDepth)), "<no error>");
  // The call that is one too deep starts at column 5 + 64 * 2.
  EXPECT_EQ(errorAt(nested(kMaxDepth + 1)),
            "2:133 expected calls and lists nested at most 64 deep, found "
            "deeper nesting");
  std::string lists = "model m\na = f(x, k=" + std::string(63, '[') + "1" +
                      std::string(63, ']') + ")";
  EXPECT_EQ(errorAt(lists), "<no error>");
  lists = "model m\na = f(x, k=" + std::string(64, '[') + "1" +
          std::string(64, ']') + ")";
  EXPECT_EQ(errorAt(lists), "2:75 expected calls and lists nested at most 64 "
                            "deep, found deeper nesting");
  // 100000 levels fail fast, without recursing (the line limit stops them).
  EXPECT_NE(errorAt(nested(100000)), "<no error>");
}

TEST(ParserTest, AstPrinter) {
  auto m = parseOk("model m\ninput x : f32[n, 2]\n"
                   "output y = f(g(x), k=[1, -2], s=\"a\\\"b\", b=true, "
                   "e=1e-5)\n");
  EXPECT_EQ(printAst(m),
            "model @1:1 m @1:7\n"
            "input @2:1 x @2:7 : f32 @2:11 [n @2:15, 2 @2:18]\n"
            "output @3:1 y @3:8\n"
            "  call f @3:12\n"
            "    call g @3:14\n"
            "      name x @3:16\n"
            "    keyword k @3:20 = list @3:22 [int 1 @3:23, int -2 @3:26]\n"
            "    keyword s @3:31 = string \"a\\\"b\" @3:33\n"
            "    keyword b @3:41 = bool true @3:43\n"
            "    keyword e @3:49 = float 1e-5 @3:51\n");
}

} // namespace
