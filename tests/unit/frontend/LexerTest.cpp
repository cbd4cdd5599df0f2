// SPDX-License-Identifier: Apache-2.0
//
// Tests of the model-language lexer: every token kind with its location,
// number and string forms, and every lexical error with its position.

#include "compiler/frontend/Lexer.h"

#include <gtest/gtest.h>

using namespace actc::frontend;

namespace {

struct Lexed {
  std::vector<Token> tokens; ///< up to and including Eof or Error
  DiagnosticSink diags;
};

std::unique_ptr<Lexed> lex(std::string_view src) {
  auto out = std::make_unique<Lexed>();
  Lexer lexer(src, out->diags);
  for (;;) {
    out->tokens.push_back(lexer.next());
    TokenKind k = out->tokens.back().kind;
    if (k == TokenKind::Eof || k == TokenKind::Error)
      break;
  }
  return out;
}

/// The first error message and its "line:col".
std::string errorAt(std::string_view src) {
  auto l = lex(src);
  if (!l->diags.hasErrors())
    return "<no error>";
  const Diagnostic &d = l->diags.diagnostics().front();
  return formatLoc(d.loc) + " " + d.message;
}

TEST(LexerTest, EveryTokenKindWithLocations) {
  auto l = lex("model m\ninput x : f32[1, 2]\na = f(x, k=-0.5, s=\"hi\")");
  struct Expect {
    TokenKind kind;
    const char *text;
    uint32_t line, col;
  };
  std::vector<Expect> expected = {
      {TokenKind::Ident, "model", 1, 1}, {TokenKind::Ident, "m", 1, 7},
      {TokenKind::Newline, "\n", 1, 8},  {TokenKind::Ident, "input", 2, 1},
      {TokenKind::Ident, "x", 2, 7},     {TokenKind::Colon, ":", 2, 9},
      {TokenKind::Ident, "f32", 2, 11},  {TokenKind::LBracket, "[", 2, 14},
      {TokenKind::Int, "1", 2, 15},      {TokenKind::Comma, ",", 2, 16},
      {TokenKind::Int, "2", 2, 18},      {TokenKind::RBracket, "]", 2, 19},
      {TokenKind::Newline, "\n", 2, 20}, {TokenKind::Ident, "a", 3, 1},
      {TokenKind::Equals, "=", 3, 3},    {TokenKind::Ident, "f", 3, 5},
      {TokenKind::LParen, "(", 3, 6},    {TokenKind::Ident, "x", 3, 7},
      {TokenKind::Comma, ",", 3, 8},     {TokenKind::Ident, "k", 3, 10},
      {TokenKind::Equals, "=", 3, 11},   {TokenKind::Float, "-0.5", 3, 12},
      {TokenKind::Comma, ",", 3, 16},    {TokenKind::Ident, "s", 3, 18},
      {TokenKind::Equals, "=", 3, 19},   {TokenKind::String, "\"hi\"", 3, 20},
      {TokenKind::RParen, ")", 3, 24},   {TokenKind::Eof, "", 3, 25},
  };
  ASSERT_EQ(l->tokens.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(l->tokens[i].kind, expected[i].kind);
    EXPECT_EQ(l->tokens[i].text, expected[i].text);
    EXPECT_EQ(l->tokens[i].loc.line, expected[i].line);
    EXPECT_EQ(l->tokens[i].loc.col, expected[i].col);
  }
  EXPECT_EQ(l->tokens[25].stringValue, "hi");
  EXPECT_DOUBLE_EQ(l->tokens[21].floatValue, -0.5);
  EXPECT_FALSE(l->diags.hasErrors());
}

TEST(LexerTest, Numbers) {
  auto l = lex("0 -1 42 1.5 -0.2 1e-5 2E+3 .5 -.25 3. 9223372036854775807 "
               "-9223372036854775808");
  std::vector<std::pair<TokenKind, double>> expected = {
      {TokenKind::Int, 0},       {TokenKind::Int, -1},
      {TokenKind::Int, 42},      {TokenKind::Float, 1.5},
      {TokenKind::Float, -0.2},  {TokenKind::Float, 1e-5},
      {TokenKind::Float, 2000},  {TokenKind::Float, 0.5},
      {TokenKind::Float, -0.25}, {TokenKind::Float, 3.0},
  };
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(l->tokens[i].kind, expected[i].first);
    if (expected[i].first == TokenKind::Int)
      EXPECT_EQ(l->tokens[i].intValue, int64_t(expected[i].second));
    else
      EXPECT_DOUBLE_EQ(l->tokens[i].floatValue, expected[i].second);
  }
  EXPECT_EQ(l->tokens[10].intValue, INT64_MAX);
  EXPECT_EQ(l->tokens[11].intValue, INT64_MIN);
  EXPECT_FALSE(l->diags.hasErrors());
}

TEST(LexerTest, NumberErrors) {
  EXPECT_EQ(errorAt("units=9223372036854775808"),
            "1:7 expected an integer between -9223372036854775808 and "
            "9223372036854775807, found 9223372036854775808");
  EXPECT_EQ(errorAt("a=1e999"),
            "1:3 expected a number within the range of a double, found 1e999");
  EXPECT_EQ(errorAt("a=1e"), "1:5 expected digits in the exponent of '1e', "
                             "found the end of the file");
  EXPECT_EQ(errorAt("a=3x"),
            "1:4 expected a separator after the number '3', found 'x'");
  EXPECT_EQ(errorAt("a=1.2.3"),
            "1:6 expected a separator after the number '1.2', found '.'");
  EXPECT_EQ(errorAt("a = -x"), "1:5 unexpected character '-'");
}

TEST(LexerTest, CommentsAndLineEnds) {
  auto l = lex("# only a comment\nmodel m # trailing\r\n\tinput  # at eof");
  std::vector<TokenKind> kinds;
  for (const Token &t : l->tokens)
    kinds.push_back(t.kind);
  EXPECT_EQ(kinds, (std::vector<TokenKind>{TokenKind::Newline, TokenKind::Ident,
                                           TokenKind::Ident, TokenKind::Newline,
                                           TokenKind::Ident, TokenKind::Eof}));
  EXPECT_EQ(l->tokens[4].loc, (SourceLoc{3, 2})); // after the tab
  EXPECT_FALSE(l->diags.hasErrors());
  // UTF-8 is fine in comments and strings.
  auto u = lex("# naïve café\nweights \"données.safetensors\"");
  EXPECT_FALSE(u->diags.hasErrors());
  EXPECT_EQ(u->tokens[2].stringValue, "données.safetensors");
}

TEST(LexerTest, Strings) {
  auto l = lex(R"("a\"b\\c\nd\te")");
  ASSERT_EQ(l->tokens[0].kind, TokenKind::String);
  EXPECT_EQ(l->tokens[0].stringValue, "a\"b\\c\nd\te");
  EXPECT_EQ(errorAt("weights \"abc\ninput"),
            "1:9 unterminated string; expected a closing '\"' on the same "
            "line");
  EXPECT_EQ(errorAt("weights \"abc"),
            "1:9 unterminated string; expected a closing '\"' on the same "
            "line");
  EXPECT_EQ(errorAt(R"(x = "a\qb")"),
            "1:7 unknown escape in string; expected \\\", \\\\, \\n or \\t, "
            "found '\\' followed by 'q'");
  EXPECT_EQ(errorAt("x = \"a\x01\""),
            "1:7 unexpected character '\\x01' in a string");
}

TEST(LexerTest, BadBytes) {
  EXPECT_EQ(errorAt("model m\n$"), "2:1 unexpected character '$'");
  EXPECT_EQ(errorAt("model m\n\x01\x02"), "2:1 unexpected character '\\x01'");
  EXPECT_EQ(errorAt(std::string_view("ab\0c", 4)),
            "1:3 unexpected character '\\x00'");
  EXPECT_EQ(errorAt("a\x7f"), "1:2 unexpected character '\\x7f'");
  EXPECT_EQ(errorAt("a \xff"), "1:3 invalid UTF-8 byte '\\xff'");
  EXPECT_EQ(errorAt("# \xc3("), "1:3 invalid UTF-8 byte '\\xc3'");
  EXPECT_EQ(errorAt("# \xc0\x80"), "1:3 invalid UTF-8 byte '\\xc0'")
      << "overlong encodings are invalid";
  EXPECT_EQ(errorAt("# \xed\xa0\x80"), "1:3 invalid UTF-8 byte '\\xed'")
      << "surrogates are invalid";
  EXPECT_EQ(errorAt("a = \xc3\xa9"),
            "1:5 unexpected character '\xc3\xa9' (U+00E9); non-ASCII text may "
            "appear only in comments and strings");
  EXPECT_EQ(errorAt("a\rb"), "1:2 unexpected character '\\x0d'");
}

TEST(LexerTest, ErrorIsSticky) {
  DiagnosticSink diags;
  Lexer lexer("$ a b", diags);
  EXPECT_EQ(lexer.next().kind, TokenKind::Error);
  EXPECT_EQ(lexer.next().kind, TokenKind::Error);
  EXPECT_EQ(diags.diagnostics().size(), 1u) << "one error, reported once";
}

TEST(LexerTest, LineLengthLimit) {
  std::string ok = "# " + std::string(kMaxLineBytes - 2, 'a');
  EXPECT_EQ(errorAt(ok), "<no error>");
  std::string src = "model m\n# " + std::string(kMaxLineBytes, 'a');
  EXPECT_EQ(errorAt(src), "2:65537 expected lines of at most 65536 bytes, "
                          "found a line of 65538 bytes");
}

TEST(LexerTest, TokenLimit) {
  std::string src;
  src.reserve(2 * (kMaxTokens + 1));
  for (size_t i = 0; i <= kMaxTokens; ++i)
    src += (i % 30000 == 29999) ? "\n" : ",";
  auto l = lex(src);
  ASSERT_TRUE(l->diags.hasErrors());
  EXPECT_EQ(l->diags.firstError(),
            "expected at most 4194304 tokens in a model file, found more");
}

TEST(LexerTest, DescribeToken) {
  auto l = lex("abc 3 1.5 \"s\" (\n");
  EXPECT_EQ(describeToken(l->tokens[0]), "'abc'");
  EXPECT_EQ(describeToken(l->tokens[1]), "the integer 3");
  EXPECT_EQ(describeToken(l->tokens[2]), "the number 1.5");
  EXPECT_EQ(describeToken(l->tokens[3]), "the string \"s\"");
  EXPECT_EQ(describeToken(l->tokens[4]), "'('");
  EXPECT_EQ(describeToken(l->tokens[5]), "the end of the line");
  EXPECT_EQ(describeToken(l->tokens[6]), "the end of the file");
}

} // namespace
