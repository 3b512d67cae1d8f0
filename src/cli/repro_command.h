// What a test runs, without a run: --show-commands / --collect-only -v list
// each selected test's commands, `iree-suite repro ID` reruns one test's
// tools in a scratch directory (never the module cache).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cli/options.h"
#include "report/console.h"
#include "runner/suite_runner.h"
#include "suite/test_definition.h"

namespace iree_suite {

// A runner that only shows and reproduces (compiles with iree-compile, no
// workers; reports downloads to `events`, which may be null).
SuiteRunner CommandRunner(const CliOptions& options,
                          const std::map<std::string, ModuleDefinition>& modules, ToolSet tools,
                          RunEvents* events);

// The exit status `iree-suite repro` gives for a tool's end: its exit code,
// 128 + N when signal N killed it, 127 when it could not start.
int ReproExitStatus(const ProcessResult& process);

// `iree-suite repro`: reruns the one test of `selected` and prints each
// command and how it ended. Returns the exit code.
int RunRepro(const CliOptions& options, const std::map<std::string, ModuleDefinition>& modules,
             const std::vector<const TestDefinition*>& selected, const ToolSet& tools,
             ConsoleReporter& console);

}  // namespace iree_suite
