// SPDX-License-Identifier: Apache-2.0
//
// The tuning database's reader and writer: a round trip keeps every field,
// the writer sorts, and every malformed line gives file:line with what was
// expected and what was found.

#include "compiler/target/TuningDb.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace actc::target;

namespace {

std::string errorOf(const std::string &text) {
  TuningDbResult result = parseTuningDb(text, "db.txt");
  EXPECT_FALSE(result.db) << text;
  return result.error;
}

TuningEntry entry(std::string target, std::string signature) {
  TuningEntry e;
  e.target = std::move(target);
  e.signature = std::move(signature);
  return e;
}

} // namespace

TEST(TuningDbTest, RoundTripKeepsEveryFieldAndSorts) {
  TuningDb db;
  TuningEntry b = entry("x86-64-avx2", "dense:?x784,128x784,128->?x128");
  b.schedule.tile = {6, 16};
  b.schedule.reduceSplit = 128;
  b.schedule.vector = 8;
  b.schedule.unroll = 4;
  b.schedule.parallelDim = 1;
  b.schedule.parallelChunk = 2;
  b.note = "12.5 us";
  TuningEntry a = entry("cuda-sm80", "softmax:32x1000->32x1000:a-1");
  a.schedule.gpuBlock = {256};
  a.schedule.gpuThread = {4};
  db.put(b);
  db.put(a);
  std::string text = formatTuningDb(db);
  // Sorted by target: cuda-sm80 before x86-64-avx2; keys in a fixed order.
  EXPECT_NE(text.find("actc-tuning-db 1\n"
                      "cuda-sm80 softmax:32x1000->32x1000:a-1 gpu_block=256 "
                      "gpu_thread=4\n"
                      "x86-64-avx2 dense:?x784,128x784,128->?x128 tile=6,16 "
                      "reduce_split=128 vector=8 unroll=4 parallel_dim=1 "
                      "parallel_chunk=2  # 12.5 us\n"),
            std::string::npos)
      << text;
  TuningDbResult parsed = parseTuningDb(text, "db.txt");
  ASSERT_TRUE(parsed.db) << parsed.error;
  ASSERT_EQ(parsed.db->entries.size(), 2u);
  const TuningEntry *back =
      parsed.db->find("x86-64-avx2", "dense:?x784,128x784,128->?x128");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->schedule, b.schedule);
  EXPECT_EQ(back->note, "12.5 us");
  EXPECT_EQ(formatTuningDb(*parsed.db), text);
  EXPECT_FALSE(parsed.db->find("arm64", "dense:?x784,128x784,128->?x128"));
}

TEST(TuningDbTest, CommentsBlankLinesAndCrlf) {
  TuningDbResult parsed =
      parseTuningDb("# a comment\r\n\r\n   actc-tuning-db   1  \r\n# another\n"
                    "arm64\tmap:relu:4x8:in1\tvector=4\r\n",
                    "db.txt");
  ASSERT_TRUE(parsed.db) << parsed.error;
  EXPECT_EQ(parsed.db->find("arm64", "map:relu:4x8:in1")->schedule.vector, 4);
}

TEST(TuningDbTest, ErrorsNameFileLineExpectedAndFound) {
  EXPECT_EQ(errorOf(""), "db.txt:1: expected the header 'actc-tuning-db 1', "
                         "found the end of the file");
  EXPECT_EQ(errorOf("{\"json\": 1}\n"),
            "db.txt:1: expected the header 'actc-tuning-db 1', found "
            "'{\"json\": 1}'");
  EXPECT_EQ(errorOf("actc-tuning-db 7\n"),
            "db.txt:1: expected format version 1, found '7'");
  EXPECT_EQ(errorOf("actc-tuning-db 1\narm64 sig\n"),
            "db.txt:2: expected 'TARGET SIGNATURE KEY=VALUE ...', found "
            "'arm64 sig'");
  EXPECT_EQ(errorOf("actc-tuning-db 1\nhost sig vector=4\n"),
            "db.txt:2: expected a target (x86-64-avx2, x86-64-avx512, arm64, "
            "cuda, cuda-sm75, cuda-sm80, cuda-sm86, cuda-sm90), found 'host'");
  EXPECT_EQ(errorOf("actc-tuning-db 1\narm64 a=b vector=4\n"),
            "db.txt:2: expected a kernel signature before the first key, "
            "found 'a=b'");
  EXPECT_EQ(errorOf("actc-tuning-db 1\n\narm64 sig vector\n"),
            "db.txt:3: expected KEY=VALUE, found 'vector'");
  EXPECT_EQ(errorOf("actc-tuning-db 1\narm64 sig vector=-4\n"),
            "db.txt:2: expected a positive integer for 'vector', found '-4'");
  EXPECT_EQ(errorOf("actc-tuning-db 1\narm64 sig vector=0\n"),
            "db.txt:2: expected a positive integer for 'vector', found '0'");
  EXPECT_EQ(errorOf("actc-tuning-db 1\narm64 sig parallel_dim=x\n"),
            "db.txt:2: expected a non-negative integer for 'parallel_dim', "
            "found 'x'");
  EXPECT_EQ(errorOf("actc-tuning-db 1\narm64 sig tile=4,,2\n"),
            "db.txt:2: expected a comma-separated list of positive integers "
            "for 'tile', found '4,,2'");
  EXPECT_EQ(errorOf("actc-tuning-db 1\narm64 sig vector=4 vector=8\n"),
            "db.txt:2: expected each key once, found 'vector' twice");
  EXPECT_EQ(
      errorOf("actc-tuning-db 1\narm64 sig vector=99999999999999999999\n"),
      "db.txt:2: expected a positive integer for 'vector', found "
      "'99999999999999999999'");
}

TEST(TuningDbTest, WriteThenReadAFile) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("actc-tuningdb-test-" + std::to_string(::getpid()));
  std::string path = (dir / "sub" / "tuning.json").string();
  TuningDb db;
  TuningEntry e = entry("arm64", "map:relu:4x8:in1");
  e.schedule.vector = 4;
  db.put(e);
  EXPECT_EQ(writeTuningDb(path, db), "");
  TuningDbResult read = readTuningDb(path);
  ASSERT_TRUE(read.db) << read.error;
  EXPECT_EQ(read.db->entries.size(), 1u);
  EXPECT_NE(readTuningDb((dir / "none").string())
                .error.find("cannot open the tuning database"),
            std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(TuningDbTest, DefaultPathFollowsTheEnvironment) {
  ::setenv("ACTC_TUNING_DB", "/tmp/x.db", 1);
  EXPECT_EQ(defaultTuningDbPath(), "/tmp/x.db");
  ::unsetenv("ACTC_TUNING_DB");
  ::setenv("HOME", "/home/someone", 1);
  EXPECT_EQ(defaultTuningDbPath(), "/home/someone/.cache/actc/tuning.json");
}
