// SPDX-License-Identifier: Apache-2.0
//
// NAME.weights, version 1: a 64-byte header, a table of tensor entries, and
// each tensor's f32 data at a 64-byte aligned offset. All integers are
// little-endian, written byte by byte whatever the host.

#include "compiler/backend/emit/WeightsFile.h"

#include "actc/runtime.h"

#include <cstring>

namespace actc::emit {

namespace {

void put32(std::vector<uint8_t> &out, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

void put64(std::vector<uint8_t> &out, size_t at, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

void append64(std::vector<uint8_t> &out, uint64_t v) {
  size_t at = out.size();
  out.resize(at + 8);
  put64(out, at, v);
}

size_t alignUp(size_t n, size_t a) { return (n + a - 1) / a * a; }

std::string formatShape(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

/// Appends "<length>:<bytes>;" (unambiguous for any bytes).
void field(std::string &out, const std::string &text) {
  out += std::to_string(text.size());
  out += ':';
  out += text;
  out += ';';
}

void tensorField(std::string &out, const char *kind,
                 const backend::TensorDecl &t) {
  field(out, kind);
  field(out, t.name);
  field(out, std::to_string(t.shape.size()));
  for (size_t i = 0; i < t.shape.size(); ++i) {
    field(out, std::to_string(t.shape[i]));
    field(out, i < t.dimNames.size() ? t.dimNames[i] : "");
  }
}

} // namespace

uint64_t modelFingerprint(const backend::ModelInterface &model) {
  std::string text;
  field(text, "actc-model-interface-1");
  field(text, model.modelName);
  field(text, std::to_string(model.dynamicDims.size()));
  for (const std::string &d : model.dynamicDims)
    field(text, d);
  for (const backend::TensorDecl &t : model.inputs)
    tensorField(text, "input", t);
  for (const backend::TensorDecl &t : model.weights)
    tensorField(text, "weights", t);
  for (const backend::TensorDecl &t : model.outputs)
    tensorField(text, "output", t);
  return actc_checksum64(text.data(), text.size());
}

bool buildWeightsImage(const backend::ModelInterface &model,
                       const weights::WeightMap &weights,
                       std::vector<uint8_t> &out, std::string &error) {
  const size_t kAlign = ACTC_WEIGHTS_ALIGNMENT;
  // Check everything first.
  std::vector<const weights::WeightTensor *> tensors;
  for (const backend::TensorDecl &decl : model.weights) {
    auto it = weights.find(decl.name);
    if (it == weights.end()) {
      error = "internal error: weights tensor '" + decl.name + "' of model '" +
              model.modelName + "' has no values";
      return false;
    }
    if (decl.shape.size() > ACTC_WEIGHTS_MAX_RANK) {
      error = "weights tensor '" + decl.name + "' has rank " +
              std::to_string(decl.shape.size()) + ", more than " +
              std::to_string(ACTC_WEIGHTS_MAX_RANK);
      return false;
    }
    uint64_t elements = 1;
    for (int64_t d : decl.shape) {
      if (d < 1) {
        error = "internal error: weights tensor '" + decl.name +
                "' has a dynamic shape " + formatShape(decl.shape);
        return false;
      }
      elements *= static_cast<uint64_t>(d);
    }
    if (it->second.shape != decl.shape || it->second.data.size() != elements) {
      error = "internal error: weights tensor '" + decl.name + "' has shape " +
              formatShape(it->second.shape) + " and " +
              std::to_string(it->second.data.size()) +
              " values, the model expects " + formatShape(decl.shape);
      return false;
    }
    tensors.push_back(&it->second);
  }

  // Table.
  std::vector<uint8_t> table;
  std::vector<size_t> offsetFields;
  for (const backend::TensorDecl &decl : model.weights) {
    size_t at = table.size();
    table.resize(at + 32);
    put32(table, at, static_cast<uint32_t>(decl.name.size()));
    put32(table, at + 4, static_cast<uint32_t>(decl.shape.size()));
    offsetFields.push_back(at + 8);
    for (int64_t d : decl.shape)
      append64(table, static_cast<uint64_t>(d));
    table.insert(table.end(), decl.name.begin(), decl.name.end());
    table.resize(alignUp(table.size(), 8), 0);
  }

  // Data offsets, then the whole image.
  size_t pos = alignUp(ACTC_WEIGHTS_HEADER_SIZE + table.size(), kAlign);
  std::vector<size_t> offsets;
  for (const weights::WeightTensor *t : tensors) {
    offsets.push_back(pos);
    pos = alignUp(pos + t->data.size() * 4, kAlign);
  }
  size_t fileSize = pos;
  out.assign(fileSize, 0);
  for (size_t i = 0; i < tensors.size(); ++i) {
    const std::vector<float> &data = tensors[i]->data;
    uint8_t *dst = out.data() + offsets[i];
    for (size_t k = 0; k < data.size(); ++k) {
      uint32_t bits;
      std::memcpy(&bits, &data[k], 4);
      for (int b = 0; b < 4; ++b)
        dst[4 * k + b] = static_cast<uint8_t>(bits >> (8 * b));
    }
    put64(table, offsetFields[i], offsets[i]);
    put64(table, offsetFields[i] + 8, data.size() * 4);
    put64(table, offsetFields[i] + 16, actc_checksum64(dst, data.size() * 4));
  }
  if (!table.empty())
    std::memcpy(out.data() + ACTC_WEIGHTS_HEADER_SIZE, table.data(),
                table.size());
  std::memcpy(out.data(), ACTC_WEIGHTS_MAGIC, 8);
  put32(out, 8, ACTC_WEIGHTS_VERSION);
  put32(out, 12, 0);
  put64(out, 16, modelFingerprint(model));
  put64(out, 24, model.weights.size());
  put64(out, 32, table.size());
  put64(out, 40, fileSize);
  put64(out, 48, actc_checksum64(table.data(), table.size()));
  put64(out, 56, actc_checksum64(out.data(), 56));
  return true;
}

} // namespace actc::emit
