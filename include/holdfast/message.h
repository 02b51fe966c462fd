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
  // Delayed delivery: set at most one of the next three (a send setting two is refused with
  // InvalidArgument); a batch may hold none of them (InvalidArgument). The broker keeps the
  // message and delivers it to this topic and queue once due, with the same msgId, body and born
  // time; a consumer never sees it earlier, and about a second later at most on an unloaded
  // broker. The wait survives broker restarts and crashes: a delayed message is delivered at
  // least once, possibly twice after a crash.
  //
  // delay_time_level (the DELAY property): 0 = deliver now; 1..18 = one of the broker's
  // messageDelayLevel durations (by default 1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m
  // 1h 2h) after it was stored; a level above the broker's highest waits the highest. Every
  // RocketMQ broker takes it (docs/protocol.md §8.2).
  int32_t delay_time_level = 0;
  // deliver_time_ms (TIMER_DELIVER_MS): the time to deliver at, ms since the epoch by the broker's
  // clock; 0 = not set. delay_ms (TIMER_DELAY_MS): how long after the broker stored it; 0 = not
  // set. RocketMQ 5 timer messages, to the second: a broker refuses (MESSAGE_ILLEGAL, the send
  // fails with InvalidArgument) a delivery further ahead than its timerMaxDelaySec (3 days by
  // default), and a RocketMQ 4 broker ignores both and delivers at once.
  //
  // A broker without the matching delivery service refuses the message rather than deliver it
  // early (a Holdfast broker before timer messages: InvalidArgument naming the property).
  int64_t deliver_time_ms = 0;
  int64_t delay_ms = 0;
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
