#include "exec/host_name.h"

#include <limits.h>
#include <unistd.h>

namespace iree_suite {

std::string HostName() {
  char name[HOST_NAME_MAX + 1] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) return "";
  return name;
}

}  // namespace iree_suite
