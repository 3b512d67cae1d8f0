// `iree-suite cache info|verify|prune`: looks after an artifact directory
// between runs (see artifacts/cache_store.h for what it understands).
#pragma once

namespace iree_suite {

// argv[0] is "cache". Exit codes: 0 ok, 1 problems found (verify) or entries
// that could not be read or removed, 4 usage error.
int RunCacheCommand(int argc, char** argv);

}  // namespace iree_suite
