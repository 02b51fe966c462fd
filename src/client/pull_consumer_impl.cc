#include "client/pull_consumer_impl.h"

#include <spdlog/spdlog.h>

#include "client/mq_client_api.h"
#include "client/topic_route_data.h"

namespace holdfast::client {
namespace {

using namespace std::chrono_literals;

Status ValidateOptions(const PullConsumerOptions& o) {
  if (o.group.empty()) return Status::InvalidArgument("pull consumer: the consumer group is empty");
  HOLDFAST_RETURN_IF_ERROR(
      CheckPullSettings("pull consumer", o.group, o.pull_batch_size, o.pull_threshold_for_queue));
  if (o.auto_commit && o.auto_commit_interval.count() < 0) {
    return Status::InvalidArgument("pull consumer " + o.group + ": negative auto_commit_interval");
  }
  return Status::Ok();
}

}  // namespace

PullConsumerImpl::PullConsumerImpl(PullConsumerOptions options)
    : ConsumerCore("pull consumer", options.client, RebalanceOptionsOf(options, false)),
      options_(std::move(options)) {}

PullConsumerImpl::~PullConsumerImpl() { Shutdown(); }

Status PullConsumerImpl::Subscribe(const std::string& topic, const std::string& expression) {
  Result<SubscriptionData> sub = BuildSubscriptionData(topic, expression);
  if (!sub.ok()) return sub.status();
  {
    std::lock_guard lock(mu_);
    if (mode_ == Mode::kAssign) {
      return Status::InvalidArgument("pull consumer " + options_.group +
                                     ": Subscribe after Assign; use one or the other");
    }
    mode_ = Mode::kSubscribe;
  }
  AddSubscription(std::move(sub).value());
  return Status::Ok();
}

Status PullConsumerImpl::Assign(const std::vector<MessageQueue>& queues) {
  {
    std::lock_guard lock(mu_);
    if (mode_ == Mode::kSubscribe) {
      return Status::InvalidArgument("pull consumer " + options_.group +
                                     ": Assign after Subscribe; use one or the other");
    }
    mode_ = Mode::kAssign;
    assigned_ = std::set<MessageQueue>(queues.begin(), queues.end());
  }
  if (running()) ApplyAssignment();
  return Status::Ok();
}

Status PullConsumerImpl::Start() {
  std::lock_guard lifecycle(lifecycle_mu_);
  HOLDFAST_RETURN_IF_ERROR(CheckFirstStart());
  HOLDFAST_RETURN_IF_ERROR(ValidateOptions(options_));
  Mode mode;
  {
    std::lock_guard lock(mu_);
    mode = mode_;
  }
  if (mode == Mode::kUnset) {
    return Status::InvalidArgument("pull consumer " + options_.group +
                                   ": Subscribe or Assign before Start");
  }
  HOLDFAST_RETURN_IF_ERROR(CreateParts());
  scheduler_ = std::make_unique<ScheduledExecutor>("LitePullSched");
  guard_->Attach(this);
  {
    std::lock_guard lock(mu_);
    next_auto_commit_ = std::chrono::steady_clock::now() + options_.auto_commit_interval;
  }
  running_ = true;
  HOLDFAST_RETURN_IF_ERROR(JoinInstance([this] { scheduler_->Shutdown(); }));
  if (mode == Mode::kSubscribe) {
    instance_->RebalanceImmediately();
  } else {
    ApplyAssignment();
  }
  spdlog::info("pull consumer {} started as {}", options_.group, instance_->client_id());
  return Status::Ok();
}

void PullConsumerImpl::Shutdown() {
  std::lock_guard lifecycle(lifecycle_mu_);
  if (!running_.exchange(false)) return;
  guard_->Detach();
  scheduler_->Shutdown();
  {
    std::lock_guard lock(mu_);  // a Poll() waiting sees running_ false once it wakes
  }
  buffer_cv_.notify_all();
  if (options_.auto_commit) {
    CommitAll();
  } else {
    PersistConsumerOffset();
  }
  {
    std::lock_guard lock(mu_);
    for (auto& [mq, st] : queues_) st.pq->set_dropped(true);
    queues_.clear();
    buffer_.clear();
  }
  LeaveInstance();
}

void PullConsumerImpl::StartQueue(const MessageQueue& mq, std::shared_ptr<ProcessQueue> pq,
                                  int64_t offset) {
  {
    std::lock_guard lock(mu_);
    QueueState& st = queues_[mq];
    if (st.pq) st.pq->set_dropped(true);
    st.pq = pq;
    st.pull_offset = offset;
    st.consume_offset = -1;
    failing_.erase(mq);  // it started: a failure to start is over
  }
  SchedulePull(mq, std::move(pq), 0ms);
}

void PullConsumerImpl::StopQueue(const MessageQueue& mq) {
  std::lock_guard lock(mu_);
  failing_.erase(mq);
  auto it = queues_.find(mq);
  if (it == queues_.end()) return;
  it->second.pq->set_dropped(true);
  queues_.erase(it);
}

void PullConsumerImpl::ApplyAssignment() {
  std::set<MessageQueue> wanted;
  std::vector<MessageQueue> stale;
  {
    std::lock_guard lock(mu_);
    wanted = assigned_;
    std::erase_if(failing_, [&](const auto& kv) { return wanted.count(kv.first) == 0; });
    for (const auto& [mq, st] : queues_) {
      if (wanted.count(mq) == 0) stale.push_back(mq);
    }
    for (const auto& [mq, st] : queues_) wanted.erase(mq);
  }
  for (const MessageQueue& mq : stale) {
    StopQueue(mq);
    ForgetQueueOffset(mq);
  }
  bool retry = false;
  for (const MessageQueue& mq : wanted) {
    Result<int64_t> offset = rebalance_->ComputePullFromWhere(mq);
    if (!offset.ok()) {
      spdlog::warn("pull consumer {}: cannot start {} yet: {}", options_.group, mq.ToString(),
                   offset.status().ToString());
      {
        std::lock_guard lock(mu_);
        if (assigned_.count(mq) != 0) failing_.insert_or_assign(mq, offset.status());
      }
      retry = true;
      continue;
    }
    {
      std::lock_guard lock(mu_);
      if (assigned_.count(mq) == 0 || queues_.count(mq) != 0) continue;
    }
    StartQueue(mq, std::make_shared<ProcessQueue>(), *offset);
  }
  if (retry) scheduler_->Schedule(kPullTimeDelayWhenException, [this] { ApplyAssignment(); });
}

void PullConsumerImpl::SchedulePull(const MessageQueue& mq, std::shared_ptr<ProcessQueue> pq,
                                    std::chrono::milliseconds delay) {
  if (!running()) return;
  scheduler_->Schedule(delay, [this, mq, pq = std::move(pq)] { PullOnce(mq, pq); });
}

void PullConsumerImpl::PullOnce(const MessageQueue& mq, const std::shared_ptr<ProcessQueue>& pq) {
  if (!running() || pq->dropped()) return;
  int64_t offset = 0;
  {
    std::lock_guard lock(mu_);
    auto it = queues_.find(mq);
    if (it == queues_.end() || it->second.pq != pq) return;
    offset = it->second.pull_offset;
  }
  if (pq->MsgCount() > options_.pull_threshold_for_queue) {
    SchedulePull(mq, pq, kPullTimeDelayWhenFlowControl);
    return;
  }
  std::optional<SubscriptionData> subscription = subscriptions_.Find(mq.topic);
  if (!subscription) {
    Result<SubscriptionData> all = BuildSubscriptionData(mq.topic, kSubAll);
    if (!all.ok()) return;  // an assigned queue with an empty topic: nothing to pull
    subscription = std::move(all).value();
  }
  Result<std::string> addr = broker_api_->BrokerAddr(mq.broker_name, mq.topic);
  if (!addr.ok()) {
    spdlog::warn("pull {}: {}", mq.ToString(), addr.status().ToString());
    NotePullFailure(mq, pq, addr.status());
    SchedulePull(mq, pq, kPullTimeDelayWhenException);
    return;
  }
  PullMessageRequestHeader header = PullHeader(mq, offset, options_.pull_batch_size, *subscription);
  instance_->api().PullMessageAsync(
      *addr, header, kPullTimeout,
      [guard = guard_, mq, pq, sub = *subscription](Result<PullResult> result) mutable {
        guard->Run(
            [&](PullConsumerImpl& self) { self.OnPullResult(mq, pq, sub, std::move(result)); });
      });
}

void PullConsumerImpl::OnPullResult(const MessageQueue& mq, const std::shared_ptr<ProcessQueue>& pq,
                                    const SubscriptionData& subscription,
                                    Result<PullResult> result) {
  if (!result.ok()) {
    spdlog::warn("pull {}: {}; retrying in {} ms", mq.ToString(), result.status().ToString(),
                 kPullTimeDelayWhenException.count());
    NotePullFailure(mq, pq, result.status());
    SchedulePull(mq, pq, kPullTimeDelayWhenException);
    return;
  }
  {
    std::lock_guard lock(mu_);
    auto it = queues_.find(mq);
    if (it == queues_.end() || it->second.pq != pq || pq->dropped()) return;  // stale chain
    failing_.erase(mq);  // the queue pulls again
    QueueState& st = it->second;
    if (result->status == PullStatus::kOffsetIllegal) {
      spdlog::warn("pull {}: offset {} is illegal (queue min {}, max {}); moving to {}",
                   mq.ToString(), st.pull_offset, result->min_offset, result->max_offset,
                   result->next_begin_offset);
    }
    st.pull_offset = result->next_begin_offset;
    if (result->status == PullStatus::kFound) {
      std::vector<MQMessageExt> msgs = KeepMatching(subscription, result->msgs);
      if (!msgs.empty()) {
        pq->PutMessages(msgs);
        buffer_.push_back(PulledBatch{mq, pq, std::move(msgs)});
        buffer_cv_.notify_one();
      }
    }
  }
  SchedulePull(mq, pq, 0ms);
}

void PullConsumerImpl::NotePullFailure(const MessageQueue& mq,
                                       const std::shared_ptr<ProcessQueue>& pq,
                                       const Status& status) {
  std::lock_guard lock(mu_);
  auto it = queues_.find(mq);
  if (it != queues_.end() && it->second.pq == pq) failing_.insert_or_assign(mq, status);
}

Result<std::vector<MQMessageExt>> PullConsumerImpl::Poll(std::chrono::milliseconds timeout) {
  if (!running()) {
    return Status::Unavailable("pull consumer " + options_.group + " is not running");
  }
  bool commit = false;
  {
    std::lock_guard lock(mu_);
    auto now = std::chrono::steady_clock::now();
    if (options_.auto_commit && now >= next_auto_commit_) {
      commit = true;
      next_auto_commit_ = now + options_.auto_commit_interval;
    }
  }
  if (commit) CommitAll();

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mu_);
  for (;;) {
    buffer_cv_.wait_until(lock, deadline, [this] { return !buffer_.empty() || !running(); });
    if (!running()) {
      return Status::Unavailable("pull consumer " + options_.group + " was shut down");
    }
    if (buffer_.empty()) {
      if (!failing_.empty()) return failing_.begin()->second;
      return std::vector<MQMessageExt>();
    }
    PulledBatch batch = std::move(buffer_.front());
    buffer_.pop_front();
    auto it = queues_.find(batch.mq);
    if (it == queues_.end() || it->second.pq != batch.pq || batch.pq->dropped()) continue;
    int64_t offset = batch.pq->RemoveMessages(batch.msgs);
    if (offset >= 0) it->second.consume_offset = offset;
    return std::move(batch.msgs);
  }
}

void PullConsumerImpl::CommitAll() {
  std::set<MessageQueue> mqs;
  {
    std::lock_guard lock(mu_);
    for (const auto& [mq, st] : queues_) {
      mqs.insert(mq);
      if (st.consume_offset >= 0) offset_store_->UpdateOffset(mq, st.consume_offset, false);
    }
  }
  offset_store_->PersistAll(mqs);
}

Status PullConsumerImpl::CommitSync() {
  if (!running()) {
    return Status::Unavailable("pull consumer " + options_.group + " is not running");
  }
  CommitAll();
  return Status::Ok();
}

Status PullConsumerImpl::Seek(const MessageQueue& queue, int64_t offset) {
  if (!running()) {
    return Status::Unavailable("pull consumer " + options_.group + " is not running");
  }
  {
    std::lock_guard lock(mu_);
    if (queues_.count(queue) == 0) {
      return Status::InvalidArgument("seek: " + queue.ToString() + " is not assigned to " +
                                     options_.group);
    }
  }
  Result<int64_t> min = broker_api_->GetMinOffset(queue);
  if (!min.ok()) return min.status();
  Result<int64_t> max = broker_api_->GetMaxOffset(queue);
  if (!max.ok()) return max.status();
  if (offset < *min || offset > *max) {
    return Status::InvalidArgument("seek: offset " + std::to_string(offset) + " of " +
                                   queue.ToString() + " is outside [" + std::to_string(*min) +
                                   ", " + std::to_string(*max) + "]");
  }
  auto pq = std::make_shared<ProcessQueue>();
  {
    std::lock_guard lock(mu_);
    auto it = queues_.find(queue);
    if (it == queues_.end()) {
      return Status::InvalidArgument("seek: " + queue.ToString() + " was unassigned meanwhile");
    }
    it->second.pq->set_dropped(true);
    it->second.pq = pq;
    it->second.pull_offset = offset;
    it->second.consume_offset = offset;
  }
  SchedulePull(queue, std::move(pq), 0ms);
  return Status::Ok();
}

Result<int64_t> PullConsumerImpl::Committed(const MessageQueue& queue) {
  if (!running()) {
    return Status::Unavailable("pull consumer " + options_.group + " is not running");
  }
  Result<int64_t> offset = offset_store_->ReadOffset(queue, ReadOffsetType::kMemoryFirstThenStore);
  if (!offset.ok()) return offset.status();
  if (*offset < 0) {
    return Status::NotFound("group " + options_.group + " has no committed offset for " +
                            queue.ToString());
  }
  return *offset;
}

Result<std::vector<MessageQueue>> PullConsumerImpl::FetchMessageQueues(const std::string& topic) {
  if (!instance_) {
    return Status::Unavailable("pull consumer " + options_.group +
                               ": Start before "
                               "FetchMessageQueues");
  }
  instance_->UpdateTopicRouteInfoFromNameServer(topic);
  std::optional<TopicRouteData> route = instance_->TopicRoute(topic);
  if (!route) return Status::NotFound("no route for topic " + topic + " on the name servers");
  std::set<MessageQueue> mqs = TopicRouteToSubscribeQueues(*route, topic);
  return std::vector<MessageQueue>(mqs.begin(), mqs.end());
}

std::vector<MessageQueue> PullConsumerImpl::Assignment() const {
  std::lock_guard lock(mu_);
  std::vector<MessageQueue> out;
  for (const auto& [mq, st] : queues_) out.push_back(mq);
  return out;
}

protocol::ConsumeType PullConsumerImpl::ConsumeType() const {
  return protocol::ConsumeType::kConsumeActively;
}

void PullConsumerImpl::DoRebalance() {
  if (!running()) return;
  {
    std::lock_guard lock(mu_);
    if (mode_ != Mode::kSubscribe) return;
  }
  RebalanceSubscribedTopics(false);
}

void PullConsumerImpl::PersistConsumerOffset() {
  if (!offset_store_) return;
  std::set<MessageQueue> mqs;
  {
    std::lock_guard lock(mu_);
    for (const auto& [mq, st] : queues_) mqs.insert(mq);
  }
  offset_store_->PersistAll(mqs);
}

bool PullConsumerImpl::RemoveUnnecessaryMessageQueue(const MessageQueue& mq, ProcessQueue& /*pq*/) {
  StopQueue(mq);
  ForgetQueueOffset(mq);
  return true;
}

void PullConsumerImpl::DispatchPullRequests(std::vector<PullRequest> requests) {
  for (PullRequest& r : requests) {
    StartQueue(r.message_queue, std::move(r.process_queue), r.next_offset);
  }
}

}  // namespace holdfast::client
