// Combines the reports of sharded runs (--shard-count) into the one a CI page
// shows: job_summary.json tables and JUnit XML files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "report/job_summary.h"

namespace iree_suite {

// Merges shards' job_summary.json files ({"<type>": {"headers": [...],
// "rows": [[...], ...]}}) into one table per type. Types keep the order of
// their first appearance and rows the order of the files, then of each file.
// An unreadable or malformed file, or a type whose headers differ from an
// earlier file's, yields nullopt and an *error naming the file. No files: an
// empty result.
std::optional<std::vector<std::pair<std::string, SummaryTable>>> MergeJobSummaries(
    const std::vector<std::filesystem::path>& files, std::string* error);

// What MergeJUnitXml takes from one file written by RenderJUnitXml.
struct JUnitSuite {
  int64_t tests = 0;
  int64_t failures = 0;
  int64_t errors = 0;
  int64_t skipped = 0;
  double time_s = 0;
  std::string timestamp;  // attribute values, entities resolved
  std::string hostname;
  std::vector<std::string> testcases;  // each "<testcase ...>...</testcase>" verbatim
};

// A strict reader of exactly RenderJUnitXml's structure: the declaration,
// <testsuites> holding one <testsuite name="iree-suite"> with all its
// attributes, holding only <testcase> elements, and tests="N" equal to their
// number. Anything else (other markup, bad entities, invalid UTF-8) yields
// nullopt and *error with the line and column.
std::optional<JUnitSuite> ReadJUnitXml(std::string_view xml, std::string* error);

// Merges JUnit XML files written by iree-suite into one <testsuites> with one
// <testsuite name="iree-suite">: tests, failures, errors, skipped and time
// summed, the earliest timestamp, the first file's hostname, and every
// <testcase> copied verbatim in file order. Returns the document, or nullopt
// with an *error naming the offending file (also when `files` is empty).
std::optional<std::string> MergeJUnitXml(const std::vector<std::filesystem::path>& files,
                                         std::string* error);

}  // namespace iree_suite
