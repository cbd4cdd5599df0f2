// SPDX-License-Identifier: Apache-2.0
//
// Packing a lowered model into DIR/libNAME.a (docs/c-api.md, "Packing"):
//
//   1. halide::compileAot writes TMP/SYMBOL.a (the pipeline, for `host` one
//      multitarget library, with Halide's runtime);
//   2. emit::writeModel writes TMP/NAME.h, NAME_glue.c and NAME.weights or
//      NAME_weights.c (the pipeline's own weights: folded constants);
//   3. cc -O2 -fPIC -std=c99 compiles the glue (and embedded weights);
//   4. cc -r -nostdlib links glue, weights, every member of the pipeline
//      library and of libactc_runtime.a into TMP/NAME.o;
//   5. nm lists its defined globals; every one that is not the API is
//      renamed actc_NAME_<sym> (objcopy --redefine-syms, which also renames
//      Halide's COMDAT groups) and the API alone stays global
//      (--keep-global-symbols);
//   6. ar rcs TMP/libNAME.a NAME.o; the header, library and weights file
//      are copied into DIR.
//
// External tools run with fork/execvp (no shell): a failure reports the
// command line and everything it printed.

#include "compiler/driver/Package.h"

#include "compiler/backend/emit/EmitC.h"
#include "compiler/target/Target.h"

#include <Halide.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace actc::driver {
namespace {

//===----------------------------------------------------------------------===//
// Temporary directory and external commands
//===----------------------------------------------------------------------===//

/// A fresh directory under the system's temporary directory, removed with
/// everything in it when this goes out of scope.
class TempDir {
public:
  bool create(std::string &error) {
    std::error_code ec;
    fs::path base = fs::temp_directory_path(ec);
    if (ec)
      base = "/tmp";
    std::string pattern = (base / "actc-XXXXXX").string();
    if (!mkdtemp(pattern.data())) {
      error = "cannot create a temporary directory in '" + base.string() +
              "': " + std::strerror(errno);
      return false;
    }
    path = pattern;
    return true;
  }
  ~TempDir() {
    if (!path.empty()) {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  }
  std::string file(const std::string &name) const {
    return (fs::path(path) / name).string();
  }
  std::string path;
};

std::string quoteArg(const std::string &arg) {
  if (!arg.empty() &&
      arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
                            "VWXYZ0123456789_-+=/.,:@") == std::string::npos)
    return arg;
  std::string q = "'";
  for (char c : arg)
    q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string commandLine(const std::vector<std::string> &argv) {
  std::string line;
  for (const std::string &arg : argv)
    line += (line.empty() ? "" : " ") + quoteArg(arg);
  return line;
}

/// Runs argv[0] (looked up on PATH) with stdout and stderr captured into
/// `output`. True when it ran and exited with status 0.
bool runTool(const std::vector<std::string> &argv, std::string &output) {
  output.clear();
  int fds[2];
  if (pipe(fds) != 0) {
    output = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  std::vector<char *> args;
  for (const std::string &arg : argv)
    args.push_back(const_cast<char *>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    output = std::string("fork: ") + std::strerror(errno);
    close(fds[0]);
    close(fds[1]);
    return false;
  }
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    close(fds[1]);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0)
      dup2(devnull, STDIN_FILENO);
    execvp(args[0], args.data());
    std::string msg = std::string("cannot run '") + args[0] +
                      "': " + std::strerror(errno) + "\n";
    ssize_t ignored = write(STDERR_FILENO, msg.data(), msg.size());
    (void)ignored;
    _exit(127);
  }
  close(fds[1]);
  char buffer[4096];
  ssize_t n;
  while ((n = read(fds[0], buffer, sizeof buffer)) != 0) {
    if (n < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    output.append(buffer, size_t(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return true;
  if (!output.empty() && output.back() != '\n')
    output += "\n";
  output += WIFEXITED(status)
                ? "(exit status " + std::to_string(WEXITSTATUS(status)) + ")"
                : "(killed by signal " + std::to_string(WTERMSIG(status)) + ")";
  return false;
}

/// runTool, with a failure turned into a message naming the command.
bool runStep(const std::vector<std::string> &argv, std::string &output,
             Messages &messages) {
  if (runTool(argv, output))
    return true;
  while (!output.empty() && output.back() == '\n')
    output.pop_back();
  messages.push_back("internal error: a command failed while packing the "
                     "library (a bug in actc or a broken toolchain):\n  " +
                     commandLine(argv) + (output.empty() ? "" : "\n") + output);
  return false;
}

/// "ccache gcc" -> {"ccache", "gcc"}: $CC may carry a launcher or flags
/// (split at blanks; no quoting).
std::vector<std::string> splitWords(const std::string &text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  std::string word;
  while (in >> word)
    words.push_back(word);
  if (words.empty())
    words.push_back("cc");
  return words;
}

std::string envOr(const char *name, const char *fallback) {
  const char *value = std::getenv(name);
  return value && *value ? std::string(value) : std::string(fallback);
}

bool writeText(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return bool(out.flush());
}

} // namespace

//===----------------------------------------------------------------------===//
// Packing
//===----------------------------------------------------------------------===//

Toolchain defaultToolchain() {
  Toolchain t;
  t.cc = envOr("CC", "cc");
  t.runtimeInclude = envOr("ACTC_RUNTIME_INCLUDE", ACTC_RUNTIME_INCLUDE_DIR);
  t.runtimeLib = envOr("ACTC_RUNTIME_LIB", ACTC_RUNTIME_LIBRARY);
  t.halideInclude = envOr("ACTC_HALIDE_INCLUDE", ACTC_HALIDE_INCLUDE_DIR);
  return t;
}

Status packageModel(halide::LoweredModel &lowered,
                    const PackageOptions &options, const std::string &outputDir,
                    std::vector<std::string> &written, Messages &messages) {
  const Toolchain &tc = options.toolchain;
  std::error_code ec;
  fs::create_directories(outputDir, ec);
  if (ec || !fs::is_directory(outputDir, ec)) {
    messages.push_back("error: cannot create the output directory '" +
                       outputDir + "'" + (ec ? ": " + ec.message() : ""));
    return Status::UserError;
  }
  std::string error;
  TempDir tmp;
  if (!tmp.create(error)) {
    messages.push_back("error: " + error);
    return Status::UserError;
  }

  // The runtime (libactc_runtime.a) and the C compiler are this machine's:
  // a library for another CPU architecture cannot be packed yet (the link
  // would fail on the objects' format).
  std::optional<target::TargetInfo> want = target::lookupTarget(options.target);
  std::optional<target::TargetInfo> host = target::lookupTarget("host");
  if (want && host && !want->isGpu() && want->arch != host->arch) {
    messages.push_back("error: target '" + options.target +
                       "': actc cannot write a library for another CPU "
                       "architecture than this machine's yet (its runtime is "
                       "built for this machine only); --emit asm and --emit "
                       "halide show the code for it");
    return Status::UserError;
  }

  // 1. The Halide pipeline.
  error = halide::compileAot(lowered, options.target, tmp.path);
  if (!error.empty()) {
    // A target the backend cannot compile for (a GPU target) is the
    // user's request, not a bug.
    std::optional<target::TargetInfo> info =
        target::lookupTarget(options.target);
    bool gpu = info && info->isGpu();
    messages.push_back(std::string(gpu ? "error: " : "internal error: ") +
                       error);
    return gpu ? Status::UserError : Status::InternalError;
  }
  std::string pipelineLib = tmp.file(lowered.interface.pipelineSymbol + ".a");

  // 2. Header, glue, weights: the pipeline's weights (folded constants).
  emit::EmitOptions emitOptions;
  emitOptions.embedWeights = options.embedWeights;
  emit::EmittedModel emitted;
  if (!emit::emitModel(lowered.interface, pipelineWeights(lowered), emitOptions,
                       emitted, error)) {
    messages.push_back("internal error: " + error);
    return Status::InternalError;
  }
  const std::string &name = emitted.names.model;
  std::string header = tmp.file(name + ".h");
  std::string glue = tmp.file(name + "_glue.c");
  std::string weightsFile = tmp.file(name + ".weights");
  std::string weightsSource = tmp.file(name + "_weights.c");
  bool ok = writeText(header, emitted.header) && writeText(glue, emitted.glue);
  if (options.embedWeights)
    ok = ok && writeText(weightsSource, emitted.weightsSource);
  else
    ok = ok && writeText(weightsFile, std::string(emitted.weightsFile.begin(),
                                                  emitted.weightsFile.end()));
  if (!ok) {
    messages.push_back("error: cannot write into the temporary directory '" +
                       tmp.path + "'");
    return Status::UserError;
  }

  // 3. The C sources.
  std::string output;
  std::vector<std::string> objects;
  std::vector<std::string> sources = {glue};
  if (options.embedWeights)
    sources.push_back(weightsSource);
  for (const std::string &source : sources) {
    std::string object = source.substr(0, source.size() - 2) + ".o";
    std::vector<std::string> compile = splitWords(tc.cc);
    compile.insert(compile.end(), {"-O2", "-fPIC", "-std=c99", "-I",
                                   tc.runtimeInclude, "-I", tc.halideInclude,
                                   "-I", tmp.path, "-c", source, "-o", object});
    if (!runStep(compile, output, messages))
      return Status::InternalError;
    objects.push_back(object);
  }

  // 4. One relocatable object.
  std::string combined = tmp.file(name + ".o");
  std::vector<std::string> link = splitWords(tc.cc);
  link.insert(link.end(), {"-r", "-nostdlib", "-o", combined});
  link.insert(link.end(), objects.begin(), objects.end());
  link.insert(link.end(), {"-Wl,--whole-archive", pipelineLib, tc.runtimeLib,
                           "-Wl,--no-whole-archive"});
  if (!runStep(link, output, messages))
    return Status::InternalError;

  // 5. Only the API stays global; everything else gets the model's prefix.
  std::vector<std::string> api;
  for (const char *suffix :
       {"_create", "_run", "_destroy", "_status_string", "_last_error",
        "_set_num_threads", "_set_timing_hook"})
    api.push_back(name + suffix);
  if (!runStep({tc.nm, "-g", "--defined-only", combined}, output, messages))
    return Status::InternalError;
  std::string renames, apiList;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string address, kind, symbol, extra;
    if (!(fields >> address >> kind >> symbol) || (fields >> extra))
      continue;
    if (std::find(api.begin(), api.end(), symbol) == api.end())
      renames += symbol + " actc_" + name + "_" + symbol + "\n";
  }
  for (const std::string &symbol : api)
    apiList += symbol + "\n";
  std::string renameFile = tmp.file(name + ".rename");
  std::string apiFile = tmp.file(name + ".api");
  if (!writeText(renameFile, renames) || !writeText(apiFile, apiList)) {
    messages.push_back("error: cannot write into the temporary directory '" +
                       tmp.path + "'");
    return Status::UserError;
  }
  if (!runStep({tc.objcopy, "--redefine-syms=" + renameFile,
                "--keep-global-symbols=" + apiFile, combined},
               output, messages))
    return Status::InternalError;

  // 6. The archive, then the files into DIR.
  std::string archive = tmp.file("lib" + name + ".a");
  if (!runStep({tc.ar, "rcs", archive, combined}, output, messages))
    return Status::InternalError;
  std::vector<std::pair<std::string, std::string>> copies = {
      {header, name + ".h"}, {archive, "lib" + name + ".a"}};
  if (!options.embedWeights)
    copies.push_back({weightsFile, name + ".weights"});
  for (const auto &[from, to] : copies) {
    std::string target = (fs::path(outputDir) / to).string();
    fs::copy_file(from, target, fs::copy_options::overwrite_existing, ec);
    if (ec) {
      messages.push_back("error: cannot write '" + target +
                         "': " + ec.message());
      return Status::UserError;
    }
    written.push_back(target);
  }
  // A weights file left from an earlier compile without --embed-weights
  // would be mistaken for this library's.
  if (options.embedWeights)
    fs::remove(fs::path(outputDir) / (name + ".weights"), ec);
  return Status::Ok;
}

Status pipelineText(halide::LoweredModel &lowered,
                    const std::string &targetName, PipelineText what,
                    std::string &text, Messages &messages) {
  std::optional<target::TargetInfo> info = target::lookupTarget(targetName);
  if (!info) {
    messages.push_back("error: unknown target '" + targetName + "'");
    return Status::UserError;
  }
  // Assembly is what `compile` would put in the library, which a GPU target
  // cannot have yet (compileAot says why); the statements show the CPU
  // schedule for any target.
  if (what == PipelineText::Assembly && info->isGpu()) {
    messages.push_back("error: target '" + targetName +
                       "': the Halide backend has no GPU schedule yet, so "
                       "there is no assembly to show");
    return Status::UserError;
  }
  std::string error;
  TempDir tmp;
  if (!tmp.create(error)) {
    messages.push_back("error: " + error);
    return Status::UserError;
  }
  std::vector<Halide::Argument> args;
  for (Halide::ImageParam &p : lowered.inputs)
    args.push_back(p);
  for (Halide::ImageParam &p : lowered.weights)
    args.push_back(p);
  Halide::Target target = Halide::Target(info->halideTarget)
                              .with_feature(Halide::Target::UserContext);
  std::string file = tmp.file("pipeline.txt");
  try {
    if (what == PipelineText::Statements)
      lowered.pipeline.compile_to_lowered_stmt(
          file, args, Halide::StmtOutputFormat::Text, target);
    else // The model's code only: the Halide runtime is 20k lines.
      lowered.pipeline.compile_to_assembly(
          file, args, lowered.interface.pipelineSymbol,
          target.with_feature(Halide::Target::NoRuntime));
  } catch (const Halide::Error &err) {
    messages.push_back(std::string("internal error: Halide error while "
                                   "compiling for ") +
                       targetName + ": " + err.what());
    return Status::InternalError;
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  text = contents.str();
  return Status::Ok;
}

} // namespace actc::driver
