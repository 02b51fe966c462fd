// RocketMQ's CreateTopicRequestHeader, UPDATE_AND_CREATE_TOPIC (17): a topic's TopicConfig as
// header fields. Written by our admin tools (updateTopic), read by our broker.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct CreateTopicRequestHeader {
  std::string topic;
  std::string default_topic;
  int32_t read_queue_nums = 0;
  int32_t write_queue_nums = 0;
  int32_t perm = 0;
  std::string topic_filter_type;  // SINGLE_TAG / MULTI_TAG; empty: SINGLE_TAG
  int32_t topic_sys_flag = 0;
  bool order = false;

  static constexpr auto Fields() {
    using H = CreateTopicRequestHeader;
    return std::tuple{HeaderField{"topic", &H::topic, Presence::kRequired},
                      HeaderField{"defaultTopic", &H::default_topic, Presence::kOptional},
                      HeaderField{"readQueueNums", &H::read_queue_nums, Presence::kRequired},
                      HeaderField{"writeQueueNums", &H::write_queue_nums, Presence::kRequired},
                      HeaderField{"perm", &H::perm, Presence::kRequired},
                      HeaderField{"topicFilterType", &H::topic_filter_type, Presence::kOptional},
                      HeaderField{"topicSysFlag", &H::topic_sys_flag, Presence::kOptional},
                      HeaderField{"order", &H::order, Presence::kOptional}};
  }

  bool operator==(const CreateTopicRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
