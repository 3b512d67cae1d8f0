// One small SQL interface over the two history backends: SQLite (a file, the
// default) and PostgreSQL through libpq (a server shared by a CI fleet). The
// history code writes portable SQL with `?` placeholders; each backend binds
// them its own way.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace iree_suite {

// NULL, integer, real or text.
using SqlValue = std::variant<std::monostate, int64_t, double, std::string>;

template <typename T>
SqlValue SqlOrNull(const std::optional<T>& value) {
  if (!value) return std::monostate{};
  if constexpr (std::is_floating_point_v<T>) {
    return static_cast<double>(*value);
  } else if constexpr (std::is_integral_v<T>) {
    return static_cast<int64_t>(*value);
  } else {
    return std::string(*value);
  }
}
// Empty text is stored as NULL.
SqlValue SqlTextOrNull(const std::string& text);

// One row of a result; columns by position.
class SqlRow {
 public:
  virtual ~SqlRow() = default;
  virtual bool IsNull(int column) const = 0;
  virtual int64_t Int(int column) const = 0;
  virtual double Double(int column) const = 0;
  virtual std::string Text(int column) const = 0;

  std::optional<double> OptionalDouble(int column) const {
    return IsNull(column) ? std::nullopt : std::optional<double>(Double(column));
  }
  std::optional<int64_t> OptionalInt(int column) const {
    return IsNull(column) ? std::nullopt : std::optional<int64_t>(Int(column));
  }
};

using SqlRowCallback = std::function<void(const SqlRow&)>;

enum class SqlDialect { kSqlite, kPostgres };

class SqlDatabase {
 public:
  virtual ~SqlDatabase() = default;
  virtual SqlDialect dialect() const = 0;
  // Where it is, for messages (a path, or the connection URI without password).
  virtual std::string description() const = 0;

  // Statements without parameters, separated by ';'.
  virtual bool ExecScript(std::string_view sql, std::string* error) = 0;
  // One statement with `?` placeholders; `on_row` (may be empty) sees every row.
  virtual bool Execute(const std::string& sql, const std::vector<SqlValue>& params,
                       const SqlRowCallback& on_row, std::string* error) = 0;

  // A write transaction. SQLite takes the write lock at once (BEGIN
  // IMMEDIATE), so two writers queue instead of failing half-way.
  virtual bool BeginWrite(std::string* error) = 0;
  bool Commit(std::string* error) { return ExecScript("COMMIT", error); }
  void Rollback() {
    std::string ignored;
    ExecScript("ROLLBACK", &ignored);
  }
};

// Opens (creating when absent) an SQLite database file. Waits up to
// `busy_timeout_ms` for another writer.
std::unique_ptr<SqlDatabase> OpenSqliteDatabase(const std::string& path, int busy_timeout_ms,
                                                std::string* error);

// Connects to PostgreSQL; `uri` is a libpq connection URI (postgresql://...).
std::unique_ptr<SqlDatabase> OpenPostgresDatabase(const std::string& uri, int connect_timeout_s,
                                                  std::string* error);

// "postgresql://" or "postgres://".
bool IsPostgresUri(std::string_view location);

// The URI with any password replaced by "***", for messages.
std::string RedactUri(std::string_view uri);

}  // namespace iree_suite
