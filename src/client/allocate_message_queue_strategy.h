// How rebalance divides a topic's queues among the members of a consumer group (RocketMQ's
// AllocateMessageQueueStrategy). Every member runs the same function over the same sorted lists,
// so each queue goes to exactly one member without the members talking to each other.
//
// Stateless; thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "holdfast/consumer_options.h"
#include "holdfast/message.h"

namespace holdfast::client {

class AllocateMessageQueueStrategy {
 public:
  virtual ~AllocateMessageQueueStrategy() = default;

  // The queues `current_cid` gets. `mq_all` and `cid_all` must be sorted (rebalance sorts them).
  // InvalidArgument when current_cid is empty or either list is empty; an empty vector when
  // current_cid is not in cid_all (this client is not yet known to the broker).
  Result<std::vector<MessageQueue>> Allocate(const std::string& current_cid,
                                             const std::vector<MessageQueue>& mq_all,
                                             const std::vector<std::string>& cid_all) const;

  // RocketMQ's name ("AVG", "AVG_BY_CIRCLE").
  virtual std::string Name() const = 0;

 protected:
  // `index` is current_cid's position in cid_all; the lists are non-empty.
  virtual std::vector<MessageQueue> AllocateByIndex(
      size_t index, size_t consumers, const std::vector<MessageQueue>& mq_all) const = 0;
};

// Contiguous blocks: with n queues, c consumers and index i, mod = n % c; size = 1 if n <= c else
// n / c + (i < mod); start = i * size if i < mod else i * size + mod; min(size, n - start) queues.
class AllocateMessageQueueAveragely : public AllocateMessageQueueStrategy {
 public:
  std::string Name() const override { return "AVG"; }

 protected:
  std::vector<MessageQueue> AllocateByIndex(size_t index, size_t consumers,
                                            const std::vector<MessageQueue>& mq_all) const override;
};

// Round robin: queue k goes to consumer k % c.
class AllocateMessageQueueAveragelyByCircle : public AllocateMessageQueueStrategy {
 public:
  std::string Name() const override { return "AVG_BY_CIRCLE"; }

 protected:
  std::vector<MessageQueue> AllocateByIndex(size_t index, size_t consumers,
                                            const std::vector<MessageQueue>& mq_all) const override;
};

std::unique_ptr<AllocateMessageQueueStrategy> MakeAllocateMessageQueueStrategy(
    AllocateStrategy strategy);

}  // namespace holdfast::client
