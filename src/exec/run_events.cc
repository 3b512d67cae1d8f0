#include "exec/run_events.h"

#include <fmt/format.h>

namespace iree_suite {

void Notify(RunEvents* events, const std::string& line) {
  if (events) {
    events->OnNotice(line);
  } else {
    fmt::print(stderr, "{}\n", line);
  }
}

}  // namespace iree_suite
