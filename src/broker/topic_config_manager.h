// RocketMQ's TopicConfigManager: the broker's table of TopicConfig, its DataVersion, the system
// topics, auto-creation on send, and topics.json.
//
// Lifecycle: construct (system topics are put in the table), Load() once before serving (entries
// from topics.json replace the system topics' defaults), then any thread may call the rest.
// Every change bumps the DataVersion and persists the whole table before returning; when
// persisting fails the change stays in memory and the error is returned.
// Thread-safe: one mutex guards the table; persisting is serialised by the ConfigFile.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "broker/broker_config.h"
#include "broker/config_file.h"
#include "common/status.h"
#include "remoting/protocol/topic_config_serialize_wrapper.h"
#include "store/file_system.h"

namespace holdfast::broker {

// RocketMQ's TopicValidator system topic names.
inline constexpr std::string_view kAutoCreateTopicKeyTopic = "TBW102";
inline constexpr std::string_view kSelfTestTopic = "SELF_TEST_TOPIC";
inline constexpr std::string_view kBenchmarkTopic = "BenchmarkTest";
inline constexpr std::string_view kOffsetMovedEventTopic = "OFFSET_MOVED_EVENT";
inline constexpr std::string_view kScheduleTopic = "SCHEDULE_TOPIC_XXXX";
inline constexpr std::string_view kTransHalfTopic = "RMQ_SYS_TRANS_HALF_TOPIC";
inline constexpr std::string_view kTransOpHalfTopic = "RMQ_SYS_TRANS_OP_HALF_TOPIC";
inline constexpr std::string_view kTransCheckMaxTimeTopic = "TRANS_CHECK_MAX_TIME_TOPIC";
inline constexpr std::string_view kReplyTopicSuffix = "_REPLY_TOPIC";
inline constexpr int32_t kScheduleTopicQueueNums = 18;  // one queue per delay level

inline constexpr std::string_view kTopicsFileName = "topics.json";

struct CreateTopicResult {
  protocol::TopicConfig config;
  bool created = false;  // false: the topic already existed (re-register with the name server
                         // only when true)
};

class TopicConfigManager {
 public:
  // fs must outlive the manager. The file is <storePathRootDir>/config/topics.json.
  TopicConfigManager(store::FileSystem* fs, const BrokerConfig& config);

  // Reads topics.json (or its .bak). Ok when neither exists. Corruption naming the file when
  // neither decodes; the table is then unchanged.
  Status Load();
  Status Persist();

  std::optional<protocol::TopicConfig> SelectTopicConfig(const std::string& topic) const;
  bool IsSystemTopic(const std::string& topic) const;

  // Auto-creation on send (docs/protocol.md §8.1). Returns the existing config if the topic exists.
  // Otherwise, when default_topic exists and has INHERIT (TBW102 loses it when
  // autoCreateTopicEnable is false), creates the topic with
  // min(client_default_topic_queue_nums, template writeQueueNums) queues and the template's perm
  // without INHERIT. NotFound when there is no usable template (the caller answers
  // TOPIC_NOT_EXIST); InvalidArgument for a bad topic name.
  Result<CreateTopicResult> CreateTopicInSendMessageMethod(const std::string& topic,
                                                           const std::string& default_topic,
                                                           int32_t client_default_topic_queue_nums,
                                                           int32_t topic_sys_flag);

  // For %RETRY% and %DLQ% topics: creates the topic with the given queues and perm, no template.
  Result<CreateTopicResult> CreateTopicInSendMessageBackMethod(const std::string& topic,
                                                               int32_t queue_nums, int32_t perm,
                                                               int32_t topic_sys_flag);

  // Inserts or replaces. InvalidArgument for a bad name or negative queue counts.
  Status UpdateTopicConfig(const protocol::TopicConfig& config);
  // NotFound when absent.
  Status DeleteTopicConfig(const std::string& topic);

  protocol::DataVersion data_version() const;
  std::map<std::string, protocol::TopicConfig> topic_config_table() const;

  // The whole table and its version, as REGISTER_BROKER carries them.
  protocol::TopicConfigSerializeWrapper SerializeWrapper() const;
  // SerializeWrapper() as JSON: {"dataVersion":{..},"topicConfigTable":{name:TopicConfig}}.
  std::string Encode(bool pretty) const;

 private:
  Status Decode(const std::string& text);
  void PutSystemTopic(protocol::TopicConfig config);
  Result<CreateTopicResult> Insert(protocol::TopicConfig config);

  // Constant after construction.
  const BrokerConfig config_;
  ConfigFile file_;

  mutable std::mutex mu_;
  // Protected by mu_.
  std::map<std::string, protocol::TopicConfig> table_;
  std::set<std::string> system_topics_;
  protocol::DataVersion data_version_ = protocol::DataVersion::Now();
};

}  // namespace holdfast::broker
