#include "report/job_summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <optional>

#include "base/atomic_file.h"
#include "base/text_table.h"

namespace iree_suite {

namespace {

constexpr const char* kNotAvailable = "N/A";

std::string FormatMs(std::optional<double> ms) {
  return ms ? fmt::format("{:.3f}", *ms) : std::string(kNotAvailable);
}

nlohmann::json IntOrNotAvailable(std::optional<int64_t> value) {
  return value ? nlohmann::json(*value) : nlohmann::json(kNotAvailable);
}

// The reference reports any exception, errors included, as FAILED.
const char* StatusCell(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPassed:
      return "PASSED";
    case Outcome::kFailed:
    case Outcome::kError:
      return "FAILED";
    case Outcome::kSkipped:
      return "SKIPPED";
    case Outcome::kXFailed:
      return "XFAILED";
    case Outcome::kXPassed:
      return "XPASSED";
  }
  return "FAILED";
}

std::vector<std::string> HeadersFor(TestKind kind) {
  switch (kind) {
    case TestKind::kQuality:
      return {"Name", "Status"};
    case TestKind::kBenchmark:
      return {
          "Name",  "Current Time (ms)", "Golden Time (ms)", "Tolerance Factor", "Threshold (ms)",
          "Status"};
    case TestKind::kCompstat:
      return {"Name",
              "Golden Dispatch Count",
              "Current Dispatch Count",
              "Golden Binary Size (bytes)",
              "Current Binary Size (bytes)",
              "Status"};
  }
  return {};
}

std::string PythonFloatRepr(double value);

// A golden as the reference puts it in the row: the parsed JSON value itself.
nlohmann::json GoldenCell(std::optional<int64_t> golden, bool is_float) {
  if (golden && is_float) return static_cast<double>(*golden);
  return IntOrNotAvailable(golden);
}

// The reference's f"{self.tolerance_factor}": Python's str() of the number
// the JSON held ("1.1", "2", "2.0").
std::string ToleranceFactorCell(const TestDefinition& test) {
  if (test.tolerance_factor_is_integer) {
    return fmt::format("{}", static_cast<int64_t>(test.tolerance_factor));
  }
  return PythonFloatRepr(test.tolerance_factor);
}

// `result` is null for a test that never ran (--collect-only, a usage error
// after collection): what the reference writes for an item it did not run.
std::vector<nlohmann::json> RowFor(const TestDefinition& test, const TestResult* result) {
  const char* status = result ? StatusCell(result->outcome) : kNotAvailable;
  switch (test.kind) {
    case TestKind::kQuality:
      return {test.id, status};
    case TestKind::kBenchmark: {
      // Prefer the checker's threshold; fall back to the definition so a
      // skipped test still shows what it would have been judged against.
      std::optional<double> threshold = result ? result->threshold_ms : std::nullopt;
      if (!threshold && test.golden_time_ms) {
        threshold = *test.golden_time_ms * test.tolerance_factor;
      }
      return {test.id,
              FormatMs(result ? result->current_time_ms : std::nullopt),
              FormatMs(test.golden_time_ms),
              ToleranceFactorCell(test),
              FormatMs(threshold),
              status};
    }
    case TestKind::kCompstat:
      return {test.id,
              GoldenCell(test.golden_dispatch_count, test.golden_dispatch_count_is_float),
              IntOrNotAvailable(result ? result->dispatch_count : std::nullopt),
              GoldenCell(test.golden_binary_size, test.golden_binary_size_is_float),
              IntOrNotAvailable(result ? result->binary_size : std::nullopt),
              status};
  }
  return {};
}

// --- A model of tabulate's github format --------------------------------------
// tabulate types each column by its most generic cell (numeric-looking strings
// count as numbers), formats numeric columns itself and aligns them on the
// decimal point; we mirror that so the markdown matches the reference's.

// Ordered as tabulate's _more_generic ranks them.
enum class CellType { kNone = 0, kBool = 1, kInt = 2, kFloat = 3, kString = 5 };

std::string_view StripSpace(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Python's int(s) succeeds.
bool LooksLikeInt(std::string_view s) {
  s = StripSpace(s);
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) s.remove_prefix(1);
  return AllDigits(s);
}

// tabulate's _isnumber: float(s) succeeds, and non-finite only when spelled
// exactly "inf", "-inf" or "nan".
bool LooksLikeNumber(std::string_view s) {
  std::string lower(s);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "inf" || lower == "-inf" || lower == "nan") return true;
  s = StripSpace(s);
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) s.remove_prefix(1);
  size_t exponent = s.find_first_of("eE");
  std::string_view mantissa = s.substr(0, exponent);
  size_t point = mantissa.find('.');
  if (point == std::string_view::npos) {
    if (!AllDigits(mantissa)) return false;
  } else {
    std::string_view whole = mantissa.substr(0, point);
    std::string_view fraction = mantissa.substr(point + 1);
    if (whole.empty() && fraction.empty()) return false;
    if (!whole.empty() && !AllDigits(whole)) return false;
    if (!fraction.empty() && !AllDigits(fraction)) return false;
  }
  if (exponent != std::string_view::npos) {
    std::string_view e = s.substr(exponent + 1);
    if (!e.empty() && (e.front() == '+' || e.front() == '-')) e.remove_prefix(1);
    if (!AllDigits(e)) return false;
  }
  return true;
}

CellType TypeOf(const nlohmann::json& cell) {
  if (cell.is_null()) return CellType::kNone;
  if (cell.is_boolean()) return CellType::kBool;
  if (cell.is_number_integer()) return CellType::kInt;
  if (cell.is_number_float()) return CellType::kFloat;
  if (cell.is_string()) {
    const std::string& s = cell.get_ref<const std::string&>();
    if (s.empty()) return CellType::kNone;
    if (LooksLikeInt(s)) return CellType::kInt;
    if (LooksLikeNumber(s)) return CellType::kFloat;
  }
  return CellType::kString;
}

// Python's repr(float): shortest round-trip digits, fixed notation for
// exponents in [-4, 16), always with a fractional part.
std::string PythonFloatRepr(double value) {
  char buffer[64];
  auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  std::string sci(buffer, end);
  if (sci.find_first_of("0123456789") == std::string::npos) {
    return sci.find("nan") != std::string::npos ? "nan" : sci;  // "inf", "-inf"
  }
  bool negative = sci.front() == '-';
  if (negative) sci.erase(0, 1);
  size_t e = sci.find('e');
  int exponent = std::atoi(sci.c_str() + e + 1);
  std::string digits = sci.substr(0, e);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  std::string out = negative ? "-" : "";
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) {
      out += "0." + std::string(-exponent - 1, '0') + digits;
    } else if (static_cast<size_t>(exponent) + 1 >= digits.size()) {
      out += digits + std::string(exponent + 1 - digits.size(), '0') + ".0";
    } else {
      out += digits.substr(0, exponent + 1) + "." + digits.substr(exponent + 1);
    }
    return out;
  }
  return out + sci;  // to_chars already writes "1.5e-05" / "1e+16" like Python
}

std::string PythonStr(const nlohmann::json& cell) {
  if (cell.is_null()) return "";
  if (cell.is_string()) return cell.get<std::string>();
  if (cell.is_boolean()) return cell.get<bool>() ? "True" : "False";
  if (cell.is_number_float()) return PythonFloatRepr(cell.get<double>());
  return cell.dump();
}

// tabulate's _format with floatfmt "g" and intfmt "".
std::string FormatCell(const nlohmann::json& cell, CellType column_type) {
  if (cell.is_null()) return "";
  if (column_type == CellType::kFloat) {
    double value = cell.is_string()
                       ? std::strtod(cell.get_ref<const std::string&>().c_str(), nullptr)
                       : cell.get<double>();
    return fmt::format("{:g}", value);
  }
  return PythonStr(cell);
}

// tabulate's _afterpoint: digits after the decimal point, -1 for integers.
int DigitsAfterPoint(const std::string& s) {
  if (!LooksLikeNumber(s) || LooksLikeInt(s)) return -1;
  size_t pos = s.rfind('.');
  if (pos == std::string::npos) {
    pos = s.find_last_of("eE");
    if (pos == std::string::npos) return -1;
  }
  return static_cast<int>(s.size() - pos - 1);
}

// A cell's text on one table row: a raw line break would end the row and a
// '|' the cell, so they are written as \n, \r and \|.
std::string EscapeCell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '|') {
      out += "\\|";
    } else {
      out += c;
    }
  }
  return out;
}

std::string JoinRow(const std::vector<std::string>& cells) {
  std::string line = "|";
  for (const std::string& cell : cells) line += " " + cell + " |";
  return line;
}

}  // namespace

namespace {

// Appends the row to its kind's table, which the kind's first row creates.
void AddRow(const TestDefinition& test, const TestResult* result,
            std::vector<std::pair<std::string, SummaryTable>>* tables) {
  std::string kind = TestKindName(test.kind);
  auto it = std::find_if(tables->begin(), tables->end(),
                         [&](const auto& entry) { return entry.first == kind; });
  if (it == tables->end()) {
    tables->push_back({kind, SummaryTable{HeadersFor(test.kind), {}}});
    it = tables->end() - 1;
  }
  it->second.rows.push_back(RowFor(test, result));
}

}  // namespace

std::vector<std::pair<std::string, SummaryTable>> BuildSummaryTables(
    const std::vector<TestResult>& results) {
  std::vector<std::pair<std::string, SummaryTable>> tables;
  for (const TestResult& result : results) {
    if (result.test != nullptr) AddRow(*result.test, &result, &tables);
  }
  return tables;
}

std::vector<std::pair<std::string, SummaryTable>> BuildNotRunSummaryTables(
    const std::vector<const TestDefinition*>& tests) {
  std::vector<std::pair<std::string, SummaryTable>> tables;
  for (const TestDefinition* test : tests) AddRow(*test, nullptr, &tables);
  return tables;
}

std::string RenderGithubTable(const SummaryTable& table) {
  size_t columns = table.headers.size();
  for (const auto& row : table.rows) columns = std::max(columns, row.size());

  std::vector<std::vector<std::string>> cells(table.rows.size(), std::vector<std::string>(columns));
  std::vector<bool> numeric(columns);
  std::vector<size_t> widths(columns);
  for (size_t c = 0; c < columns; ++c) {
    // tabulate starts the reduction from bool.
    CellType type = CellType::kBool;
    for (const auto& row : table.rows) {
      CellType cell_type = c < row.size() ? TypeOf(row[c]) : CellType::kNone;
      type = std::max(type, cell_type);
    }
    numeric[c] = type == CellType::kInt || type == CellType::kFloat;
    for (size_t r = 0; r < table.rows.size(); ++r) {
      const auto& row = table.rows[r];
      cells[r][c] = c < row.size() ? FormatCell(row[c], type) : "";
      if (!numeric[c]) cells[r][c] = EscapeCell(StripSpace(cells[r][c]));
    }
    if (numeric[c]) {
      // Pad on the right so decimal points line up once right-aligned.
      int max_decimals = -1;
      for (const auto& row : cells) max_decimals = std::max(max_decimals, DigitsAfterPoint(row[c]));
      for (auto& row : cells) row[c] += std::string(max_decimals - DigitsAfterPoint(row[c]), ' ');
    }
    // tabulate reserves two extra columns beyond the header's own width.
    const std::string header = c < table.headers.size() ? EscapeCell(table.headers[c]) : "";
    widths[c] = DisplayWidth(header) + 2;
    for (const auto& row : cells) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }

  auto aligned = [&](const std::vector<std::string>& row) {
    std::vector<std::string> out(columns);
    for (size_t c = 0; c < columns; ++c) {
      out[c] = numeric[c] ? PadLeft(row[c], widths[c]) : PadRight(row[c], widths[c]);
    }
    return JoinRow(out);
  };

  std::vector<std::string> headers;
  for (const std::string& header : table.headers) headers.push_back(EscapeCell(header));
  headers.resize(columns);
  std::string text = aligned(headers) + "\n|";
  for (size_t c = 0; c < columns; ++c) text += std::string(widths[c] + 2, '-') + "|";
  for (const auto& row : cells) text += "\n" + aligned(row);
  return text;
}

std::string RenderJobSummaryMarkdown(
    const std::string& marker_expression,
    const std::vector<std::pair<std::string, SummaryTable>>& tables) {
  std::string text = "# Job Summary For Markers: " + EscapeCell(marker_expression) + "\n\n";
  for (const auto& [kind, table] : tables) {
    std::string title = kind;
    // Python's str.capitalize().
    for (char& c : title) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!title.empty())
      title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
    text += "## " + title + " Test Summary\n\n";
    text += RenderGithubTable(table) + "\n\n";
  }
  return text;
}

nlohmann::ordered_json RenderJobSummaryJson(
    const std::vector<std::pair<std::string, SummaryTable>>& tables) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  for (const auto& [kind, table] : tables) {
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (const auto& row : table.rows) {
      nlohmann::ordered_json cells = nlohmann::ordered_json::array();
      for (const auto& cell : row) cells.push_back(nlohmann::ordered_json(cell));
      rows.push_back(std::move(cells));
    }
    json[kind] = {{"headers", table.headers}, {"rows", std::move(rows)}};
  }
  return json;
}

Status WriteJobSummary(const std::filesystem::path& dir, const std::string& marker_expression,
                       const std::vector<TestResult>& results) {
  return WriteJobSummaryTables(dir, marker_expression, BuildSummaryTables(results));
}

Status WriteJobSummaryTables(const std::filesystem::path& dir, const std::string& marker_expression,
                             const std::vector<std::pair<std::string, SummaryTable>>& tables) {
  Status markdown = WriteFileAtomically(dir / "job_summary.md",
                                        RenderJobSummaryMarkdown(marker_expression, tables));
  if (!markdown) return markdown;
  // Test ids are file names and may hold invalid UTF-8: replace rather than throw.
  std::string json = RenderJobSummaryJson(tables).dump(2, ' ', /*ensure_ascii=*/true,
                                                       nlohmann::json::error_handler_t::replace);
  // json.dump writes no newline at the end.
  return WriteFileAtomically(dir / "job_summary.json", json);
}

}  // namespace iree_suite
