#include "remoting/protocol/custom_header.h"

#include <strings.h>

#include <charconv>

namespace holdfast::protocol {

using remoting::RemotingCommand;

namespace {

Status Missing(std::string_view key) {
  return Status::InvalidArgument("the custom field <" + std::string(key) + "> is null");
}

// The text of `key`, or nullptr when absent; a required absent field is an error.
Result<const std::string*> Find(const RemotingCommand& command, std::string_view key,
                                Presence presence) {
  const std::string* v = command.FindExtField(key);
  if (v == nullptr && presence == Presence::kRequired) return Missing(key);
  return v;
}

template <typename T>
Status ReadNumber(const RemotingCommand& command, std::string_view key, Presence presence, T* out) {
  const std::string* v = command.FindExtField(key);
  if (v == nullptr || v->empty()) {
    return presence == Presence::kRequired ? Missing(key) : Status::Ok();
  }
  T parsed{};
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), parsed);
  if (ec != std::errc() || end != v->data() + v->size()) {
    return Status::InvalidArgument("the custom field <" + std::string(key) +
                                   "> is not a number: " + *v);
  }
  *out = parsed;
  return Status::Ok();
}

template <typename T>
Status ReadOptionalNumber(const RemotingCommand& command, std::string_view key, Presence presence,
                          std::optional<T>* out) {
  const std::string* v = command.FindExtField(key);
  if (v == nullptr || v->empty()) {
    if (presence == Presence::kRequired) return Missing(key);
    *out = std::nullopt;
    return Status::Ok();
  }
  T parsed{};
  HOLDFAST_RETURN_IF_ERROR(ReadNumber(command, key, presence, &parsed));
  *out = parsed;
  return Status::Ok();
}

}  // namespace

void WriteHeaderField(std::string_view key, const std::string& value, Presence presence,
                      RemotingCommand* command) {
  if (presence == Presence::kOptional && value.empty()) return;
  command->SetExtField(std::string(key), value);
}

void WriteHeaderField(std::string_view key, int32_t value, Presence, RemotingCommand* command) {
  command->SetExtField(std::string(key), std::to_string(value));
}

void WriteHeaderField(std::string_view key, int64_t value, Presence, RemotingCommand* command) {
  command->SetExtField(std::string(key), std::to_string(value));
}

void WriteHeaderField(std::string_view key, bool value, Presence, RemotingCommand* command) {
  command->SetExtField(std::string(key), value ? "true" : "false");
}

void WriteHeaderField(std::string_view key, const std::optional<int32_t>& value, Presence,
                      RemotingCommand* command) {
  if (value) command->SetExtField(std::string(key), std::to_string(*value));
}

void WriteHeaderField(std::string_view key, const std::optional<int64_t>& value, Presence,
                      RemotingCommand* command) {
  if (value) command->SetExtField(std::string(key), std::to_string(*value));
}

void WriteHeaderField(std::string_view key, const std::optional<bool>& value, Presence,
                      RemotingCommand* command) {
  if (value) command->SetExtField(std::string(key), *value ? "true" : "false");
}

Status ReadHeaderField(const RemotingCommand& command, std::string_view key, Presence presence,
                       std::string* out) {
  Result<const std::string*> v = Find(command, key, presence);
  if (!v.ok()) return v.status();
  if (*v != nullptr) *out = **v;
  return Status::Ok();
}

Status ReadHeaderField(const RemotingCommand& command, std::string_view key, Presence presence,
                       int32_t* out) {
  return ReadNumber(command, key, presence, out);
}

Status ReadHeaderField(const RemotingCommand& command, std::string_view key, Presence presence,
                       int64_t* out) {
  return ReadNumber(command, key, presence, out);
}

Status ReadHeaderField(const RemotingCommand& command, std::string_view key, Presence presence,
                       bool* out) {
  Result<const std::string*> v = Find(command, key, presence);
  if (!v.ok()) return v.status();
  if (*v != nullptr) *out = strcasecmp((*v)->c_str(), "true") == 0;
  return Status::Ok();
}

Status ReadHeaderField(const RemotingCommand& command, std::string_view key, Presence presence,
                       std::optional<int32_t>* out) {
  return ReadOptionalNumber(command, key, presence, out);
}

Status ReadHeaderField(const RemotingCommand& command, std::string_view key, Presence presence,
                       std::optional<int64_t>* out) {
  return ReadOptionalNumber(command, key, presence, out);
}

Status ReadHeaderField(const RemotingCommand& command, std::string_view key, Presence presence,
                       std::optional<bool>* out) {
  Result<const std::string*> v = Find(command, key, presence);
  if (!v.ok()) return v.status();
  if (*v == nullptr) {
    *out = std::nullopt;
  } else {
    *out = strcasecmp((*v)->c_str(), "true") == 0;
  }
  return Status::Ok();
}

}  // namespace holdfast::protocol
