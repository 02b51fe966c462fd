// RocketMQ's ConsumerOffsetManager: the committed consume offset of every (topic, group, queue),
// keyed "topic@group" -> {queueId -> offset}, persisted to consumerOffset.json.
//
// The file is RocketMQ's ConsumerOffsetSerializeWrapper as fastjson writes it, with bare integer
// queue-id keys (remoting/protocol/consumer_offset_serialize_wrapper.h holds the shape and codec).
//
// Lifecycle: construct, Load() once before serving, then CommitOffset/QueryOffset from any number
// of request threads; Persist() is called by the broker's periodic flush
// (flushConsumerOffsetInterval) and at shutdown. Committing does not persist.
// Thread-safe: one mutex guards the table.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "broker/broker_config.h"
#include "broker/config_file.h"
#include "common/status.h"
#include "store/file_system.h"

namespace holdfast::broker {

inline constexpr std::string_view kConsumerOffsetFileName = "consumerOffset.json";
inline constexpr char kTopicGroupSeparator = '@';

using QueueOffsetTable = std::map<int32_t, int64_t>;
using ConsumerOffsetTable = std::map<std::string, QueueOffsetTable>;  // "topic@group" -> ...

class ConsumerOffsetManager {
 public:
  // fs must outlive the manager. The file is <storePathRootDir>/config/consumerOffset.json.
  ConsumerOffsetManager(store::FileSystem* fs, const BrokerConfig& config);

  // Replaces the table with the file's (or its .bak's). Ok when neither exists; Corruption
  // naming the file when neither decodes (the table is then unchanged).
  Status Load();
  Status Persist();

  void CommitOffset(const std::string& group, const std::string& topic, int32_t queue_id,
                    int64_t offset);
  // -1 when nothing was committed for that queue.
  int64_t QueryOffset(const std::string& group, const std::string& topic, int32_t queue_id) const;
  // Every queue of the pair; empty when unknown.
  QueueOffsetTable QueryOffset(const std::string& group, const std::string& topic) const;

  // The topics `group` has committed offsets for (RocketMQ's whichTopicByConsumer), sorted.
  std::set<std::string> WhichTopicByConsumer(const std::string& group) const;
  // Forgets every offset of a topic (DELETE_TOPIC_IN_BROKER) or of a group
  // (DELETE_SUBSCRIPTIONGROUP with removeOffset); the number of topic@group entries removed.
  // Like CommitOffset, this does not persist.
  int RemoveOffsetsOfTopic(const std::string& topic);
  int RemoveOffsetsOfGroup(const std::string& group);

  ConsumerOffsetTable offset_table() const;
  std::string Encode() const;

 private:
  // Constant after construction.
  ConfigFile file_;

  mutable std::mutex mu_;
  // Protected by mu_.
  ConsumerOffsetTable table_;
};

}  // namespace holdfast::broker
