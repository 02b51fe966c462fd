#include "client/consume_message_concurrently_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <string_view>

#include "client/call_user_code.h"
#include "client/rebalance_impl.h"

namespace holdfast::client {

ConsumeMessageConcurrentlyService::ConsumeMessageConcurrentlyService(
    ConsumeServiceContext context, MessageListenerConcurrently listener)
    : context_(std::move(context)),
      listener_(std::move(listener)),
      pool_("ConsumeMsgThr", context_.consume_thread_max) {}

ConsumeMessageConcurrentlyService::~ConsumeMessageConcurrentlyService() { Shutdown(); }

void ConsumeMessageConcurrentlyService::Start() {
  if (context_.message_model != MessageModel::kClustering || context_.rebalance == nullptr) return;
  context_.scheduler->Schedule(context_.consume_timeout, [this] { CleanExpiredMessages(); });
}

void ConsumeMessageConcurrentlyService::Shutdown() {
  stopped_ = true;
  pool_.Shutdown();
}

void ConsumeMessageConcurrentlyService::CleanExpiredMessages() {
  if (stopped_.load()) return;
  constexpr int kMaxPerQueue = 16;
  for (const auto& [mq, pq] : context_.rebalance->ProcessQueueTable()) {
    for (int i = 0; i < kMaxPerQueue && !pq->dropped(); ++i) {
      std::optional<MQMessageExt> msg =
          pq->ExpiredFirstMessage(context_.consume_timeout, std::chrono::steady_clock::now());
      if (!msg) break;
      std::vector<MQMessageExt> one{*msg};
      ResetRetryTopic(one, context_.group);  // as the listener saw it
      Status s =
          HandBackToBroker(*context_.api, one.front(), context_.group, 3, msg->reconsume_times + 1,
                           ConcurrentMaxReconsumeTimes(context_.max_reconsume_times));
      if (!s.ok()) {
        spdlog::warn(
            "consumer {}: message {} of {} is consuming for over {} ms, but the broker "
            "took no copy ({}); keeping it",
            context_.group, msg->msg_id, mq.ToString(), context_.consume_timeout.count(),
            s.ToString());
        break;
      }
      spdlog::warn("consumer {}: message {} of {} consumed for over {} ms; sent back to retry",
                   context_.group, msg->msg_id, mq.ToString(), context_.consume_timeout.count());
      int64_t offset = pq->RemoveMessages({*msg});
      if (offset >= 0 && !pq->dropped()) context_.offset_store->UpdateOffset(mq, offset, true);
    }
  }
  context_.scheduler->Schedule(context_.consume_timeout, [this] { CleanExpiredMessages(); });
}

void ConsumeMessageConcurrentlyService::SubmitConsumeRequest(std::vector<MQMessageExt> msgs,
                                                             std::shared_ptr<ProcessQueue> pq,
                                                             const MessageQueue& mq,
                                                             bool /*dispatch_to_consume*/) {
  const size_t batch = static_cast<size_t>(std::max(context_.consume_message_batch_max_size, 1));
  for (size_t begin = 0; begin < msgs.size(); begin += batch) {
    size_t end = std::min(msgs.size(), begin + batch);
    std::vector<MQMessageExt> part(std::make_move_iterator(msgs.begin() + begin),
                                   std::make_move_iterator(msgs.begin() + end));
    pool_.Submit(
        [this, part = std::move(part), pq, mq]() mutable { Consume(std::move(part), pq, mq); });
  }
}

void ConsumeMessageConcurrentlyService::Consume(std::vector<MQMessageExt> msgs,
                                                const std::shared_ptr<ProcessQueue>& pq,
                                                const MessageQueue& mq) {
  if (pq->dropped()) return;
  ResetRetryTopic(msgs, context_.group);
  pq->MarkConsumeStart(msgs, std::chrono::steady_clock::now());
  const ConsumeStatus status =
      CallUserCode([&] { return listener_(msgs); },
                   [&](std::string_view error) {
                     spdlog::warn("consumer {}: listener threw on {}: {}; reconsume later",
                                  context_.group, mq.ToString(), error);
                     return ConsumeStatus::kReconsumeLater;
                   });
  if (pq->dropped()) {
    spdlog::info("consumer {}: {} was dropped while consuming; its offset is not committed",
                 context_.group, mq.ToString());
    return;
  }
  ProcessConsumeResult(status, std::move(msgs), pq, mq);
}

void ConsumeMessageConcurrentlyService::ProcessConsumeResult(
    ConsumeStatus status, std::vector<MQMessageExt> msgs, const std::shared_ptr<ProcessQueue>& pq,
    const MessageQueue& mq) {
  if (status == ConsumeStatus::kReconsumeLater) {
    const bool broadcasting = context_.message_model == MessageModel::kBroadcasting;
    const int max_reconsume_times = ConcurrentMaxReconsumeTimes(context_.max_reconsume_times);
    std::vector<MQMessageExt> kept;
    std::vector<MQMessageExt> handed_back;
    for (MQMessageExt& msg : msgs) {
      // A broadcasting group has no retry topic (RocketMQ drops such failures); here they are
      // consumed again locally, so the offset never passes them. Clustering: delay level 0 lets
      // the broker pick 3 + reconsumeTimes, as the Java consumer's default context does.
      Status s = broadcasting ? Status::Unavailable("broadcasting has no send-back")
                              : HandBackToBroker(*context_.api, msg, context_.group, 0,
                                                 msg.reconsume_times + 1, max_reconsume_times);
      if (s.ok()) {
        handed_back.push_back(std::move(msg));
      } else {
        spdlog::info(
            "consumer {}: the broker took no copy of {} of {} ({}); consuming it again "
            "locally",
            context_.group, msg.msg_id, mq.ToString(), s.ToString());
        ++msg.reconsume_times;
        kept.push_back(std::move(msg));
      }
    }
    msgs = std::move(handed_back);
    if (!kept.empty()) SubmitConsumeRequestLater(std::move(kept), pq, mq);
  }
  int64_t offset = pq->RemoveMessages(msgs);
  if (offset >= 0 && !pq->dropped()) context_.offset_store->UpdateOffset(mq, offset, true);
}

void ConsumeMessageConcurrentlyService::SubmitConsumeRequestLater(std::vector<MQMessageExt> msgs,
                                                                  std::shared_ptr<ProcessQueue> pq,
                                                                  const MessageQueue& mq) {
  context_.scheduler->Schedule(context_.consume_again_delay,
                               [this, msgs = std::move(msgs), pq, mq]() mutable {
                                 SubmitConsumeRequest(std::move(msgs), pq, mq, true);
                               });
}

}  // namespace holdfast::client
