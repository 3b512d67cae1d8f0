// SQLite backend of SqlDatabase: prepared statements cached by their text.
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <map>

#include "history/sql_database.h"

namespace iree_suite {
namespace {

class SqliteRow : public SqlRow {
 public:
  explicit SqliteRow(sqlite3_stmt* statement) : statement_(statement) {}
  bool IsNull(int column) const override {
    return sqlite3_column_type(statement_, column) == SQLITE_NULL;
  }
  int64_t Int(int column) const override { return sqlite3_column_int64(statement_, column); }
  double Double(int column) const override { return sqlite3_column_double(statement_, column); }
  std::string Text(int column) const override {
    const unsigned char* text = sqlite3_column_text(statement_, column);
    if (text == nullptr) return "";
    return std::string(reinterpret_cast<const char*>(text),
                       static_cast<size_t>(sqlite3_column_bytes(statement_, column)));
  }

 private:
  sqlite3_stmt* statement_;
};

class SqliteDatabase : public SqlDatabase {
 public:
  SqliteDatabase(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteDatabase() override {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close(db_);
  }

  SqlDialect dialect() const override { return SqlDialect::kSqlite; }
  std::string description() const override { return path_; }

  Status ExecScript(std::string_view sql) override {
    char* message = nullptr;
    if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      Error error{message != nullptr ? message : sqlite3_errmsg(db_)};
      sqlite3_free(message);
      return error;
    }
    return {};
  }

  Status Execute(const std::string& sql, const std::vector<SqlValue>& params,
                 const SqlRowCallback& on_row) override {
    return ExecuteBound(sql, params.data(), params.size(), on_row);
  }

  Status InsertRows(const std::string& table, const std::vector<std::string>& columns,
                    const std::vector<SqlValue>& values) override {
    // Rows per statement: well under SQLite's limit of bound variables.
    constexpr size_t kRowsPerInsert = 200;
    const std::string head = TableWithColumns(table, columns);
    const size_t rows = values.size() / columns.size();
    for (size_t begin = 0; begin < rows; begin += kRowsPerInsert) {
      const size_t count = std::min(kRowsPerInsert, rows - begin);
      if (Status inserted =
              ExecuteBound(MultiRowInsertSql(head, columns.size(), count, ""),
                           values.data() + begin * columns.size(), count * columns.size(), {});
          !inserted) {
        return inserted;
      }
    }
    return {};
  }

  Status BeginWrite() override { return ExecScript("BEGIN IMMEDIATE"); }

 private:
  Status ExecuteBound(const std::string& sql, const SqlValue* params, size_t count,
                      const SqlRowCallback& on_row) {
    Result<sqlite3_stmt*> prepared = Prepared(sql);
    if (!prepared) return Error{prepared.error()};
    sqlite3_stmt* statement = *prepared;
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    for (size_t i = 0; i < count; ++i) Bind(statement, static_cast<int>(i) + 1, params[i]);
    SqliteRow row(statement);
    while (true) {
      int status = sqlite3_step(statement);
      if (status == SQLITE_DONE) break;
      if (status != SQLITE_ROW) {
        Error error{sqlite3_errmsg(db_)};
        sqlite3_reset(statement);
        return error;
      }
      if (on_row) on_row(row);
    }
    sqlite3_reset(statement);
    return {};
  }

  Result<sqlite3_stmt*> Prepared(const std::string& sql) {
    if (auto found = statements_.find(sql); found != statements_.end()) return found->second;
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &statement, nullptr) !=
        SQLITE_OK) {
      return Error{sqlite3_errmsg(db_)};
    }
    statements_[sql] = statement;
    return statement;
  }

  static void Bind(sqlite3_stmt* statement, int index, const SqlValue& value) {
    if (const auto* integer = std::get_if<int64_t>(&value)) {
      sqlite3_bind_int64(statement, index, *integer);
    } else if (const auto* real = std::get_if<double>(&value)) {
      sqlite3_bind_double(statement, index, *real);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      sqlite3_bind_text(statement, index, text->data(), static_cast<int>(text->size()),
                        SQLITE_TRANSIENT);
    } else {
      sqlite3_bind_null(statement, index);
    }
  }

  sqlite3* db_;
  std::string path_;
  std::map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace

std::string MultiRowInsertSql(const std::string& head, size_t columns, size_t rows,
                              const std::string& tail) {
  std::string row = "(";
  for (size_t i = 0; i < columns; ++i) row += i == 0 ? "?" : ",?";
  row += ")";
  std::string sql = "INSERT INTO " + head + " VALUES ";
  for (size_t i = 0; i < rows; ++i) sql += (i == 0 ? "" : ",") + row;
  return sql + tail;
}

std::string TableWithColumns(const std::string& table, const std::vector<std::string>& columns) {
  std::string head = table + " (";
  for (size_t i = 0; i < columns.size(); ++i) head += (i == 0 ? "" : ", ") + columns[i];
  return head + ")";
}

SqlValue SqlTextOrNull(const std::string& text) {
  if (text.empty()) return std::monostate{};
  return text;
}

Result<std::unique_ptr<SqlDatabase>> OpenSqliteDatabase(const std::string& path,
                                                        int busy_timeout_ms) {
  sqlite3* db = nullptr;
  int status = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (status != SQLITE_OK) {
    Error error{db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(status)};
    sqlite3_close(db);
    return error;
  }
  sqlite3_busy_timeout(db, busy_timeout_ms);
  std::unique_ptr<SqlDatabase> database = std::make_unique<SqliteDatabase>(db, path);
  // A foreign or corrupt file fails here, on its first read.
  Status readable = database->ExecScript(
      "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536");
  if (readable) readable = database->Execute("SELECT count(*) FROM sqlite_master", {}, {});
  if (!readable) return Error{readable.error()};
  return database;
}

}  // namespace iree_suite
