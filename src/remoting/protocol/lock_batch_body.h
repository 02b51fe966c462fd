// The LOCK_BATCH_MQ (41) / UNLOCK_BATCH_MQ (42) bodies (docs/protocol.md §5.3; RocketMQ's
// LockBatchRequestBody, UnlockBatchRequestBody, LockBatchResponseBody): written by our orderly
// consumers, read by our broker. Both requests have the same shape,
//   {"clientId":S,"consumerGroup":S,"mqSet":[MessageQueue],"onlyThisBroker":B}
// and the lock answer is {"lockOKMQSet":[MessageQueue]}.
//
// Plain values.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "common/status.h"
#include "holdfast/message.h"

namespace holdfast::protocol {

struct LockBatchRequestBody {
  std::string consumer_group;
  std::string client_id;
  std::set<MessageQueue> mq_set;
  bool only_this_broker = false;

  bool operator==(const LockBatchRequestBody&) const = default;
};
using UnlockBatchRequestBody = LockBatchRequestBody;

struct LockBatchResponseBody {
  std::set<MessageQueue> lock_ok_mq_set;

  bool operator==(const LockBatchResponseBody&) const = default;
};

std::string EncodeLockBatchRequestBody(const LockBatchRequestBody& body);
// Corruption naming the field when the body is not that shape (consumerGroup and clientId are
// required; an absent mqSet is empty).
Result<LockBatchRequestBody> DecodeLockBatchRequestBody(std::string_view body);

std::string EncodeLockBatchResponseBody(const LockBatchResponseBody& body);
Result<LockBatchResponseBody> DecodeLockBatchResponseBody(std::string_view body);

}  // namespace holdfast::protocol
