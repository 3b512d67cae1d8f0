#include "report/event_stream.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "report/console.h"
#include "results/results_json.h"

namespace iree_suite {

using Json = nlohmann::ordered_json;

Json EngineInfo() {
  return {{"name", "iree-suite"}, {"version", IREE_SUITE_VERSION}, {"protocol", kEventProtocol}};
}

EventStream::EventStream(const std::filesystem::path& path) {
  // A reader that goes away must not kill the run: writes then fail instead.
  std::signal(SIGPIPE, SIG_IGN);
  out_ = std::fopen(path.c_str(), "we");  // close-on-exec: tools never hold the stream
  if (out_ == nullptr) {
    error_ = path.string() + ": " + std::strerror(errno);
    return;
  }
  // A pipe handed over as /dev/fd/N: the inherited N must not leak into the
  // tools either, or the reader would wait for orphans to exit.
  const std::string text = path.string();
  if (text.rfind("/dev/fd/", 0) == 0) {
    try {
      int fd = std::stoi(text.substr(8));
      if (fd > STDERR_FILENO) fcntl(fd, F_SETFD, FD_CLOEXEC);
    } catch (const std::exception&) {
    }
  }
}

EventStream::~EventStream() {
  if (out_ != nullptr) std::fclose(out_);
}

void EventStream::Write(const Json& event) {
  std::lock_guard lock(mutex_);
  if (out_ == nullptr) return;
  // Tool output may hold invalid UTF-8: replace it rather than fail the run.
  std::string line = event.dump(-1, ' ', false, Json::error_handler_t::replace);
  line += '\n';
  // After the first failed write (the reader is gone) stop writing.
  if (std::fwrite(line.data(), 1, line.size(), out_) != line.size() || std::fflush(out_) != 0) {
    std::fclose(out_);
    out_ = nullptr;
  }
}

void EventStream::Start() {
  Write({{"event", "start"}, {"protocol", kEventProtocol}, {"version", IREE_SUITE_VERSION}});
}

void EventStream::Diagnostics(const char* event, const std::vector<Diagnostic>& diagnostics) {
  for (const Diagnostic& diagnostic : diagnostics) {
    Write({{"event", event},
           {"file", diagnostic.file},
           {"field", diagnostic.field},
           {"message", diagnostic.message},
           {"text", diagnostic.ToString()}});
  }
}

void EventStream::Collected(const std::vector<const TestDefinition*>& tests) {
  for (const TestDefinition* test : tests) {
    Write({{"event", "collected"},
           {"id", test->id},
           {"file", test->json_path.string()},
           {"type", TestKindName(test->kind)},
           {"markers", test->markers}});
  }
}

void EventStream::OnTestStarted(const TestDefinition& test) {
  Write({{"event", "test_started"}, {"id", test.id}});
}

void EventStream::OnTestFinished(const TestResult& result) {
  Json event = {{"event", "test_finished"}};
  // The results.json entry, with the console's failure block before the
  // tool's output and each repro's shell line.
  Json entry = RenderResultEntry(result);
  for (auto& [key, value] : entry.items()) {
    if (key == "output_tail") {
      event["details"] = IsFailure(result.outcome) ? FailureDetails(result) : result.reason;
    }
    event[key] = std::move(value);
  }
  for (size_t i = 0; i < result.repros.size(); ++i) {
    event["repros"][i]["shell"] = result.repros[i].ToShellLine();
  }
  Write(event);
}

void EventStream::Finish(int exit_code) { Write({{"event", "finish"}, {"exit_code", exit_code}}); }

}  // namespace iree_suite
