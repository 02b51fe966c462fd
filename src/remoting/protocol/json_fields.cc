#include "remoting/protocol/json_fields.h"

#include <strings.h>

#include <charconv>
#include <limits>

namespace holdfast::protocol {

using nlohmann::json;

Result<json> ParseJsonObject(std::string_view body, std::string_view what) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::Corruption(std::string(what) + " is not a JSON object");
  }
  return j;
}

std::string DumpJson(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<JsonFields> JsonFields::Of(const json& object, std::string where) {
  if (!object.is_object()) return Status::Corruption(where + " is not a JSON object");
  return JsonFields(object, std::move(where));
}

const json* JsonFields::Find(std::string_view key) const {
  auto it = object_->find(key);
  if (it == object_->end() || it->is_null()) return nullptr;
  return &*it;
}

Status JsonFields::Error(std::string_view key, std::string_view problem) const {
  return Status::Corruption(where_ + "." + std::string(key) + " " + std::string(problem));
}

Status JsonFields::Read(std::string_view key, std::string* out) const {
  const json* v = Find(key);
  if (v == nullptr) return Status::Ok();
  if (!v->is_string()) return Error(key, "must be a string");
  *out = v->get<std::string>();
  return Status::Ok();
}

Status JsonFields::Read(std::string_view key, bool* out) const {
  const json* v = Find(key);
  if (v == nullptr) return Status::Ok();
  if (v->is_boolean()) {
    *out = v->get<bool>();
    return Status::Ok();
  }
  if (v->is_string()) {
    const std::string& text = v->get_ref<const std::string&>();
    const bool is_true = strcasecmp(text.c_str(), "true") == 0;
    if (is_true || strcasecmp(text.c_str(), "false") == 0) {
      *out = is_true;
      return Status::Ok();
    }
  }
  return Error(key, "must be a boolean");
}

Status JsonFields::Read(std::string_view key, int64_t* out) const {
  const json* v = Find(key);
  if (v == nullptr) return Status::Ok();
  if (v->is_number_integer()) {
    if (v->is_number_unsigned() && v->get<uint64_t>() > uint64_t{INT64_MAX}) {
      return Error(key, "is out of range");
    }
    *out = v->get<int64_t>();
    return Status::Ok();
  }
  if (v->is_string()) {
    const std::string& text = v->get_ref<const std::string&>();
    int64_t parsed = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) {
      *out = parsed;
      return Status::Ok();
    }
  }
  return Error(key, "must be an integer");
}

Status JsonFields::Read(std::string_view key, int32_t* out) const {
  int64_t wide = *out;
  HOLDFAST_RETURN_IF_ERROR(Read(key, &wide));
  if (wide < std::numeric_limits<int32_t>::min() || wide > std::numeric_limits<int32_t>::max()) {
    return Error(key, "is out of range");
  }
  *out = static_cast<int32_t>(wide);
  return Status::Ok();
}

Status JsonFields::Read(std::string_view key, std::map<std::string, std::string>* out) const {
  const json* v = Find(key);
  if (v == nullptr) return Status::Ok();
  if (!v->is_object()) return Error(key, "must be an object");
  std::map<std::string, std::string> read;
  for (const auto& [k, value] : v->items()) {
    if (!value.is_string()) return Error(std::string(key) + "." + k, "must be a string");
    read[k] = value.get<std::string>();
  }
  *out = std::move(read);
  return Status::Ok();
}

}  // namespace holdfast::protocol
