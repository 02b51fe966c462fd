#include "client/pull_result.h"

#include "common/message.h"
#include "common/message_codec.h"
#include "common/message_id.h"
#include "common/zlib_codec.h"

namespace holdfast::client {

const char* PullStatusName(PullStatus status) {
  switch (status) {
    case PullStatus::kFound:
      return "FOUND";
    case PullStatus::kNoNewMsg:
      return "NO_NEW_MSG";
    case PullStatus::kNoMatchedMsg:
      return "NO_MATCHED_MSG";
    case PullStatus::kOffsetIllegal:
      return "OFFSET_ILLEGAL";
  }
  return "UNKNOWN";
}

namespace {

std::vector<std::string> SplitKeys(std::string_view keys) {
  std::vector<std::string> out;
  while (!keys.empty()) {
    size_t sp = keys.find(property::kKeySeparator);
    std::string_view key = keys.substr(0, sp);
    if (!key.empty()) out.emplace_back(key);
    if (sp == std::string_view::npos) break;
    keys.remove_prefix(sp + 1);
  }
  return out;
}

}  // namespace

Result<std::vector<MQMessageExt>> DecodeMessages(std::string_view body,
                                                 const std::string& broker_name) {
  std::vector<MQMessageExt> msgs;
  size_t pos = 0;
  while (pos < body.size()) {
    Result<MessageView> view = DecodeStoredRecord(body.substr(pos), /*check_body_crc=*/false);
    if (!view.ok()) {
      return Status::Corruption("message record at byte " + std::to_string(pos) + " of " +
                                broker_name + "'s answer: " + view.status().message());
    }
    const MessageView& v = *view;
    MQMessageExt m;
    m.topic = std::string(v.topic);
    if (v.sys_flag & sysflag::kCompressed) {
      Result<std::string> plain = ZlibUncompress(v.body, kMaxUncompressedBodySize);
      if (!plain.ok()) {
        return Status::Corruption("compressed body of the message at queue offset " +
                                  std::to_string(v.queue_offset) + " of " + m.topic + ": " +
                                  plain.status().message());
      }
      m.body = std::move(plain).value();
    } else {
      m.body = std::string(v.body);
    }
    for (auto& [k, val] : DecodeProperties(v.properties)) m.properties.emplace(k, val);
    if (auto it = m.properties.find(std::string(property::kTags)); it != m.properties.end()) {
      m.tags = it->second;
    }
    if (auto it = m.properties.find(std::string(property::kKeys)); it != m.properties.end()) {
      m.keys = SplitKeys(it->second);
    }
    m.flag = v.flag;
    m.offset_msg_id = CreateOffsetMsgId(v.store_host, v.commit_log_offset);
    auto uniq = m.properties.find(std::string(property::kUniqClientMessageIdKeyIndex));
    m.msg_id = uniq != m.properties.end() ? uniq->second : m.offset_msg_id;
    m.broker_name = broker_name;
    m.queue_id = v.queue_id;
    m.queue_offset = v.queue_offset;
    m.commit_log_offset = v.commit_log_offset;
    m.born_timestamp = v.born_timestamp;
    m.store_timestamp = v.store_timestamp;
    m.born_host = v.born_host.ToString();
    m.store_host = v.store_host.ToString();
    m.reconsume_times = v.reconsume_times;
    m.body_crc = v.body_crc;
    m.store_size = v.store_size;
    msgs.push_back(std::move(m));
    pos += static_cast<size_t>(v.store_size);
  }
  return msgs;
}

}  // namespace holdfast::client
