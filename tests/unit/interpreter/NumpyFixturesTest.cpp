// SPDX-License-Identifier: Apache-2.0
//
// The interpreter against NumPy. fixtures/make_fixtures.py (run with
// Debian's /usr/bin/python3, which has NumPy) writes, per case, the IR
// (CASE.mlir), its inputs (CASE.in<i>.npy, float32) and NumPy's float64
// results (CASE.out<i>.npy); this test runs every CASE.mlir it finds and
// compares. Both sides compute in double from the same float32 inputs, so
// the tolerance is a few double ULPs (libm and NumPy's own exp/log differ
// in the last bit); NaN positions must agree exactly. The fixtures also
// exercise the .npy reader on files NumPy wrote.

#include "compiler/support/Npy.h"
#include "tests/unit/interpreter/InterpTestUtil.h"

#include "mlir/Parser/Parser.h"

#include <algorithm>
#include <filesystem>

using namespace actc::interp;

namespace {

std::vector<std::string> listCases() {
  std::vector<std::string> cases;
  std::error_code ec;
  for (const auto &entry :
       std::filesystem::directory_iterator(ACTC_INTERP_FIXTURES, ec))
    if (entry.path().extension() == ".mlir")
      cases.push_back(entry.path().stem().string());
  std::sort(cases.begin(), cases.end());
  return cases;
}

std::string fixture(const std::string &name) {
  return std::string(ACTC_INTERP_FIXTURES) + "/" + name;
}

class NumpyFixtureTest : public ::testing::TestWithParam<std::string> {};

TEST_P(NumpyFixtureTest, MatchesNumpy) {
  const std::string &name = GetParam();
  actc::interp::testing::InterpFixture f;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(fixture(name + ".mlir"),
                                            &f.context);
  ASSERT_TRUE(module) << f.diagnostics;
  auto func = *module->getOps<mlir::func::FuncOp>().begin();

  std::vector<Tensor> inputs;
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    actc::npy::NpyResult in = actc::npy::readNpyFile(
        fixture(name + ".in" + std::to_string(i) + ".npy"));
    ASSERT_TRUE(in.ok()) << in.error;
    inputs.emplace_back(in.array->shape, in.array->data);
  }
  mlir::FailureOr<std::vector<Tensor>> results = f.interp.run(func, inputs);
  ASSERT_TRUE(mlir::succeeded(results)) << f.diagnostics;
  ASSERT_EQ(results->size(), func.getNumResults());
  for (unsigned i = 0; i < results->size(); ++i) {
    actc::npy::NpyResult out = actc::npy::readNpyFile(
        fixture(name + ".out" + std::to_string(i) + ".npy"));
    ASSERT_TRUE(out.ok()) << out.error;
    Tensor expected(out.array->shape, out.array->data);
    Comparison c = compareTensors(expected, (*results)[i], {1e-14, 1e-12});
    EXPECT_TRUE(c.shapesMatch)
        << "result " << i << ": shape " << formatShape((*results)[i].shape)
        << ", NumPy " << formatShape(expected.shape);
    EXPECT_TRUE(c.ok()) << "result " << i << ": " << c.summary(expected.shape);
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, NumpyFixtureTest,
                         ::testing::ValuesIn(listCases()),
                         [](const ::testing::TestParamInfo<std::string> &info) {
                           return info.param;
                         });

TEST(NumpyFixtureListTest, FixturesArePresent) {
  EXPECT_GE(listCases().size(), 20u) << "fixtures in " << ACTC_INTERP_FIXTURES;
}

} // namespace
