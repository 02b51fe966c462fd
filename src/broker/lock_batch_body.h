// The LOCK_BATCH_MQ / UNLOCK_BATCH_MQ bodies (docs/protocol.md §5.3; apache/rocketmq:
// remoting/protocol/body/LockBatchRequestBody.java, UnlockBatchRequestBody.java,
// LockBatchResponseBody.java). Both requests have the same shape:
//   {"consumerGroup":S,"clientId":S,"mqSet":[MessageQueue],"onlyThisBroker":B}
// the response: {"lockOKMQSet":[MessageQueue]}.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "broker/message_queue.h"
#include "common/status.h"

namespace holdfast::broker {

struct LockBatchRequestBody {
  std::string consumer_group;
  std::string client_id;
  std::set<MessageQueue> mq_set;
  bool only_this_broker = false;
};
using UnlockBatchRequestBody = LockBatchRequestBody;

// InvalidArgument naming the field when the body is not that shape (consumerGroup and clientId
// are required; mqSet may be absent: empty).
Result<LockBatchRequestBody> DecodeLockBatchRequestBody(std::string_view body);
std::string EncodeLockBatchRequestBody(const LockBatchRequestBody& body);
std::string EncodeLockBatchResponseBody(const std::set<MessageQueue>& lock_ok_mq_set);
Result<std::set<MessageQueue>> DecodeLockBatchResponseBody(std::string_view body);

}  // namespace holdfast::broker
