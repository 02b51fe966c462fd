// RocketMQ's TopicConfig: a broker's settings for one topic. Two forms cross the wire: JSON
// (fastjson field names; topics.json, GET_ALL_TOPIC_CONFIG and the uncompressed
// RegisterBrokerBody) and TopicConfig.encode()'s text, "name read write perm filterType
// [attributes]" (the compressed RegisterBrokerBody, docs/protocol.md §5.3).
//
// A plain value.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "remoting/protocol/perm_name.h"

namespace holdfast::protocol {

// RocketMQ's TopicFilterType; MULTI_TAG is legacy and only sets topicSysFlag bit 0x2 in 4.x tools.
enum class TopicFilterType { kSingleTag, kMultiTag };

std::string_view TopicFilterTypeName(TopicFilterType type);  // "SINGLE_TAG" / "MULTI_TAG"
// InvalidArgument naming the text unless it is "SINGLE_TAG" or "MULTI_TAG".
Result<TopicFilterType> ParseTopicFilterType(std::string_view name);

inline constexpr int32_t kDefaultReadQueueNums = 16;
inline constexpr int32_t kDefaultWriteQueueNums = 16;

struct TopicConfig {
  std::string topic_name;                                           // topicName
  int32_t read_queue_nums = kDefaultReadQueueNums;                  // readQueueNums
  int32_t write_queue_nums = kDefaultWriteQueueNums;                // writeQueueNums
  int32_t perm = kPermRead | kPermWrite;                            // perm
  TopicFilterType topic_filter_type = TopicFilterType::kSingleTag;  // topicFilterType
  int32_t topic_sys_flag = 0;                                       // topicSysFlag
  bool order = false;                                               // order
  std::map<std::string, std::string> attributes;                    // attributes (5.x)

  TopicConfig() = default;
  explicit TopicConfig(std::string name) : topic_name(std::move(name)) {}
  TopicConfig(std::string name, int32_t read, int32_t write, int32_t perm_bits)
      : topic_name(std::move(name)),
        read_queue_nums(read),
        write_queue_nums(write),
        perm(perm_bits) {}

  // {"attributes":{},"order":false,"perm":6,"readQueueNums":16,"topicFilterType":"SINGLE_TAG",
  //  "topicName":"T","topicSysFlag":0,"writeQueueNums":16}
  nlohmann::json ToJson() const;
  // Missing fields take the defaults above, unknown fields are ignored, numbers may be numeric
  // strings; Corruption naming the field when one has the wrong type or a negative queue count.
  static Result<TopicConfig> FromJson(const nlohmann::json& j);

  // TopicConfig.encode(): "T 16 16 6 SINGLE_TAG" (attributes, when any, as a sixth JSON field).
  std::string EncodeText() const;
  // TopicConfig.decode(): name, queue counts, perm and filter type; the attributes field is read
  // when present. topicSysFlag and order are not in the text and keep their defaults. Corruption
  // naming the text when it has fewer than five fields or one does not parse.
  static Result<TopicConfig> DecodeText(std::string_view text);

  bool operator==(const TopicConfig&) const = default;
};

}  // namespace holdfast::protocol
