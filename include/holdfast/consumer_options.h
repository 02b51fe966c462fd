// What push and pull consumers share: message model, where a new group starts, and the names of
// RocketMQ's enums.
#pragma once

#include <cstdint>
#include <string>

#include "holdfast/client_config.h"

namespace holdfast {

enum class MessageModel {
  kClustering,    // each queue goes to one consumer of the group; offsets live on the broker
  kBroadcasting,  // every consumer gets every message; offsets live in a local file
};

// Used only when the broker has no committed offset for a queue (RocketMQ's ConsumeFromWhere).
enum class ConsumeFromWhere {
  kConsumeFromLastOffset,
  kConsumeFromFirstOffset,
  kConsumeFromTimestamp,
};

enum class AllocateStrategy {
  kAveragely,          // AllocateMessageQueueAveragely: contiguous blocks (the default)
  kAveragelyByCircle,  // AllocateMessageQueueAveragelyByCircle: queue k to consumer k % n
};

}  // namespace holdfast
