// SPDX-License-Identifier: Apache-2.0
//
// The safetensors reader: well-formed files of every loadable dtype (values
// checked against hand-computed ones), one test per rule of the format with
// its exact message, and a no-crash sweep over truncated and corrupted files.

#include "compiler/weights/Safetensors.h"
#include "tests/unit/weights/SafetensorsBuilder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>

using namespace actc::weights;
using namespace actc::weights::testing;

namespace {

constexpr const char *kFile = "w.safetensors";

Expected<SafetensorsFile> parse(const std::string &bytes) {
  return parseSafetensors(kFile, bytes);
}

uint32_t bitsOf(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

/// The message, or a note that there was none (so that EXPECT_EQ on it shows
/// what happened when a bad file was accepted).
std::string errorOf(const Expected<SafetensorsFile> &result) {
  return result ? std::string("<accepted>") : result.error().message;
}

//===----------------------------------------------------------------------===//
// Well-formed files
//===----------------------------------------------------------------------===//

TEST(SafetensorsTest, ReadsF32WithMetadata) {
  std::string bytes = writeTensors(
      {{"fc1.weight", "F32", {2, 3}, f32Bytes({1, -2, 3.5f, 0, 1e-3f, -7})},
       {"fc1.bias", "F32", {2}, f32Bytes({0.25f, -0.5f})}},
      R"({"format":"pt","note":"x"})");
  auto result = parse(bytes);
  ASSERT_TRUE(result) << errorOf(result);
  const SafetensorsFile &file = result.value();
  EXPECT_EQ(file.path, kFile);
  EXPECT_EQ(file.metadata.size(), 2u);
  EXPECT_EQ(file.metadata.at("format"), "pt");
  ASSERT_EQ(file.tensors.size(), 2u);
  const FileTensor &w = file.tensors.at("fc1.weight");
  EXPECT_EQ(w.dtype, "F32");
  EXPECT_TRUE(w.loaded);
  EXPECT_EQ(w.shape, (actc::rules::Shape{2, 3}));
  EXPECT_EQ(w.data, (std::vector<float>{1, -2, 3.5f, 0, 1e-3f, -7}));
  EXPECT_EQ(file.tensors.at("fc1.bias").data,
            (std::vector<float>{0.25f, -0.5f}));
  EXPECT_TRUE(file.notes.empty()); // F32 needs no conversion
}

TEST(SafetensorsTest, ConvertsF16Exactly) {
  // 1, -2, smallest subnormal 2^-24, largest subnormal 1023 * 2^-24,
  // smallest normal 2^-14, largest 65504, +inf, -inf, NaN, -0, and 0x3555 =
  // (1 + 341/1024) * 2^-2 = 0.333251953125.
  std::string bytes =
      writeTensors({{"h",
                     "F16",
                     {11},
                     u16Bytes({0x3C00, 0xC000, 0x0001, 0x03FF, 0x0400, 0x7BFF,
                               0x7C00, 0xFC00, 0x7E00, 0x8000, 0x3555})}});
  auto result = parse(bytes);
  ASSERT_TRUE(result) << errorOf(result);
  const std::vector<float> &v = result.value().tensors.at("h").data;
  ASSERT_EQ(v.size(), 11u);
  EXPECT_EQ(v[0], 1.0f);
  EXPECT_EQ(v[1], -2.0f);
  EXPECT_EQ(v[2], 5.9604644775390625e-08f);  // 2^-24
  EXPECT_EQ(v[3], 6.09755516052246094e-05f); // 1023 * 2^-24
  EXPECT_EQ(v[4], 6.103515625e-05f);         // 2^-14
  EXPECT_EQ(v[5], 65504.0f);
  EXPECT_EQ(v[6], std::numeric_limits<float>::infinity());
  EXPECT_EQ(v[7], -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(v[8]));
  EXPECT_EQ(bitsOf(v[9]), 0x80000000u); // -0 keeps its sign
  EXPECT_EQ(v[10], 0.333251953125f);
  EXPECT_EQ(
      result.value().notes,
      std::vector<std::string>{"w.safetensors: converted 'h' from F16 to F32"});
}

TEST(SafetensorsTest, HalfConversionMatchesDefinitionForAllBitPatterns) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    uint32_t exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
    double sign = (h & 0x8000) ? -1.0 : 1.0;
    float got = halfToFloat(uint16_t(h));
    if (exponent == 0x1f) {
      EXPECT_TRUE(mantissa ? std::isnan(got) : std::isinf(got)) << h;
      continue;
    }
    double want = exponent == 0 ? sign * std::ldexp(double(mantissa), -24)
                                : sign * std::ldexp(double(1024 + mantissa),
                                                    int(exponent) - 25);
    ASSERT_EQ(double(got), want) << "half bits " << h;
    ASSERT_EQ(std::signbit(got), bool(h & 0x8000)) << h;
  }
}

TEST(SafetensorsTest, ConvertsBF16Exactly) {
  // bf16 is the top half of an f32: 1/3 in bf16 is 0x3EAB, which is
  // 0x3EAB0000 = 0.333984375 (the f32 nearest 1/3 is 0x3EAAAAAB, which
  // rounds up to 0x3EAB); -123.5 = 0xC2F7; 2^-133 = 0x0001, a subnormal.
  std::string bytes = writeTensors(
      {{"b",
        "BF16",
        {6},
        u16Bytes({0x3F80, 0x3EAB, 0xC2F7, 0x7F80, 0x7FC0, 0x0001})}});
  auto result = parse(bytes);
  ASSERT_TRUE(result) << errorOf(result);
  const std::vector<float> &v = result.value().tensors.at("b").data;
  EXPECT_EQ(v[0], 1.0f);
  EXPECT_EQ(v[1], 0.333984375f);
  EXPECT_EQ(v[2], -123.5f);
  EXPECT_EQ(v[3], std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(v[4]));
  EXPECT_EQ(v[5], std::ldexp(1.0f, -133));
  EXPECT_EQ(result.value().notes,
            std::vector<std::string>{
                "w.safetensors: converted 'b' from BF16 to F32"});
}

TEST(SafetensorsTest, ConvertsF64RoundingToNearestEven) {
  const double fltMax = 3.4028234663852886e38;
  // Halfway between FLT_MAX and 2^128: the tie goes to even, which is 2^128,
  // that is infinity; just below the tie stays FLT_MAX.
  const double tie = 3.4028235677973366e38;
  const double belowTie = std::nextafter(tie, 0.0);
  const double tinyTie = std::ldexp(1.0, -150); // half of 2^-149: tie to 0
  const double aboveTinyTie = std::nextafter(tinyTie, 1.0);
  std::string bytes =
      writeTensors({{"d",
                     "F64",
                     {11},
                     f64Bytes({1.0, 0.1, -1e300, fltMax, tie, belowTie, tinyTie,
                               aboveTinyTie, 1e-320, std::nan(""),
                               1.0 + std::ldexp(1.0, -24)})}});
  auto result = parse(bytes);
  ASSERT_TRUE(result) << errorOf(result);
  const std::vector<float> &v = result.value().tensors.at("d").data;
  EXPECT_EQ(v[0], 1.0f);
  EXPECT_EQ(bitsOf(v[1]), 0x3DCCCCCDu); // 0.1 rounds up
  EXPECT_EQ(v[2], -std::numeric_limits<float>::infinity());
  EXPECT_EQ(v[3], std::numeric_limits<float>::max());
  EXPECT_EQ(v[4], std::numeric_limits<float>::infinity());
  EXPECT_EQ(v[5], std::numeric_limits<float>::max());
  EXPECT_EQ(bitsOf(v[6]), 0u);
  EXPECT_EQ(bitsOf(v[7]), 1u); // the smallest subnormal
  EXPECT_EQ(bitsOf(v[8]), 0u); // an f64 subnormal
  EXPECT_TRUE(std::isnan(v[9]));
  EXPECT_EQ(v[10], 1.0f); // 1 + 2^-24 is a tie between 1 and 1 + 2^-23
  EXPECT_EQ(
      result.value().notes,
      std::vector<std::string>{"w.safetensors: converted 'd' from F64 to F32"});
}

TEST(SafetensorsTest, DoubleConversionAgreesWithTheHardwareInRange) {
  // In range, a cast is defined (and IEEE hardware rounds to nearest even),
  // so it is an independent reference. Random bit patterns cover normals,
  // values that land on f32 subnormals, and ties are covered above.
  uint64_t state = 12345;
  for (int i = 0; i < 200000; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    uint64_t bits = state;
    // Bias exponents towards the f32 range: 896..1151 is f32's range.
    uint64_t exponent = 860 + ((state >> 33) % 300);
    bits = (bits & 0x800fffffffffffffull) | (exponent << 52);
    double d;
    std::memcpy(&d, &bits, 8);
    if (std::fabs(d) > double(std::numeric_limits<float>::max()))
      continue;
    ASSERT_EQ(bitsOf(doubleToFloat(d)), bitsOf(static_cast<float>(d)))
        << "double " << d;
  }
}

TEST(SafetensorsTest, GroupsConversionNotesByDtype) {
  std::string bytes = writeTensors({{"b", "F16", {1}, u16Bytes({0x3C00})},
                                    {"a", "F16", {1}, u16Bytes({0x3C00})},
                                    {"c", "F32", {1}, f32Bytes({1})}});
  auto result = parse(bytes);
  ASSERT_TRUE(result) << errorOf(result);
  EXPECT_EQ(result.value().notes,
            std::vector<std::string>{"w.safetensors: converted 2 tensors from "
                                     "F16 to F32: 'a', 'b'"});
}

TEST(SafetensorsTest, AcceptsAnEmptyTensorList) {
  auto result = parse(makeFile("{}"));
  ASSERT_TRUE(result) << errorOf(result);
  EXPECT_TRUE(result.value().tensors.empty());
  EXPECT_TRUE(result.value().metadata.empty());

  auto padded = parse(makeFile(R"({"__metadata__":{}}    )"));
  ASSERT_TRUE(padded) << errorOf(padded);
  EXPECT_TRUE(padded.value().tensors.empty());
}

TEST(SafetensorsTest, AcceptsZeroSizedDimensionsAndScalars) {
  // The format allows a zero dimension: such a tensor holds no bytes, and
  // its offsets [k, k] sit anywhere in the contiguous run.
  std::string bytes = writeTensors({{"empty", "F32", {0}, ""},
                                    {"s", "F32", {}, f32Bytes({4.5f})},
                                    {"mid", "F16", {3, 0}, ""},
                                    {"v", "F32", {2}, f32Bytes({1, 2})}});
  auto result = parse(bytes);
  ASSERT_TRUE(result) << errorOf(result);
  const auto &tensors = result.value().tensors;
  EXPECT_EQ(tensors.at("empty").shape, (actc::rules::Shape{0}));
  EXPECT_TRUE(tensors.at("empty").data.empty());
  EXPECT_TRUE(tensors.at("empty").loaded);
  EXPECT_EQ(tensors.at("mid").shape, (actc::rules::Shape{3, 0}));
  EXPECT_EQ(tensors.at("s").shape, actc::rules::Shape{});
  EXPECT_EQ(tensors.at("s").data, std::vector<float>{4.5f});
  EXPECT_EQ(tensors.at("v").data, (std::vector<float>{1, 2}));
}

TEST(SafetensorsTest, RecordsOtherDtypesWithoutLoadingThem) {
  // PyTorch's BatchNorm saves an I64 counter; the file is valid, and only a
  // model that reads such a tensor fails (see BindingTest).
  std::string bytes =
      writeTensors({{"bn.num_batches_tracked", "I64", {}, leBytes(7, 8)},
                    {"mask", "BOOL", {3}, std::string("\1\0\1", 3)},
                    {"q", "F4", {4}, std::string("\x12\x34", 2)},
                    {"w", "F32", {1}, f32Bytes({2})}});
  auto result = parse(bytes);
  ASSERT_TRUE(result) << errorOf(result);
  const FileTensor &counter =
      result.value().tensors.at("bn.num_batches_tracked");
  EXPECT_FALSE(counter.loaded);
  EXPECT_EQ(counter.dtype, "I64");
  EXPECT_TRUE(counter.data.empty());
  EXPECT_FALSE(result.value().tensors.at("mask").loaded);
  EXPECT_TRUE(result.value().tensors.at("w").loaded);
}

TEST(SafetensorsTest, ReadsNamesWithEscapesAndUnicode) {
  std::string header =
      R"({"caf\u00e9.w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
      "\"\xE5\xB1\x82.b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,"
      "8]}}";
  auto result = parse(makeFile(header, f32Bytes({1, 2})));
  ASSERT_TRUE(result) << errorOf(result);
  EXPECT_EQ(result.value().tensors.at("caf\xC3\xA9.w").data,
            std::vector<float>{1});
  EXPECT_EQ(result.value().tensors.at("\xE5\xB1\x82.b").data,
            std::vector<float>{2});
}

TEST(SafetensorsTest, ReadsFromDisk) {
  std::string path = ::testing::TempDir() + "actc_weights_test.safetensors";
  {
    std::ofstream out(path, std::ios::binary);
    out << writeTensors({{"a", "F32", {2}, f32Bytes({3, 4})}});
  }
  auto result = readSafetensorsFile(path);
  ASSERT_TRUE(result) << errorOf(result);
  EXPECT_EQ(result.value().path, path);
  EXPECT_EQ(result.value().tensors.at("a").data, (std::vector<float>{3, 4}));

  { // The same checks apply on disk: cut the last byte off.
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    std::string bytes = writeTensors({{"a", "F32", {2}, f32Bytes({3, 4})}});
    out << bytes.substr(0, bytes.size() - 1);
  }
  EXPECT_EQ(errorOf(readSafetensorsFile(path)),
            path + ": tensor 'a': data_offsets [0, 8] end past the end of the "
                   "file, which holds 7 bytes of data after the header "
                   "(truncated?)");
  std::remove(path.c_str());
}

TEST(SafetensorsTest, ReportsFilesThatCannotBeRead) {
  std::string missing = ::testing::TempDir() + "actc_no_such_file.safetensors";
  EXPECT_EQ(errorOf(readSafetensorsFile(missing)),
            missing + ": cannot open the weights file: No such file or "
                      "directory");
  std::string dir = ::testing::TempDir();
  EXPECT_EQ(errorOf(readSafetensorsFile(dir)), dir + ": not a regular file");
}

TEST(SafetensorsTest, QuotesHostileNames) {
  EXPECT_EQ(quoteName("fc1.weight"), "'fc1.weight'");
  EXPECT_EQ(quoteName(std::string("a\0b\x1b[31m", 8)), "'a\\x00b\\x1B[31m'");
  EXPECT_EQ(quoteName("caf\xC3\xA9"), "'caf\xC3\xA9'");
  EXPECT_EQ(quoteName("bad\xFF\xC3"), "'bad\\xFF\\xC3'");
}

//===----------------------------------------------------------------------===//
// Malformed files: one rule each, with the exact message
//===----------------------------------------------------------------------===//

struct Malformed {
  const char *name;
  std::string bytes;
  std::string message; // without the "w.safetensors: " prefix
};

/// A header with one F32 tensor 'a' of [1] at [0, 4], its entry replaced by
/// `entry`, and 4 bytes of data.
std::string oneEntry(const std::string &entry, size_t dataBytes = 4) {
  return makeFile("{\"a\":" + entry + "}", std::string(dataBytes, '\0'));
}

std::vector<Malformed> malformedFiles() {
  const std::string data8(8, '\0');
  std::string deepRank = "[";
  for (int i = 0; i < 65; ++i)
    deepRank += i ? ",1" : "1";
  deepRank += "]";
  return {
      {"FileShorterThan8Bytes", "\1\2\3\4\5",
       "the file is 5 bytes, too short for the 8-byte header length that "
       "starts a safetensors file"},
      {"EmptyFile", "",
       "the file is 0 bytes, too short for the 8-byte header length that "
       "starts a safetensors file"},
      {"HeaderLengthPastEndOfFile", makeFileWithLength(100, "{}"),
       "header length is 100 bytes, but only 2 bytes follow the length field"},
      {"HeaderLengthOver100MB", makeFileWithLength(100'000'001, "{}"),
       "header length is 100000001 bytes, more than the format's limit of "
       "100000000"},
      {"HeaderLengthMaxU64", makeFileWithLength(~uint64_t(0), "{}"),
       "header length is 18446744073709551615 bytes, more than the format's "
       "limit of 100000000"},
      {"HeaderLengthZero", makeFileWithLength(0, ""),
       "header length is 0, expected a JSON object"},
      {"HeaderNotJson", makeFile("hello"),
       "header is not valid JSON: parse error at line 1, column 1: syntax "
       "error while parsing value - invalid literal; last read: 'h'"},
      {"HeaderJsonButNotObject", makeFile("[1, 2]"),
       "header is an array, expected a JSON object"},
      {"HeaderJsonNumber", makeFile("42"),
       "header is 42, expected a JSON object"},
      {"HeaderTruncatedJson", makeFile(R"({"a":{"dtype":"F32")"),
       "header is not valid JSON: parse error at line 1, column 20: syntax "
       "error while parsing object - unexpected end of input; expected '}'"},
      {"HeaderTrailingGarbage", makeFile("{} x"),
       "header is not valid JSON: parse error at line 1, column 4: syntax "
       "error while parsing value - invalid literal; last read: '{} x'; "
       "expected end of input"},
      {"HeaderLeadingSpace", makeFile(" {}"),
       "header starts with byte 0x20, expected '{' (padding is allowed only "
       "after the JSON)"},
      {"HeaderByteOrderMark", makeFile("\xEF\xBB\xBF{}"),
       "header starts with byte 0xEF, expected '{' (padding is allowed only "
       "after the JSON)"},
      {"EntryNotObject", makeFile(R"({"a":5})"),
       "tensor 'a': entry is 5, expected an object with dtype, shape and "
       "data_offsets"},
      {"EntryIsArray", makeFile(R"({"a":[[[[[[]]]]]]})"),
       "tensor 'a': entry is an array, expected an object with dtype, shape "
       "and data_offsets"},
      {"MissingDtype", oneEntry(R"({"shape":[1],"data_offsets":[0,4]})"),
       "tensor 'a': entry has no dtype (expected dtype, shape and "
       "data_offsets)"},
      {"MissingShape", oneEntry(R"({"dtype":"F32","data_offsets":[0,4]})"),
       "tensor 'a': entry has no shape (expected dtype, shape and "
       "data_offsets)"},
      {"MissingDataOffsets", oneEntry(R"({"dtype":"F32","shape":[1]})"),
       "tensor 'a': entry has no data_offsets (expected dtype, shape and "
       "data_offsets)"},
      {"UnexpectedKey",
       oneEntry(R"({"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1})"),
       "tensor 'a': unexpected key 'x', expected only dtype, shape and "
       "data_offsets"},
      {"DuplicateKeyInEntry",
       oneEntry(
           R"({"dtype":"F32","dtype":"F16","shape":[1],"data_offsets":[0,4]})"),
       "tensor 'a': dtype appears twice"},
      {"DtypeNotString",
       oneEntry(R"({"dtype":32,"shape":[1],"data_offsets":[0,4]})"),
       "tensor 'a': dtype is 32, expected a string"},
      {"ShapeNotArray",
       oneEntry(R"({"dtype":"F32","shape":1,"data_offsets":[0,4]})"),
       "tensor 'a': shape is 1, expected an array of unsigned integers"},
      {"NegativeShapeEntry",
       oneEntry(R"({"dtype":"F32","shape":[2,-3],"data_offsets":[0,4]})"),
       "tensor 'a': shape entry 1 is -3, expected an unsigned integer"},
      {"FloatShapeEntry",
       oneEntry(R"({"dtype":"F32","shape":[2.5],"data_offsets":[0,4]})"),
       "tensor 'a': shape entry 0 is 2.5, expected an unsigned integer"},
      {"StringShapeEntry",
       oneEntry(R"({"dtype":"F32","shape":["1"],"data_offsets":[0,4]})"),
       "tensor 'a': shape entry 0 is a string, expected an unsigned integer"},
      {"ShapeEntryOverLimit",
       oneEntry(
           R"({"dtype":"F32","shape":[2199023255552],"data_offsets":[0,4]})"),
       "tensor 'a': shape entry 0 is 2199023255552, more than the limit of "
       "1099511627776 elements"},
      {"ShapeRankOver64",
       oneEntry(R"({"dtype":"F32","shape":)" + deepRank +
                R"(,"data_offsets":[0,4]})"),
       "tensor 'a': shape has more than 64 dimensions"},
      {"ShapeProductOverflow",
       oneEntry(
           R"({"dtype":"F32","shape":[1099511627776,1099511627776],"data_offsets":[0,4]})"),
       "tensor 'a': shape [1099511627776, 1099511627776] has more than "
       "1099511627776 elements"},
      {"DataOffsetsThreeEntries",
       oneEntry(R"({"dtype":"F32","shape":[1],"data_offsets":[0,4,8]})"),
       "tensor 'a': data_offsets has 3 entries, expected 2 ([begin, end])"},
      {"DataOffsetsOneEntry",
       oneEntry(R"({"dtype":"F32","shape":[1],"data_offsets":[4]})"),
       "tensor 'a': data_offsets has 1 entry, expected 2 ([begin, end])"},
      {"DataOffsetsPast64Bits",
       oneEntry(
           R"({"dtype":"F32","shape":[1],"data_offsets":[0,18446744073709551616]})"),
       "tensor 'a': data_offsets entry 1 is 18446744073709551616, which does "
       "not fit in 64 bits"},
      {"DataOffsetsBeginAfterEnd",
       oneEntry(R"({"dtype":"F32","shape":[1],"data_offsets":[8,4]})"),
       "tensor 'a': data_offsets [8, 4] begin after they end"},
      {"ByteLengthMismatch",
       makeFile(
           R"({"fc1.weight":{"dtype":"F32","shape":[10,20],"data_offsets":[0,400]}})",
           std::string(400, '\0')),
       "tensor 'fc1.weight': data_offsets [0, 400] hold 400 bytes, but F32 "
       "[10, 20] needs 800"},
      {"SubByteDtypeOddCount",
       oneEntry(R"({"dtype":"F4","shape":[3],"data_offsets":[0,1]})", 1),
       "tensor 'a': F4 [3] is 12 bits, not a whole number of bytes"},
      {"UnknownDtype",
       oneEntry(R"({"dtype":"F33","shape":[1],"data_offsets":[0,4]})"),
       "tensor 'a': unknown dtype 'F33' (actc reads F32, F16, BF16 and F64)"},
      {"OverlappingOffsets",
       makeFile(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                std::string(12, '\0')),
       "tensor 'b': data_offsets [4, 12] overlap tensor 'a' (data_offsets "
       "[0, 8])"},
      {"GapBetweenOffsets",
       makeFile(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                R"("b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})",
                std::string(12, '\0')),
       "tensor 'b': data_offsets [8, 12] leave a gap of 4 bytes after tensor "
       "'a' (which ends at 4)"},
      {"DataNotStartingAtZero",
       oneEntry(R"({"dtype":"F32","shape":[1],"data_offsets":[4,8]})", 8),
       "tensor 'a': data_offsets [4, 8] start at 4, but the data must start "
       "at 0 (no tensor starts there)"},
      {"TrailingBytesAfterLastTensor",
       oneEntry(R"({"dtype":"F32","shape":[1],"data_offsets":[0,4]})", 6),
       "2 trailing bytes after the last tensor: tensor 'a' ends at 4, but "
       "the file holds 6 bytes of data after the header"},
      {"DataPastEndOfFile",
       oneEntry(R"({"dtype":"F32","shape":[2],"data_offsets":[0,8]})", 4),
       "tensor 'a': data_offsets [0, 8] end past the end of the file, which "
       "holds 4 bytes of data after the header (truncated?)"},
      {"NoTensorsButData", makeFile("{}", data8),
       "the header lists no tensors, but 8 bytes of data follow it"},
      {"DuplicateTensorNames",
       makeFile(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                R"("a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                data8),
       "tensor 'a' appears twice in the header"},
      {"InvalidUtf8InName",
       makeFile("{\"a\xFF\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":["
                "0,4]}}",
                std::string(4, '\0')),
       "header is not valid UTF-8: byte 0xFF at offset 3 of the header"},
      {"OverlongUtf8InName",
       makeFile("{\"\xC0\xAF\":{\"dtype\":\"F32\",\"shape\":[1],\"data_"
                "offsets\":[0,4]}}",
                std::string(4, '\0')),
       "header is not valid UTF-8: byte 0xC0 at offset 2 of the header"},
      {"LoneSurrogateEscapeInName",
       makeFile(
           R"({"\ud800":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})",
           std::string(4, '\0')),
       "header is not valid JSON: parse error at line 1, column 9: syntax "
       "error while parsing object key - invalid string: surrogate "
       "U+D800..U+DBFF must be followed by U+DC00..U+DFFF; last read: "
       "'\"\\ud800\"'; expected string literal"},
      {"MetadataNotObject", makeFile(R"({"__metadata__":["pt"]})"),
       "__metadata__ is an array, expected an object of strings"},
      {"MetadataValueNotString", makeFile(R"({"__metadata__":{"format":1}})"),
       "__metadata__ value of 'format' is 1, expected a string"},
      {"MetadataTwice", makeFile(R"({"__metadata__":{},"__metadata__":{}})"),
       "__metadata__ appears twice"},
      {"MetadataDuplicateKey",
       makeFile(R"({"__metadata__":{"k":"a","k":"b"}})"),
       "__metadata__ has the key 'k' twice"},
  };
}

/// Names the case in gtest's output rather than dumping its bytes.
void PrintTo(const Malformed &c, std::ostream *os) { *os << c.name; }

class MalformedTest : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedTest, IsRejectedWithItsMessage) {
  const Malformed &c = GetParam();
  EXPECT_EQ(errorOf(parse(c.bytes)), std::string(kFile) + ": " + c.message);
}

INSTANTIATE_TEST_SUITE_P(Safetensors, MalformedTest,
                         ::testing::ValuesIn(malformedFiles()),
                         [](const ::testing::TestParamInfo<Malformed> &info) {
                           return std::string(info.param.name);
                         });

TEST(SafetensorsTest, DeepNestingDoesNotRecurse) {
  // nlohmann's parser is iterative, and the reader stops at the first
  // unexpected value, so a million brackets are one cheap error.
  std::string header(1'000'000, '[');
  EXPECT_EQ(errorOf(parse(makeFile(header))),
            "w.safetensors: header is an array, expected a JSON object");
  std::string inEntry = R"({"a":{"dtype":)" + std::string(1'000'000, '{');
  EXPECT_EQ(errorOf(parse(makeFile(inEntry))),
            "w.safetensors: tensor 'a': dtype is an object, expected a string");
}

//===----------------------------------------------------------------------===//
// No input crashes the reader
//===----------------------------------------------------------------------===//

/// Checks what an accepted file promises: loaded tensors hold exactly their
/// shape's element count.
void expectConsistent(const Expected<SafetensorsFile> &result) {
  if (!result) {
    const std::string &message = result.error().message;
    EXPECT_EQ(message.rfind(std::string(kFile) + ": ", 0), 0u) << message;
    return;
  }
  for (const auto &[name, tensor] : result.value().tensors) {
    uint64_t elements = 1;
    for (int64_t dim : tensor.shape) {
      ASSERT_GE(dim, 0);
      elements *= uint64_t(dim);
    }
    EXPECT_EQ(tensor.loaded ? elements : 0, tensor.data.size()) << name;
  }
}

std::string smallValidFile() {
  return writeTensors(
      {{"conv.weight", "F32", {2, 1, 1, 2}, f32Bytes({1, 2, 3, 4})},
       {"conv.bias", "F16", {2}, u16Bytes({0x3C00, 0x0001})},
       {"bn.num_batches_tracked", "I64", {}, leBytes(3, 8)}},
      R"({"format":"pt"})");
}

TEST(SafetensorsFuzzTest, EveryTruncationIsAnError) {
  std::string bytes = smallValidFile();
  ASSERT_TRUE(parse(bytes));
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto result = parse(bytes.substr(0, n));
    EXPECT_FALSE(result) << "a prefix of " << n << " bytes was accepted";
    expectConsistent(result);
  }
}

TEST(SafetensorsFuzzTest, RandomByteChangesNeverCrash) {
  std::string original = smallValidFile();
  uint64_t state = 0x5eed;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  };
  int accepted = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string bytes = original;
    int changes = 1 + int(next() % 3);
    for (int k = 0; k < changes; ++k) {
      // Mostly hit the length field and header, where the rules are.
      size_t at = next() % (i % 2 ? bytes.size() : 8 + (bytes.size() - 8) / 2);
      bytes[at] = char(next() % 4 ? next() & 0xff : uint8_t(bytes[at]) ^ 0x80);
    }
    auto result = parse(bytes);
    expectConsistent(result);
    // Deterministic: the same bytes give the same answer.
    auto again = parse(bytes);
    ASSERT_EQ(bool(result), bool(again));
    if (!result) {
      ASSERT_EQ(result.error().message, again.error().message);
    }
    accepted += bool(result);
  }
  // Flips in the data section keep the file valid: the sweep must reach
  // both outcomes, or it is not testing anything.
  EXPECT_GT(accepted, 0);
  EXPECT_LT(accepted, 4000);
}

} // namespace
