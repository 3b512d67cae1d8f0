// JUnit XML in pytest's layout, for the CI systems that read pytest's --junitxml.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "results/test_result.h"

namespace iree_suite {

// Makes arbitrary bytes safe inside an XML 1.0 attribute value or text node:
// escapes & < > " ', drops characters XML 1.0 forbids (control characters
// other than \t \n \r, U+FFFE, U+FFFF) and replaces invalid UTF-8 with U+FFFD.
// With `attribute`, \t \n \r become character references so attribute-value
// normalization keeps them.
std::string XmlEscape(std::string_view text, bool attribute);

// <testsuites><testsuite name="iree-suite" tests= failures= errors= skipped=
// time= timestamp= hostname=> with one <testcase classname= name= file= time=>
// per result, holding marker <properties>, a <failure>, <error> or <skipped>
// element by outcome, and <system-out> with the output tail when there is one.
// A file that could not be collected, recorded as pytest's JUnit writer
// records one: a testcase named by the file (relative to the suite) holding
// <error message="collection failure">, first and counted in tests and errors.
struct JUnitCollectionError {
  std::string name;
  std::string message;
};

std::string RenderJUnitXml(const std::vector<TestResult>& results, double total_seconds,
                           const std::string& timestamp_iso8601, const std::string& hostname,
                           const std::vector<JUnitCollectionError>& collection_errors = {});

// Renders with the current local time and this machine's host name and writes
// `path` atomically.
[[nodiscard]] Status WriteJUnitXml(const std::filesystem::path& path,
                                   const std::vector<TestResult>& results, double total_seconds,
                                   const std::vector<JUnitCollectionError>& collection_errors = {});

}  // namespace iree_suite
