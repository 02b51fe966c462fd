// PullRequest (RocketMQ's): the next pull of one MessageQueue for one consumer group. Rebalance
// creates one per queue it takes; the pull service re-queues it after every pull with the
// broker's next offset, until the queue's ProcessQueue is dropped.
//
// Plain value; the ProcessQueue it points to is shared with rebalance and the consume service.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "client/process_queue.h"
#include "holdfast/message.h"

namespace holdfast::client {

struct PullRequest {
  std::string consumer_group;
  MessageQueue message_queue;
  std::shared_ptr<ProcessQueue> process_queue;
  int64_t next_offset = 0;
};

}  // namespace holdfast::client
