// The `update-xfails` editor: replacing a top-level array of a config keeps the text a valid
// config whose other members are unchanged and whose array now holds exactly the new values.
//
// Input: the first byte picks the key and the values; the rest is the config text.
#include <set>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "suite/config_text_edit.h"
#include "suite/json_file.h"

using iree_suite::fuzz::Check;
using nlohmann::json;

namespace {

// Folder names as update-xfails writes them, some that need escaping.
const char* const kFolders[] = {"onnx/node/generated/test_add",
                                "a\"quote",
                                "back\\slash",
                                "new\nline",
                                "é/ü",
                                "// not a comment",
                                "trailing,",
                                ""};

// Reads `text` as the loader does (comments, trailing commas); nullopt unless it is an object.
// *duplicated: a top-level key occurs twice.
std::optional<json> ReadConfigObject(const std::string& text, bool* duplicated) {
  std::set<std::string> keys;
  *duplicated = false;
  json::parser_callback_t note_keys = [&](int depth, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::key && depth == 1 &&
        !keys.insert(parsed.get<std::string>()).second) {
      *duplicated = true;
    }
    return true;
  };
  try {
    json document = json::parse(iree_suite::BlankTrailingCommas(text), note_keys,
                                /*allow_exceptions=*/true, /*ignore_comments=*/true);
    if (document.is_object()) return document;
  } catch (const json::exception&) {
  }
  return std::nullopt;
}

void CheckEdit(const std::string& text, const std::string& key,
               const std::vector<std::string>& values, const std::string& edited_text) {
  bool duplicated = false;
  std::optional<json> original = ReadConfigObject(text, &duplicated);
  if (!original) return;  // not a config: only "no crash" is promised
  if (values.empty() && !original->contains(key)) {
    Check(edited_text == text, "an empty list is not added");
    return;
  }
  bool edited_duplicated = false;
  std::optional<json> edited = ReadConfigObject(edited_text, &edited_duplicated);
  Check(edited.has_value(), "an edited config stays a JSON object", edited_text);
  Check((*edited)[key] == json(values), "the edited array holds the new values", edited_text);
  for (const auto& item : original->items()) {
    if (item.key() == key) continue;
    Check(edited->contains(item.key()) && (*edited)[item.key()] == item.value(),
          "every other member is unchanged", edited_text);
  }
  Check(edited->size() == original->size() + (original->contains(key) ? 0 : 1),
        "no member is added but the edited one", edited_text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t selector = data[0];
  const std::string key = selector & 1 ? "expected_run_failures" : "expected_compile_failures";
  std::vector<std::string> values;
  for (size_t i = 0; i < static_cast<size_t>((selector >> 1) & 7); ++i) {
    values.push_back(kFolders[(selector / 16 + i) % std::size(kFolders)]);
  }
  const std::string text = iree_suite::fuzz::InputText(data + 1, size - 1);
  iree_suite::fuzz::NoExceptionEscapes([&] {
    iree_suite::Result<std::string> edited = iree_suite::ReplaceTopLevelArray(text, key, values);
    if (!edited) {
      Check(!edited.error().empty(), "a refused edit says why");
      return;
    }
    CheckEdit(text, key, values, *edited);
  });
  return 0;
}
