// The messages a client sends and receives, under the names RocketMQ's C++ client uses
// (rocketmq-client-cpp: MQMessage, MQMessageExt, MQMessageQueue).
//
// Plain values: copy and move freely; no synchronisation.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace holdfast {

// A message to send. `topic` and `body` are required; everything else is optional.
struct MQMessage {
  std::string topic;
  std::string body;
  std::string tags;               // one tag; consumers filter on it ("TagA || TagB")
  std::vector<std::string> keys;  // indexed by the broker; queryMsgByKey finds the message
  int32_t flag = 0;               // opaque to the broker
  // 0 = deliver now; 1..18 = the broker's delay levels (messageDelayLevel, by default 1s 5s 10s
  // 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h; a level above the highest waits the
  // highest). The broker keeps the message and delivers it to this topic and queue once the
  // level's delay has passed since it was stored, with the same msgId, body and born time; a
  // consumer never sees it earlier. Not allowed in a batch. The wait survives broker restarts and
  // crashes: a delayed message is delivered at least once, possibly twice after a crash.
  int32_t delay_time_level = 0;
  bool wait_store_msg_ok = true;  // the "WAIT" property
  // User properties. Names RocketMQ reserves (TAGS, KEYS, UNIQ_KEY, ...) are rejected at send.
  std::map<std::string, std::string> properties;
};

// One queue of a topic on one broker (RocketMQ's MessageQueue). Ordered by (topic, broker, id),
// the order rebalance uses.
struct MessageQueue {
  std::string topic;
  std::string broker_name;
  int32_t queue_id = 0;

  auto operator<=>(const MessageQueue&) const = default;
  std::string ToString() const;  // "MessageQueue [topic=.., brokerName=.., queueId=..]"
};

// A message as a consumer receives it: what was sent, plus where and when the broker stored it.
struct MQMessageExt {
  std::string topic;
  std::string body;  // decompressed
  std::string tags;
  std::vector<std::string> keys;
  int32_t flag = 0;
  // All properties as stored, reserved ones included (TAGS, KEYS, UNIQ_KEY, ...).
  std::map<std::string, std::string> properties;

  std::string msg_id;         // the producer's unique id (UNIQ_KEY), or offset_msg_id if none
  std::string offset_msg_id;  // the broker's id: store host + commit-log offset
  std::string broker_name;
  int32_t queue_id = 0;
  int64_t queue_offset = 0;
  int64_t commit_log_offset = 0;
  int64_t born_timestamp = 0;   // ms since the epoch, producer clock
  int64_t store_timestamp = 0;  // ms since the epoch, broker clock
  std::string born_host;        // "ip:port"
  std::string store_host;       // "ip:port"
  int32_t reconsume_times = 0;
  int32_t body_crc = 0;
  int32_t store_size = 0;
};

}  // namespace holdfast
