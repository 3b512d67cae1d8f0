// PostgreSQL backend of SqlDatabase through libpq. Values travel as text (the
// protocol's portable form); `?` placeholders become $1, $2, ...
#include <fmt/format.h>
#include <libpq-fe.h>

#include <charconv>

#include "history/sql_database.h"

namespace iree_suite {
namespace {

// "?" -> "$N". The history's SQL has no '?' inside literals.
std::string NumberPlaceholders(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 1;
  for (char c : sql) {
    if (c == '?') {
      out += fmt::format("${}", next++);
    } else {
      out += c;
    }
  }
  return out;
}

std::string ParamText(const SqlValue& value) {
  if (const auto* integer = std::get_if<int64_t>(&value)) return std::to_string(*integer);
  // 17 significant digits read back as the same double.
  if (const auto* real = std::get_if<double>(&value)) return fmt::format("{}", *real);
  return std::get<std::string>(value);
}

// A value in COPY's text format: \N for NULL, backslash escapes for the
// characters that separate fields and rows.
void AppendCopyField(const SqlValue& value, std::string* out) {
  if (std::holds_alternative<std::monostate>(value)) {
    *out += "\\N";
    return;
  }
  if (!std::holds_alternative<std::string>(value)) {
    *out += ParamText(value);
    return;
  }
  for (char c : std::get<std::string>(value)) {
    switch (c) {
      case '\\':
        *out += "\\\\";
        break;
      case '\t':
        *out += "\\t";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\0':
        break;  // PostgreSQL text cannot hold NUL
      default:
        *out += c;
    }
  }
}

class PostgresRow : public SqlRow {
 public:
  PostgresRow(const PGresult* result, int row) : result_(result), row_(row) {}
  bool IsNull(int column) const override { return PQgetisnull(result_, row_, column) != 0; }
  // std::from_chars: no locale and several times faster than strtod, which
  // counts when `history show` reads a million rows.
  int64_t Int(int column) const override { return Parse<int64_t>(column); }
  double Double(int column) const override { return Parse<double>(column); }
  std::string Text(int column) const override {
    return std::string(PQgetvalue(result_, row_, column),
                       static_cast<size_t>(PQgetlength(result_, row_, column)));
  }

 private:
  template <typename T>
  T Parse(int column) const {
    const char* text = PQgetvalue(result_, row_, column);
    T value = 0;
    std::from_chars(text, text + PQgetlength(result_, row_, column), value);
    return value;
  }

  const PGresult* result_;
  int row_;
};

std::string TrimmedMessage(const char* message) {
  std::string text = message != nullptr ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

class PostgresDatabase : public SqlDatabase {
 public:
  PostgresDatabase(PGconn* connection, std::string description)
      : connection_(connection), description_(std::move(description)) {}
  ~PostgresDatabase() override { PQfinish(connection_); }

  SqlDialect dialect() const override { return SqlDialect::kPostgres; }
  std::string description() const override { return description_; }

  Status ExecScript(std::string_view sql) override {
    PGresult* result = PQexec(connection_, std::string(sql).c_str());
    Status ok = Succeeded(result);
    PQclear(result);
    return ok;
  }

  Status Execute(const std::string& sql, const std::vector<SqlValue>& params,
                 const SqlRowCallback& on_row) override {
    std::vector<std::string> texts;
    std::vector<const char*> values;
    texts.reserve(params.size());
    for (const SqlValue& param : params) {
      if (std::holds_alternative<std::monostate>(param)) {
        texts.emplace_back();
      } else {
        texts.push_back(ParamText(param));
      }
    }
    for (size_t i = 0; i < params.size(); ++i) {
      values.push_back(std::holds_alternative<std::monostate>(params[i]) ? nullptr
                                                                         : texts[i].c_str());
    }
    PGresult* result =
        PQexecParams(connection_, NumberPlaceholders(sql).c_str(), static_cast<int>(values.size()),
                     nullptr, values.data(), nullptr, nullptr, 0);
    Status ok = Succeeded(result);
    if (ok && on_row) {
      for (int row = 0; row < PQntuples(result); ++row) on_row(PostgresRow(result, row));
    }
    PQclear(result);
    return ok;
  }

  Status InsertRows(const std::string& table, const std::vector<std::string>& columns,
                    const std::vector<SqlValue>& values) override {
    const std::string sql = "COPY " + TableWithColumns(table, columns) + " FROM STDIN";
    PGresult* result = PQexec(connection_, sql.c_str());
    Status started = PQresultStatus(result) == PGRES_COPY_IN ? Status() : Failure(result);
    PQclear(result);
    if (!started) return started;
    // Sent in pieces of about 64 KiB: one round trip per piece, bounded memory.
    std::string buffer;
    bool sent = true;
    for (size_t i = 0; i < values.size() && sent; ++i) {
      AppendCopyField(values[i], &buffer);
      buffer += (i + 1) % columns.size() == 0 ? '\n' : '\t';
      if (buffer.size() >= 65536 || i + 1 == values.size()) {
        sent = PQputCopyData(connection_, buffer.data(), static_cast<int>(buffer.size())) == 1;
        buffer.clear();
      }
    }
    if (PQputCopyEnd(connection_, sent ? nullptr : "iree-suite: sending failed") != 1) {
      sent = false;
    }
    // Every result is read (the connection is ready again); the last error is reported.
    Status ended;
    while (PGresult* end = PQgetResult(connection_)) {
      if (Status ok = Succeeded(end); !ok) ended = ok;
      PQclear(end);
    }
    if (ended && !sent) return Error{TrimmedMessage(PQerrorMessage(connection_))};
    return ended;
  }

  Status BeginWrite() override { return ExecScript("BEGIN"); }

 private:
  Status Succeeded(PGresult* result) {
    ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return {};
    return Failure(result);
  }
  Error Failure(PGresult* result) {
    return Error{TrimmedMessage(result != nullptr ? PQresultErrorMessage(result)
                                                  : PQerrorMessage(connection_))};
  }

  PGconn* connection_;
  std::string description_;
};

}  // namespace

bool IsPostgresUri(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::string RedactUri(std::string_view uri) {
  // scheme://user:password@host -> scheme://user:***@host
  size_t scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos) return std::string(uri);
  size_t at = uri.find('@', scheme_end + 3);
  size_t colon = uri.find(':', scheme_end + 3);
  if (at == std::string_view::npos || colon == std::string_view::npos || colon > at) {
    return std::string(uri);
  }
  return fmt::format("{}:***{}", uri.substr(0, colon), uri.substr(at));
}

Result<std::unique_ptr<SqlDatabase>> OpenPostgresDatabase(const std::string& uri,
                                                          int connect_timeout_s) {
  const std::string timeout = std::to_string(connect_timeout_s);
  // expand_dbname = 1, dbname last: the URI's own parameters win over these defaults.
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {timeout.c_str(), "iree-suite", uri.c_str(), nullptr};
  PGconn* connection = PQconnectdbParams(keywords, values, 1);
  if (connection == nullptr || PQstatus(connection) != CONNECTION_OK) {
    Error error{connection != nullptr ? TrimmedMessage(PQerrorMessage(connection))
                                      : std::string("out of memory")};
    PQfinish(connection);
    return error;
  }
  // Quiet "relation already exists, skipping" notices of IF NOT EXISTS.
  PQsetNoticeProcessor(
      connection, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<SqlDatabase>(
      std::make_unique<PostgresDatabase>(connection, RedactUri(uri)));
}

}  // namespace iree_suite
