// SPDX-License-Identifier: Apache-2.0
//
// The strict .npy reader and the writer: good files of every accepted
// version and dtype (values checked by hand), and malformed files, each with
// its exact message. The bytes are built here, not by NumPy, so every case
// says precisely what is wrong with it.

#include "compiler/support/Npy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

using namespace actc::npy;

namespace {

/// A .npy file: magic, version, little-endian header length, header, data.
std::string npyBytes(const std::string &header, const std::string &data,
                     int major = 1) {
  std::string out("\x93NUMPY", 6);
  out += char(major);
  out += char(0);
  size_t n = header.size();
  out += char(n & 0xff);
  out += char((n >> 8) & 0xff);
  if (major >= 2) {
    out += char((n >> 16) & 0xff);
    out += char((n >> 24) & 0xff);
  }
  return out + header + data;
}

std::string f32Data(const std::vector<float> &values, bool big = false) {
  std::string out;
  for (float f : values) {
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    for (int i = 0; i < 4; ++i)
      out += char((bits >> (8 * (big ? 3 - i : i))) & 0xff);
  }
  return out;
}

std::string f64Data(const std::vector<double> &values) {
  std::string out;
  for (double d : values) {
    uint64_t bits;
    std::memcpy(&bits, &d, 8);
    for (int i = 0; i < 8; ++i)
      out += char((bits >> (8 * i)) & 0xff);
  }
  return out;
}

std::string header(const std::string &dict) { return dict + "\n"; }

const std::string kGood23 =
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";

/// The message of reading `bytes` as "t.npy" (fails the test if it reads).
std::string errorOf(const std::string &bytes) {
  NpyResult r = parseNpy(bytes, "t.npy");
  EXPECT_FALSE(r.ok());
  return r.error;
}

//===----------------------------------------------------------------------===//
// Good files
//===----------------------------------------------------------------------===//

TEST(NpyTest, ReadsVersion1Float32) {
  NpyResult r = parseNpy(
      npyBytes(header(kGood23), f32Data({1, 2, 3, 4, 5, -0.5f})), "t.npy");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.array->shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(r.array->data, (std::vector<double>{1, 2, 3, 4, 5, -0.5}));
  EXPECT_TRUE(r.notes.empty());
}

TEST(NpyTest, ReadsVersions2And3) {
  for (int major : {2, 3}) {
    NpyResult r = parseNpy(
        npyBytes(header("{\"descr\": \"<f4\", \"fortran_order\": False, "
                        "\"shape\": (1,)}"),
                 f32Data({7}), major),
        "t.npy");
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.array->data, (std::vector<double>{7}));
  }
}

TEST(NpyTest, ReadsScalarsAndEmptyArrays) {
  NpyResult scalar = parseNpy(
      npyBytes(header("{'descr': '<f4', 'fortran_order': False, 'shape': ()}"),
               f32Data({2.5f})),
      "t.npy");
  ASSERT_TRUE(scalar.ok()) << scalar.error;
  EXPECT_TRUE(scalar.array->shape.empty());
  EXPECT_EQ(scalar.array->data, (std::vector<double>{2.5}));
  NpyResult empty =
      parseNpy(npyBytes(header("{'descr': '<f4', 'fortran_order': False, "
                               "'shape': (0, 4294967296)}"),
                        ""),
               "t.npy");
  ASSERT_TRUE(empty.ok()) << empty.error;
  EXPECT_TRUE(empty.array->data.empty());
}

TEST(NpyTest, ConvertsFloat64WithANote) {
  NpyResult r = parseNpy(
      npyBytes(
          header("{'descr': '<f8', 'fortran_order': False, 'shape': (2,)}"),
          f64Data({0.1, -1e300})),
      "t.npy");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.array->data, (std::vector<double>{0.1, -1e300}));
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_EQ(r.notes[0], "t.npy: converting float64 ('<f8') to float32");
  std::vector<float> f = toFloat32(*r.array);
  EXPECT_EQ(f[0], 0.1f);
  EXPECT_TRUE(std::isinf(f[1]) && f[1] < 0);
}

TEST(NpyTest, ConvertsBigEndianAndHalf) {
  NpyResult big = parseNpy(
      npyBytes(
          header("{'descr': '>f4', 'fortran_order': False, 'shape': (2,)}"),
          f32Data({1.5f, -2}, /*big=*/true)),
      "t.npy");
  ASSERT_TRUE(big.ok()) << big.error;
  EXPECT_EQ(big.array->data, (std::vector<double>{1.5, -2}));
  EXPECT_EQ(big.notes[0],
            "t.npy: converting float32 big-endian ('>f4') to float32");
  // 0x3c00 = 1, 0xc000 = -2, 0x0001 = 2^-24, 0x7c00 = inf, 0x7e00 = nan.
  std::string half =
      std::string("\x00\x3c\x00\xc0\x01\x00\x00\x7c\x00\x7e", 10);
  NpyResult h = parseNpy(
      npyBytes(
          header("{'descr': '<f2', 'fortran_order': False, 'shape': (5,)}"),
          half),
      "t.npy");
  ASSERT_TRUE(h.ok()) << h.error;
  EXPECT_EQ(h.array->data[0], 1.0);
  EXPECT_EQ(h.array->data[1], -2.0);
  EXPECT_EQ(h.array->data[2], std::ldexp(1.0, -24));
  EXPECT_TRUE(std::isinf(h.array->data[3]));
  EXPECT_TRUE(std::isnan(h.array->data[4]));
}

TEST(NpyTest, TransposesFortranOrder) {
  // Column-major [[1, 2, 3], [4, 5, 6]] is 1 4 2 5 3 6.
  NpyResult r = parseNpy(
      npyBytes(
          header("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3)}"),
          f32Data({1, 4, 2, 5, 3, 6})),
      "t.npy");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.array->data, (std::vector<double>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(r.notes.back(), "t.npy: transposing Fortran-order data to C order");
}

TEST(NpyTest, WriterRoundTrips) {
  std::vector<float> values = {1, -0.0f, INFINITY, NAN, 1e-45f, 3};
  std::string bytes = encodeNpy({3, 2}, values);
  EXPECT_EQ(bytes.size() % 64, 24u); // header padded to 64, then 6 floats
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  EXPECT_NE(bytes.find("{'descr': '<f4', 'fortran_order': False, 'shape': "
                       "(3, 2), }"),
            std::string::npos);
  NpyResult r = parseNpy(bytes, "t.npy");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.array->shape, (std::vector<int64_t>{3, 2}));
  std::vector<float> back = toFloat32(*r.array);
  EXPECT_EQ(std::memcmp(back.data(), values.data(), 4 * values.size()), 0);
  // 1-d and 0-d shapes print as Python tuples.
  EXPECT_NE(encodeNpy({4}, {1, 2, 3, 4}).find("'shape': (4,), }"),
            std::string::npos);
  EXPECT_NE(encodeNpy({}, {1}).find("'shape': (), }"), std::string::npos);
}

TEST(NpyTest, MissingFileIsAnError) {
  NpyResult r = readNpyFile("/nonexistent/x.npy");
  EXPECT_EQ(r.error, "/nonexistent/x.npy: cannot open: No such file or "
                     "directory");
}

//===----------------------------------------------------------------------===//
// Malformed files: each with its exact message
//===----------------------------------------------------------------------===//

TEST(NpyMalformedTest, EmptyFile) {
  EXPECT_EQ(errorOf(""), "t.npy: not a .npy file: expected the magic string "
                         "'\\x93NUMPY', found a file of 0 bytes");
}

TEST(NpyMalformedTest, WrongMagic) {
  EXPECT_EQ(errorOf(std::string("PK\x03\x04\x14\x00rest", 10)),
            "t.npy: not a .npy file: expected the magic string "
            "'\\x93NUMPY', found 'PK\\x03\\x04\\x14\\x00'");
}

TEST(NpyMalformedTest, UnsupportedVersion) {
  std::string bytes = npyBytes(header(kGood23), f32Data({1, 2, 3, 4, 5, 6}));
  bytes[6] = 4;
  EXPECT_EQ(errorOf(bytes),
            "t.npy: unsupported .npy version 4.0; expected 1.0, 2.0 or 3.0");
  bytes[6] = 1;
  bytes[7] = 1;
  EXPECT_EQ(errorOf(bytes),
            "t.npy: unsupported .npy version 1.1; expected 1.0, 2.0 or 3.0");
}

TEST(NpyMalformedTest, TruncatedHeaderLength) {
  EXPECT_EQ(errorOf(std::string("\x93NUMPY\x02\x00\x10\x00", 10)),
            "t.npy: truncated: expected a 4-byte header length after the "
            "version, found 2 bytes");
}

TEST(NpyMalformedTest, HeaderLongerThanFile) {
  std::string bytes = npyBytes(header(kGood23), "");
  bytes[8] = char(200);
  EXPECT_EQ(errorOf(bytes), "t.npy: truncated: the header length field says "
                            "200 bytes, but only 60 bytes follow it");
}

TEST(NpyMalformedTest, HeaderWithoutNewline) {
  EXPECT_EQ(errorOf(npyBytes(kGood23 + "   ", f32Data({1, 2, 3, 4, 5, 6}))),
            "t.npy: invalid header at column 63: expected a newline ending "
            "the header after '}', found the end of the header");
}

TEST(NpyMalformedTest, NotADict) {
  EXPECT_EQ(errorOf(npyBytes(header("('descr', '<f4')"), "")),
            "t.npy: invalid header at column 1: expected '{' (a Python dict), "
            "found '('");
}

TEST(NpyMalformedTest, MissingKey) {
  EXPECT_EQ(errorOf(npyBytes(header("{'descr': '<f4', 'shape': (1,)}"),
                             f32Data({1}))),
            "t.npy: invalid header: missing key 'fortran_order'");
}

TEST(NpyMalformedTest, UnknownKey) {
  EXPECT_EQ(errorOf(npyBytes(header("{'descr': '<f4', 'fortran_order': False, "
                                    "'shape': (1,), 'dtype': 'x'}"),
                             f32Data({1}))),
            "t.npy: invalid header at column 57: unexpected key 'dtype'; "
            "expected 'descr', 'fortran_order' and 'shape'");
}

TEST(NpyMalformedTest, DuplicateKey) {
  EXPECT_EQ(errorOf(npyBytes(header("{'descr': '<f4', 'descr': '<f4', "
                                    "'fortran_order': False, 'shape': (1,)}"),
                             f32Data({1}))),
            "t.npy: invalid header at column 18: duplicate key 'descr'");
}

TEST(NpyMalformedTest, FortranOrderNotABool) {
  EXPECT_EQ(errorOf(npyBytes(header("{'descr': '<f4', 'fortran_order': 0, "
                                    "'shape': (1,)}"),
                             f32Data({1}))),
            "t.npy: invalid header at column 35: expected True or False for "
            "'fortran_order', found '0'");
}

TEST(NpyMalformedTest, NegativeDimension) {
  EXPECT_EQ(errorOf(npyBytes(header("{'descr': '<f4', 'fortran_order': False, "
                                    "'shape': (-1, 2)}"),
                             "")),
            "t.npy: invalid header at column 52: expected a dimension (a "
            "non-negative integer), found '-'");
}

TEST(NpyMalformedTest, ShapeNotATuple) {
  EXPECT_EQ(errorOf(npyBytes(header("{'descr': '<f4', 'fortran_order': False, "
                                    "'shape': (3)}"),
                             f32Data({1, 2, 3}))),
            "t.npy: invalid header at column 53: expected ',' after the only "
            "dimension (Python's 1-tuple), found ')'");
}

TEST(NpyMalformedTest, ShapeOverflow) {
  EXPECT_EQ(errorOf(npyBytes(header("{'descr': '<f4', 'fortran_order': False, "
                                    "'shape': (1048576, 1048577)}"),
                             "")),
            "t.npy: shape (1048576, 1048577) has more than 2^40 elements");
  // A single dimension past 2^40 (and past 2^64) stops at the digit.
  EXPECT_EQ(errorOf(npyBytes(header("{'descr': '<f4', 'fortran_order': False, "
                                    "'shape': (99999999999999999999999,)}"),
                             "")),
            "t.npy: invalid header at column 52: expected a dimension of at "
            "most 2^40, found '9'");
}

TEST(NpyMalformedTest, IntegerDtype) {
  EXPECT_EQ(errorOf(npyBytes(header("{'descr': '<i4', 'fortran_order': False, "
                                    "'shape': (1,)}"),
                             f32Data({1}))),
            "t.npy: unsupported dtype '<i4' (int32); expected float32 ('<f4')");
}

TEST(NpyMalformedTest, ObjectArray) {
  EXPECT_EQ(errorOf(npyBytes(header("{'descr': '|O', 'fortran_order': False, "
                                    "'shape': (1,)}"),
                             "12345678")),
            "t.npy: unsupported dtype '|O' (Python objects); expected float32 "
            "('<f4')");
}

TEST(NpyMalformedTest, StructuredDtype) {
  EXPECT_EQ(errorOf(npyBytes(header("{'descr': [('a', '<f4')], "
                                    "'fortran_order': False, 'shape': (1,)}"),
                             f32Data({1}))),
            "t.npy: unsupported dtype: structured dtypes (a list 'descr') are "
            "not supported; expected float32 ('<f4')");
}

TEST(NpyMalformedTest, ComplexDtype) {
  EXPECT_EQ(errorOf(npyBytes(header("{'descr': '<c8', 'fortran_order': False, "
                                    "'shape': (1,)}"),
                             f32Data({1, 2}))),
            "t.npy: unsupported dtype '<c8' (complex64); expected float32 "
            "('<f4')");
}

TEST(NpyMalformedTest, TruncatedData) {
  EXPECT_EQ(errorOf(npyBytes(header(kGood23), f32Data({1, 2, 3, 4, 5}))),
            "t.npy: truncated data: shape (2, 3) of '<f4' needs 24 bytes, "
            "found 20 bytes");
}

TEST(NpyMalformedTest, TrailingData) {
  EXPECT_EQ(errorOf(npyBytes(header(kGood23), f32Data({1, 2, 3, 4, 5, 6, 7}))),
            "t.npy: trailing data: shape (2, 3) of '<f4' needs 24 bytes, "
            "found 28 bytes");
}

TEST(NpyMalformedTest, UnterminatedString) {
  EXPECT_EQ(errorOf(npyBytes(header("{'descr': '<f4}"), "")),
            "t.npy: invalid header at column 16: expected the closing quote ', "
            "found a newline");
}

TEST(NpyMalformedTest, NonAsciiInVersion1Header) {
  EXPECT_EQ(errorOf(npyBytes(header("{'descr': '<f4\xc3\xa9', 'fortran_order': "
                                    "False, 'shape': (1,)}"),
                             f32Data({1}))),
            "t.npy: invalid header: version 1.0 headers are ASCII, found byte "
            "'\\xc3' (version 3.0 allows UTF-8)");
}

TEST(NpyMalformedTest, GarbageAfterHeaderNewline) {
  EXPECT_EQ(errorOf(npyBytes(kGood23 + "\nxx", f32Data({1, 2, 3, 4, 5, 6}))),
            "t.npy: invalid header at column 61: expected nothing after the "
            "newline ending the header, found 'x'");
}

TEST(NpyMalformedTest, LeadingZeroDimension) {
  EXPECT_EQ(errorOf(npyBytes(header("{'descr': '<f4', 'fortran_order': False, "
                                    "'shape': (01,)}"),
                             f32Data({1}))),
            "t.npy: invalid header at column 52: expected a dimension without "
            "leading zeros, found '0'");
}

} // namespace
