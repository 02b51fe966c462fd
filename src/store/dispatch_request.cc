#include "store/dispatch_request.h"

#include <charconv>

#include "common/java_hash.h"
#include "common/message.h"
#include "store/schedule/schedule_routing.h"

namespace holdfast::store {

DispatchRequest MakeDispatchRequest(const MessageView& msg) {
  DispatchRequest req;
  req.topic = msg.topic;
  req.queue_id = msg.queue_id;
  req.commit_log_offset = msg.commit_log_offset;
  req.msg_size = msg.store_size;
  req.store_timestamp = msg.store_timestamp;
  req.consume_queue_offset = msg.queue_offset;
  req.sys_flag = msg.sys_flag;
  req.prepared_transaction_offset = msg.prepared_transaction_offset;
  if (auto tags = FindProperty(msg.properties, property::kTags); tags && !tags->empty()) {
    req.tags_code = JavaStringHashCode(*tags);
  }
  if (auto keys = FindProperty(msg.properties, property::kKeys)) req.keys = *keys;
  if (auto uniq = FindProperty(msg.properties, property::kUniqClientMessageIdKeyIndex)) {
    req.uniq_key = *uniq;
  }
  if (schedule::IsWaitingTopic(msg.topic)) {
    if (auto real = FindProperty(msg.properties, property::kRealTopic)) req.real_topic = *real;
  }
  if (msg.topic == schedule::kScheduleTopic) {
    req.delay_level = msg.queue_id + 1;
    if (auto level = FindProperty(msg.properties, property::kDelayTimeLevel)) {
      int32_t parsed = 0;
      auto [end, ec] = std::from_chars(level->data(), level->data() + level->size(), parsed);
      if (ec == std::errc() && end == level->data() + level->size()) req.delay_level = parsed;
    }
  }
  return req;
}

}  // namespace holdfast::store
