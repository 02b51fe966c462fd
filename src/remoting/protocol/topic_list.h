// RocketMQ's TopicList: {"topicList":[..]}, the body of GET_ALL_TOPIC_LIST_FROM_NAMESERVER and
// GET_TOPICS_BY_CLUSTER. Written by the name server, read by the admin tools.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "common/status.h"

namespace holdfast::protocol {

struct TopicList {
  std::set<std::string> topic_list;

  bool operator==(const TopicList&) const = default;
};

std::string EncodeTopicList(const TopicList& list);
// Corruption when the body is not {"topicList":[string..]}.
Result<TopicList> DecodeTopicList(std::string_view body);

}  // namespace holdfast::protocol
