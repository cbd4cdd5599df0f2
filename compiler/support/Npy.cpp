// SPDX-License-Identifier: Apache-2.0
//
// See Npy.h. The header is parsed by a hand-written recursive descent over
// the subset of Python literal syntax that NumPy writes (a dict of string
// keys, a string, a bool and a tuple of non-negative integers), so that no
// input is ever evaluated and every deviation gets a message with the
// column it was found at. Built without exceptions: sizes are checked
// against the file length before anything is allocated.

#include "compiler/support/Npy.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace actc::npy {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;

/// `s` with every byte outside printable ASCII as \xNN (for messages).
std::string escapeBytes(std::string_view s) {
  static const char *hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += char(c);
    } else {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string formatShape(const std::vector<int64_t> &shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1)
    s += ",";
  return s + ")";
}

std::string plural(uint64_t n, const char *unit) {
  return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

/// The element type of a supported descr.
struct DType {
  enum Kind { F16, F32, F64 } kind;
  bool bigEndian;
  size_t itemSize() const { return kind == F16 ? 2 : kind == F32 ? 4 : 8; }
};

/// A human name for a descr NumPy might write, for rejections.
std::string describeDescr(std::string_view descr) {
  std::string_view body = descr;
  if (!body.empty() &&
      (body[0] == '<' || body[0] == '>' || body[0] == '|' || body[0] == '='))
    body.remove_prefix(1);
  if (body.empty())
    return "an empty dtype";
  char kind = body[0];
  std::string size(body.substr(1));
  int bytes = 0;
  for (char c : size) {
    if (c < '0' || c > '9' || bytes > 1000) {
      bytes = -1;
      break;
    }
    bytes = bytes * 10 + (c - '0');
  }
  std::string bits = bytes > 0 ? std::to_string(bytes * 8) : "";
  switch (kind) {
  case 'O':
    return "Python objects";
  case 'b':
    return size == "1" || size.empty() ? "int8" : "an integer type";
  case '?':
    return "bool";
  case 'i':
    return bits.empty() ? "an integer type" : "int" + bits;
  case 'u':
    return bits.empty() ? "an unsigned integer type" : "uint" + bits;
  case 'B':
    return "uint8";
  case 'f':
    return bits.empty() ? "a float type" : "float" + bits;
  case 'c':
    return bits.empty() ? "a complex type" : "complex" + bits;
  case 'S':
  case 'a':
    return "byte strings";
  case 'U':
    return "unicode strings";
  case 'V':
    return "raw bytes (void)";
  case 'M':
    return "datetime64";
  case 'm':
    return "timedelta64";
  default:
    return "an unknown type";
  }
}

/// The strict parser of the header dict.
class HeaderParser {
public:
  HeaderParser(std::string_view text) : text(text) {}

  /// Parses the whole header; on failure `error` says why (without the
  /// file name).
  bool parse();

  std::string error;
  std::string descr;
  bool fortranOrder = false;
  std::vector<int64_t> shape;

private:
  void skipSpace() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t'))
      ++pos;
  }
  std::string found() const {
    if (pos >= text.size())
      return "the end of the header";
    if (text[pos] == '\n')
      return "a newline";
    return "'" + escapeBytes(text.substr(pos, 1)) + "'";
  }
  bool fail(const std::string &expected) {
    error = "invalid header at column " + std::to_string(pos + 1) +
            ": expected " + expected + ", found " + found();
    return false;
  }
  bool expect(char c, const char *what) {
    skipSpace();
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return fail(what);
  }
  bool parseString(std::string &out, const char *what);
  bool parseBool(bool &out);
  bool parseShape();

  std::string_view text;
  size_t pos = 0;
};

bool HeaderParser::parseString(std::string &out, const char *what) {
  skipSpace();
  if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"'))
    return fail(what);
  char quote = text[pos++];
  size_t start = pos;
  while (pos < text.size() && text[pos] != quote && text[pos] != '\n') {
    if (text[pos] == '\\')
      return fail("a string without escapes");
    ++pos;
  }
  if (pos >= text.size() || text[pos] == '\n')
    return fail(std::string("the closing quote ") + quote);
  out = std::string(text.substr(start, pos - start));
  ++pos;
  return true;
}

bool HeaderParser::parseBool(bool &out) {
  skipSpace();
  if (text.substr(pos, 4) == "True") {
    pos += 4;
    out = true;
    return true;
  }
  if (text.substr(pos, 5) == "False") {
    pos += 5;
    out = false;
    return true;
  }
  return fail("True or False for 'fortran_order'");
}

bool HeaderParser::parseShape() {
  if (!expect('(', "a tuple '(' for 'shape'"))
    return false;
  bool sawComma = false;
  for (;;) {
    skipSpace();
    if (pos < text.size() && text[pos] == ')') {
      if (shape.size() == 1 && !sawComma)
        return fail("',' after the only dimension (Python's 1-tuple)");
      ++pos;
      return true;
    }
    if (!shape.empty() && !sawComma)
      return fail("',' or ')' in 'shape'");
    if (pos >= text.size() || text[pos] < '0' || text[pos] > '9')
      return fail("a dimension (a non-negative integer)");
    size_t start = pos;
    uint64_t value = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      value = value * 10 + uint64_t(text[pos] - '0');
      if (value > kMaxElements) {
        pos = start;
        return fail("a dimension of at most 2^40");
      }
      ++pos;
    }
    if (pos - start > 1 && text[start] == '0') {
      pos = start;
      return fail("a dimension without leading zeros");
    }
    shape.push_back(int64_t(value));
    skipSpace();
    sawComma = pos < text.size() && text[pos] == ',';
    if (sawComma)
      ++pos;
  }
}

bool HeaderParser::parse() {
  if (!expect('{', "'{' (a Python dict)"))
    return false;
  bool haveDescr = false, haveOrder = false, haveShape = false;
  for (;;) {
    skipSpace();
    if (pos < text.size() && text[pos] == '}') {
      ++pos;
      break;
    }
    std::string key;
    size_t keyPos = pos;
    if (!parseString(key, "a quoted key or '}'"))
      return false;
    bool *have = key == "descr"           ? &haveDescr
                 : key == "fortran_order" ? &haveOrder
                 : key == "shape"         ? &haveShape
                                          : nullptr;
    if (!have) {
      error = "invalid header at column " + std::to_string(keyPos + 1) +
              ": unexpected key '" + escapeBytes(key) +
              "'; expected 'descr', 'fortran_order' and 'shape'";
      return false;
    }
    if (*have) {
      error = "invalid header at column " + std::to_string(keyPos + 1) +
              ": duplicate key '" + key + "'";
      return false;
    }
    *have = true;
    if (!expect(':', "':' after the key"))
      return false;
    if (key == "descr") {
      skipSpace();
      if (pos < text.size() && text[pos] == '[') {
        error = "unsupported dtype: structured dtypes (a list 'descr') are "
                "not supported; expected float32 ('<f4')";
        return false;
      }
      if (!parseString(descr, "a quoted dtype string for 'descr'"))
        return false;
    } else if (key == "fortran_order") {
      if (!parseBool(fortranOrder))
        return false;
    } else if (!parseShape()) {
      return false;
    }
    skipSpace();
    if (pos < text.size() && text[pos] == ',') {
      ++pos;
      continue;
    }
    skipSpace();
    if (pos < text.size() && text[pos] == '}') {
      ++pos;
      break;
    }
    return fail("',' or '}'");
  }
  skipSpace();
  if (pos >= text.size() || text[pos] != '\n')
    return fail("a newline ending the header after '}'");
  if (pos + 1 != text.size()) {
    ++pos;
    return fail("nothing after the newline ending the header");
  }
  const char *missing = !haveDescr   ? "descr"
                        : !haveOrder ? "fortran_order"
                        : !haveShape ? "shape"
                                     : nullptr;
  if (missing) {
    error = std::string("invalid header: missing key '") + missing + "'";
    return false;
  }
  return true;
}

double halfToDouble(uint16_t h) {
  int exponent = (h >> 10) & 0x1f;
  int mantissa = h & 0x3ff;
  double sign = (h & 0x8000) ? -1.0 : 1.0;
  if (exponent == 0)
    return sign * std::ldexp(double(mantissa), -24);
  if (exponent == 31)
    return mantissa ? std::nan("") : sign * INFINITY;
  return sign * std::ldexp(double(mantissa | 0x400), exponent - 25);
}

double decodeItem(const unsigned char *p, DType type) {
  unsigned char bytes[8];
  size_t n = type.itemSize();
  for (size_t i = 0; i < n; ++i)
    bytes[i] = type.bigEndian ? p[n - 1 - i] : p[i];
  switch (type.kind) {
  case DType::F16: {
    uint16_t h = uint16_t(bytes[0] | (bytes[1] << 8));
    return halfToDouble(h);
  }
  case DType::F32: {
    uint32_t bits = 0;
    for (int i = 3; i >= 0; --i)
      bits = (bits << 8) | bytes[i];
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
  case DType::F64: {
    uint64_t bits = 0;
    for (int i = 7; i >= 0; --i)
      bits = (bits << 8) | bytes[i];
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  }
  }
  return 0;
}

} // namespace

NpyResult parseNpy(std::string_view bytes, std::string_view fileName) {
  NpyResult result;
  std::string file(fileName);
  auto fail = [&](const std::string &message) {
    result.error = file + ": " + message;
    return result;
  };

  if (bytes.size() < kMagicSize ||
      bytes.substr(0, kMagicSize) != std::string_view(kMagic, kMagicSize)) {
    if (bytes.size() < kMagicSize)
      return fail("not a .npy file: expected the magic string '\\x93NUMPY', "
                  "found a file of " +
                  plural(bytes.size(), "byte"));
    return fail("not a .npy file: expected the magic string '\\x93NUMPY', "
                "found '" +
                escapeBytes(bytes.substr(0, kMagicSize)) + "'");
  }
  if (bytes.size() < kMagicSize + 2)
    return fail("truncated: the file ends inside the version bytes");
  unsigned major = (unsigned char)bytes[6], minor = (unsigned char)bytes[7];
  if ((major < 1 || major > 3) || minor != 0)
    return fail("unsupported .npy version " + std::to_string(major) + "." +
                std::to_string(minor) + "; expected 1.0, 2.0 or 3.0");
  size_t lengthSize = major == 1 ? 2 : 4;
  size_t headerStart = kMagicSize + 2 + lengthSize;
  if (bytes.size() < headerStart)
    return fail("truncated: expected a " + std::to_string(lengthSize) +
                "-byte header length after the version, found " +
                plural(bytes.size() - kMagicSize - 2, "byte"));
  uint64_t headerLength = 0;
  for (size_t i = 0; i < lengthSize; ++i)
    headerLength |= uint64_t((unsigned char)bytes[8 + i]) << (8 * i);
  if (headerLength > bytes.size() - headerStart)
    return fail("truncated: the header length field says " +
                plural(headerLength, "byte") + ", but only " +
                plural(bytes.size() - headerStart, "byte") + " follow it");
  std::string_view header = bytes.substr(headerStart, headerLength);
  if (major < 3) {
    for (unsigned char c : header)
      if (c >= 0x80)
        return fail("invalid header: version " + std::to_string(major) +
                    ".0 headers are ASCII, found byte '" +
                    escapeBytes(std::string(1, char(c))) +
                    "' (version 3.0 allows UTF-8)");
  }

  HeaderParser parser(header);
  if (!parser.parse())
    return fail(parser.error);

  // The dtype.
  const std::string &descr = parser.descr;
  std::optional<DType> type;
  if (descr.size() == 3 && (descr[0] == '<' || descr[0] == '>') &&
      descr[1] == 'f') {
    bool big = descr[0] == '>';
    if (descr[2] == '2')
      type = DType{DType::F16, big};
    else if (descr[2] == '4')
      type = DType{DType::F32, big};
    else if (descr[2] == '8')
      type = DType{DType::F64, big};
  }
  if (!type)
    return fail("unsupported dtype '" + escapeBytes(descr) + "' (" +
                describeDescr(descr) + "); expected float32 ('<f4')");
  if (descr != "<f4")
    result.notes.push_back(file + ": converting " + describeDescr(descr) +
                           (type->bigEndian ? " big-endian" : "") + " ('" +
                           descr + "') to float32");

  // The element count, without overflow: each dim is <= 2^40, so checking
  // the running product against 2^40 after each step keeps it below 2^80,
  // which does not fit; check before multiplying instead.
  uint64_t count = 1;
  for (int64_t d : parser.shape) {
    if (d != 0 && count > kMaxElements / uint64_t(d))
      return fail("shape " + formatShape(parser.shape) +
                  " has more than 2^40 elements");
    count *= uint64_t(d);
  }
  if (count > kMaxElements)
    return fail("shape " + formatShape(parser.shape) +
                " has more than 2^40 elements");

  uint64_t dataSize = count * type->itemSize();
  uint64_t available = bytes.size() - headerStart - headerLength;
  std::string what = "shape " + formatShape(parser.shape) + " of '" + descr +
                     "' needs " + plural(dataSize, "byte");
  if (available < dataSize)
    return fail("truncated data: " + what + ", found " +
                plural(available, "byte"));
  if (available > dataSize)
    return fail("trailing data: " + what + ", found " +
                plural(available, "byte"));

  NpyArray array;
  array.shape = parser.shape;
  array.descr = descr;
  array.data.resize(count);
  const unsigned char *data = reinterpret_cast<const unsigned char *>(
      bytes.data() + headerStart + headerLength);
  size_t itemSize = type->itemSize();
  if (!parser.fortranOrder || parser.shape.size() < 2) {
    for (uint64_t i = 0; i < count; ++i)
      array.data[i] = decodeItem(data + i * itemSize, *type);
  } else {
    // Element (i0, ..., in-1) sits at sum(ik * prod(d0..dk-1)) in Fortran
    // order; walk the C order and carry the Fortran offset along.
    size_t rank = parser.shape.size();
    std::vector<int64_t> index(rank, 0);
    std::vector<uint64_t> fstride(rank, 1);
    for (size_t k = 1; k < rank; ++k)
      fstride[k] = fstride[k - 1] * uint64_t(parser.shape[k - 1]);
    for (uint64_t i = 0; i < count; ++i) {
      uint64_t offset = 0;
      for (size_t k = 0; k < rank; ++k)
        offset += uint64_t(index[k]) * fstride[k];
      array.data[i] = decodeItem(data + offset * itemSize, *type);
      for (size_t k = rank; k-- > 0;) {
        if (++index[k] < parser.shape[k])
          break;
        index[k] = 0;
      }
    }
  }
  if (parser.fortranOrder && parser.shape.size() >= 2)
    result.notes.push_back(file +
                           ": transposing Fortran-order data to C order");
  result.array = std::move(array);
  return result;
}

NpyResult readNpyFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    NpyResult result;
    result.error = path + ": cannot open: " + std::strerror(errno);
    return result;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    NpyResult result;
    result.error = path + ": cannot read: " + std::strerror(errno);
    return result;
  }
  return parseNpy(buffer.str(), path);
}

std::vector<float> toFloat32(const NpyArray &array) {
  return std::vector<float>(array.data.begin(), array.data.end());
}

std::string encodeNpy(const std::vector<int64_t> &shape,
                      const std::vector<float> &data) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " +
                       formatShape(shape) + ", }";
  // Magic (6) + version (2) + length (2) + header + '\n', padded to 64.
  size_t total = kMagicSize + 4 + header.size() + 1;
  size_t padded = (total + 63) / 64 * 64;
  header.append(padded - total, ' ');
  header += '\n';
  std::string out(kMagic, kMagicSize);
  out += char(1);
  out += char(0);
  out += char(header.size() & 0xff);
  out += char((header.size() >> 8) & 0xff);
  out += header;
  for (float f : data) {
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    for (int i = 0; i < 4; ++i)
      out += char((bits >> (8 * i)) & 0xff);
  }
  return out;
}

std::string writeNpyFile(const std::string &path,
                         const std::vector<int64_t> &shape,
                         const std::vector<float> &data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out)
    return path + ": cannot create: " + std::strerror(errno);
  std::string bytes = encodeNpy(shape, data);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  out.close();
  if (!out)
    return path + ": cannot write: " + std::strerror(errno);
  return "";
}

} // namespace actc::npy
