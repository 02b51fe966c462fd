#include "remoting/language_code.h"

#include <array>

namespace holdfast::remoting {
namespace {

// Indexed by byte code.
constexpr std::array<std::string_view, 14> kNames = {
    "JAVA",  "CPP",  "DOTNET", "PYTHON", "DELPHI", "ERLANG", "RUBY",
    "OTHER", "HTTP", "GO",     "PHP",    "OMS",    "RUST",   "NODE_JS",
};

}  // namespace

std::string_view LanguageCodeName(LanguageCode language) {
  auto index = static_cast<size_t>(language);
  return index < kNames.size() ? kNames[index] : kNames[static_cast<size_t>(LanguageCode::kOther)];
}

std::optional<LanguageCode> LanguageCodeFromName(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<LanguageCode>(i);
  }
  return std::nullopt;
}

std::optional<LanguageCode> LanguageCodeFromByte(int64_t code) {
  if (code < 0 || code >= static_cast<int64_t>(kNames.size())) return std::nullopt;
  return static_cast<LanguageCode>(code);
}

}  // namespace holdfast::remoting
