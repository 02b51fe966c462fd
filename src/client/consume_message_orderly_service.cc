#include "client/consume_message_orderly_service.h"

#include <spdlog/spdlog.h>

#include <string_view>

#include "client/call_user_code.h"
#include "client/rebalance_impl.h"

namespace holdfast::client {
namespace {

using namespace std::chrono_literals;

}  // namespace

ConsumeMessageOrderlyService::ConsumeMessageOrderlyService(ConsumeServiceContext context,
                                                           MessageListenerOrderly listener)
    : context_(std::move(context)),
      listener_(std::move(listener)),
      pool_("ConsumeMsgThr", context_.consume_thread_max) {}

ConsumeMessageOrderlyService::~ConsumeMessageOrderlyService() { Shutdown(); }

void ConsumeMessageOrderlyService::Start() {
  if (context_.message_model == MessageModel::kClustering) {
    context_.scheduler->Schedule(1000ms, [this] { LockPeriodically(); });
  }
}

void ConsumeMessageOrderlyService::LockPeriodically() {
  if (stopped_.load()) return;
  context_.rebalance->LockAll();
  context_.scheduler->Schedule(ProcessQueue::kRebalanceLockInterval,
                               [this] { LockPeriodically(); });
}

void ConsumeMessageOrderlyService::Shutdown() {
  if (stopped_.exchange(true)) return;
  pool_.Shutdown();
  if (context_.message_model == MessageModel::kClustering) context_.rebalance->UnlockAll(false);
}

std::shared_ptr<std::mutex> ConsumeMessageOrderlyService::QueueLock(const MessageQueue& mq) {
  std::lock_guard lock(locks_mu_);
  auto& slot = queue_locks_[mq];
  if (!slot) slot = std::make_shared<std::mutex>();
  return slot;
}

void ConsumeMessageOrderlyService::SubmitConsumeRequest(std::vector<MQMessageExt> /*msgs*/,
                                                        std::shared_ptr<ProcessQueue> pq,
                                                        const MessageQueue& mq,
                                                        bool dispatch_to_consume) {
  if (!dispatch_to_consume) return;
  pool_.Submit([this, pq = std::move(pq), mq] { Consume(pq, mq); });
}

void ConsumeMessageOrderlyService::SubmitConsumeRequestLater(std::shared_ptr<ProcessQueue> pq,
                                                             const MessageQueue& mq,
                                                             std::chrono::milliseconds delay) {
  context_.scheduler->Schedule(
      delay, [this, pq = std::move(pq), mq] { SubmitConsumeRequest({}, pq, mq, true); });
}

void ConsumeMessageOrderlyService::TryLockLaterAndReconsume(std::shared_ptr<ProcessQueue> pq,
                                                            const MessageQueue& mq,
                                                            std::chrono::milliseconds delay) {
  context_.scheduler->Schedule(delay, [this, pq = std::move(pq), mq] {
    // Locking is an RPC: do it on a consume thread, not on the scheduler.
    pool_.Submit([this, pq, mq] {
      if (stopped_.load() || pq->dropped()) return;
      bool locked = context_.rebalance->Lock(mq);
      SubmitConsumeRequestLater(pq, mq, locked ? 10ms : 3000ms);
    });
  });
}

void ConsumeMessageOrderlyService::Consume(const std::shared_ptr<ProcessQueue>& pq,
                                           const MessageQueue& mq) {
  if (pq->dropped()) return;
  const bool clustering = context_.message_model == MessageModel::kClustering;
  std::shared_ptr<std::mutex> queue_lock = QueueLock(mq);
  std::lock_guard serial(*queue_lock);
  if (clustering && (!pq->locked() || pq->IsLockExpired())) {
    TryLockLaterAndReconsume(pq, mq, 100ms);
    return;
  }
  const auto begin = std::chrono::steady_clock::now();
  for (bool more = true; more && !stopped_.load();) {
    if (pq->dropped()) break;
    if (clustering && (!pq->locked() || pq->IsLockExpired())) {
      TryLockLaterAndReconsume(pq, mq, 10ms);
      break;
    }
    if (std::chrono::steady_clock::now() - begin > kMaxTimeConsumeContinuously) {
      SubmitConsumeRequestLater(pq, mq, 10ms);
      break;
    }
    std::vector<MQMessageExt> msgs =
        pq->TakeMessages(std::max(context_.consume_message_batch_max_size, 1));
    if (msgs.empty()) break;
    ResetRetryTopic(msgs, context_.group);
    ConsumeOrderlyStatus status = ConsumeOrderlyStatus::kSuspendCurrentQueueAMoment;
    {
      std::lock_guard consuming(pq->consume_mutex());
      if (pq->dropped()) break;
      status = CallUserCode([&] { return listener_(msgs); },
                            [&](std::string_view error) {
                              spdlog::warn(
                                  "consumer {}: orderly listener threw on {}: {}; suspending the "
                                  "queue a moment",
                                  context_.group, mq.ToString(), error);
                              return ConsumeOrderlyStatus::kSuspendCurrentQueueAMoment;
                            });
    }
    more = ProcessConsumeResult(status, std::move(msgs), pq, mq);
  }
}

bool ConsumeMessageOrderlyService::ProcessConsumeResult(ConsumeOrderlyStatus status,
                                                        std::vector<MQMessageExt> msgs,
                                                        const std::shared_ptr<ProcessQueue>& pq,
                                                        const MessageQueue& mq) {
  if (status == ConsumeOrderlyStatus::kSuspendCurrentQueueAMoment) {
    bool suspend = false;
    const int max_reconsume_times = OrderlyMaxReconsumeTimes(context_.max_reconsume_times);
    for (MQMessageExt& msg : msgs) {
      if (msg.reconsume_times >= max_reconsume_times &&
          context_.message_model == MessageModel::kClustering) {
        // To the DLQ: delay level -1 sends it there directly; the fallback keeps reconsumeTimes
        // (>= max), so the broker routes the retry-topic message there.
        Status s = HandBackToBroker(*context_.api, msg, context_.group, -1, msg.reconsume_times,
                                    max_reconsume_times);
        if (s.ok()) {
          spdlog::warn("consumer {}: message {} of {} failed {} times; handed to the DLQ",
                       context_.group, msg.msg_id, mq.ToString(), msg.reconsume_times + 1);
          continue;
        }
        spdlog::warn(
            "consumer {}: message {} reached {} retries but the broker took no copy for the "
            "DLQ ({}); retrying it",
            context_.group, msg.msg_id, max_reconsume_times, s.ToString());
      }
      suspend = true;
      ++msg.reconsume_times;
    }
    if (suspend) {
      pq->MakeMessageToConsumeAgain(msgs);
      SubmitConsumeRequestLater(pq, mq, context_.suspend_current_queue_time);
      return false;
    }
  }
  int64_t offset = pq->Commit();
  if (offset >= 0 && !pq->dropped()) context_.offset_store->UpdateOffset(mq, offset, false);
  return true;
}

}  // namespace holdfast::client
