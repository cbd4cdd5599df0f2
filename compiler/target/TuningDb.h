// SPDX-License-Identifier: Apache-2.0
//
// The tuning database: the schedules `actc tune` measured, per (target,
// kernel signature), that `actc compile` uses instead of the heuristic.
// A line-based text file, one entry a line, sorted, so a person can read it
// and a diff shows what changed; docs/tuning-db.md is the format's
// reference. The reader is strict: every error names file:line and says
// what it expected and what it found. Plain C++ (no MLIR).

#ifndef ACTC_COMPILER_TARGET_TUNINGDB_H
#define ACTC_COMPILER_TARGET_TUNINGDB_H

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace actc::target {

/// The format version this actc reads and writes.
inline constexpr int kTuningDbVersion = 1;

/// A schedule as the database stores it; an absent field is left to the
/// heuristic. The names are the kern.kernel schedule keys.
struct Schedule {
  std::vector<int64_t> tile;
  std::optional<int64_t> reduceSplit;
  std::optional<int64_t> vector;
  std::optional<int64_t> unroll;
  std::optional<int64_t> parallelDim;
  std::optional<int64_t> parallelChunk;
  std::vector<int64_t> gpuBlock;
  std::vector<int64_t> gpuThread;
  bool operator==(const Schedule &other) const;
};

struct TuningEntry {
  std::string target;
  std::string signature;
  Schedule schedule;
  /// Free text after `#` on the entry's line (e.g. the measured time).
  std::string note;
};

struct TuningDb {
  /// Keyed by (target, signature): sorted, one entry per key.
  std::map<std::pair<std::string, std::string>, TuningEntry> entries;

  const TuningEntry *find(const std::string &target,
                          const std::string &signature) const;
  /// Adds or replaces the entry for its (target, signature).
  void put(TuningEntry entry);
};

/// A parsed database, or the first error ("FILE:LINE: expected ..., found
/// ...").
struct TuningDbResult {
  std::optional<TuningDb> db;
  std::string error;
};

/// Parses `text`; `fileName` is used in messages only.
TuningDbResult parseTuningDb(std::string_view text,
                             const std::string &fileName);

/// Reads and parses the file at `path` (a missing file is an error).
TuningDbResult readTuningDb(const std::string &path);

/// The file's text: header, then the entries sorted by target and
/// signature, keys in a fixed order. parseTuningDb(formatTuningDb(db)) == db.
std::string formatTuningDb(const TuningDb &db);

/// Writes formatTuningDb(db) to `path` (through a temporary file and a
/// rename, so a reader never sees half a file), creating the directory.
/// Returns an error message, empty on success.
std::string writeTuningDb(const std::string &path, const TuningDb &db);

/// $ACTC_TUNING_DB, else ~/.cache/actc/tuning.json (SPEC.md section 2;
/// the file is the text format above whatever its name), else "" when
/// neither HOME nor ACTC_TUNING_DB is set.
std::string defaultTuningDbPath();

} // namespace actc::target

#endif // ACTC_COMPILER_TARGET_TUNINGDB_H
