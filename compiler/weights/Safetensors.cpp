// SPDX-License-Identifier: Apache-2.0
//
// The safetensors reader. The header is parsed with nlohmann's SAX interface
// into a state machine that accepts only the shape of a safetensors header
// (an object of tensor entries and an optional __metadata__ object), so that
// no hostile nesting or number is ever held in a generic JSON tree, duplicate
// names are seen (nlohmann's DOM parser silently keeps the last one), and
// every message can name the tensor it is about. Data is read only after the
// whole header has been checked against the real file size.

#include "compiler/weights/Safetensors.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <new>
#include <optional>
#include <system_error>
#include <tuple>
#include <unordered_set>

namespace actc::weights {

//===----------------------------------------------------------------------===//
// Element conversions
//===----------------------------------------------------------------------===//

static float floatFromBits(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

float halfToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000u) << 16;
  uint32_t exponent = (h >> 10) & 0x1fu;
  uint32_t mantissa = h & 0x3ffu;
  if (exponent == 0x1f) // Inf or NaN: keep the payload.
    return floatFromBits(sign | 0x7f800000u | (mantissa << 13));
  if (exponent != 0)
    return floatFromBits(sign | ((exponent + 127 - 15) << 23) |
                         (mantissa << 13));
  if (mantissa == 0)
    return floatFromBits(sign);
  // A subnormal half is mantissa * 2^-24: normalise it, which f32 can hold.
  uint32_t shift = 0;
  while (!(mantissa & 0x400u)) {
    mantissa <<= 1;
    ++shift;
  }
  return floatFromBits(sign | ((127 - 15 + 1 - shift) << 23) |
                       ((mantissa & 0x3ffu) << 13));
}

float bfloat16ToFloat(uint16_t bits) {
  return floatFromBits(uint32_t(bits) << 16);
}

float doubleToFloat(double value) {
  uint64_t d;
  std::memcpy(&d, &value, sizeof d);
  uint32_t sign = uint32_t(d >> 32) & 0x80000000u;
  int exponent = int((d >> 52) & 0x7ff);
  uint64_t mantissa = d & ((uint64_t(1) << 52) - 1);
  if (exponent == 0x7ff) {
    if (mantissa == 0)
      return floatFromBits(sign | 0x7f800000u);
    // NaN: keep the top of the payload, and make it quiet so that it cannot
    // collapse into an infinity.
    return floatFromBits(sign | 0x7fc00000u | uint32_t(mantissa >> 29));
  }
  if (exponent == 0) // f64 subnormals are far below half the f32 minimum.
    return floatFromBits(sign);
  // The f32 biased exponent, and the 53-bit significand with its leading 1.
  int biased = exponent - 1023 + 127;
  uint64_t significand = mantissa | (uint64_t(1) << 52);
  if (biased >= 0xff)
    return floatFromBits(sign | 0x7f800000u);
  // Keep 24 bits for a normal result; for a subnormal one, shift further so
  // that the result counts units of 2^-149.
  int shift = biased > 0 ? 29 : 29 + 1 - biased;
  if (shift >= 54) // below half of 2^-149: rounds to zero
    return floatFromBits(sign);
  uint64_t kept = significand >> shift;
  uint64_t rest = significand & ((uint64_t(1) << shift) - 1);
  uint64_t half = uint64_t(1) << (shift - 1);
  if (rest > half || (rest == half && (kept & 1)))
    ++kept;
  if (biased <= 0) // kept == 2^23 is the smallest normal: the bits agree.
    return floatFromBits(sign | uint32_t(kept));
  // kept is in [2^23, 2^24]; 2^24 carries into the exponent (and from the
  // largest exponent into the infinity's bits), as it should.
  return floatFromBits(sign | ((uint32_t(biased) << 23) +
                               (uint32_t(kept) - (uint32_t(1) << 23))));
}

//===----------------------------------------------------------------------===//
// Message helpers
//===----------------------------------------------------------------------===//

/// The length of the valid UTF-8 sequence at s[i], or 0 when invalid
/// (overlong forms, surrogates and code points past U+10FFFF included).
static size_t utf8SequenceLength(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return uint8_t(s[k]); };
  uint8_t b0 = byte(i);
  if (b0 < 0x80)
    return 1;
  size_t length;
  uint32_t lo = 0x80, hi = 0xbf; // the range of the second byte
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    length = 2;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    length = 3;
    if (b0 == 0xe0)
      lo = 0xa0; // overlong
    if (b0 == 0xed)
      hi = 0x9f; // surrogates
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    length = 4;
    if (b0 == 0xf0)
      lo = 0x90; // overlong
    if (b0 == 0xf4)
      hi = 0x8f; // past U+10FFFF
  } else {
    return 0;
  }
  if (s.size() - i < length)
    return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi)
    return 0;
  for (size_t k = 2; k < length; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xbf)
      return 0;
  return length;
}

std::string quoteName(std::string_view name) {
  std::string out = "'";
  for (size_t i = 0; i < name.size();) {
    uint8_t b = uint8_t(name[i]);
    size_t length = utf8SequenceLength(name, i);
    if (length == 0 || b < 0x20 || b == 0x7f) {
      out += fmt::format("\\x{:02X}", b);
      ++i;
      continue;
    }
    out.append(name.substr(i, length));
    i += length;
  }
  out += "'";
  return out;
}

std::string formatDims(const rules::Shape &shape) {
  return fmt::format("[{}]", fmt::join(shape, ", "));
}

static std::string formatOffsets(uint64_t begin, uint64_t end) {
  return fmt::format("[{}, {}]", begin, end);
}

namespace {

//===----------------------------------------------------------------------===//
// Dtypes
//===----------------------------------------------------------------------===//

/// Every dtype the format defines, with its size in bits. Unknown strings are
/// an error; known ones that actc does not read are recorded unloaded.
struct DTypeInfo {
  const char *name;
  unsigned bits;
  bool loadable;
};

constexpr DTypeInfo kDTypes[] = {
    {"BOOL", 8, false},    {"U8", 8, false},      {"I8", 8, false},
    {"F8_E5M2", 8, false}, {"F8_E4M3", 8, false}, {"F8_E8M0", 8, false},
    {"F4", 4, false},      {"F6_E2M3", 6, false}, {"F6_E3M2", 6, false},
    {"I16", 16, false},    {"U16", 16, false},    {"F16", 16, true},
    {"BF16", 16, true},    {"I32", 32, false},    {"U32", 32, false},
    {"F32", 32, true},     {"F64", 64, true},     {"I64", 64, false},
    {"U64", 64, false},    {"C64", 64, false},
};

const DTypeInfo *findDType(std::string_view name) {
  for (const DTypeInfo &info : kDTypes)
    if (name == info.name)
      return &info;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// The header
//===----------------------------------------------------------------------===//

/// One entry of the header as the file states it (numbers unchecked).
struct RawEntry {
  std::string name;
  std::string dtype;
  std::vector<uint64_t> shape;
  uint64_t begin = 0, end = 0;
  bool hasDType = false, hasShape = false, hasOffsets = false;
  // Filled by the checks.
  const DTypeInfo *info = nullptr;
  uint64_t elements = 0;
};

/// The SAX handler: a state machine over the only header shape the format
/// allows. It returns false (stopping the parser) at the first departure and
/// leaves the reason in `problem`.
class HeaderHandler {
public:
  using json = nlohmann::json;

  std::string problem;
  std::vector<RawEntry> entries;
  std::map<std::string, std::string> metadata;

  // The SAX interface nlohmann calls (its names, hence not camelBack).
  bool null() { return unexpected("null"); }
  bool boolean(bool value) { return unexpected(value ? "true" : "false"); }
  bool number_integer(json::number_integer_t value) {
    if (value >= 0)
      return number_unsigned(uint64_t(value)); // "-0"
    return unexpected(std::to_string(value));
  }
  bool number_unsigned(json::number_unsigned_t value) {
    if (state == State::ShapeItem)
      return shapeItem(value);
    if (state == State::OffsetsItem)
      return offsetsItem(value);
    return unexpected(std::to_string(value));
  }
  bool number_float(json::number_float_t, const json::string_t &text) {
    // An integer too large for 64 bits arrives here; say so rather than call
    // it a fraction.
    bool digitsOnly = !text.empty() &&
                      std::all_of(text.begin(), text.end(),
                                  [](char c) { return c >= '0' && c <= '9'; });
    if (digitsOnly &&
        (state == State::ShapeItem || state == State::OffsetsItem))
      return fail(
          fmt::format("{} entry {} is {}, which does not fit in 64 bits",
                      arrayName(), count, text));
    return unexpected(text);
  }
  bool string(json::string_t &value) {
    if (state == State::EntryValue && field == Field::DType) {
      current.dtype = std::move(value);
      current.hasDType = true;
      state = State::EntryKey;
      return true;
    }
    if (state == State::MetaValue) {
      metadata[metaKey] = std::move(value);
      state = State::MetaKey;
      return true;
    }
    return unexpected("a string");
  }
  bool binary(json::binary_t &) { return unexpected("binary data"); }

  bool start_object(std::size_t) {
    switch (state) {
    case State::Root:
      state = State::TopKey;
      return true;
    case State::TopValue:
      if (topKey == "__metadata__") {
        state = State::MetaKey;
        return true;
      }
      current = RawEntry();
      current.name = topKey;
      state = State::EntryKey;
      return true;
    default:
      return unexpected("an object");
    }
  }

  bool key(json::string_t &name) {
    switch (state) {
    case State::TopKey:
      if (!topKeys.insert(name).second)
        return fail(name == "__metadata__"
                        ? std::string("__metadata__ appears twice")
                        : fmt::format("tensor {} appears twice in the header",
                                      quoteName(name)));
      topKey = std::move(name);
      state = State::TopValue;
      return true;
    case State::MetaKey:
      if (metadata.count(name))
        return fail(
            fmt::format("__metadata__ has the key {} twice", quoteName(name)));
      metaKey = std::move(name);
      state = State::MetaValue;
      return true;
    case State::EntryKey: {
      bool *seen;
      if (name == "dtype") {
        field = Field::DType;
        seen = &current.hasDType;
      } else if (name == "shape") {
        field = Field::Shape;
        seen = &current.hasShape;
      } else if (name == "data_offsets") {
        field = Field::Offsets;
        seen = &current.hasOffsets;
      } else {
        return fail(fmt::format("unexpected key {}, expected only dtype, shape "
                                "and data_offsets",
                                quoteName(name)));
      }
      if (*seen)
        return fail(fmt::format("{} appears twice", name));
      state = State::EntryValue;
      return true;
    }
    default: // nlohmann only reports keys inside objects
      return fail("internal error: unexpected key");
    }
  }

  bool end_object() {
    switch (state) {
    case State::TopKey:
      state = State::Done;
      return true;
    case State::MetaKey:
      state = State::TopKey;
      return true;
    case State::EntryKey:
      for (auto [has, what] : {std::pair{current.hasDType, "dtype"},
                               std::pair{current.hasShape, "shape"},
                               std::pair{current.hasOffsets, "data_offsets"}})
        if (!has)
          return fail(fmt::format("entry has no {} (expected dtype, shape and "
                                  "data_offsets)",
                                  what));
      entries.push_back(std::move(current));
      state = State::TopKey;
      return true;
    default:
      return fail("internal error: unexpected end of object");
    }
  }

  bool start_array(std::size_t) {
    if (state == State::EntryValue && field == Field::Shape) {
      current.shape.clear();
      current.hasShape = true;
      state = State::ShapeItem;
      count = 0;
      return true;
    }
    if (state == State::EntryValue && field == Field::Offsets) {
      current.hasOffsets = true;
      state = State::OffsetsItem;
      count = 0;
      return true;
    }
    return unexpected("an array");
  }

  bool end_array() {
    if (state == State::ShapeItem) {
      state = State::EntryKey;
      return true;
    }
    if (state == State::OffsetsItem) {
      if (count != 2)
        return fail(fmt::format("data_offsets has {} {}, expected 2 "
                                "([begin, end])",
                                count, count == 1 ? "entry" : "entries"));
      state = State::EntryKey;
      return true;
    }
    return fail("internal error: unexpected end of array");
  }

  bool parse_error(std::size_t, const std::string &,
                   const nlohmann::detail::exception &error) {
    // Drop nlohmann's "[json.exception.parse_error.101] " tag.
    std::string_view what = error.what();
    if (size_t tag = what.find("] ");
        !what.empty() && what[0] == '[' && tag != std::string_view::npos)
      what.remove_prefix(tag + 2);
    problem = fmt::format("header is not valid JSON: {}", what);
    return false;
  }

private:
  enum class State {
    Root,        // before the header object
    TopKey,      // in the header object, before a key
    TopValue,    // after a key of the header object
    MetaKey,     // in __metadata__, before a key
    MetaValue,   // after a key of __metadata__
    EntryKey,    // in a tensor entry, before a key
    EntryValue,  // after a key of a tensor entry
    ShapeItem,   // in a shape array
    OffsetsItem, // in a data_offsets array
    Done,        // after the header object
  };
  enum class Field { DType, Shape, Offsets };

  State state = State::Root;
  Field field = Field::DType;
  std::unordered_set<std::string> topKeys;
  std::string topKey, metaKey;
  RawEntry current;
  size_t count = 0; // items seen in the current array

  bool inEntry() const {
    return state == State::EntryKey || state == State::EntryValue ||
           state == State::ShapeItem || state == State::OffsetsItem;
  }

  const char *arrayName() const {
    return state == State::ShapeItem ? "shape" : "data_offsets";
  }

  /// Records `message`, prefixed by the tensor it is about.
  bool fail(std::string message) {
    if (inEntry())
      problem = fmt::format("tensor {}: {}", quoteName(current.name), message);
    else
      problem = std::move(message);
    return false;
  }

  /// A value (described by `found`: a number's text, "a string", "an
  /// object", ...) where the current state expects something else.
  bool unexpected(const std::string &found) {
    switch (state) {
    case State::Root:
      return fail(fmt::format("header is {}, expected a JSON object", found));
    case State::TopValue:
      if (topKey == "__metadata__")
        return fail(fmt::format("__metadata__ is {}, expected an object of "
                                "strings",
                                found));
      return fail(fmt::format("tensor {}: entry is {}, expected an object with "
                              "dtype, shape and data_offsets",
                              quoteName(topKey), found));
    case State::MetaValue:
      return fail(fmt::format("__metadata__ value of {} is {}, expected a "
                              "string",
                              quoteName(metaKey), found));
    case State::EntryValue:
      switch (field) {
      case Field::DType:
        return fail(fmt::format("dtype is {}, expected a string", found));
      case Field::Shape:
        return fail(fmt::format("shape is {}, expected an array of unsigned "
                                "integers",
                                found));
      case Field::Offsets:
        return fail(fmt::format("data_offsets is {}, expected an array of 2 "
                                "unsigned integers",
                                found));
      }
      break;
    case State::ShapeItem:
    case State::OffsetsItem:
      return fail(fmt::format("{} entry {} is {}, expected an unsigned integer",
                              arrayName(), count, found));
    default:
      break;
    }
    return fail(fmt::format("internal error: unexpected {}", found));
  }

  bool shapeItem(uint64_t value) {
    if (count == kMaxRank)
      return fail(fmt::format("shape has more than {} dimensions", kMaxRank));
    // Each dimension must fit rules::Dim; the element-count limit bounds it.
    if (value > uint64_t(rules::kMaxElements))
      return fail(fmt::format("shape entry {} is {}, more than the limit of {} "
                              "elements",
                              count, value, rules::kMaxElements));
    current.shape.push_back(value);
    ++count;
    return true;
  }

  bool offsetsItem(uint64_t value) {
    if (count == 0)
      current.begin = value;
    else if (count == 1)
      current.end = value;
    ++count; // keep counting so that the message can say how many
    return true;
  }
};

//===----------------------------------------------------------------------===//
// Sources of bytes
//===----------------------------------------------------------------------===//

/// Random access to the file's bytes, so that the same checks serve a file on
/// disk and one in memory.
class ByteSource {
public:
  virtual ~ByteSource() = default;
  virtual uint64_t size() const = 0;
  /// Reads exactly `n` bytes at `offset`, or returns false.
  virtual bool read(uint64_t offset, void *dst, size_t n) = 0;
};

class MemorySource : public ByteSource {
public:
  explicit MemorySource(std::string_view bytes) : bytes(bytes) {}
  uint64_t size() const override { return bytes.size(); }
  bool read(uint64_t offset, void *dst, size_t n) override {
    if (offset > bytes.size() || n > bytes.size() - offset)
      return false;
    if (n)
      std::memcpy(dst, bytes.data() + offset, n);
    return true;
  }

private:
  std::string_view bytes;
};

class FileSource : public ByteSource {
public:
  FileSource(std::ifstream stream, uint64_t size)
      : stream(std::move(stream)), fileSize(size) {}
  uint64_t size() const override { return fileSize; }
  bool read(uint64_t offset, void *dst, size_t n) override {
    stream.clear();
    stream.seekg(std::streamoff(offset));
    stream.read(static_cast<char *>(dst), std::streamsize(n));
    return stream && uint64_t(stream.gcount()) == n;
  }

private:
  std::ifstream stream;
  uint64_t fileSize;
};

//===----------------------------------------------------------------------===//
// The reader
//===----------------------------------------------------------------------===//

class Reader {
public:
  Reader(std::string_view path, ByteSource &source)
      : path(path), source(source) {}

  Expected<SafetensorsFile> run() {
    uint64_t fileSize = source.size();
    if (fileSize < 8)
      return fail(fmt::format("the file is {} {}, too short for the 8-byte "
                              "header length that starts a safetensors file",
                              fileSize, fileSize == 1 ? "byte" : "bytes"));
    uint8_t prefix[8];
    if (!source.read(0, prefix, 8))
      return readError(0, 8);
    uint64_t headerSize = 0;
    for (int i = 7; i >= 0; --i)
      headerSize = (headerSize << 8) | prefix[i];
    if (headerSize > kMaxHeaderBytes)
      return fail(fmt::format("header length is {} bytes, more than the "
                              "format's limit of {}",
                              headerSize, kMaxHeaderBytes));
    if (headerSize > fileSize - 8)
      return fail(fmt::format("header length is {} bytes, but only {} bytes "
                              "follow the length field",
                              headerSize, fileSize - 8));
    if (headerSize == 0)
      return fail("header length is 0, expected a JSON object");

    // Bounded: headerSize <= kMaxHeaderBytes and the file really holds it.
    std::string header(headerSize, '\0');
    if (!source.read(8, header.data(), header.size()))
      return readError(8, header.size());
    dataStart = 8 + headerSize;
    dataSize = fileSize - dataStart;

    std::vector<RawEntry> entries;
    std::map<std::string, std::string> metadata;
    if (auto problem = parseHeader(header, entries, metadata))
      return fail(*problem);
    header = std::string(); // the header's memory is no longer needed
    if (auto problem = checkEntries(entries))
      return fail(*problem);

    SafetensorsFile file;
    file.path = std::string(path);
    file.metadata = std::move(metadata);
    if (auto problem = loadData(entries, file))
      return fail(*problem);
    return file;
  }

private:
  std::string_view path;
  ByteSource &source;
  uint64_t dataStart = 0, dataSize = 0;

  Error fail(std::string_view message) const {
    return Error{fmt::format("{}: {}", path, message)};
  }
  Error readError(uint64_t offset, uint64_t n) const {
    return fail(fmt::format("cannot read {} bytes at offset {} (the file "
                            "changed or a read failed)",
                            n, offset));
  }

  static std::optional<std::string>
  parseHeader(const std::string &header, std::vector<RawEntry> &entries,
              std::map<std::string, std::string> &metadata) {
    // The format requires UTF-8; checking it first also keeps invalid bytes
    // out of nlohmann's messages.
    for (size_t i = 0; i < header.size();) {
      size_t length = utf8SequenceLength(header, i);
      if (length == 0)
        return fmt::format("header is not valid UTF-8: byte 0x{:02X} at "
                           "offset {} of the header",
                           uint8_t(header[i]), i);
      i += length;
    }
    HeaderHandler handler;
    bool parsed = nlohmann::json::sax_parse(
        header.data(), header.data() + header.size(), &handler);
    if (!parsed)
      return handler.problem.empty() ? std::string("header is not valid JSON")
                                     : handler.problem;
    // nlohmann accepts leading whitespace and a byte-order mark; the format
    // allows padding only after the JSON (its reference rejects the rest).
    if (header[0] != '{')
      return fmt::format("header starts with byte 0x{:02X}, expected '{{' "
                         "(padding is allowed only after the JSON)",
                         uint8_t(header[0]));
    entries = std::move(handler.entries);
    metadata = std::move(handler.metadata);
    return std::nullopt;
  }

  std::optional<std::string>
  checkEntries(std::vector<RawEntry> &entries) const {
    for (RawEntry &entry : entries) {
      auto where = [&] {
        return fmt::format("tensor {}", quoteName(entry.name));
      };
      entry.info = findDType(entry.dtype);
      if (!entry.info)
        return fmt::format("{}: unknown dtype {} (actc reads F32, F16, BF16 "
                           "and F64)",
                           where(), quoteName(entry.dtype));
      // Checked product: a zero dimension makes the tensor empty whatever the
      // others are; otherwise stop at the limit before anything overflows.
      uint64_t elements = 1;
      bool empty = std::find(entry.shape.begin(), entry.shape.end(), 0) !=
                   entry.shape.end();
      if (empty) {
        elements = 0;
      } else {
        for (uint64_t dim : entry.shape) {
          if (elements > uint64_t(rules::kMaxElements) / dim)
            return fmt::format("{}: shape {} has more than {} elements",
                               where(), shapeText(entry), rules::kMaxElements);
          elements *= dim;
        }
      }
      entry.elements = elements;
      if (entry.begin > entry.end)
        return fmt::format("{}: data_offsets {} begin after they end", where(),
                           formatOffsets(entry.begin, entry.end));
      // elements <= 2^40 and bits <= 64: no overflow.
      uint64_t bits = elements * entry.info->bits;
      if (bits % 8 != 0)
        return fmt::format("{}: {} {} is {} bits, not a whole number of bytes",
                           where(), entry.dtype, shapeText(entry), bits);
      uint64_t needed = bits / 8, held = entry.end - entry.begin;
      if (held != needed)
        return fmt::format("{}: data_offsets {} hold {} {}, but {} {} needs {}",
                           where(), formatOffsets(entry.begin, entry.end), held,
                           held == 1 ? "byte" : "bytes", entry.dtype,
                           shapeText(entry), needed);
    }

    // The data must be one contiguous run from 0 to the end of the file.
    std::vector<const RawEntry *> order;
    order.reserve(entries.size());
    for (const RawEntry &entry : entries)
      order.push_back(&entry);
    std::sort(order.begin(), order.end(),
              [](const RawEntry *a, const RawEntry *b) {
                return std::tie(a->begin, a->end, a->name) <
                       std::tie(b->begin, b->end, b->name);
              });
    uint64_t position = 0;
    const RawEntry *previous = nullptr;
    for (const RawEntry *entry : order) {
      std::string offsets = formatOffsets(entry->begin, entry->end);
      std::string name = quoteName(entry->name);
      if (!previous && entry->begin != 0)
        return fmt::format("tensor {}: data_offsets {} start at {}, but the "
                           "data must start at 0 (no tensor starts there)",
                           name, offsets, entry->begin);
      if (previous && entry->begin > position)
        return fmt::format("tensor {}: data_offsets {} leave a gap of {} bytes "
                           "after tensor {} (which ends at {})",
                           name, offsets, entry->begin - position,
                           quoteName(previous->name), position);
      if (previous && entry->begin < position)
        return fmt::format("tensor {}: data_offsets {} overlap tensor {} "
                           "(data_offsets {})",
                           name, offsets, quoteName(previous->name),
                           formatOffsets(previous->begin, previous->end));
      position = entry->end;
      previous = entry;
    }
    if (position > dataSize)
      return fmt::format("tensor {}: data_offsets {} end past the end of the "
                         "file, which holds {} bytes of data after the header "
                         "(truncated?)",
                         quoteName(previous->name),
                         formatOffsets(previous->begin, previous->end),
                         dataSize);
    if (position < dataSize) {
      if (!previous)
        return fmt::format("the header lists no tensors, but {} bytes of data "
                           "follow it",
                           dataSize);
      return fmt::format("{} trailing bytes after the last tensor: tensor {} "
                         "ends at {}, but the file holds {} bytes of data "
                         "after the header",
                         dataSize - position, quoteName(previous->name),
                         position, dataSize);
    }
    return std::nullopt;
  }

  static std::string shapeText(const RawEntry &entry) {
    return fmt::format("[{}]", fmt::join(entry.shape, ", "));
  }

  std::optional<std::string> loadData(const std::vector<RawEntry> &entries,
                                      SafetensorsFile &file) {
    // Names of the converted tensors, by source dtype, for the notes.
    std::map<std::string, std::vector<std::string>> converted;
    std::vector<uint8_t> chunk;
    for (const RawEntry &entry : entries) {
      FileTensor tensor;
      tensor.dtype = entry.dtype;
      tensor.shape.assign(entry.shape.begin(), entry.shape.end());
      tensor.loaded = entry.info->loadable;
      if (tensor.loaded) {
        // Sized by a count that the real file size has vouched for.
        tensor.data.resize(entry.elements);
        if (!readElements(entry, tensor.data.data(), chunk))
          return fmt::format("tensor {}: cannot read {} bytes at offset {} "
                             "(the file changed or a read failed)",
                             quoteName(entry.name), entry.end - entry.begin,
                             dataStart + entry.begin);
        if (entry.dtype != "F32")
          converted[entry.dtype].push_back(entry.name);
      }
      file.tensors.emplace(entry.name, std::move(tensor));
    }
    for (auto &[dtype, names] : converted) {
      std::sort(names.begin(), names.end());
      if (names.size() == 1) {
        file.notes.push_back(fmt::format("{}: converted {} from {} to F32",
                                         path, quoteName(names[0]), dtype));
        continue;
      }
      constexpr size_t kListed = 8;
      std::vector<std::string> quoted;
      for (size_t i = 0; i < names.size() && i < kListed; ++i)
        quoted.push_back(quoteName(names[i]));
      std::string more =
          names.size() > kListed
              ? fmt::format(" and {} more", names.size() - kListed)
              : "";
      file.notes.push_back(fmt::format("{}: converted {} tensors from {} to "
                                       "F32: {}{}",
                                       path, names.size(), dtype,
                                       fmt::join(quoted, ", "), more));
    }
    return std::nullopt;
  }

  /// Reads and converts one tensor in bounded chunks.
  bool readElements(const RawEntry &entry, float *out,
                    std::vector<uint8_t> &chunk) {
    const size_t elementBytes = entry.info->bits / 8;
    uint64_t offset = dataStart + entry.begin;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (entry.dtype == "F32") // already the host's layout
      return source.read(offset, out, entry.elements * 4);
#endif
    constexpr size_t kChunkElements = 1 << 16;
    chunk.resize(kChunkElements * elementBytes);
    for (uint64_t done = 0; done < entry.elements;) {
      size_t n =
          size_t(std::min<uint64_t>(kChunkElements, entry.elements - done));
      if (!source.read(offset + done * elementBytes, chunk.data(),
                       n * elementBytes))
        return false;
      const uint8_t *p = chunk.data();
      for (size_t i = 0; i < n; ++i, p += elementBytes) {
        uint64_t bits = 0;
        for (size_t k = elementBytes; k-- > 0;)
          bits = (bits << 8) | p[k];
        float value;
        switch (entry.info->bits) {
        case 16:
          value = entry.dtype == "F16" ? halfToFloat(uint16_t(bits))
                                       : bfloat16ToFloat(uint16_t(bits));
          break;
        case 32:
          value = floatFromBits(uint32_t(bits));
          break;
        default: {
          double d;
          std::memcpy(&d, &bits, sizeof d);
          value = doubleToFloat(d);
          break;
        }
        }
        out[done + i] = value;
      }
      done += n;
    }
    return true;
  }
};

/// Runs the reader, turning an allocation failure (a huge but genuine file)
/// or any other exception into an error rather than letting it escape.
Expected<SafetensorsFile> runReader(std::string_view path, ByteSource &source) {
  try {
    return Reader(path, source).run();
  } catch (const std::bad_alloc &) {
    return Error{fmt::format("{}: out of memory while reading the file", path)};
  } catch (const std::length_error &) {
    return Error{fmt::format("{}: out of memory while reading the file", path)};
  } catch (const std::exception &e) {
    return Error{fmt::format("{}: internal error while reading the file: {}",
                             path, e.what())};
  }
}

} // namespace

Expected<SafetensorsFile> parseSafetensors(std::string_view displayName,
                                           std::string_view bytes) {
  MemorySource source(bytes);
  return runReader(displayName, source);
}

Expected<SafetensorsFile> readSafetensorsFile(const std::string &path) {
  // A directory opens as a stream on Linux and fails only on reading; say
  // what it is instead.
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    std::string reason = std::generic_category().message(errno);
    return Error{
        fmt::format("{}: cannot open the weights file: {}", path, reason)};
  }
  if (!S_ISREG(info.st_mode))
    return Error{fmt::format("{}: not a regular file", path)};
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    std::string reason = std::generic_category().message(errno);
    return Error{
        fmt::format("{}: cannot open the weights file: {}", path, reason)};
  }
  // The size as the open stream sees it, not as stat saw it a moment ago.
  stream.seekg(0, std::ios::end);
  std::streamoff size = stream.tellg();
  if (!stream || size < 0)
    return Error{fmt::format("{}: cannot determine the file's size", path)};
  FileSource source(std::move(stream), uint64_t(size));
  return runReader(path, source);
}

} // namespace actc::weights
