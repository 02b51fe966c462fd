#include "client/push_consumer_impl.h"

#include <spdlog/spdlog.h>

#include "client/consume_message_concurrently_service.h"
#include "client/consume_message_orderly_service.h"
#include "client/mq_client_api.h"
#include "client/topic_route_data.h"

namespace holdfast::client {
namespace {

using namespace std::chrono_literals;

// Java's OFFSET_ILLEGAL handling waits this long before dropping the queue, so consumption in
// flight can finish.
constexpr std::chrono::milliseconds kOffsetIllegalDropDelay{10'000};

Status ValidateOptions(const PushConsumerOptions& o) {
  if (o.group.empty()) return Status::InvalidArgument("push consumer: the consumer group is empty");
  if (o.consume_thread_max < 1 || o.consume_thread_max > 1000) {
    return Status::InvalidArgument("push consumer " + o.group + ": consume_thread_max " +
                                   std::to_string(o.consume_thread_max) + " is not in [1, 1000]");
  }
  if (o.consume_message_batch_max_size < 1 || o.consume_message_batch_max_size > 1024) {
    return Status::InvalidArgument(
        "push consumer " + o.group + ": consume_message_batch_max_size " +
        std::to_string(o.consume_message_batch_max_size) + " is not in [1, 1024]");
  }
  HOLDFAST_RETURN_IF_ERROR(
      CheckPullSettings("push consumer", o.group, o.pull_batch_size, o.pull_threshold_for_queue));
  if (o.max_reconsume_times < -1) {
    return Status::InvalidArgument("push consumer " + o.group + ": max_reconsume_times " +
                                   std::to_string(o.max_reconsume_times) +
                                   " is below -1 (-1 means the default)");
  }
  if (o.suspend_current_queue_time.count() < 0) {
    return Status::InvalidArgument("push consumer " + o.group +
                                   ": suspend_current_queue_time is negative");
  }
  if (o.consume_timeout.count() <= 0) {
    return Status::InvalidArgument("push consumer " + o.group + ": consume_timeout " +
                                   std::to_string(o.consume_timeout.count()) +
                                   " ms is not positive");
  }
  return Status::Ok();
}

}  // namespace

PushConsumerImpl::PushConsumerImpl(PushConsumerOptions options)
    : ConsumerCore("push consumer", options.client, RebalanceOptionsOf(options, true)),
      options_(std::move(options)) {}

PushConsumerImpl::~PushConsumerImpl() { Shutdown(); }

Status PushConsumerImpl::Subscribe(const std::string& topic, const std::string& expression) {
  Result<SubscriptionData> sub = BuildSubscriptionData(topic, expression);
  if (!sub.ok()) return sub.status();
  AddSubscription(std::move(sub).value());
  return Status::Ok();
}

Status PushConsumerImpl::Unsubscribe(const std::string& topic) {
  if (!subscriptions_.Remove(topic)) {
    return Status::NotFound("push consumer " + options_.group + " is not subscribed to " + topic);
  }
  if (running()) {
    instance_->SendHeartbeatToAllBrokers();
    instance_->RebalanceImmediately();
  }
  return Status::Ok();
}

void PushConsumerImpl::RegisterMessageListener(MessageListenerConcurrently listener) {
  listener_ = std::move(listener);
}

void PushConsumerImpl::RegisterMessageListener(MessageListenerOrderly listener) {
  listener_ = std::move(listener);
}

Status PushConsumerImpl::Start() {
  std::lock_guard lifecycle(lifecycle_mu_);
  HOLDFAST_RETURN_IF_ERROR(CheckFirstStart());
  HOLDFAST_RETURN_IF_ERROR(ValidateOptions(options_));
  if (std::holds_alternative<std::monostate>(listener_)) {
    return Status::InvalidArgument("push consumer " + options_.group + ": no message listener");
  }
  if (subscriptions_.Empty()) {
    return Status::InvalidArgument("push consumer " + options_.group + ": no subscription");
  }
  if (options_.message_model == MessageModel::kClustering) {
    // Messages sent back for this group come back through its retry topic.
    subscriptions_.Put(*BuildSubscriptionData(RetryTopic(options_.group), kSubAll));
  }
  HOLDFAST_RETURN_IF_ERROR(CreateParts());
  scheduler_ = std::make_unique<ScheduledExecutor>("PushConsumerSch");
  ConsumeServiceContext context;
  context.group = options_.group;
  context.message_model = options_.message_model;
  context.consume_thread_max = options_.consume_thread_max;
  context.consume_message_batch_max_size = options_.consume_message_batch_max_size;
  context.max_reconsume_times = options_.max_reconsume_times;
  context.suspend_current_queue_time = options_.suspend_current_queue_time;
  context.consume_timeout = options_.consume_timeout;
  context.api = broker_api_.get();
  context.offset_store = offset_store_.get();
  context.scheduler = scheduler_.get();
  context.rebalance = rebalance_.get();
  if (orderly()) {
    consume_service_ = std::make_unique<ConsumeMessageOrderlyService>(
        context, std::get<MessageListenerOrderly>(listener_));
  } else {
    consume_service_ = std::make_unique<ConsumeMessageConcurrentlyService>(
        context, std::get<MessageListenerConcurrently>(listener_));
  }
  pull_service_ = std::make_unique<PullMessageService>(
      [this](PullRequest request) { PullMessage(std::move(request)); }, scheduler_.get());
  guard_->Attach(this);
  running_ = true;
  consume_service_->Start();
  pull_service_->Start();

  HOLDFAST_RETURN_IF_ERROR(JoinInstance([this] { ShutdownServices(); }));
  instance_->RebalanceImmediately();
  spdlog::info("push consumer {} started as {}", options_.group, instance_->client_id());
  return Status::Ok();
}

void PushConsumerImpl::ShutdownServices() {
  guard_->Detach();
  if (pull_service_) pull_service_->Shutdown();
  if (scheduler_) scheduler_->Shutdown();
  if (consume_service_) consume_service_->Shutdown();
}

void PushConsumerImpl::Shutdown() {
  std::lock_guard lifecycle(lifecycle_mu_);
  if (!running_.exchange(false)) return;
  ShutdownServices();
  PersistConsumerOffset();
  for (const auto& [mq, pq] : rebalance_->ProcessQueueTable()) pq->set_dropped(true);
  LeaveInstance();
}

std::vector<MessageQueue> PushConsumerImpl::AssignedQueues(const std::string& topic) const {
  if (!rebalance_) return {};
  std::set<MessageQueue> mqs = rebalance_->AssignedQueues(topic);
  return {mqs.begin(), mqs.end()};
}

std::string PushConsumerImpl::ClientId() const {
  return instance_ ? instance_->client_id() : BuildClientId(options_.client);
}

protocol::ConsumeType PushConsumerImpl::ConsumeType() const {
  return protocol::ConsumeType::kConsumePassively;
}

void PushConsumerImpl::DoRebalance() {
  if (running()) RebalanceSubscribedTopics(orderly());
}

void PushConsumerImpl::PersistConsumerOffset() {
  if (!offset_store_ || !rebalance_) return;
  std::set<MessageQueue> mqs;
  for (const auto& [mq, pq] : rebalance_->ProcessQueueTable()) mqs.insert(mq);
  offset_store_->PersistAll(mqs);
}

bool PushConsumerImpl::RemoveUnnecessaryMessageQueue(const MessageQueue& mq, ProcessQueue& pq) {
  ForgetQueueOffset(mq);
  if (orderly() && options_.message_model == MessageModel::kClustering) {
    // Unlock only between two listener calls, so the next owner never overlaps this one. (A
    // system_clock deadline: libstdc++ then uses pthread_mutex_timedlock, which ThreadSanitizer
    // understands; a steady one uses pthread_mutex_clocklock, which GCC 12's TSan does not.)
    if (!pq.consume_mutex().try_lock_until(std::chrono::system_clock::now() + 1s)) return false;
    rebalance_->Unlock(mq, true);
    pq.consume_mutex().unlock();
  }
  return true;
}

void PushConsumerImpl::DispatchPullRequests(std::vector<PullRequest> requests) {
  for (PullRequest& r : requests) pull_service_->ExecutePullRequestImmediately(std::move(r));
}

void PushConsumerImpl::ExecutePullRequestLater(PullRequest request,
                                               std::chrono::milliseconds delay) {
  if (running()) pull_service_->ExecutePullRequestLater(std::move(request), delay);
}

void PushConsumerImpl::PullMessage(PullRequest request) {
  const std::shared_ptr<ProcessQueue>& pq = request.process_queue;
  if (pq->dropped() || !running()) return;
  pq->set_last_pull_time(std::chrono::steady_clock::now());
  const MessageQueue& mq = request.message_queue;

  if (pq->MsgCount() > options_.pull_threshold_for_queue ||
      pq->MsgSize() > options_.pull_threshold_size_for_queue_mib * 1024 * 1024 ||
      (!orderly() && pq->MaxSpan() > options_.consume_concurrently_max_span)) {
    ExecutePullRequestLater(std::move(request), kPullTimeDelayWhenFlowControl);
    return;
  }
  if (orderly() && !pq->locked()) {
    ExecutePullRequestLater(std::move(request), kPullTimeDelayWhenException);
    return;
  }
  std::optional<SubscriptionData> found = subscriptions_.Find(mq.topic);
  if (!found) {
    ExecutePullRequestLater(std::move(request), kPullTimeDelayWhenException);
    return;
  }
  SubscriptionData subscription = std::move(*found);

  PullMessageRequestHeader header =
      PullHeader(mq, request.next_offset, options_.pull_batch_size, subscription);
  if (options_.message_model == MessageModel::kClustering) {
    Result<int64_t> committed = offset_store_->ReadOffset(mq, ReadOffsetType::kReadFromMemory);
    if (committed.ok() && *committed > 0) {
      header.sys_flag |= kPullFlagCommitOffset;
      header.commit_offset = *committed;
    }
  }

  Result<std::string> addr = broker_api_->BrokerAddr(mq.broker_name, mq.topic);
  if (!addr.ok()) {
    spdlog::warn("pull {}: {}", mq.ToString(), addr.status().ToString());
    ExecutePullRequestLater(std::move(request), kPullTimeDelayWhenException);
    return;
  }
  instance_->api().PullMessageAsync(
      *addr, header, kConsumerTimeoutWhenSuspend,
      [guard = guard_, request = std::move(request),
       subscription = std::move(subscription)](Result<PullResult> result) mutable {
        guard->Run([&](PushConsumerImpl& self) {
          self.OnPullResult(std::move(request), subscription, std::move(result));
        });
      });
}

void PushConsumerImpl::OnPullResult(PullRequest request, const SubscriptionData& subscription,
                                    Result<PullResult> result) {
  const MessageQueue mq = request.message_queue;
  const std::shared_ptr<ProcessQueue> pq = request.process_queue;
  if (!result.ok()) {
    spdlog::warn("pull {} at {}: {}; retrying in {} ms", mq.ToString(), request.next_offset,
                 result.status().ToString(), kPullTimeDelayWhenException.count());
    ExecutePullRequestLater(std::move(request), kPullTimeDelayWhenException);
    return;
  }
  PullResult& pr = *result;
  switch (pr.status) {
    case PullStatus::kFound: {
      request.next_offset = pr.next_begin_offset;
      std::vector<MQMessageExt> msgs = KeepMatching(subscription, pr.msgs);
      if (msgs.empty()) {
        pull_service_->ExecutePullRequestImmediately(std::move(request));
        return;
      }
      bool dispatch = pq->PutMessages(msgs);
      consume_service_->SubmitConsumeRequest(std::move(msgs), pq, mq, dispatch);
      if (options_.pull_interval.count() > 0) {
        ExecutePullRequestLater(std::move(request), options_.pull_interval);
      } else {
        pull_service_->ExecutePullRequestImmediately(std::move(request));
      }
      return;
    }
    case PullStatus::kNoNewMsg:
    case PullStatus::kNoMatchedMsg:
      request.next_offset = pr.next_begin_offset;
      // Nothing waits: everything up to here was filtered out or consumed (correctTagsOffset).
      if (pq->MsgCount() == 0) offset_store_->UpdateOffset(mq, request.next_offset, true);
      pull_service_->ExecutePullRequestImmediately(std::move(request));
      return;
    case PullStatus::kOffsetIllegal: {
      spdlog::warn("pull {}: offset {} is illegal (queue min {}, max {}); restarting at {}",
                   mq.ToString(), request.next_offset, pr.min_offset, pr.max_offset,
                   pr.next_begin_offset);
      int64_t next = pr.next_begin_offset;
      pq->set_dropped(true);
      scheduler_->Schedule(kOffsetIllegalDropDelay, [this, mq, next] {
        offset_store_->UpdateOffset(mq, next, false);
        offset_store_->Persist(mq);
        rebalance_->RemoveProcessQueue(mq);
        instance_->RebalanceImmediately();
      });
      return;
    }
  }
}

}  // namespace holdfast::client
