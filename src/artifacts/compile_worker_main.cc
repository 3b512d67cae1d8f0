// iree-suite-compile-worker <libIREECompiler.so> <flag>...: compiles modules for
// iree-suite through the compiler's C embedding API, one request at a time,
// so the compiler is loaded and initialised once per worker instead of once
// per module; every module it compiles has the same flags (the runner keeps a
// worker per flag set). Requests come on stdin, responses go to stdout (protocol:
// artifacts/compile_protocol.h); what the compiler prints while compiling a
// module goes to that module's log, exactly as iree-compile would print it.
#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "artifacts/compile_protocol.h"

namespace iree_suite {
namespace {

// The embedding API's opaque handles (iree/compiler/embedding_api.h).
struct CompilerError;
struct Session;
struct Invocation;
struct Source;
struct Output;
enum Pipeline { kPipelineStd = 0 };

constexpr int kSupportedMajorVersion = 1;
constexpr int kMinimumMinorVersion = 1;  // ireeCompilerGetRevision is 1.1

// Only the functions this worker calls, looked up by name.
struct CompilerApi {
  int (*GetAPIVersion)();
  void (*GlobalInitialize)();
  const char* (*GetRevision)();
  void (*SetupGlobalCL)(int, const char**, const char*, bool);
  const char* (*ErrorGetMessage)(CompilerError*);
  void (*ErrorDestroy)(CompilerError*);
  Session* (*SessionCreate)();
  void (*SessionDestroy)(Session*);
  CompilerError* (*SessionSetFlags)(Session*, int, const char* const*);
  Invocation* (*InvocationCreate)(Session*);
  void (*InvocationDestroy)(Invocation*);
  void (*InvocationEnableConsoleDiagnostics)(Invocation*);
  bool (*InvocationParseSource)(Invocation*, Source*);
  bool (*InvocationPipeline)(Invocation*, Pipeline);
  CompilerError* (*InvocationOutputVMBytecode)(Invocation*, Output*);
  CompilerError* (*SourceOpenFile)(Session*, const char*, Source**);
  void (*SourceDestroy)(Source*);
  CompilerError* (*OutputOpenFile)(const char*, Output**);
  void (*OutputKeep)(Output*);
  void (*OutputDestroy)(Output*);
};

template <typename Function>
void Bind(void* library, const char* name, Function* function, std::string* missing) {
  *function = reinterpret_cast<Function>(::dlsym(library, name));
  if (*function == nullptr && missing->empty()) *missing = name;
}

// Loads the library; returns why it cannot be used, empty when it can.
std::string LoadCompiler(const char* path, CompilerApi* api) {
  void* library = ::dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) return std::string("cannot load: ") + ::dlerror();
  std::string missing;
  Bind(library, "ireeCompilerGetAPIVersion", &api->GetAPIVersion, &missing);
  if (!missing.empty()) return "not IREE's compiler library: no ireeCompilerGetAPIVersion";
  const int version = api->GetAPIVersion();
  const int major = version >> 16, minor = version & 0xffff;
  if (major != kSupportedMajorVersion || minor < kMinimumMinorVersion) {
    return "embedding API version " + std::to_string(major) + "." + std::to_string(minor) +
           " is not supported (need " + std::to_string(kSupportedMajorVersion) +
           ".>=" + std::to_string(kMinimumMinorVersion) + ")";
  }
  Bind(library, "ireeCompilerGlobalInitialize", &api->GlobalInitialize, &missing);
  Bind(library, "ireeCompilerGetRevision", &api->GetRevision, &missing);
  Bind(library, "ireeCompilerSetupGlobalCL", &api->SetupGlobalCL, &missing);
  Bind(library, "ireeCompilerErrorGetMessage", &api->ErrorGetMessage, &missing);
  Bind(library, "ireeCompilerErrorDestroy", &api->ErrorDestroy, &missing);
  Bind(library, "ireeCompilerSessionCreate", &api->SessionCreate, &missing);
  Bind(library, "ireeCompilerSessionDestroy", &api->SessionDestroy, &missing);
  Bind(library, "ireeCompilerSessionSetFlags", &api->SessionSetFlags, &missing);
  Bind(library, "ireeCompilerInvocationCreate", &api->InvocationCreate, &missing);
  Bind(library, "ireeCompilerInvocationDestroy", &api->InvocationDestroy, &missing);
  Bind(library, "ireeCompilerInvocationEnableConsoleDiagnostics",
       &api->InvocationEnableConsoleDiagnostics, &missing);
  Bind(library, "ireeCompilerInvocationParseSource", &api->InvocationParseSource, &missing);
  Bind(library, "ireeCompilerInvocationPipeline", &api->InvocationPipeline, &missing);
  Bind(library, "ireeCompilerInvocationOutputVMBytecode", &api->InvocationOutputVMBytecode,
       &missing);
  Bind(library, "ireeCompilerSourceOpenFile", &api->SourceOpenFile, &missing);
  Bind(library, "ireeCompilerSourceDestroy", &api->SourceDestroy, &missing);
  Bind(library, "ireeCompilerOutputOpenFile", &api->OutputOpenFile, &missing);
  Bind(library, "ireeCompilerOutputKeep", &api->OutputKeep, &missing);
  Bind(library, "ireeCompilerOutputDestroy", &api->OutputDestroy, &missing);
  if (!missing.empty()) return "the library lacks " + missing;
  return {};
}

// Resident memory in KiB, for the runner's high-water mark.
std::string ResidentKib() {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return std::to_string(pages_resident * (::sysconf(_SC_PAGESIZE) / 1024));
}

// Points stdout and stderr at a module's log while it compiles.
class OutputToLog {
 public:
  explicit OutputToLog(int log) : saved_(::dup(STDERR_FILENO)) {
    std::fflush(stdout);
    std::fflush(stderr);
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
  }
  ~OutputToLog() {
    std::fflush(stdout);
    std::fflush(stderr);
    ::dup2(saved_, STDOUT_FILENO);
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
  }
  OutputToLog(const OutputToLog&) = delete;
  OutputToLog& operator=(const OutputToLog&) = delete;

 private:
  int saved_;
};

// Prints an API error as iree-compile does and frees it; true when there was one.
bool Reported(const CompilerApi& api, CompilerError* error) {
  if (error == nullptr) return false;
  std::fprintf(stderr, "error opening input file: %s\n", api.ErrorGetMessage(error));
  api.ErrorDestroy(error);
  return true;
}

// The steps of iree-compile's driver for the default output (VM bytecode);
// diagnostics go to the console, which is the log now.
bool CompileModule(const CompilerApi& api, Session* session, const std::string& input,
                   const std::string& output_path) {
  Source* source = nullptr;
  Output* output = nullptr;
  if (Reported(api, api.SourceOpenFile(session, input.c_str(), &source))) return false;
  bool ok = !Reported(api, api.OutputOpenFile(output_path.c_str(), &output));
  if (ok) {
    Invocation* invocation = api.InvocationCreate(session);
    api.InvocationEnableConsoleDiagnostics(invocation);
    ok = api.InvocationParseSource(invocation, source) &&
         api.InvocationPipeline(invocation, kPipelineStd) &&
         !Reported(api, api.InvocationOutputVMBytecode(invocation, output));
    api.InvocationDestroy(invocation);
    if (ok) api.OutputKeep(output);
    api.OutputDestroy(output);
  }
  api.SourceDestroy(source);
  return ok;
}

WorkerMessage Serve(const CompilerApi& api, const WorkerMessage& request) {
  if (request.size() < 5 || request[0] != "compile") {
    return {"failed", "malformed request", ResidentKib()};
  }
  const std::string &directory = request[1], &input = request[2], &output = request[3];
  if (::chdir(directory.c_str()) != 0) {
    return {"failed", "cannot enter " + directory + ": " + std::strerror(errno), ResidentKib()};
  }
  Session* session = api.SessionCreate();
  std::vector<const char*> flags;
  for (size_t i = 5; i < request.size(); ++i) flags.push_back(request[i].c_str());
  if (CompilerError* error =
          api.SessionSetFlags(session, static_cast<int>(flags.size()), flags.data())) {
    std::string message = api.ErrorGetMessage(error);
    api.ErrorDestroy(error);
    api.SessionDestroy(session);
    return {"rejected", message, ResidentKib()};
  }
  const int log = ::open(request[4].c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log < 0) {
    api.SessionDestroy(session);
    return {"failed", "cannot open " + request[4] + ": " + std::strerror(errno), ResidentKib()};
  }
  bool ok;
  {
    OutputToLog redirect(log);
    ok = CompileModule(api, session, input, output);
    api.SessionDestroy(session);
  }
  ::fsync(log);
  ::close(log);
  if (!ok) return {"failed", "the compiler reported errors", ResidentKib()};
  return {"ok", ResidentKib()};
}

int WorkerMain(int argc, char** argv) {
  // Responses get their own descriptor; anything else printed to stdout
  // outside a compile lands in the worker's stderr.
  const int responses = ::dup(STDOUT_FILENO);
  ::dup2(STDERR_FILENO, STDOUT_FILENO);
  if (argc < 2) {
    WriteWorkerMessage(responses,
                       {"unavailable", "usage: iree-suite-compile-worker <library> [flag...]"});
    return 2;
  }
  CompilerApi api{};
  if (std::string why = LoadCompiler(argv[1], &api); !why.empty()) {
    WriteWorkerMessage(responses, {"unavailable", std::string(argv[1]) + ": " + why});
    return 1;
  }
  api.GlobalInitialize();
  // The module flags go through the compiler's command line, exactly as
  // iree-compile parses them: every session then starts from them (some
  // flags, such as --iree-opt-level, also change other flags' defaults,
  // which only this path does as iree-compile does). A flag it does not
  // know ends the worker here with LLVM's message, before "ready".
  std::vector<const char*> command_line = {"iree-compile"};
  for (int i = 2; i < argc; ++i) command_line.push_back(argv[i]);
  api.SetupGlobalCL(static_cast<int>(command_line.size()), command_line.data(),
                    "iree-suite compile worker\n", /*installSignalHandlers=*/true);
  if (!WriteWorkerMessage(responses,
                          {"ready", std::to_string(api.GetAPIVersion()), api.GetRevision()})) {
    return 1;
  }
  WorkerMessageReader requests(STDIN_FILENO);
  bool timed_out = false;
  while (std::optional<WorkerMessage> request = requests.Read(-1, &timed_out)) {
    if (!WriteWorkerMessage(responses, Serve(api, *request))) return 1;
  }
  // The runner closed the pipe: exit without tearing the compiler down
  // (its global destructors are not worth the time).
  std::fflush(stderr);
  ::_exit(0);
}

}  // namespace
}  // namespace iree_suite

int main(int argc, char** argv) { return iree_suite::WorkerMain(argc, argv); }
