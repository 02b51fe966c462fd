#include "client/consumer_core.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "client/topic_route_data.h"

namespace holdfast::client {

Status CheckPullSettings(const std::string& kind, const std::string& group, int pull_batch_size,
                         int pull_threshold_for_queue) {
  if (pull_batch_size < 1 || pull_batch_size > 1024) {
    return Status::InvalidArgument(kind + " " + group + ": pull_batch_size " +
                                   std::to_string(pull_batch_size) + " is not in [1, 1024]");
  }
  if (pull_threshold_for_queue < 1) {
    return Status::InvalidArgument(kind + " " + group + ": pull_threshold_for_queue " +
                                   std::to_string(pull_threshold_for_queue) + " is below 1");
  }
  return Status::Ok();
}

ConsumerCore::ConsumerCore(std::string kind, ClientConfig client,
                           RebalanceOptions rebalance_options)
    : kind_(std::move(kind)),
      client_(std::move(client)),
      rebalance_options_(std::move(rebalance_options)) {}

void ConsumerCore::UpdateTopicSubscribeInfo(const std::string& topic,
                                            const std::set<MessageQueue>& queues) {
  if (subscriptions_.Contains(topic) && rebalance_) {
    rebalance_->SetTopicSubscribeInfo(topic, queues);
  }
}

bool ConsumerCore::IsSubscribeTopicNeedUpdate(const std::string& topic) const {
  return subscriptions_.Contains(topic) && rebalance_ && !rebalance_->HasTopicSubscribeInfo(topic);
}

Status ConsumerCore::CheckFirstStart() const {
  if (started_once_) {
    return Status::InvalidArgument(kind_ + " " + group() +
                                   " was started already; create a new one");
  }
  return Status::Ok();
}

Status ConsumerCore::CreateParts() {
  started_once_ = true;
  instance_ = MQClientManager::GetOrCreateInstance(client_);
  broker_api_ = std::make_unique<InstanceConsumerBrokerApi>(instance_.get());
  offset_store_ = CreateOffsetStore(rebalance_options_.message_model, broker_api_.get(),
                                    instance_->client_id(), group());
  HOLDFAST_RETURN_IF_ERROR(offset_store_->Load());
  rebalance_ = std::make_unique<RebalanceImpl>(rebalance_options_, broker_api_.get(),
                                               offset_store_.get(), this);
  return Status::Ok();
}

Status ConsumerCore::JoinInstance(const std::function<void()>& undo) {
  if (Status s = instance_->RegisterConsumer(group(), this); !s.ok()) {
    running_ = false;
    undo();
    instance_.reset();
    return s;
  }
  HOLDFAST_RETURN_IF_ERROR(instance_->Start());
  for (const std::string& topic : subscriptions_.Topics()) {
    instance_->UpdateTopicRouteInfoFromNameServer(topic);
    RefreshSubscribeInfo(topic);
  }
  instance_->SendHeartbeatToAllBrokers();
  return Status::Ok();
}

void ConsumerCore::LeaveInstance() {
  instance_->UnregisterConsumer(group());
  instance_->Shutdown();
  spdlog::info("{} {} shut down", kind_, group());
}

void ConsumerCore::AddSubscription(SubscriptionData subscription) {
  const std::string topic = subscription.topic;
  subscriptions_.Put(std::move(subscription));
  if (running()) {
    instance_->UpdateTopicRouteInfoFromNameServer(topic);
    RefreshSubscribeInfo(topic);
    instance_->SendHeartbeatToAllBrokers();
    instance_->RebalanceImmediately();
  }
}

void ConsumerCore::RefreshSubscribeInfo(const std::string& topic) {
  std::optional<TopicRouteData> route = instance_->TopicRoute(topic);
  if (route) rebalance_->SetTopicSubscribeInfo(topic, TopicRouteToSubscribeQueues(*route, topic));
}

void ConsumerCore::RebalanceSubscribedTopics(bool orderly) {
  std::set<std::string> topics = subscriptions_.Topics();
  for (const std::string& topic : topics) {
    if (!rebalance_->HasTopicSubscribeInfo(topic)) RefreshSubscribeInfo(topic);
  }
  rebalance_->DoRebalance(topics, orderly);
}

void ConsumerCore::ForgetQueueOffset(const MessageQueue& mq) {
  offset_store_->Persist(mq);
  offset_store_->RemoveOffset(mq);
}

PullMessageRequestHeader ConsumerCore::PullHeader(const MessageQueue& mq, int64_t offset,
                                                  int max_msg_nums,
                                                  const SubscriptionData& subscription) const {
  PullMessageRequestHeader header;
  header.consumer_group = group();
  header.topic = mq.topic;
  header.queue_id = mq.queue_id;
  header.queue_offset = offset;
  header.max_msg_nums = max_msg_nums;
  header.sys_flag = kPullFlagSuspend | kPullFlagSubscription;
  header.suspend_timeout_millis = kBrokerSuspendMaxTime.count();
  header.subscription = subscription.sub_string;
  header.sub_version = subscription.sub_version;
  header.expression_type = subscription.expression_type;
  header.broker_name = mq.broker_name;
  return header;
}

std::vector<MQMessageExt> ConsumerCore::KeepMatching(const SubscriptionData& subscription,
                                                     std::vector<MQMessageExt>& pulled) {
  std::vector<MQMessageExt> kept;
  kept.reserve(pulled.size());
  for (MQMessageExt& m : pulled) {
    if (Matches(subscription, m.tags)) kept.push_back(std::move(m));
  }
  return kept;
}

}  // namespace holdfast::client
