// A real PostgreSQL server for tests: initdb into a temp directory, pg_ctl
// start on a Unix socket in it (no TCP at all), stopped and removed at the
// end. initdb refuses to run as root, so as root the server runs as the
// `postgres` system user (runuser), in a directory that user owns.
#pragma once

#include <fmt/format.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "exec/subprocess.h"

namespace iree_suite {

class PostgresServer {
 public:
  // Returns "" when it runs, else why it cannot (a reason to skip).
  std::string Start() {
    namespace fs = std::filesystem;
    std::error_code ec;
    for (const char* version : {"17", "16", "15", "14", "13"}) {
      fs::path candidate = fs::path("/usr/lib/postgresql") / version / "bin";
      if (fs::exists(candidate / "initdb", ec)) bin_ = candidate;
    }
    if (bin_.empty()) return "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin";
    char pattern[] = "/tmp/iree-suite-pg-XXXXXX";
    if (mkdtemp(pattern) == nullptr) return "cannot make a temp directory";
    dir_ = pattern;
    if (geteuid() == 0) {
      struct passwd* user = getpwnam("postgres");
      if (user == nullptr) return "running as root and there is no 'postgres' user";
      if (chown(dir_.c_str(), user->pw_uid, user->pw_gid) != 0) return "cannot chown the temp dir";
      as_user_ = {"/usr/sbin/runuser", "-u", "postgres", "--"};
    }
    const std::string data = (dir_ / "data").string();
    if (std::string error = Run({(bin_ / "initdb").string(), "-D", data, "-A", "trust", "-U",
                                 "postgres", "--no-sync", "-E", "UTF8"});
        !error.empty()) {
      return "initdb failed: " + error;
    }
    const std::string options =
        fmt::format("-k {} -p {} -c listen_addresses= -c fsync=off", dir_.string(), kPort);
    if (std::string error = Run({(bin_ / "pg_ctl").string(), "-D", data, "-o", options, "-w", "-l",
                                 (dir_ / "server.log").string(), "start"});
        !error.empty()) {
      return "pg_ctl start failed: " + error;
    }
    started_ = true;
    return "";
  }

  ~PostgresServer() {
    if (started_) {
      Run({(bin_ / "pg_ctl").string(), "-D", (dir_ / "data").string(), "-m", "immediate", "-w",
           "stop"});
    }
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }

  // A libpq URI of the server's "postgres" database over its socket.
  std::string Uri(const std::string& database = "postgres") const {
    return fmt::format("postgresql:///{}?host={}&port={}&user=postgres", database, dir_.string(),
                       kPort);
  }

  // Creates a fresh database, so that tests do not see each other's rows.
  std::string CreateDatabase(const std::string& name) {
    return Run({(bin_ / "createdb").string(), "-h", dir_.string(), "-p", std::to_string(kPort),
                "-U", "postgres", name});
  }

 private:
  static constexpr int kPort = 54329;  // names the socket file only

  std::string Run(std::vector<std::string> argv) {
    std::vector<std::string> full = as_user_;
    full.insert(full.end(), argv.begin(), argv.end());
    const std::filesystem::path log =
        std::filesystem::temp_directory_path() / fmt::format("iree-suite-pg-{}.log", getpid());
    ProcessResult result = RunProcess({full, "/", log, {}, 60.0});
    std::string tail = TailOfFile(log);
    std::error_code ec;
    std::filesystem::remove(log, ec);
    return result.Succeeded() ? "" : result.Describe() + ": " + tail;
  }

  std::filesystem::path bin_;
  std::filesystem::path dir_;
  std::vector<std::string> as_user_;
  bool started_ = false;
};

}  // namespace iree_suite
