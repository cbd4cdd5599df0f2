// SPDX-License-Identifier: Apache-2.0
//
// Builds safetensors files byte by byte for the weights tests. There is no
// safetensors package on the build machines, and writing the bytes by hand is
// the point anyway: the tests state exactly what the file holds.

#ifndef ACTC_TESTS_UNIT_WEIGHTS_SAFETENSORSBUILDER_H
#define ACTC_TESTS_UNIT_WEIGHTS_SAFETENSORSBUILDER_H

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace actc::weights::testing {

/// Little-endian bytes of an integer of `n` bytes.
inline std::string leBytes(uint64_t value, size_t n) {
  std::string out(n, '\0');
  for (size_t i = 0; i < n; ++i)
    out[i] = char(uint8_t(value >> (8 * i)));
  return out;
}

/// A whole file: the header length, the header as given, then the data.
inline std::string makeFile(std::string_view header,
                            std::string_view data = {}) {
  return leBytes(header.size(), 8) + std::string(header) + std::string(data);
}

/// A file whose header-length field says `length`, whatever follows.
inline std::string makeFileWithLength(uint64_t length, std::string_view rest) {
  return leBytes(length, 8) + std::string(rest);
}

inline std::string f32Bytes(std::initializer_list<float> values) {
  std::string out;
  for (float v : values) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    out += leBytes(bits, 4);
  }
  return out;
}

inline std::string f32Bytes(const std::vector<float> &values) {
  std::string out;
  for (float v : values) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    out += leBytes(bits, 4);
  }
  return out;
}

inline std::string u16Bytes(std::initializer_list<uint16_t> values) {
  std::string out;
  for (uint16_t v : values)
    out += leBytes(v, 2);
  return out;
}

inline std::string f64Bytes(std::initializer_list<double> values) {
  std::string out;
  for (double v : values) {
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    out += leBytes(bits, 8);
  }
  return out;
}

/// A tensor for FileWriter: its data already in the file's bytes.
struct RawTensor {
  std::string name;
  std::string dtype;
  std::vector<uint64_t> shape;
  std::string bytes;
};

/// A well-formed file of `tensors`, laid out in order, with the header padded
/// by spaces to a multiple of 8 bytes as the Python writer does.
inline std::string writeTensors(const std::vector<RawTensor> &tensors,
                                std::string_view metadata = {}) {
  std::string header = "{";
  if (!metadata.empty())
    header += "\"__metadata__\":" + std::string(metadata);
  std::string data;
  for (const RawTensor &t : tensors) {
    if (header.size() > 1)
      header += ",";
    header += "\"" + t.name + "\":{\"dtype\":\"" + t.dtype + "\",\"shape\":[";
    for (size_t i = 0; i < t.shape.size(); ++i)
      header += (i ? "," : "") + std::to_string(t.shape[i]);
    header += "],\"data_offsets\":[" + std::to_string(data.size()) + "," +
              std::to_string(data.size() + t.bytes.size()) + "]}";
    data += t.bytes;
  }
  header += "}";
  while (header.size() % 8)
    header += ' ';
  return makeFile(header, data);
}

} // namespace actc::weights::testing

#endif // ACTC_TESTS_UNIT_WEIGHTS_SAFETENSORSBUILDER_H
