// For the consume services' unit tests: ConsumeServiceTestFixture, the GoogleTest fixture both
// (concurrently, orderly) derive from. It holds one queue kMq ("T" on broker-a), a table-backed
// broker (InMemoryConsumerBrokerApi), the group "G"'s RemoteBrokerOffsetStore over it, a
// rebalance engine that keeps every queue, a scheduler and the queue's ProcessQueue, and delivers
// messages as the pull path does. Header-only; a derived fixture owns its service and stops it
// and the scheduler in TearDown().
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "client/consume_message_service.h"
#include "client/in_memory_consumer_broker_api.h"
#include "client/process_queue.h"
#include "client/rebalance_impl.h"
#include "client/remote_broker_offset_store.h"
#include "client/scheduled_executor.h"

namespace holdfast::client {

class ConsumeServiceTestFixture : public ::testing::Test {
 protected:
  // A delegate that lets rebalance drop any queue and starts no pulls.
  class KeepEverything : public RebalanceDelegate {
   public:
    bool RemoveUnnecessaryMessageQueue(const MessageQueue&, ProcessQueue&) override { return true; }
    void DispatchPullRequests(std::vector<PullRequest>) override {}
  };

  static inline const MessageQueue kMq{"T", "broker-a", 0};

  // Messages of kMq at offsets [from, to), each with body "m<offset>".
  static std::vector<MQMessageExt> Msgs(int64_t from, int64_t to) {
    std::vector<MQMessageExt> out;
    for (int64_t o = from; o < to; ++o) {
      MQMessageExt m;
      m.topic = "T";
      m.queue_offset = o;
      m.body = "m" + std::to_string(o);
      out.push_back(m);
    }
    return out;
  }

  // Group "G" over this fixture's broker, offset store and scheduler (no rebalance engine: a test
  // that wants one sets it).
  ConsumeServiceContext Context() {
    ConsumeServiceContext c;
    c.group = "G";
    c.api = &broker_;
    c.offset_store = &store_;
    c.scheduler = &scheduler_;
    return c;
  }

  // Gives rebalance_ kMq and takes its ProcessQueue as pq_, so the queue is in the process-queue
  // table as in a real consumer.
  void HoldQueueThroughRebalance(bool orderly) {
    rebalance_.SetTopicSubscribeInfo("T", {kMq});
    rebalance_.DoRebalance({"T"}, orderly);
    pq_ = rebalance_.FindProcessQueue(kMq);
  }

  // Puts msgs into pq_ and submits them, as the pull path does.
  void Deliver(ConsumeMessageService& service, std::vector<MQMessageExt> msgs) {
    bool dispatch = pq_->PutMessages(msgs);
    service.SubmitConsumeRequest(std::move(msgs), pq_, kMq, dispatch);
  }

  int64_t Committed() { return *store_.ReadOffset(kMq, ReadOffsetType::kReadFromMemory); }

  InMemoryConsumerBrokerApi broker_;
  RemoteBrokerOffsetStore store_{&broker_, "G"};
  KeepEverything delegate_;
  RebalanceImpl rebalance_{RebalanceOptions{.group = "G"}, &broker_, &store_, &delegate_};
  ScheduledExecutor scheduler_{"test-sched"};
  std::shared_ptr<ProcessQueue> pq_ = std::make_shared<ProcessQueue>();
};

}  // namespace holdfast::client
