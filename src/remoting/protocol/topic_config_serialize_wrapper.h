// RocketMQ's TopicConfigSerializeWrapper: a broker's whole topic table and its DataVersion, as
// topics.json holds it, GET_ALL_TOPIC_CONFIG answers it and REGISTER_BROKER carries it:
// {"dataVersion":{..},"topicConfigTable":{"T":{TopicConfig},..}}.
//
// A plain value.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "remoting/protocol/data_version.h"
#include "remoting/protocol/topic_config.h"

namespace holdfast::protocol {

struct TopicConfigSerializeWrapper {
  std::map<std::string, TopicConfig> topic_config_table;  // by topic name
  // Absent in a body that has none (a hand-written topics.json); the reader keeps its own.
  std::optional<DataVersion> data_version;

  nlohmann::json ToJson() const;
  // A config without a topicName takes its table key. Corruption naming the topic and field.
  static Result<TopicConfigSerializeWrapper> FromJson(const nlohmann::json& j);

  bool operator==(const TopicConfigSerializeWrapper&) const = default;
};

// Compact JSON, or with `pretty` one tab per level as topics.json is written.
std::string EncodeTopicConfigSerializeWrapper(const TopicConfigSerializeWrapper& wrapper,
                                              bool pretty);
Result<TopicConfigSerializeWrapper> DecodeTopicConfigSerializeWrapper(std::string_view body);

}  // namespace holdfast::protocol
