// Shared by report tests: builds test definitions and results that point at them.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <string>

#include "checks/test_result.h"
#include "suite/test_definition.h"

namespace iree_suite {

class ResultFixture : public ::testing::Test {
 protected:
  // Definitions live in a deque so results may point at them.
  TestDefinition* Define(const std::string& id, TestKind kind) {
    TestDefinition& test = definitions_.emplace_back();
    test.id = id;
    test.kind = kind;
    test.markers = {TestKindName(kind)};
    return &test;
  }

  TestResult Result(const TestDefinition* test, Outcome outcome) {
    TestResult result;
    result.test = test;
    result.outcome = outcome;
    return result;
  }

  std::deque<TestDefinition> definitions_;
};

}  // namespace iree_suite
