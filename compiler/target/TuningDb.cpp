// SPDX-License-Identifier: Apache-2.0
//
// The tuning database's reader and writer (TuningDb.h, docs/tuning-db.md).

#include "compiler/target/TuningDb.h"

#include "compiler/target/Target.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace actc::target {

bool Schedule::operator==(const Schedule &o) const {
  return tile == o.tile && reduceSplit == o.reduceSplit && vector == o.vector &&
         unroll == o.unroll && parallelDim == o.parallelDim &&
         parallelChunk == o.parallelChunk && gpuBlock == o.gpuBlock &&
         gpuThread == o.gpuThread;
}

const TuningEntry *TuningDb::find(const std::string &target,
                                  const std::string &signature) const {
  auto it = entries.find({target, signature});
  return it == entries.end() ? nullptr : &it->second;
}

void TuningDb::put(TuningEntry entry) {
  auto key = std::make_pair(entry.target, entry.signature);
  entries[key] = std::move(entry);
}

namespace {

constexpr std::string_view kMagic = "actc-tuning-db";
constexpr const char *kKeys =
    "tile, reduce_split, vector, unroll, parallel_dim, parallel_chunk, "
    "gpu_block, gpu_thread";

std::vector<std::string_view> splitWords(std::string_view line) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
      ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t')
      ++i;
    if (i > start)
      words.push_back(line.substr(start, i - start));
  }
  return words;
}

/// A decimal integer >= `min` with no sign, spaces or leading garbage.
std::optional<int64_t> parseInt(std::string_view text, int64_t min) {
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(),
                   [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  int64_t value = std::stoll(std::string(text));
  if (value < min)
    return std::nullopt;
  return value;
}

std::optional<std::vector<int64_t>> parseList(std::string_view text) {
  std::vector<int64_t> values;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::optional<int64_t> v = parseInt(
        text.substr(start,
                    comma == std::string_view::npos ? comma : comma - start),
        1);
    if (!v)
      return std::nullopt;
    values.push_back(*v);
    if (comma == std::string_view::npos)
      return values;
    start = comma + 1;
  }
}

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

/// Sets one key of `schedule`; returns an error message ("expected ...,
/// found ...") or "".
std::string setKey(Schedule &schedule, std::string_view key,
                   std::string_view value) {
  auto list = [&](std::vector<int64_t> &field) -> std::string {
    if (!field.empty())
      return "expected each key once, found " + quoted(key) + " twice";
    std::optional<std::vector<int64_t>> parsed = parseList(value);
    if (!parsed)
      return "expected a comma-separated list of positive integers for " +
             quoted(key) + ", found " + quoted(value);
    field = *parsed;
    return "";
  };
  auto integer = [&](std::optional<int64_t> &field,
                     int64_t min) -> std::string {
    if (field)
      return "expected each key once, found " + quoted(key) + " twice";
    std::optional<int64_t> parsed = parseInt(value, min);
    if (!parsed)
      return std::string("expected ") +
             (min == 0 ? "a non-negative" : "a positive") + " integer for " +
             quoted(key) + ", found " + quoted(value);
    field = parsed;
    return "";
  };
  if (key == "tile")
    return list(schedule.tile);
  if (key == "gpu_block")
    return list(schedule.gpuBlock);
  if (key == "gpu_thread")
    return list(schedule.gpuThread);
  if (key == "reduce_split")
    return integer(schedule.reduceSplit, 1);
  if (key == "vector")
    return integer(schedule.vector, 1);
  if (key == "unroll")
    return integer(schedule.unroll, 1);
  if (key == "parallel_dim")
    return integer(schedule.parallelDim, 0);
  if (key == "parallel_chunk")
    return integer(schedule.parallelChunk, 1);
  return std::string("expected a schedule key (") + kKeys + "), found " +
         quoted(key);
}

void appendList(std::ostringstream &os, const char *key,
                const std::vector<int64_t> &values) {
  if (values.empty())
    return;
  os << ' ' << key << '=';
  for (size_t i = 0; i < values.size(); ++i)
    os << (i ? "," : "") << values[i];
}

void appendInt(std::ostringstream &os, const char *key,
               const std::optional<int64_t> &value) {
  if (value)
    os << ' ' << key << '=' << *value;
}

} // namespace

TuningDbResult parseTuningDb(std::string_view text,
                             const std::string &fileName) {
  TuningDbResult result;
  TuningDb db;
  std::map<std::pair<std::string, std::string>, int> lineOf;
  std::vector<std::string> targets = targetNames();
  bool sawHeader = false;
  int lineNo = 0;
  size_t pos = 0;
  auto fail = [&](const std::string &message) {
    result.error = fileName + ":" + std::to_string(lineNo) + ": " + message;
    return result;
  };
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos)
      end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++lineNo;
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    // A note: everything after the first '#'.
    std::string note;
    if (size_t hash = line.find('#'); hash != std::string_view::npos) {
      std::string_view rest = line.substr(hash + 1);
      while (!rest.empty() && rest.front() == ' ')
        rest.remove_prefix(1);
      note = std::string(rest);
      line = line.substr(0, hash);
    }
    std::vector<std::string_view> words = splitWords(line);
    if (words.empty()) {
      if (end == text.size())
        break;
      continue;
    }
    if (!sawHeader) {
      if (words[0] != kMagic || words.size() != 2)
        return fail("expected the header '" + std::string(kMagic) + " " +
                    std::to_string(kTuningDbVersion) + "', found " +
                    quoted(line));
      std::optional<int64_t> version = parseInt(words[1], 0);
      if (version != kTuningDbVersion)
        return fail("expected format version " +
                    std::to_string(kTuningDbVersion) + ", found " +
                    quoted(words[1]));
      sawHeader = true;
      continue;
    }
    if (words.size() < 3)
      return fail("expected 'TARGET SIGNATURE KEY=VALUE ...', found " +
                  quoted(line));
    TuningEntry entry;
    entry.target = std::string(words[0]);
    if (entry.target == "host" || std::find(targets.begin(), targets.end(),
                                            entry.target) == targets.end()) {
      std::string known;
      for (size_t i = 1; i < targets.size(); ++i)
        known += (i > 1 ? ", " : "") + targets[i];
      return fail("expected a target (" + known + "), found " +
                  quoted(words[0]));
    }
    entry.signature = std::string(words[1]);
    if (entry.signature.find('=') != std::string::npos)
      return fail("expected a kernel signature before the first key, found " +
                  quoted(words[1]));
    for (size_t i = 2; i < words.size(); ++i) {
      size_t eq = words[i].find('=');
      if (eq == std::string_view::npos)
        return fail("expected KEY=VALUE, found " + quoted(words[i]));
      std::string error = setKey(entry.schedule, words[i].substr(0, eq),
                                 words[i].substr(eq + 1));
      if (!error.empty())
        return fail(error);
    }
    entry.note = note;
    auto key = std::make_pair(entry.target, entry.signature);
    if (auto it = lineOf.find(key); it != lineOf.end())
      return fail("expected one entry per target and signature, found a "
                  "second one for " +
                  entry.target + " " + entry.signature +
                  " (the first is on "
                  "line " +
                  std::to_string(it->second) + ")");
    lineOf[key] = lineNo;
    db.put(std::move(entry));
    if (end == text.size())
      break;
  }
  if (!sawHeader)
    return fail("expected the header '" + std::string(kMagic) + " " +
                std::to_string(kTuningDbVersion) +
                "', found the end of the "
                "file");
  result.db = std::move(db);
  return result;
}

TuningDbResult readTuningDb(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    TuningDbResult result;
    result.error =
        path + ": cannot open the tuning database: " + std::strerror(errno);
    return result;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parseTuningDb(text.str(), path);
}

std::string formatTuningDb(const TuningDb &db) {
  std::ostringstream os;
  os << "# actc tuning database: one schedule per target and kernel "
        "signature.\n"
        "# Format: docs/tuning-db.md. `actc tune` rewrites it sorted; "
        "comments are not kept.\n"
     << kMagic << ' ' << kTuningDbVersion << '\n';
  for (const auto &[key, entry] : db.entries) {
    os << entry.target << ' ' << entry.signature;
    const Schedule &s = entry.schedule;
    appendList(os, "tile", s.tile);
    appendInt(os, "reduce_split", s.reduceSplit);
    appendInt(os, "vector", s.vector);
    appendInt(os, "unroll", s.unroll);
    appendInt(os, "parallel_dim", s.parallelDim);
    appendInt(os, "parallel_chunk", s.parallelChunk);
    appendList(os, "gpu_block", s.gpuBlock);
    appendList(os, "gpu_thread", s.gpuThread);
    if (!entry.note.empty())
      os << "  # " << entry.note;
    os << '\n';
  }
  return os.str();
}

std::string writeTuningDb(const std::string &path, const TuningDb &db) {
  std::error_code ec;
  std::filesystem::path file(path);
  if (file.has_parent_path())
    std::filesystem::create_directories(file.parent_path(), ec);
  std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out)
      return temp +
             ": cannot write the tuning database: " + std::strerror(errno);
    out << formatTuningDb(db);
    if (!out.flush())
      return temp + ": cannot write the tuning database";
  }
  std::filesystem::rename(temp, path, ec);
  if (ec)
    return path + ": cannot replace the tuning database: " + ec.message();
  return "";
}

std::string defaultTuningDbPath() {
  if (const char *env = std::getenv("ACTC_TUNING_DB"); env && *env)
    return env;
  if (const char *home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.cache/actc/tuning.json";
  return "";
}

} // namespace actc::target
