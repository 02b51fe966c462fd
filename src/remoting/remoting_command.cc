#include "remoting/remoting_command.h"

#include <atomic>
#include <utility>

#include "remoting/request_code.h"
#include "remoting/response_code.h"

namespace holdfast::remoting {
namespace {

// Java's RemotingCommand.requestId. Signed atomic arithmetic wraps (C++20), like Java's int.
std::atomic<int32_t> next_request_id{0};

std::string Hex(int32_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  auto v = static_cast<uint32_t>(value);
  std::string out;
  do {
    out.insert(out.begin(), kDigits[v & 0xF]);
    v >>= 4;
  } while (v != 0);
  return "0x" + out;
}

}  // namespace

RemotingCommand RemotingCommand::CreateRequest(int32_t code) {
  RemotingCommand cmd;
  cmd.code = code;
  cmd.opaque = next_request_id.fetch_add(1, std::memory_order_relaxed);
  return cmd;
}

RemotingCommand RemotingCommand::CreateResponse(const RemotingCommand& request, int32_t code,
                                                std::optional<std::string> remark) {
  RemotingCommand cmd;
  cmd.code = code;
  cmd.opaque = request.opaque;
  cmd.remark = std::move(remark);
  cmd.MarkResponse();
  return cmd;
}

const std::string* RemotingCommand::FindExtField(std::string_view key) const {
  auto it = ext_fields.find(key);
  return it == ext_fields.end() ? nullptr : &it->second;
}

void RemotingCommand::SetExtField(std::string key, std::string value) {
  ext_fields.insert_or_assign(std::move(key), std::move(value));
}

std::string RemotingCommand::ToString() const {
  std::string out = IsResponse() ? "response " : "request ";
  out += IsResponse() ? ResponseCodeName(code) : RequestCodeName(code);
  out += "(" + std::to_string(code) + ") opaque=" + std::to_string(opaque);
  out += " flag=" + Hex(flag);
  out += " language=";
  out += LanguageCodeName(language);
  out += " version=" + std::to_string(version);
  if (remark.has_value()) {
    constexpr size_t kMaxRemarkShown = 120;
    out += " remark=\"" + remark->substr(0, kMaxRemarkShown);
    out += remark->size() > kMaxRemarkShown ? "...\"" : "\"";
  }
  out += " extFields=" + std::to_string(ext_fields.size());
  out += " body=" + std::to_string(body.size()) + "B";
  return out;
}

}  // namespace holdfast::remoting
