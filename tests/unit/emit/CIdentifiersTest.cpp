// SPDX-License-Identifier: Apache-2.0
//
// The identifier rule of docs/c-api.md: every name a model can hold becomes
// a valid, unreserved C/C++ identifier, and one model's names stay distinct
// after upper-casing (macros).

#include "compiler/backend/emit/CIdentifiers.h"

#include <gtest/gtest.h>

#include <set>

using namespace actc::emit;
using actc::backend::ModelInterface;
using actc::backend::TensorDecl;

namespace {

bool isValidUnreserved(const std::string &id) {
  if (id.empty() || !(std::isalpha(static_cast<unsigned char>(id[0]))))
    return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
      return false;
  return id.find("__") == std::string::npos && id.back() != '_' &&
         !isReservedWord(id);
}

TensorDecl tensor(const std::string &name) { return {name, {4}, {""}}; }

} // namespace

TEST(CIdentifiers, PlainNamesAreKept) {
  EXPECT_EQ(sanitizeIdentifierBase("mlp"), "mlp");
  EXPECT_EQ(sanitizeIdentifierBase("conv1_weight"), "conv1_weight");
  EXPECT_EQ(modelIdentifier("MobileNet"), "MobileNet");
}

TEST(CIdentifiers, OtherCharactersBecomeOneUnderscore) {
  EXPECT_EQ(sanitizeIdentifierBase("conv1.weight"), "conv1_weight");
  EXPECT_EQ(sanitizeIdentifierBase("a-b c"), "a_b_c");
  EXPECT_EQ(sanitizeIdentifierBase("a..--b"), "a_b");
  EXPECT_EQ(sanitizeIdentifierBase("x__y"), "x_y");
  EXPECT_EQ(sanitizeIdentifierBase("caf\xc3\xa9"), "caf");
  EXPECT_EQ(sanitizeIdentifierBase("a\"); system(\"rm"), "a_system_rm");
  EXPECT_EQ(sanitizeIdentifierBase("x*/ #define y"), "x_define_y");
}

TEST(CIdentifiers, ReservedUnderscoreFormsAreRemoved) {
  EXPECT_EQ(sanitizeIdentifierBase("_X"), "X");
  EXPECT_EQ(sanitizeIdentifierBase("__init__"), "init");
  EXPECT_EQ(sanitizeIdentifierBase("a__b"), "a_b");
  EXPECT_EQ(sanitizeIdentifierBase("trailing_"), "trailing");
}

TEST(CIdentifiers, EmptyAndDigitsFirst) {
  EXPECT_EQ(sanitizeIdentifierBase(""), "unnamed");
  EXPECT_EQ(sanitizeIdentifierBase("___"), "unnamed");
  EXPECT_EQ(sanitizeIdentifierBase("..."), "unnamed");
  EXPECT_EQ(sanitizeIdentifierBase("3x3"), "n_3x3");
  EXPECT_EQ(modelIdentifier("2024-model"), "n_2024_model");
}

TEST(CIdentifiers, LongNamesAreCut) {
  std::string id = sanitizeIdentifierBase(std::string(200, 'a'));
  EXPECT_EQ(id.size(), kMaxIdentifierLength);
  std::string cut = sanitizeIdentifierBase(std::string(39, 'a') + "_bbb");
  EXPECT_EQ(cut, std::string(39, 'a')); // no trailing '_' after the cut
}

TEST(CIdentifiers, KeywordsGetASuffix) {
  for (const char *kw : {"int", "for", "_Bool", "restrict", "class", "new",
                         "delete", "and", "bool", "NULL", "errno", "stdin",
                         "linux", "int64_t", "true", "template"}) {
    std::string id = modelIdentifier(kw);
    EXPECT_TRUE(isValidUnreserved(id)) << kw << " -> " << id;
  }
  EXPECT_EQ(modelIdentifier("int"), "int_x");
  EXPECT_EQ(modelIdentifier("class"), "class_x");
  EXPECT_EQ(modelIdentifier("_Bool"), "Bool"); // no longer reserved
  EXPECT_EQ(modelIdentifier("Int"), "Int");    // case matters to C
}

TEST(CIdentifiers, RuntimeNamespacesGetAPrefix) {
  EXPECT_EQ(modelIdentifier("actc"), "m_actc");
  EXPECT_EQ(modelIdentifier("ACTC_net"), "m_ACTC_net");
  EXPECT_EQ(modelIdentifier("halide"), "m_halide");
  EXPECT_EQ(modelIdentifier("actcnet"), "actcnet");
}

TEST(CIdentifiers, TensorNamesAreUniqueIgnoringCase) {
  ModelInterface m;
  m.modelName = "net";
  m.dynamicDims = {"batch", "Batch"};
  m.inputs = {tensor("x"), tensor("X"), tensor("x_2"), tensor("xY"),
              tensor("xy")};
  m.outputs = {tensor("x"), tensor("model"), tensor("int"), tensor("y.1"),
               tensor("y_1")};
  CNames n = assignCNames(m);
  EXPECT_EQ(n.dynamicDims, (std::vector<std::string>{"batch", "Batch_2"}));
  EXPECT_EQ(n.inputs,
            (std::vector<std::string>{"x", "X_2", "x_2_2", "xY", "xy_2"}));
  EXPECT_EQ(n.outputs, (std::vector<std::string>{"x_3", "model_x", "int_x",
                                                 "y_1", "y_1_2"}));
  std::set<std::string> upper;
  for (const auto *list : {&n.dynamicDims, &n.inputs, &n.outputs})
    for (const std::string &id : *list) {
      EXPECT_TRUE(isValidUnreserved(id)) << id;
      EXPECT_TRUE(upper.insert(macroName(id)).second) << id;
    }
  EXPECT_EQ(n.inputMacros[1], "X_2");
  EXPECT_EQ(n.outputMacros[0], "X_3");
}

TEST(CIdentifiers, ModelMacroPrefix) {
  ModelInterface a, b;
  a.modelName = "net";
  b.modelName = "Net";
  CNames na = assignCNames(a), nb = assignCNames(b);
  EXPECT_EQ(na.model, "net");
  EXPECT_EQ(nb.model, "Net");
  // The same macro prefix: the headers refuse to be included together (the
  // e2e test checks the #error); functions and files differ.
  EXPECT_EQ(na.macroPrefix, "NET");
  EXPECT_EQ(nb.macroPrefix, "NET");
}

TEST(CIdentifiers, CommentAndStringEscapes) {
  EXPECT_EQ(commentSafe("a*/b"), "a??b");
  EXPECT_EQ(commentSafe("x\ny\\"), "x?y?");
  EXPECT_EQ(commentSafe("fc1.weight[0]"), "fc1.weight[0]");
  EXPECT_EQ(cStringLiteral("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(cStringLiteral("?\?="), "\"\\?\\?=\"");
  EXPECT_EQ(cStringLiteral("\n\xff"), "\"\\012\\377\"");
}
