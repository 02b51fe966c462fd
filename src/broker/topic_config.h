// RocketMQ's TopicConfig: the broker's settings for one topic, with its JSON form as topics.json
// and the admin requests carry it (fastjson field names).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "broker/perm_name.h"
#include "common/status.h"

namespace holdfast::broker {

// RocketMQ's TopicFilterType; MULTI_TAG is legacy and only sets topicSysFlag bit 0x2 in 4.x tools.
enum class TopicFilterType { kSingleTag, kMultiTag };

std::string_view TopicFilterTypeName(TopicFilterType type);  // "SINGLE_TAG" / "MULTI_TAG"

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
  // Missing fields take the defaults above, unknown fields are ignored; Corruption naming the
  // field when one has the wrong type or a negative queue count.
  static Result<TopicConfig> FromJson(const nlohmann::json& j);

  bool operator==(const TopicConfig&) const = default;
};

}  // namespace holdfast::broker
