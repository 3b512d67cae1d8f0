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

#include "base/result.h"

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
// "INSERT INTO <head> VALUES (?,...),(?,...)<tail>" for `rows` rows of
// `columns` placeholders.
std::string MultiRowInsertSql(const std::string& head, size_t columns, size_t rows,
                              const std::string& tail);

// "<table> (<column>, <column>, ...)", the head of an INSERT or a COPY.
std::string TableWithColumns(const std::string& table, const std::vector<std::string>& columns);

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
  virtual Status ExecScript(std::string_view sql) = 0;
  // One statement with `?` placeholders; `on_row` (may be empty) sees every row.
  virtual Status Execute(const std::string& sql, const std::vector<SqlValue>& params,
                         const SqlRowCallback& on_row) = 0;

  // Appends rows to `table`: `values` holds them one after the other,
  // columns.size() values each. The bulk path of each backend (PostgreSQL:
  // COPY, which a server parses once instead of per statement).
  virtual Status InsertRows(const std::string& table, const std::vector<std::string>& columns,
                            const std::vector<SqlValue>& values) = 0;

  // A write transaction. SQLite takes the write lock at once (BEGIN
  // IMMEDIATE), so two writers queue instead of failing half-way.
  virtual Status BeginWrite() = 0;
  Status Commit() { return ExecScript("COMMIT"); }
  void Rollback() { (void)ExecScript("ROLLBACK"); }
  // A savepoint inside the transaction: a part that fails is undone alone.
  Status Savepoint() { return ExecScript("SAVEPOINT part"); }
  Status ReleaseSavepoint() { return ExecScript("RELEASE SAVEPOINT part"); }
  void RollbackToSavepoint() {
    (void)ExecScript("ROLLBACK TO SAVEPOINT part; RELEASE SAVEPOINT part");
  }
};

// Opens (creating when absent) an SQLite database file. Waits up to
// `busy_timeout_ms` for another writer.
Result<std::unique_ptr<SqlDatabase>> OpenSqliteDatabase(const std::string& path,
                                                        int busy_timeout_ms);

// Connects to PostgreSQL; `uri` is a libpq connection URI (postgresql://...).
Result<std::unique_ptr<SqlDatabase>> OpenPostgresDatabase(const std::string& uri,
                                                          int connect_timeout_s);

// "postgresql://" or "postgres://".
bool IsPostgresUri(std::string_view location);

// The URI with any password replaced by "***", for messages.
std::string RedactUri(std::string_view uri);

}  // namespace iree_suite
