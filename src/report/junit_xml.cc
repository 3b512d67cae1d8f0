#include "report/junit_xml.h"

#include <fmt/format.h>
#include <sys/time.h>
#include <unistd.h>

#include <climits>
#include <cstdint>
#include <ctime>

#include "base/atomic_file.h"
#include "base/utf8.h"
#include "exec/host_name.h"

namespace iree_suite {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one code point at text[*pos] and advances past it; an invalid
// sequence yields U+FFFD.
char32_t DecodeOrReplace(std::string_view text, size_t* pos) {
  Utf8Char decoded = DecodeUtf8(text, *pos, Utf8Check::kStrict);
  *pos += decoded.length;
  return decoded.valid ? decoded.code_point : kReplacement;
}

// XML 1.0's Char production, less what strict decoding already rules out.
bool IsXmlChar(char32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp != 0xFFFE && cp != 0xFFFF);
}

std::string Attr(std::string_view value) { return XmlEscape(value, /*attribute=*/true); }

std::string Text(std::string_view value) { return XmlEscape(value, /*attribute=*/false); }

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

// "sdxl/clip.json" -> "sdxl"; "a/b/c.json" -> "a.b"; "c.json" -> "".
std::string ClassName(const std::string& id) {
  size_t slash = id.rfind('/');
  if (slash == std::string::npos) return "";
  std::string dir = id.substr(0, slash);
  for (char& c : dir) {
    if (c == '/') c = '.';
  }
  return dir;
}

// Everything a reader of a CI page needs without opening the artifacts.
std::string FailureBody(const TestResult& result) {
  std::string body = result.reason;
  if (!result.repros.empty()) {
    body += "\n\nReproduce with:\n";
    for (const Repro& repro : result.repros) body += "  " + repro.ToShellLine() + "\n";
  }
  if (!result.logs.empty()) {
    body += result.repros.empty() ? "\n\n" : "\n";
    body += "Logs:\n";
    for (const auto& log : result.logs) body += "  " + log.string() + "\n";
  }
  if (!result.output_tail.empty()) {
    body += (result.repros.empty() && result.logs.empty()) ? "\n\n" : "\n";
    body += "Output tail:\n" + result.output_tail;
  }
  return body;
}

std::string LocalTimestamp() {
  timeval now{};
  gettimeofday(&now, nullptr);
  std::tm local{};
  localtime_r(&now.tv_sec, &local);
  char date[32];
  std::strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &local);
  long offset_minutes = local.tm_gmtoff / 60;
  char sign = offset_minutes < 0 ? '-' : '+';
  if (offset_minutes < 0) offset_minutes = -offset_minutes;
  return fmt::format("{}.{:06d}{}{:02d}:{:02d}", date, static_cast<long>(now.tv_usec), sign,
                     offset_minutes / 60, offset_minutes % 60);
}

}  // namespace

std::string XmlEscape(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    char32_t cp = DecodeOrReplace(text, &pos);
    if (!IsXmlChar(cp)) continue;
    switch (cp) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\r':
        // A raw \r in text would be read back as \n.
        out += "&#13;";
        break;
      default:
        AppendUtf8(cp, &out);
    }
  }
  return out;
}

namespace {

std::string CollectionErrorCases(const std::vector<JUnitCollectionError>& collection_errors) {
  std::string xml;
  for (const JUnitCollectionError& error : collection_errors) {
    xml += fmt::format(
        "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" time=\"0.000\">\n"
        "      <error message=\"collection failure\">{}</error>\n"
        "    </testcase>\n",
        Attr(ClassName(error.name)), Attr(error.name), Attr(error.name), Text(error.message));
  }
  return xml;
}

}  // namespace

std::string RenderJUnitXml(const std::vector<TestResult>& results, double total_seconds,
                           const std::string& timestamp_iso8601, const std::string& hostname,
                           const std::vector<JUnitCollectionError>& collection_errors) {
  int failures = 0, skipped = 0;
  int errors = static_cast<int>(collection_errors.size());
  for (const TestResult& result : results) {
    failures += result.outcome == Outcome::kFailed || result.outcome == Outcome::kXPassed;
    errors += result.outcome == Outcome::kError;
    // As pytest writes them: an expected failure is a skip, an unexpected pass a failure.
    skipped += result.outcome == Outcome::kSkipped || result.outcome == Outcome::kXFailed;
  }

  std::string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<testsuites>\n";
  xml += fmt::format(
      "  <testsuite name=\"iree-suite\" tests=\"{}\" failures=\"{}\" errors=\"{}\" "
      "skipped=\"{}\" time=\"{:.3f}\" timestamp=\"{}\" hostname=\"{}\">\n",
      results.size() + collection_errors.size(), failures, errors, skipped, total_seconds,
      Attr(timestamp_iso8601), Attr(hostname));
  xml += CollectionErrorCases(collection_errors);
  for (const TestResult& result : results) {
    const std::string id = result.test ? result.test->id : "";
    xml += fmt::format("    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" time=\"{:.3f}\">\n",
                       Attr(ClassName(id)), Attr(id), Attr(id), result.duration_s);
    if (result.test && !result.test->markers.empty()) {
      xml += "      <properties>\n";
      for (const std::string& marker : result.test->markers) {
        xml += "        <property name=\"marker\" value=\"" + Attr(marker) + "\"/>\n";
      }
      xml += "      </properties>\n";
    }
    switch (result.outcome) {
      case Outcome::kPassed:
        break;
      case Outcome::kFailed:
      case Outcome::kXPassed:
      case Outcome::kError: {
        const char* element = result.outcome == Outcome::kError ? "error" : "failure";
        xml += fmt::format("      <{} message=\"{}\">{}</{}>\n", element,
                           Attr(FirstLine(result.reason)), Text(FailureBody(result)), element);
        break;
      }
      case Outcome::kSkipped:
        xml += "      <skipped message=\"" + Attr(result.reason) + "\"/>\n";
        break;
      case Outcome::kXFailed:
        xml += "      <skipped type=\"pytest.xfail\" message=\"" + Attr(FirstLine(result.reason)) +
               "\"/>\n";
        break;
    }
    if (!result.output_tail.empty()) {
      xml += "      <system-out>" + Text(result.output_tail) + "</system-out>\n";
    }
    xml += "    </testcase>\n";
  }
  xml += "  </testsuite>\n</testsuites>\n";
  return xml;
}

Status WriteJUnitXml(const std::filesystem::path& path, const std::vector<TestResult>& results,
                     double total_seconds,
                     const std::vector<JUnitCollectionError>& collection_errors) {
  return WriteFileAtomically(path, RenderJUnitXml(results, total_seconds, LocalTimestamp(),
                                                  HostName(), collection_errors));
}

}  // namespace iree_suite
