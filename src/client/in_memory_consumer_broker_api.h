// For unit tests: a ConsumerBrokerApi that answers from tables, like one broker would (a member
// list, max offsets, committed offsets with QUERY_NOT_FOUND, LOCK_BATCH_MQ, send-back accepted or
// refused with REQUEST_CODE_NOT_SUPPORTED, retry-topic sends accepted or refused with
// MESSAGE_ILLEGAL), recording every send-back and retry-topic send in the order they came. The same
// components run against a real broker in push_consumer_test.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "client/consumer_broker_api.h"

namespace holdfast::client {

class InMemoryConsumerBrokerApi : public ConsumerBrokerApi {
 public:
  std::string ClientId() const override { return client_id; }
  std::vector<std::string> FindConsumerIdList(const std::string&, const std::string&) override {
    return cids;
  }
  Result<int64_t> GetMaxOffset(const MessageQueue& mq) override {
    if (unreachable) return Status::Unavailable("broker down");
    return max_offset.count(mq) ? max_offset[mq] : 0;
  }
  Result<int64_t> GetMinOffset(const MessageQueue&) override { return int64_t{0}; }
  Result<int64_t> SearchOffset(const MessageQueue&, int64_t ts) override {
    searched_ts = ts;
    return int64_t{55};
  }
  Result<std::set<MessageQueue>> LockBatchMQ(const std::string&, const std::string&,
                                             const std::set<MessageQueue>& mqs) override {
    std::lock_guard lock(mu);
    ++lock_requests;
    std::set<MessageQueue> out;
    for (const auto& mq : mqs) {
      if (locked_by_other.count(mq) == 0) out.insert(mq);
    }
    return out;
  }
  Status UnlockBatchMQ(const std::string&, const std::string&, const std::set<MessageQueue>& mqs,
                       bool) override {
    unlocked.insert(mqs.begin(), mqs.end());
    return Status::Ok();
  }
  Status SendMessageBack(const MQMessageExt& msg, const std::string&, int delay_level,
                         int) override {
    std::lock_guard lock(mu);
    ++send_back_attempts;
    calls.push_back("send-back " + std::to_string(msg.queue_offset));
    if (!accept_send_back) return Status::InvalidArgument("REQUEST_CODE_NOT_SUPPORTED");
    sent_back.emplace_back(msg.queue_offset, delay_level);
    return Status::Ok();
  }
  Status SendToRetryTopic(const RetryTopicMessage& msg) override {
    std::lock_guard lock(mu);
    ++retry_topic_attempts;
    auto uniq = msg.properties.find(property::kUniqClientMessageIdKeyIndex);
    calls.push_back("retry-topic " + (uniq == msg.properties.end() ? "?" : uniq->second));
    if (!accept_retry_topic) return Status::InvalidArgument("MESSAGE_ILLEGAL");
    sent_to_retry_topic.push_back(msg);
    return Status::Ok();
  }
  Result<int64_t> QueryConsumerOffset(const std::string&, const MessageQueue& mq) override {
    std::lock_guard lock(mu);
    if (unreachable) return Status::Unavailable("broker down");
    auto it = committed.find(mq);
    if (it == committed.end()) return Status::NotFound("QUERY_NOT_FOUND");
    return it->second;
  }
  Status UpdateConsumerOffsetOneway(const std::string&, const MessageQueue& mq,
                                    int64_t offset) override {
    std::lock_guard lock(mu);
    committed[mq] = offset;
    return Status::Ok();
  }

  std::string client_id = "10.0.0.1@a";
  std::vector<std::string> cids = {"10.0.0.1@a"};
  std::map<MessageQueue, int64_t> max_offset;
  std::map<MessageQueue, int64_t> committed;
  std::set<MessageQueue> locked_by_other;
  std::set<MessageQueue> unlocked;
  int64_t searched_ts = 0;
  bool unreachable = false;
  bool accept_send_back = false;
  bool accept_retry_topic = false;
  int lock_requests = 0;
  int send_back_attempts = 0;
  int retry_topic_attempts = 0;
  std::vector<std::pair<int64_t, int>> sent_back;  // queue offset, delay level
  std::vector<RetryTopicMessage> sent_to_retry_topic;
  // "send-back <queue offset>" and "retry-topic <UNIQ_KEY>", one per attempt, in order.
  std::vector<std::string> calls;

  // Guards committed, the send-back and retry-topic records and counters, lock_requests and
  // locked_by_other, which consume threads touch. Tests set accept_* before the services start.
  std::mutex mu;
};

}  // namespace holdfast::client
