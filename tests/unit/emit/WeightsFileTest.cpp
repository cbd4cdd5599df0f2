// SPDX-License-Identifier: Apache-2.0
//
// NAME.weights: the writer (actc_emit) and the reader (actc_runtime) agree,
// and the reader rejects every kind of damage with its status and a precise
// message: a missing file, truncation at every structural boundary, a
// flipped byte in the header, table or data, another model's file, a wrong
// magic and a wrong version.

#include "compiler/backend/emit/WeightsFile.h"

#include "actc/runtime.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace actc::emit;
using actc::backend::ModelInterface;
using actc::backend::TensorDecl;

namespace {

ModelInterface makeModel(const std::string &name = "net") {
  ModelInterface m;
  m.modelName = name;
  m.dynamicDims = {"batch"};
  m.inputs = {{"x", {-1, 3}, {"batch", ""}}};
  m.weights = {{"fc.weight", {2, 3}, {"", ""}}, {"fc.bias", {3}, {""}}};
  m.outputs = {{"y", {-1, 3}, {"batch", ""}}};
  m.pipelineSymbol = name + "_pipeline";
  return m;
}

actc::weights::WeightMap makeWeights() {
  actc::weights::WeightMap w;
  w["fc.weight"] = {{2, 3}, {1, 2, 3, 4, 5, 6}};
  w["fc.bias"] = {{3}, {0.5f, -0.5f, 0.25f}};
  return w;
}

/// The runtime's description of makeModel's weights.
struct Desc {
  int64_t wShape[2] = {2, 3};
  int64_t bShape[1] = {3};
  actc_tensor_spec specs[2];
  actc_model_desc desc;
  explicit Desc(const ModelInterface &m) {
    specs[0] = {"fc.weight", 2, wShape};
    specs[1] = {"fc.bias", 1, bShape};
    std::memset(&desc, 0, sizeof desc);
    desc.name = "net";
    desc.fingerprint = modelFingerprint(m);
    desc.num_weights = 2;
    desc.weights = specs;
    desc.pipeline_name = "net_pipeline";
  }
};

class WeightsFileTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(buildWeightsImage(model, makeWeights(), image, error)) << error;
    char tmpl[] = "/tmp/actc-weights-XXXXXX";
    int fd = mkstemp(tmpl);
    ASSERT_GE(fd, 0);
    close(fd);
    path = tmpl;
    // Where the two tensors' data is, from the reader itself.
    void *aligned = nullptr;
    ASSERT_EQ(posix_memalign(&aligned, 64, image.size()), 0);
    std::memcpy(aligned, image.data(), image.size());
    actc_weights w;
    char err[256];
    ASSERT_EQ(actc_weights_load_image(&w, aligned, image.size(), "img",
                                      &desc.desc, err, sizeof err),
              ACTC_OK)
        << err;
    for (int i = 0; i < 2; ++i)
      offsets[i] =
          static_cast<size_t>(reinterpret_cast<const char *>(w.data[i]) -
                              static_cast<const char *>(aligned));
    actc_weights_release(&w);
    std::free(aligned);
    tableEnd = 64 + (image[32] | image[33] << 8);
  }
  void TearDown() override { std::remove(path.c_str()); }

  void writeFile(const std::vector<uint8_t> &bytes) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char *>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  }

  /// Loads `bytes` from the file; returns the status, message in `message`.
  int load(const std::vector<uint8_t> &bytes, std::string &message,
           const actc_model_desc *d = nullptr) {
    writeFile(bytes);
    actc_weights w;
    char err[1024] = "";
    int status = actc_weights_load_file(&w, path.c_str(), d ? d : &desc.desc,
                                        err, sizeof err);
    message = err;
    actc_weights_release(&w);
    return status;
  }

  ModelInterface model = makeModel();
  Desc desc{model};
  std::vector<uint8_t> image;
  std::string path;
  size_t offsets[2] = {0, 0}; ///< fc.weight (24 bytes), fc.bias (12 bytes)
  size_t tableEnd = 0;
};

} // namespace

TEST(Checksum, MatchesXXH64) {
  EXPECT_EQ(actc_checksum64("", 0), 0xEF46DB3751D8E999ull);
  EXPECT_EQ(actc_checksum64("a", 1), 0xD24EC4F1A98C6E5Bull);
  EXPECT_EQ(actc_checksum64("abc", 3), 0x44BC2CF5AD770999ull);
}

TEST(Fingerprint, DependsOnTheInterfaceOnly) {
  ModelInterface a = makeModel(), b = makeModel();
  EXPECT_EQ(modelFingerprint(a), modelFingerprint(b));
  b.modelName = "Net";
  EXPECT_NE(modelFingerprint(a), modelFingerprint(b));
  b = makeModel();
  b.weights[0].shape = {3, 2};
  EXPECT_NE(modelFingerprint(a), modelFingerprint(b));
  b = makeModel();
  b.inputs[0].dimNames[0] = "n";
  EXPECT_NE(modelFingerprint(a), modelFingerprint(b));
  b = makeModel();
  b.pipelineSymbol = "other"; // not part of the interface
  EXPECT_EQ(modelFingerprint(a), modelFingerprint(b));
}

TEST_F(WeightsFileTest, RoundTrip) {
  ASSERT_EQ(image.size() % ACTC_WEIGHTS_ALIGNMENT, 0u);
  writeFile(image);
  actc_weights w;
  char err[1024] = "";
  ASSERT_EQ(
      actc_weights_load_file(&w, path.c_str(), &desc.desc, err, sizeof err),
      ACTC_OK)
      << err;
  ASSERT_EQ(w.num_tensors, 2u);
  for (size_t i = 0; i < 2; ++i)
    EXPECT_EQ(reinterpret_cast<uintptr_t>(w.data[i]) % 64, 0u);
  EXPECT_EQ(w.data[0][5], 6.0f);
  EXPECT_EQ(w.data[1][1], -0.5f);
  actc_weights_release(&w);
}

TEST_F(WeightsFileTest, ImageInMemory) {
  void *aligned = nullptr;
  ASSERT_EQ(posix_memalign(&aligned, 64, image.size() + 64), 0);
  std::memcpy(aligned, image.data(), image.size());
  actc_weights w;
  char err[1024] = "";
  EXPECT_EQ(actc_weights_load_image(&w, aligned, image.size(), "img",
                                    &desc.desc, err, sizeof err),
            ACTC_OK)
      << err;
  EXPECT_EQ(reinterpret_cast<const char *>(w.data[1]),
            static_cast<const char *>(aligned) + offsets[1]); // no copy
  EXPECT_EQ(w.storage, nullptr);
  actc_weights_release(&w);
  // Misaligned: refused, not read.
  std::memmove(static_cast<char *>(aligned) + 4, aligned, image.size());
  EXPECT_EQ(actc_weights_load_image(&w, static_cast<char *>(aligned) + 4,
                                    image.size(), "img", &desc.desc, err,
                                    sizeof err),
            ACTC_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(err).find("aligned"), std::string::npos) << err;
  std::free(aligned);
}

TEST_F(WeightsFileTest, MissingFile) {
  actc_weights w;
  char err[1024] = "";
  EXPECT_EQ(actc_weights_load_file(&w, "/nonexistent/net.weights", &desc.desc,
                                   err, sizeof err),
            ACTC_ERROR_WEIGHTS_MISSING);
  EXPECT_NE(std::string(err).find("cannot open weights file "
                                  "'/nonexistent/net.weights'"),
            std::string::npos)
      << err;
  EXPECT_EQ(actc_weights_load_file(&w, "/tmp", &desc.desc, err, sizeof err),
            ACTC_ERROR_WEIGHTS_MISSING);
  EXPECT_EQ(actc_weights_load_file(&w, nullptr, &desc.desc, err, sizeof err),
            ACTC_ERROR_INVALID_ARGUMENT);
}

TEST_F(WeightsFileTest, TruncatedAnywhere) {
  // Every length short of the whole file: inside the magic, the header, the
  // table, the padding and the data.
  for (size_t len = 0; len < image.size(); ++len) {
    std::vector<uint8_t> cut(image.begin(), image.begin() + len);
    std::string msg;
    EXPECT_EQ(load(cut, msg), ACTC_ERROR_WEIGHTS_CORRUPT) << len;
    EXPECT_NE(msg.find("is truncated"), std::string::npos)
        << len << ": " << msg;
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
  }
}

TEST_F(WeightsFileTest, ExtraBytes) {
  std::vector<uint8_t> longer = image;
  longer.push_back(0);
  std::string msg;
  EXPECT_EQ(load(longer, msg), ACTC_ERROR_WEIGHTS_CORRUPT);
  EXPECT_NE(msg.find("its header says"), std::string::npos) << msg;
}

TEST_F(WeightsFileTest, EveryFlippedByteIsCaught) {
  // One flipped bit anywhere but in padding is an error; never a crash.
  for (size_t at = 0; at < image.size(); ++at) {
    std::vector<uint8_t> bad = image;
    bad[at] ^= 0x10;
    std::string msg;
    int status = load(bad, msg);
    if (status == ACTC_OK) {
      // Only padding (zeros no one reads) may be flipped unnoticed.
      bool read = at < tableEnd || (at >= offsets[0] && at < offsets[0] + 24) ||
                  (at >= offsets[1] && at < offsets[1] + 12);
      EXPECT_FALSE(read) << "byte " << at << " flipped unnoticed";
    } else {
      EXPECT_FALSE(msg.empty()) << at;
    }
  }
}

TEST_F(WeightsFileTest, FlippedDataByteFailsItsChecksum) {
  std::vector<uint8_t> bad = image;
  bad[offsets[1] + 2] ^= 1; // inside fc.bias
  std::string msg;
  EXPECT_EQ(load(bad, msg), ACTC_ERROR_WEIGHTS_CORRUPT);
  EXPECT_NE(msg.find("the checksum of tensor 'fc.bias' does not match"),
            std::string::npos)
      << msg;
  bad = image;
  bad[70] ^= 1; // the table
  EXPECT_EQ(load(bad, msg), ACTC_ERROR_WEIGHTS_CORRUPT);
  EXPECT_NE(msg.find("tensor table"), std::string::npos) << msg;
  bad = image;
  bad[24] ^= 1; // the tensor count, in the header
  EXPECT_EQ(load(bad, msg), ACTC_ERROR_WEIGHTS_CORRUPT);
  EXPECT_NE(msg.find("checksum of its header"), std::string::npos) << msg;
}

TEST_F(WeightsFileTest, OtherModelsFile) {
  std::vector<uint8_t> other;
  std::string error, msg;
  ASSERT_TRUE(buildWeightsImage(makeModel("Net"), makeWeights(), other, error));
  EXPECT_EQ(load(other, msg), ACTC_ERROR_WEIGHTS_MISMATCH);
  EXPECT_NE(msg.find("belongs to another model"), std::string::npos) << msg;
  EXPECT_NE(msg.find("model 'net' expects 0x"), std::string::npos) << msg;
}

TEST_F(WeightsFileTest, WrongMagic) {
  std::vector<uint8_t> bad = image;
  bad[0] = 'X';
  std::string msg;
  EXPECT_EQ(load(bad, msg), ACTC_ERROR_WEIGHTS_CORRUPT);
  EXPECT_NE(msg.find("is not an actc weights file"), std::string::npos) << msg;
  EXPECT_EQ(load(std::vector<uint8_t>{'P', 'K', 3}, msg),
            ACTC_ERROR_WEIGHTS_CORRUPT);
  EXPECT_NE(msg.find("is not an actc weights file"), std::string::npos) << msg;
}

TEST_F(WeightsFileTest, WrongVersion) {
  std::vector<uint8_t> bad = image;
  bad[8] = 2;
  std::string msg;
  EXPECT_EQ(load(bad, msg), ACTC_ERROR_WEIGHTS_VERSION);
  EXPECT_NE(msg.find("format version 2; this runtime reads version 1"),
            std::string::npos)
      << msg;
}

TEST_F(WeightsFileTest, ModelWithADifferentTableIsRefused) {
  // Same fingerprint (a forged file) but another shape: the table check.
  Desc other(model);
  other.bShape[0] = 4;
  std::string msg;
  EXPECT_EQ(load(image, msg, &other.desc), ACTC_ERROR_WEIGHTS_MISMATCH);
  EXPECT_NE(msg.find("tensor 'fc.bias' has shape [3], model 'net' expects "
                     "[4]"),
            std::string::npos)
      << msg;
}

TEST(WeightsImage, RejectsMismatchedValues) {
  std::vector<uint8_t> out;
  std::string error;
  actc::weights::WeightMap w = makeWeights();
  w.erase("fc.bias");
  EXPECT_FALSE(buildWeightsImage(makeModel(), w, out, error));
  EXPECT_NE(error.find("'fc.bias'"), std::string::npos) << error;
  w = makeWeights();
  w["fc.bias"].data.pop_back();
  EXPECT_FALSE(buildWeightsImage(makeModel(), w, out, error));
  EXPECT_NE(error.find("the model expects [3]"), std::string::npos) << error;
}

TEST(WeightsImage, NoWeightsAtAll) {
  ModelInterface m = makeModel();
  m.weights.clear();
  std::vector<uint8_t> out;
  std::string error;
  ASSERT_TRUE(buildWeightsImage(m, {}, out, error)) << error;
  actc_model_desc d;
  std::memset(&d, 0, sizeof d);
  d.name = "net";
  d.fingerprint = modelFingerprint(m);
  void *aligned = nullptr;
  ASSERT_EQ(posix_memalign(&aligned, 64, out.size()), 0);
  std::memcpy(aligned, out.data(), out.size());
  actc_weights w;
  char err[256];
  EXPECT_EQ(actc_weights_load_image(&w, aligned, out.size(), "img", &d, err,
                                    sizeof err),
            ACTC_OK)
      << err;
  actc_weights_release(&w);
  std::free(aligned);
}
