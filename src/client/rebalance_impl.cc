#include "client/rebalance_impl.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/clock.h"

namespace holdfast::client {
namespace {

constexpr const char* kRetryGroupTopicPrefix = "%RETRY%";
constexpr int64_t kDefaultConsumeTimestampBackMs = 30 * 60 * 1000;

}  // namespace

bool IsRetryTopic(const std::string& topic) { return topic.rfind(kRetryGroupTopicPrefix, 0) == 0; }

std::string RetryTopic(const std::string& group) { return kRetryGroupTopicPrefix + group; }

RebalanceImpl::RebalanceImpl(RebalanceOptions options, ConsumerBrokerApi* api,
                             OffsetStore* offset_store, RebalanceDelegate* delegate)
    : options_(std::move(options)),
      api_(api),
      offset_store_(offset_store),
      delegate_(delegate),
      strategy_(MakeAllocateMessageQueueStrategy(options_.allocate_strategy)) {}

void RebalanceImpl::SetTopicSubscribeInfo(const std::string& topic,
                                          const std::set<MessageQueue>& queues) {
  std::lock_guard lock(mu_);
  topic_subscribe_info_[topic] = queues;
}

bool RebalanceImpl::HasTopicSubscribeInfo(const std::string& topic) const {
  std::lock_guard lock(mu_);
  return topic_subscribe_info_.count(topic) != 0;
}

std::set<MessageQueue> RebalanceImpl::TopicSubscribeInfo(const std::string& topic) const {
  std::lock_guard lock(mu_);
  auto it = topic_subscribe_info_.find(topic);
  return it == topic_subscribe_info_.end() ? std::set<MessageQueue>{} : it->second;
}

void RebalanceImpl::DoRebalance(const std::set<std::string>& topics, bool orderly) {
  std::lock_guard serial(rebalance_mu_);
  for (const std::string& topic : topics) RebalanceByTopic(topic, orderly);
  TruncateMessageQueueNotMyTopic(topics);
}

void RebalanceImpl::RebalanceByTopic(const std::string& topic, bool orderly) {
  std::set<MessageQueue> all;
  {
    std::lock_guard lock(mu_);
    auto it = topic_subscribe_info_.find(topic);
    if (it == topic_subscribe_info_.end()) {
      if (!IsRetryTopic(topic)) {
        spdlog::warn("rebalance {}: no route for topic {} yet", options_.group, topic);
      }
      return;
    }
    all = it->second;
  }

  std::set<MessageQueue> mine;
  if (options_.message_model == MessageModel::kBroadcasting) {
    mine = all;
  } else {
    std::vector<std::string> cids = api_->FindConsumerIdList(topic, options_.group);
    if (cids.empty()) {
      spdlog::warn("rebalance {}: no consumer id for topic {} from the brokers", options_.group,
                   topic);
      return;
    }
    if (all.empty()) return;
    std::sort(cids.begin(), cids.end());
    std::vector<MessageQueue> sorted(all.begin(), all.end());  // std::set is already sorted
    Result<std::vector<MessageQueue>> allocated =
        strategy_->Allocate(api_->ClientId(), sorted, cids);
    if (!allocated.ok()) {
      spdlog::warn("rebalance {} topic {}: {}", options_.group, topic,
                   allocated.status().ToString());
      return;
    }
    mine.insert(allocated->begin(), allocated->end());
  }
  if (UpdateProcessQueueTableInRebalance(topic, mine, orderly)) {
    spdlog::info("rebalance {} topic {}: {} of {} queues for {}", options_.group, topic,
                 mine.size(), all.size(), api_->ClientId());
    delegate_->MessageQueueChanged(topic, all, mine);
  }
}

bool RebalanceImpl::DropQueue(const MessageQueue& mq, const std::shared_ptr<ProcessQueue>& pq) {
  pq->set_dropped(true);
  if (!delegate_->RemoveUnnecessaryMessageQueue(mq, *pq)) return false;
  std::lock_guard lock(mu_);
  auto it = process_queue_table_.find(mq);
  if (it != process_queue_table_.end() && it->second == pq) process_queue_table_.erase(it);
  return true;
}

bool RebalanceImpl::UpdateProcessQueueTableInRebalance(const std::string& topic,
                                                       const std::set<MessageQueue>& mqs,
                                                       bool orderly) {
  bool changed = false;
  std::vector<std::pair<MessageQueue, std::shared_ptr<ProcessQueue>>> held;
  {
    std::lock_guard lock(mu_);
    for (const auto& [mq, pq] : process_queue_table_) {
      if (mq.topic == topic) held.emplace_back(mq, pq);
    }
  }
  for (const auto& [mq, pq] : held) {
    if (mqs.count(mq) == 0) {
      if (DropQueue(mq, pq)) {
        changed = true;
        spdlog::info("rebalance {}: dropped {}, not ours any more", options_.group, mq.ToString());
      }
    } else if (options_.push && pq->IsPullExpired()) {
      if (DropQueue(mq, pq)) {
        changed = true;
        spdlog::warn("rebalance {}: dropped {}, not pulled for {} ms", options_.group,
                     mq.ToString(), ProcessQueue::kPullMaxIdleTime.count());
      }
    }
  }

  std::vector<PullRequest> requests;
  for (const MessageQueue& mq : mqs) {
    {
      std::lock_guard lock(mu_);
      if (process_queue_table_.count(mq) != 0) continue;
    }
    // Broadcasting members all consume every queue: there is nothing to lock against.
    const bool lock_on_broker = orderly && options_.message_model == MessageModel::kClustering;
    if (lock_on_broker && !Lock(mq)) {
      spdlog::warn("rebalance {}: {} is locked by another client; not taken yet", options_.group,
                   mq.ToString());
      continue;
    }
    offset_store_->RemoveOffset(mq);  // a stale in-memory offset from an earlier hold
    auto pq = std::make_shared<ProcessQueue>();
    if (orderly) {
      pq->set_locked(true);
      pq->set_last_lock_time(std::chrono::steady_clock::now());
    }
    Result<int64_t> next = ComputePullFromWhere(mq);
    if (!next.ok()) {
      spdlog::warn("rebalance {}: cannot take {} now: {}", options_.group, mq.ToString(),
                   next.status().ToString());
      continue;
    }
    {
      std::lock_guard lock(mu_);
      if (!process_queue_table_.emplace(mq, pq).second) continue;
    }
    spdlog::info("rebalance {}: took {} at offset {}", options_.group, mq.ToString(), *next);
    requests.push_back(PullRequest{options_.group, mq, pq, *next});
    changed = true;
  }
  if (!requests.empty()) delegate_->DispatchPullRequests(std::move(requests));
  return changed;
}

void RebalanceImpl::TruncateMessageQueueNotMyTopic(const std::set<std::string>& topics) {
  std::vector<std::pair<MessageQueue, std::shared_ptr<ProcessQueue>>> stale;
  {
    std::lock_guard lock(mu_);
    for (const auto& [mq, pq] : process_queue_table_) {
      if (topics.count(mq.topic) == 0) stale.emplace_back(mq, pq);
    }
  }
  for (const auto& [mq, pq] : stale) {
    if (DropQueue(mq, pq)) {
      spdlog::info("rebalance {}: dropped {}, topic no longer subscribed", options_.group,
                   mq.ToString());
    }
  }
}

Result<int64_t> RebalanceImpl::ComputePullFromWhere(const MessageQueue& mq) {
  Result<int64_t> committed = offset_store_->ReadOffset(mq, ReadOffsetType::kReadFromStore);
  if (!committed.ok()) return committed.status();
  if (*committed >= 0) return *committed;
  if (*committed != -1) {
    return Status::Corruption("committed offset " + std::to_string(*committed) + " of " +
                              mq.ToString());
  }
  switch (options_.consume_from_where) {
    case ConsumeFromWhere::kConsumeFromFirstOffset:
      return int64_t{0};
    case ConsumeFromWhere::kConsumeFromTimestamp: {
      if (IsRetryTopic(mq.topic)) return api_->GetMaxOffset(mq);
      int64_t ts = options_.consume_timestamp_ms != 0
                       ? options_.consume_timestamp_ms
                       : NowMillis() - kDefaultConsumeTimestampBackMs;
      return api_->SearchOffset(mq, ts);
    }
    case ConsumeFromWhere::kConsumeFromLastOffset:
      break;
  }
  if (IsRetryTopic(mq.topic)) return int64_t{0};
  return api_->GetMaxOffset(mq);
}

std::shared_ptr<ProcessQueue> RebalanceImpl::FindProcessQueue(const MessageQueue& mq) const {
  std::lock_guard lock(mu_);
  auto it = process_queue_table_.find(mq);
  return it == process_queue_table_.end() ? nullptr : it->second;
}

std::map<MessageQueue, std::shared_ptr<ProcessQueue>> RebalanceImpl::ProcessQueueTable() const {
  std::lock_guard lock(mu_);
  return process_queue_table_;
}

std::set<MessageQueue> RebalanceImpl::AssignedQueues(const std::string& topic) const {
  std::lock_guard lock(mu_);
  std::set<MessageQueue> out;
  for (const auto& [mq, pq] : process_queue_table_) {
    if (mq.topic == topic) out.insert(mq);
  }
  return out;
}

void RebalanceImpl::RemoveProcessQueue(const MessageQueue& mq) {
  std::shared_ptr<ProcessQueue> pq = FindProcessQueue(mq);
  if (pq) DropQueue(mq, pq);
}

void RebalanceImpl::DropAll() {
  std::lock_guard serial(rebalance_mu_);
  for (const auto& [mq, pq] : ProcessQueueTable()) DropQueue(mq, pq);
}

bool RebalanceImpl::Lock(const MessageQueue& mq) {
  Result<std::set<MessageQueue>> locked = api_->LockBatchMQ(mq.broker_name, options_.group, {mq});
  if (!locked.ok()) {
    spdlog::warn("lock {} for {}: {}", mq.ToString(), options_.group, locked.status().ToString());
    return false;
  }
  for (const MessageQueue& q : *locked) {
    if (auto pq = FindProcessQueue(q)) {
      pq->set_locked(true);
      pq->set_last_lock_time(std::chrono::steady_clock::now());
    }
  }
  return locked->count(mq) != 0;
}

void RebalanceImpl::LockAll() {
  std::map<std::string, std::set<MessageQueue>> by_broker;
  for (const auto& [mq, pq] : ProcessQueueTable()) by_broker[mq.broker_name].insert(mq);
  for (const auto& [broker, mqs] : by_broker) {
    Result<std::set<MessageQueue>> locked = api_->LockBatchMQ(broker, options_.group, mqs);
    if (!locked.ok()) {
      spdlog::warn("lock queues on {} for {}: {}", broker, options_.group,
                   locked.status().ToString());
      continue;
    }
    for (const MessageQueue& mq : mqs) {
      std::shared_ptr<ProcessQueue> pq = FindProcessQueue(mq);
      if (!pq) continue;
      if (locked->count(mq) != 0) {
        pq->set_locked(true);
        pq->set_last_lock_time(std::chrono::steady_clock::now());
      } else {
        pq->set_locked(false);
      }
    }
  }
}

void RebalanceImpl::Unlock(const MessageQueue& mq, bool oneway) {
  Status s = api_->UnlockBatchMQ(mq.broker_name, options_.group, {mq}, oneway);
  if (!s.ok()) spdlog::warn("unlock {} for {}: {}", mq.ToString(), options_.group, s.ToString());
}

void RebalanceImpl::UnlockAll(bool oneway) {
  std::map<std::string, std::set<MessageQueue>> by_broker;
  for (const auto& [mq, pq] : ProcessQueueTable()) by_broker[mq.broker_name].insert(mq);
  for (const auto& [broker, mqs] : by_broker) {
    Status s = api_->UnlockBatchMQ(broker, options_.group, mqs, oneway);
    if (!s.ok()) {
      spdlog::warn("unlock queues on {} for {}: {}", broker, options_.group, s.ToString());
      continue;
    }
    for (const MessageQueue& mq : mqs) {
      if (auto pq = FindProcessQueue(mq)) pq->set_locked(false);
    }
  }
}

}  // namespace holdfast::client
