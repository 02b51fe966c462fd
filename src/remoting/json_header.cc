#include "remoting/json_header.h"

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

namespace holdfast::remoting {
namespace {

using Json = nlohmann::json;

Status Bad(std::string what) { return Status::Corruption("JSON header: " + std::move(what)); }

// The integer under `key`, nullopt when the key is missing or null.
Result<std::optional<int32_t>> ReadInt32(const Json& header, const char* key) {
  auto it = header.find(key);
  if (it == header.end() || it->is_null()) return std::optional<int32_t>();
  if (!it->is_number_integer()) {
    return Bad(std::string(key) + " must be an integer, got " +
               (it->is_number() ? std::string("a fraction ") + it->dump() : it->type_name()));
  }
  constexpr int64_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
  bool in_range = it->is_number_unsigned()
                      ? it->get<uint64_t>() <= static_cast<uint64_t>(kMax)
                      : it->get<int64_t>() >= kMin && it->get<int64_t>() <= kMax;
  if (!in_range) return Bad(std::string(key) + " " + it->dump() + " is outside the int range");
  return std::optional<int32_t>(static_cast<int32_t>(it->get<int64_t>()));
}

Result<int32_t> ReadRequiredInt32(const Json& header, const char* key) {
  auto value = ReadInt32(header, key);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return Bad(std::string("missing required key ") + key);
  return **value;
}

Result<LanguageCode> ReadLanguage(const Json& header) {
  auto it = header.find("language");
  if (it == header.end() || it->is_null()) return LanguageCode::kJava;
  std::optional<LanguageCode> language;
  if (it->is_string()) {
    language = LanguageCodeFromName(it->get_ref<const std::string&>());
  } else if (it->is_number_integer()) {
    // fastjson also reads an enum from its ordinal.
    language = LanguageCodeFromByte(
        it->is_number_unsigned() && it->get<uint64_t>() > 255 ? -1 : it->get<int64_t>());
  } else {
    return Bad(std::string("language must be a string or an integer, got ") + it->type_name());
  }
  return language.value_or(LanguageCode::kOther);
}

Result<std::optional<std::string>> ReadRemark(const Json& header) {
  auto it = header.find("remark");
  if (it == header.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return Bad(std::string("remark must be a string, got ") + it->type_name());
  return std::optional<std::string>(it->get<std::string>());
}

// Sheet §1.7: accept strings, numbers and booleans; keep them as text.
Result<ExtFields> ReadExtFields(const Json& header) {
  ExtFields fields;
  auto it = header.find("extFields");
  if (it == header.end() || it->is_null()) return fields;
  if (!it->is_object()) {
    return Bad(std::string("extFields must be an object, got ") + it->type_name());
  }
  for (const auto& [key, value] : it->items()) {
    std::string text;
    if (value.is_string()) {
      text = value.get<std::string>();
    } else if (value.is_boolean()) {
      text = value.get<bool>() ? "true" : "false";
    } else if (value.is_number_unsigned()) {
      text = std::to_string(value.get<uint64_t>());
    } else if (value.is_number_integer()) {
      text = std::to_string(value.get<int64_t>());
    } else if (value.is_number()) {
      text = value.dump();
    } else if (value.is_null()) {
      continue;  // fastjson reads null as an absent field
    } else {
      return Bad("extFields value of key \"" + key +
                 "\" must be a string, number or boolean, got " + value.type_name());
    }
    fields.insert_or_assign(key, std::move(text));
  }
  return fields;
}

}  // namespace

std::string EncodeJsonHeader(const RemotingCommand& cmd) {
  Json header = Json::object();
  header["code"] = cmd.code;
  header["language"] = std::string(LanguageCodeName(cmd.language));
  header["version"] = cmd.version;
  header["opaque"] = cmd.opaque;
  header["flag"] = cmd.flag;
  if (cmd.remark.has_value()) header["remark"] = *cmd.remark;
  if (!cmd.ext_fields.empty()) {
    Json& ext = header["extFields"] = Json::object();
    for (const auto& [key, value] : cmd.ext_fields) ext[key] = value;
  }
  header["serializeTypeCurrentRPC"] = std::string(SerializeTypeName(SerializeType::kJson));
  // nlohmann::json keeps object keys sorted, which gives fastjson's alphabetical order.
  return header.dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

Result<RemotingCommand> DecodeJsonHeader(std::string_view text) {
  Json header = Json::parse(text.begin(), text.end(), /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (header.is_discarded()) {
    return Bad("not valid JSON (" + std::to_string(text.size()) + " bytes)");
  }
  if (!header.is_object()) {
    return Bad(std::string("must be a JSON object, got ") + header.type_name());
  }
  RemotingCommand cmd;
  cmd.serialize_type = SerializeType::kJson;

  auto code = ReadRequiredInt32(header, "code");
  if (!code.ok()) return code.status();
  cmd.code = *code;
  auto opaque = ReadRequiredInt32(header, "opaque");
  if (!opaque.ok()) return opaque.status();
  cmd.opaque = *opaque;
  auto version = ReadInt32(header, "version");
  if (!version.ok()) return version.status();
  cmd.version = version->value_or(0);
  auto flag = ReadInt32(header, "flag");
  if (!flag.ok()) return flag.status();
  cmd.flag = flag->value_or(0);

  auto language = ReadLanguage(header);
  if (!language.ok()) return language.status();
  cmd.language = *language;
  auto remark = ReadRemark(header);
  if (!remark.ok()) return remark.status();
  cmd.remark = std::move(remark).value();
  auto ext_fields = ReadExtFields(header);
  if (!ext_fields.ok()) return ext_fields.status();
  cmd.ext_fields = std::move(ext_fields).value();
  return cmd;
}

}  // namespace holdfast::remoting
