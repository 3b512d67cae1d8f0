#include "cli/repro_command.h"

#include <fmt/format.h>
#include <signal.h>

#include "artifacts/cache_layout.h"

namespace iree_suite {
namespace fs = std::filesystem;

namespace {

// Prints each command before it runs, then its status and where its output
// went, with the output's last lines when it failed.
class ReproPrinter final : public ReproObserver {
 public:
  explicit ReproPrinter(ConsoleReporter& console) : console_(console) {}
  void OnReproStarted(const Repro& command) override {
    console_.Line("$ " + command.ToShellLine());
  }
  void OnReproFinished(const ProcessResult& process, const std::vector<fs::path>& logs) override {
    std::string where;
    for (const fs::path& log : logs) where += (where.empty() ? "" : ", ") + log.string();
    console_.Line(
        fmt::format("{} ({:.2f}s); output in {}", process.Describe(), process.elapsed_s, where));
    if (process.Succeeded()) return;
    for (const fs::path& log : logs) {
      if (std::string tail = TailOfFile(log); !tail.empty()) console_.Line(tail);
    }
  }

 private:
  ConsoleReporter& console_;
};

// A fresh scratch directory: --output absent or empty, else the test's own
// under the artifact directory, emptied.
Status PrepareScratch(const CliOptions& options, const fs::path& scratch) {
  std::error_code ec;
  if (options.repro_output) {
    if (fs::exists(scratch, ec) && !fs::is_empty(scratch, ec)) {
      return Error{fmt::format("--output: {} is not empty", scratch.string())};
    }
    fs::create_directories(scratch, ec);
    if (ec)
      return Error{fmt::format("--output: cannot create {}: {}", scratch.string(), ec.message())};
    return {};
  }
  const CacheLayout layout(options.runner.artifact_directory);
  // Never through a link planted there.
  if (std::string link = layout.FindSymlink(scratch); !link.empty()) return Error{link};
  fs::remove_all(scratch, ec);
  if (ec) return Error{fmt::format("cannot empty {}: {}", scratch.string(), ec.message())};
  return layout.PrepareDirectory(scratch);
}

}  // namespace

SuiteRunner CommandRunner(const CliOptions& options,
                          const std::map<std::string, ModuleDefinition>& modules, ToolSet tools,
                          RunEvents* events) {
  tools.compiler.mode = CompileMode::kProcess;
  RunnerConfig config = options.runner;
  config.events = events;
  config.fetch.cancelled = [] { return InterruptSignal() != 0; };
  return SuiteRunner(modules, std::move(tools), std::move(config));
}

int ReproExitStatus(const ProcessResult& process) {
  // Ctrl-C (or SIGTERM) stopped it, or stopped the repro before a tool started.
  if (process.interrupted) return 128 + (InterruptSignal() != 0 ? InterruptSignal() : SIGINT);
  if (!process.spawn_error.empty()) return 127;
  if (process.term_signal != 0) return 128 + process.term_signal;
  return process.exit_code;
}

int RunRepro(const CliOptions& options, const std::map<std::string, ModuleDefinition>& modules,
             const std::vector<const TestDefinition*>& selected, const ToolSet& tools,
             ConsoleReporter& console) {
  if (selected.size() != 1) {
    std::string ids;
    for (const TestDefinition* test : selected) ids += "\n  " + test->id;
    fmt::print(stderr, "iree-suite: error: repro takes one test; {} selected{}\n", selected.size(),
               ids);
    return selected.empty() ? kExitNoTestsCollected : kExitUsageError;
  }
  const TestDefinition& test = *selected.front();
  const fs::path scratch =
      options.repro_output
          ? fs::absolute(*options.repro_output)
          : CacheLayout(options.runner.artifact_directory).TestReproDirectory(test.id);
  if (Status prepared = PrepareScratch(options, scratch); !prepared) {
    fmt::print(stderr, "iree-suite: error: {}\n", prepared.error());
    return kExitUsageError;
  }
  console.Line(fmt::format("repro of {} in {}", test.id, scratch.string()));
  // A Ctrl-C kills the running tool's process group, as in a run, instead of
  // leaving it orphaned.
  const InterruptHandlers interrupt_handlers;
  SuiteRunner runner = CommandRunner(options, modules, tools, &console);
  ReproPrinter printer(console);
  Result<ProcessResult> last = runner.Reproduce(test, scratch, printer);
  if (InterruptSignal() != 0) {
    fmt::print(stderr, "iree-suite: interrupted by signal {}\n", InterruptSignal());
    return 128 + InterruptSignal();
  }
  if (!last) {
    fmt::print(stderr, "iree-suite: error: {}\n", last.error());
    return kExitTestsFailed;
  }
  return ReproExitStatus(*last);
}

}  // namespace iree_suite
