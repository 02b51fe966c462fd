// Reading typed custom-header fields (extFields) of a request, as RocketMQ's
// decodeCommandCustomHeader does. Values arrive as text: the remoting layer has already turned JSON
// numbers and booleans into strings, so "42" and 42 read the same.
#pragma once

#include <strings.h>

#include <charconv>
#include <string>
#include <string_view>

#include "common/status.h"
#include "remoting/remoting_command.h"

namespace holdfast::broker {

// InvalidArgument "the custom field <key> is null" when required and absent.
inline Status ReadStringField(const remoting::RemotingCommand& request, std::string_view key,
                              bool required, std::string* out) {
  const std::string* v = request.FindExtField(key);
  if (v == nullptr) {
    return required ? Status::InvalidArgument("the custom field " + std::string(key) + " is null")
                    : Status::Ok();
  }
  *out = *v;
  return Status::Ok();
}

// As ReadStringField, for an integer; an absent or empty optional field leaves *out unchanged.
template <typename T>
Status ReadNumberField(const remoting::RemotingCommand& request, std::string_view key,
                       bool required, T* out) {
  const std::string* v = request.FindExtField(key);
  if (v == nullptr || v->empty()) {
    return required ? Status::InvalidArgument("the custom field " + std::string(key) + " is null")
                    : Status::Ok();
  }
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), *out);
  if (ec != std::errc() || end != v->data() + v->size()) {
    return Status::InvalidArgument("the custom field " + std::string(key) +
                                   " is not a number: " + *v);
  }
  return Status::Ok();
}

// Java's Boolean.parseBoolean; nullopt when absent.
inline std::optional<bool> ReadBoolField(const remoting::RemotingCommand& request,
                                         std::string_view key) {
  const std::string* v = request.FindExtField(key);
  if (v == nullptr) return std::nullopt;
  return strcasecmp(v->c_str(), "true") == 0;
}

}  // namespace holdfast::broker
