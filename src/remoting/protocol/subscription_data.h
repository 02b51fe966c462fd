// RocketMQ's SubscriptionData: a consumer's subscription to one topic, inside HEART_BEAT's
// ConsumerData (docs/protocol.md §5.2), with RocketMQ's tag-expression parser (FilterAPI): the
// expression as written, the tags it names and their Java String.hashCode() values. The broker
// filters its consume queue by the hash codes; the client re-filters what a pull returns by the
// tags.
//
// A plain value.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace holdfast::protocol {

inline constexpr std::string_view kSubAll = "*";
inline constexpr std::string_view kExpressionTypeTag = "TAG";

struct SubscriptionData {
  std::string topic;
  std::string sub_string = std::string(kSubAll);  // subString: "*" or "TagA || TagB" as given
  std::set<std::string> tags_set;                 // tagsSet: the tags (empty for "*")
  std::set<int32_t> code_set;                     // codeSet: Java String.hashCode of each tag
  int64_t sub_version = 0;                        // subVersion: ms timestamp when built
  std::string expression_type = std::string(kExpressionTypeTag);  // expressionType

  // As the Java client writes it: {"classFilterMode":false,"codeSet":[..],"expressionType":..,
  // "subString":..,"subVersion":..,"tagsSet":[..],"topic":..}.
  nlohmann::json ToJson() const;
  // Reads topic (required), subString, expressionType (absent: "TAG") and subVersion (a number or,
  // from C++ clients, a numeric string), then builds tags and codes from subString as
  // BuildSubscriptionData does: what a peer sends in tagsSet and codeSet is not trusted (C++
  // clients send atoi(tag) as the code). Corruption naming the field (`where` + key).
  static Result<SubscriptionData> FromJson(const nlohmann::json& j, const std::string& where);

  bool operator==(const SubscriptionData&) const = default;
};

// The tags of a TAG expression: empty when it selects everything ("*" or blank), else the
// distinct tags of "TagA || TagB" in order, trimmed, empty parts dropped.
std::vector<std::string> ParseSubscriptionTags(std::string_view expression);

// RocketMQ's FilterAPI.buildSubscriptionData: a TAG subscription gets its tags and hash codes
// from `sub_string`, and sub_string "*" when it names no tag; any other expression type (SQL92)
// keeps only sub_string. An empty expression_type is "TAG".
SubscriptionData BuildSubscriptionData(std::string topic, std::string_view sub_string,
                                       std::string_view expression_type, int64_t sub_version);

// Whether a message with `tag` passes a TAG subscription: every message for "*", else only one
// whose tag is in tags_set (a message without a tag passes only "*").
bool MatchesTag(const SubscriptionData& subscription, std::string_view tag);

}  // namespace holdfast::protocol
