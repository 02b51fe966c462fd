#include "broker/send_message_request_header.h"

#include <strings.h>
#include <charconv>

#include "common/byte_order.h"
#include "remoting/request_code.h"

namespace holdfast::broker {

using remoting::RemotingCommand;
using remoting::RequestCode;

namespace {

// One header field: its V1 and V2 wire names.
struct Field {
  std::string_view v1;
  std::string_view v2;
};

class Reader {
 public:
  Reader(const RemotingCommand& request, bool v2) : request_(request), v2_(v2) {}

  const std::string* Find(const Field& f) const { return request_.FindExtField(v2_ ? f.v2 : f.v1); }
  std::string Name(const Field& f) const { return std::string(v2_ ? f.v2 : f.v1); }

  Status String(const Field& f, bool required, std::string* out) const {
    const std::string* v = Find(f);
    if (v == nullptr) return required ? Missing(f) : Status::Ok();
    *out = *v;
    return Status::Ok();
  }

  template <typename T>
  Status Number(const Field& f, bool required, T* out) const {
    const std::string* v = Find(f);
    if (v == nullptr || v->empty()) return required ? Missing(f) : Status::Ok();
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), *out);
    if (ec != std::errc() || end != v->data() + v->size()) {
      return Status::InvalidArgument("the custom field " + Name(f) + " is not a number: " + *v);
    }
    return Status::Ok();
  }

  void Bool(const Field& f, bool* out) const {
    const std::string* v = Find(f);
    *out = v != nullptr && strcasecmp(v->c_str(), "true") == 0;
  }

 private:
  Status Missing(const Field& f) const {
    return Status::InvalidArgument("the custom field " + Name(f) + " is null");
  }

  const RemotingCommand& request_;
  const bool v2_;
};

}  // namespace

bool UsesSendHeaderV2(int32_t request_code) {
  return request_code == RequestCode::SEND_MESSAGE_V2 ||
         request_code == RequestCode::SEND_BATCH_MESSAGE ||
         request_code == RequestCode::SEND_REPLY_MESSAGE_V2;
}

Result<SendMessageRequestHeader> DecodeSendMessageRequestHeader(const RemotingCommand& request) {
  const Reader r(request, UsesSendHeaderV2(request.code));
  SendMessageRequestHeader h;
  HOLDFAST_RETURN_IF_ERROR(r.String({"producerGroup", "a"}, true, &h.producer_group));
  HOLDFAST_RETURN_IF_ERROR(r.String({"topic", "b"}, true, &h.topic));
  HOLDFAST_RETURN_IF_ERROR(r.String({"defaultTopic", "c"}, true, &h.default_topic));
  HOLDFAST_RETURN_IF_ERROR(
      r.Number({"defaultTopicQueueNums", "d"}, true, &h.default_topic_queue_nums));
  HOLDFAST_RETURN_IF_ERROR(r.Number({"queueId", "e"}, true, &h.queue_id));
  HOLDFAST_RETURN_IF_ERROR(r.Number({"sysFlag", "f"}, true, &h.sys_flag));
  HOLDFAST_RETURN_IF_ERROR(r.Number({"bornTimestamp", "g"}, true, &h.born_timestamp));
  HOLDFAST_RETURN_IF_ERROR(r.Number({"flag", "h"}, true, &h.flag));
  HOLDFAST_RETURN_IF_ERROR(r.String({"properties", "i"}, false, &h.properties));
  HOLDFAST_RETURN_IF_ERROR(r.Number({"reconsumeTimes", "j"}, false, &h.reconsume_times));
  r.Bool({"unitMode", "k"}, &h.unit_mode);
  HOLDFAST_RETURN_IF_ERROR(r.Number({"maxReconsumeTimes", "l"}, false, &h.max_reconsume_times));
  r.Bool({"batch", "m"}, &h.batch);
  HOLDFAST_RETURN_IF_ERROR(r.String({"bname", "n"}, false, &h.broker_name));
  return h;
}

Result<std::vector<BatchMessage>> DecodeBatchBody(std::string_view body) {
  std::vector<BatchMessage> out;
  size_t pos = 0;
  // TOTALSIZE, MAGICCODE, BODYCRC, FLAG, BODYLEN: five ints before the body.
  constexpr size_t kFixed = 20;
  while (pos < body.size()) {
    const size_t index = out.size();
    auto bad = [&](std::string_view what) {
      return Status::InvalidArgument("batch message " + std::to_string(index) + " at byte " +
                                     std::to_string(pos) + ": " + std::string(what));
    };
    if (body.size() - pos < kFixed) return bad("truncated header");
    const char* p = body.data() + pos;
    const int32_t total = GetInt32(p);
    if (total < static_cast<int32_t>(kFixed + 2) ||
        static_cast<size_t>(total) > body.size() - pos) {
      return bad("TOTALSIZE " + std::to_string(total) + " out of range");
    }
    BatchMessage m;
    m.flag = GetInt32(p + 12);
    const int32_t body_len = GetInt32(p + 16);
    if (body_len < 0 || kFixed + static_cast<size_t>(body_len) + 2 > static_cast<size_t>(total)) {
      return bad("BODYLEN " + std::to_string(body_len) + " runs past TOTALSIZE");
    }
    m.body.assign(p + kFixed, static_cast<size_t>(body_len));
    const size_t props_pos = kFixed + static_cast<size_t>(body_len);
    const int16_t props_len = GetInt16(p + props_pos);
    if (props_len < 0 ||
        props_pos + 2 + static_cast<size_t>(props_len) != static_cast<size_t>(total)) {
      return bad("PROPLEN " + std::to_string(props_len) + " does not end at TOTALSIZE");
    }
    m.properties.assign(p + props_pos + 2, static_cast<size_t>(props_len));
    out.push_back(std::move(m));
    pos += static_cast<size_t>(total);
  }
  return out;
}

std::string EncodeBatchBody(const std::vector<BatchMessage>& messages) {
  std::string out;
  for (const BatchMessage& m : messages) {
    const size_t total = 20 + m.body.size() + 2 + m.properties.size();
    char fixed[20];
    PutBigEndian32(fixed, static_cast<uint32_t>(total));
    PutBigEndian32(fixed + 4, 0);
    PutBigEndian32(fixed + 8, 0);
    PutBigEndian32(fixed + 12, static_cast<uint32_t>(m.flag));
    PutBigEndian32(fixed + 16, static_cast<uint32_t>(m.body.size()));
    out.append(fixed, sizeof(fixed));
    out += m.body;
    char len[2];
    PutBigEndian16(len, static_cast<uint16_t>(m.properties.size()));
    out.append(len, sizeof(len));
    out += m.properties;
  }
  return out;
}

}  // namespace holdfast::broker
