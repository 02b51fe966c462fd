// Reading and writing the fields of a JSON body the way fastjson does on the Java side, for every
// JSON codec of this folder. Parsing and dumping never throw; a field is read as fastjson sets a
// Java field: an absent or null key leaves the default, a number may come as a JSON number or a
// numeric string, a boolean as true/false or "true"/"false".
//
// Pure functions and a view over a parsed object; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace holdfast::protocol {

// `body` parsed as a JSON object; Corruption "<what> is not a JSON object" otherwise.
Result<nlohmann::json> ParseJsonObject(std::string_view body, std::string_view what);

// `j` as compact JSON text; invalid UTF-8 in strings (which decoded commands never carry) is
// replaced, not thrown on.
std::string DumpJson(const nlohmann::json& j);

// The fields of one JSON object, read with errors that name the field: "<where>.<key> must be an
// integer". `object` must outlive the view.
class JsonFields {
 public:
  // `where` names the object in errors ("HeartbeatData consumerDataSet[0]"); Corruption when
  // `object` is not an object.
  static Result<JsonFields> Of(const nlohmann::json& object, std::string where);

  // The value of `key`, or nullptr when absent or null.
  const nlohmann::json* Find(std::string_view key) const;

  // Reads `key` into *out; absent or null leaves *out. Corruption naming the field on a wrong
  // type or an integer out of range.
  Status Read(std::string_view key, std::string* out) const;
  Status Read(std::string_view key, bool* out) const;
  Status Read(std::string_view key, int32_t* out) const;
  Status Read(std::string_view key, int64_t* out) const;
  Status Read(std::string_view key, std::map<std::string, std::string>* out) const;

  // As Read, and Corruption "<where>.<key> is missing" when absent or null.
  template <typename T>
  Status ReadRequired(std::string_view key, T* out) const {
    if (Find(key) == nullptr) return Error(key, "is missing");
    return Read(key, out);
  }

  // Corruption "<where>.<key> <problem>".
  Status Error(std::string_view key, std::string_view problem) const;
  const std::string& where() const { return where_; }

 private:
  JsonFields(const nlohmann::json& object, std::string where)
      : object_(&object), where_(std::move(where)) {}

  const nlohmann::json* object_;
  std::string where_;
};

}  // namespace holdfast::protocol
