// RocketMQ's ConsumerOffsetManager: the committed consume offset of every (topic, group, queue),
// keyed "topic@group" -> {queueId -> offset}, persisted to consumerOffset.json.
//
// File shape, as fastjson writes it (queue ids are UNQUOTED keys, which is not JSON):
//   {
//   	"offsetTable":{
//   		"TopicA@GroupA":{0:123,1:456},
//   		"TopicB@GroupA":{0:7}
//   	}
//   }
// Load accepts that and the standard JSON form with quoted ids, and ignores other top-level
// fields (5.x adds "dataVersion").
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

// The file text for a table, in the shape above (entries sorted by key, then queue id).
std::string EncodeConsumerOffsetTable(const ConsumerOffsetTable& table);
// Reads either form. Corruption naming the problem on anything else (a non-integer queue id or
// offset, a missing offsetTable is fine: empty).
Result<ConsumerOffsetTable> DecodeConsumerOffsetTable(std::string_view text);

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
