// SPDX-License-Identifier: Apache-2.0
//
// The identifier rule of docs/c-api.md: sanitizing, reserved words and
// uniqueness under upper-casing.

#include "compiler/backend/emit/CIdentifiers.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <unordered_set>

namespace actc::emit {

namespace {

bool isIdentChar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}

std::string lower(std::string_view s) {
  std::string r(s);
  for (char &c : r)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

const std::unordered_set<std::string> &reservedWords() {
  static const std::unordered_set<std::string> words = {
      // C89-C23 keywords
      "auto", "break", "case", "char", "const", "continue", "default", "do",
      "double", "else", "enum", "extern", "float", "for", "goto", "if",
      "inline", "int", "long", "register", "restrict", "return", "short",
      "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
      "unsigned", "void", "volatile", "while", "alignas", "alignof", "bool",
      "constexpr", "false", "nullptr", "static_assert", "thread_local", "true",
      "typeof", "typeof_unqual", "_Alignas", "_Alignof", "_Atomic", "_BitInt",
      "_Bool", "_Complex", "_Decimal128", "_Decimal32", "_Decimal64",
      "_Generic", "_Imaginary", "_Noreturn", "_Static_assert", "_Thread_local",
      "asm", "fortran",
      // C++ keywords and alternative tokens
      "and", "and_eq", "bitand", "bitor", "catch", "char8_t", "char16_t",
      "char32_t", "class", "co_await", "co_return", "co_yield", "compl",
      "concept", "consteval", "constinit", "const_cast", "decltype", "delete",
      "dynamic_cast", "explicit", "export", "friend", "mutable", "namespace",
      "new", "noexcept", "not", "not_eq", "operator", "or", "or_eq", "private",
      "protected", "public", "reinterpret_cast", "requires", "static_cast",
      "template", "this", "throw", "try", "typeid", "typename", "using",
      "virtual", "wchar_t", "xor", "xor_eq", "final", "override", "import",
      "module",
      // Macros and typedefs of the standard headers and compilers
      "NULL", "EOF", "errno", "stdin", "stdout", "stderr", "assert", "offsetof",
      "size_t", "ptrdiff_t", "max_align_t", "nullptr_t", "int8_t", "int16_t",
      "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t",
      "intptr_t", "uintptr_t", "intmax_t", "uintmax_t", "complex", "imaginary",
      "I", "noreturn", "va_list", "va_arg", "va_start", "va_end", "va_copy",
      "setjmp", "longjmp", "unix", "linux", "i386", "FILE", "main", "signal",
      "raise", "exit", "abort", "free", "malloc", "calloc", "realloc", "memcpy",
      "memset", "printf", "abs", "min", "max", "M_PI", "INFINITY", "NAN",
      "HUGE_VAL", "CHAR_BIT", "INT_MAX", "INT_MIN", "SIZE_MAX", "EXIT_SUCCESS",
      "EXIT_FAILURE", "RAND_MAX", "BUFSIZ", "SEEK_SET", "SEEK_CUR", "SEEK_END",
      "EDOM", "ERANGE", "EILSEQ"};
  return words;
}

bool inRuntimeNamespace(std::string_view id) {
  std::string l = lower(id);
  for (std::string_view prefix : {"actc", "halide"})
    if (l.rfind(prefix, 0) == 0 &&
        (l.size() == prefix.size() || l[prefix.size()] == '_'))
      return true;
  return false;
}

} // namespace

std::string sanitizeIdentifierBase(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char ch : name) {
    char c = isIdentChar(static_cast<unsigned char>(ch)) ? ch : '_';
    if (c == '_' && (out.empty() || out.back() == '_'))
      continue; // no leading '_', no "__"
    out.push_back(c);
  }
  while (!out.empty() && out.back() == '_')
    out.pop_back();
  if (out.empty())
    out = "unnamed";
  if (out[0] >= '0' && out[0] <= '9')
    out = "n_" + out;
  if (out.size() > kMaxIdentifierLength) {
    out.resize(kMaxIdentifierLength);
    while (out.back() == '_')
      out.pop_back();
  }
  return out;
}

bool isReservedWord(std::string_view id) {
  return reservedWords().count(std::string(id)) != 0;
}

std::string modelIdentifier(std::string_view modelName) {
  std::string id = sanitizeIdentifierBase(modelName);
  if (isReservedWord(id))
    id += "_x";
  if (inRuntimeNamespace(id))
    id = "m_" + id;
  return id;
}

std::string macroName(std::string_view id) {
  std::string r(id);
  for (char &c : r)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return r;
}

CNames assignCNames(const backend::ModelInterface &model) {
  CNames names;
  names.model = modelIdentifier(model.modelName);
  names.macroPrefix = macroName(names.model);
  std::set<std::string> takenUpper;
  auto assign = [&](const std::string &original) {
    std::string base = sanitizeIdentifierBase(original);
    if (isReservedWord(base) || base == "model")
      base += "_x";
    std::string id = base;
    for (int k = 2; takenUpper.count(macroName(id)); ++k)
      id = base + "_" + std::to_string(k);
    takenUpper.insert(macroName(id));
    return id;
  };
  for (const std::string &d : model.dynamicDims)
    names.dynamicDims.push_back(assign(d));
  for (const backend::TensorDecl &t : model.inputs) {
    names.inputs.push_back(assign(t.name));
    names.inputMacros.push_back(macroName(names.inputs.back()));
  }
  for (const backend::TensorDecl &t : model.outputs) {
    names.outputs.push_back(assign(t.name));
    names.outputMacros.push_back(macroName(names.outputs.back()));
  }
  return names;
}

std::string commentSafe(std::string_view text) {
  std::string out;
  for (char ch : text) {
    unsigned char c = static_cast<unsigned char>(ch);
    bool keep = isIdentChar(c) || c == '.' || c == ':' || c == ',' ||
                c == '+' || c == '-' || c == ' ' || c == '[' || c == ']';
    out.push_back(keep ? ch : '?');
  }
  return out;
}

std::string cStringLiteral(std::string_view text) {
  std::string out = "\"";
  for (char ch : text) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\' || c == '?') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (c >= 0x20 && c < 0x7f) {
      out.push_back(ch);
    } else {
      const char digits[] = "01234567";
      out.push_back('\\');
      out.push_back(digits[(c >> 6) & 7]);
      out.push_back(digits[(c >> 3) & 7]);
      out.push_back(digits[c & 7]);
    }
  }
  out.push_back('"');
  return out;
}

} // namespace actc::emit
