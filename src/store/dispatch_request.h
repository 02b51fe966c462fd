// What the reput service extracts from one commit-log record for the consume queue and the index
// (RocketMQ's DispatchRequest). Views point into a buffer owned by the caller of the dispatch.
#pragma once

#include <cstdint>
#include <string_view>

namespace holdfast::store {

struct DispatchRequest {
  std::string_view topic;
  int32_t queue_id = 0;
  int64_t commit_log_offset = 0;
  int32_t msg_size = 0;
  int64_t tags_code = 0;
  int64_t store_timestamp = 0;
  int64_t consume_queue_offset = 0;
  std::string_view keys;      // KEYS property: space-separated business keys, may be empty
  std::string_view uniq_key;  // UNIQ_KEY property, may be empty
  // For a message waiting in SCHEDULE_TOPIC_XXXX or rmq_sys_wheel_timer: its REAL_TOPIC, under
  // which it is indexed too (found by key while it waits). Empty otherwise.
  std::string_view real_topic;
  // For a SCHEDULE_TOPIC_XXXX message: its DELAY level (its queue id + 1 when the property is
  // missing or not a number), from which the store computes its tags code, the delivery time.
  int32_t delay_level = 0;
  int32_t sys_flag = 0;
  int64_t prepared_transaction_offset = 0;
};

}  // namespace holdfast::store

#include "common/message_codec.h"

namespace holdfast::store {

// The dispatch request of a decoded record; its views point into the same buffer as msg's.
DispatchRequest MakeDispatchRequest(const MessageView& msg);

}  // namespace holdfast::store
