#include "client/mq_client_instance.h"

#include <unistd.h>

#include <utility>

#include "client/producer_impl.h"
#include "common/local_address.h"
#include "common/logging.h"
#include "remoting/protocol/notify_consumer_ids_changed_request_header.h"
#include "remoting/request_code.h"

namespace holdfast::client {

using protocol::ConsumerData;
using protocol::HeartbeatData;

namespace {

using Clock = std::chrono::steady_clock;

std::mutex& ManagerMutex() {
  static std::mutex mu;
  return mu;
}

std::map<std::string, std::shared_ptr<MQClientInstance>>& ManagerTable() {
  static auto* table = new std::map<std::string, std::shared_ptr<MQClientInstance>>();
  return *table;
}

}  // namespace

std::string BuildClientId(const ClientConfig& config) {
  std::string ip = config.client_ip.empty() ? PickLocalIpv4() : config.client_ip;
  std::string instance =
      config.instance_name == "DEFAULT" ? std::to_string(getpid()) : config.instance_name;
  return ip + "@" + instance;
}

std::shared_ptr<MQClientInstance> MQClientManager::GetOrCreateInstance(const ClientConfig& config) {
  std::string client_id = BuildClientId(config);
  std::lock_guard<std::mutex> lock(ManagerMutex());
  auto& table = ManagerTable();
  auto it = table.find(client_id);
  if (it != table.end() && !it->second->terminated()) return it->second;
  auto instance = std::make_shared<MQClientInstance>(config, client_id);
  table[client_id] = instance;
  return instance;
}

void MQClientManager::RemoveInstance(const std::string& client_id,
                                     const MQClientInstance* instance) {
  std::lock_guard<std::mutex> lock(ManagerMutex());
  auto& table = ManagerTable();
  auto it = table.find(client_id);
  if (it != table.end() && (instance == nullptr || it->second.get() == instance)) table.erase(it);
}

MQClientInstance::MQClientInstance(ClientConfig config, std::string client_id)
    : config_(std::move(config)), client_id_(std::move(client_id)), api_(config_) {
  // The broker tells a group's members to rebalance when the member set changes (oneway).
  api_.RegisterProcessor(
      remoting::RequestCode::NOTIFY_CONSUMER_IDS_CHANGED,
      [this](const remoting::RemotingCommand& request, remoting::ResponseWriter) {
        Result<protocol::NotifyConsumerIdsChangedRequestHeader> h =
            protocol::DecodeCustomHeader<protocol::NotifyConsumerIdsChangedRequestHeader>(request);
        spdlog::info("consumer ids of group {} changed; rebalancing now",
                     h.ok() ? h->consumer_group : "?");
        RebalanceImmediately();
      });
}

MQClientInstance::~MQClientInstance() {
  {
    std::lock_guard<std::mutex> lock(inner_mu_);
    if (inner_producer_) inner_producer_->Shutdown();
  }
  {
    std::lock_guard<std::mutex> lock(sched_mu_);
    stop_ = true;
  }
  sched_cv_.notify_all();
  if (scheduled_thread_.joinable()) scheduled_thread_.join();
  api_.Shutdown();
}

Status MQClientInstance::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (terminated_) {
    return Status::Unavailable("client instance " + client_id_ +
                               " was shut down; get a new one from MQClientManager");
  }
  if (start_count_++ > 0) return Status::Ok();
  api_.Start();
  scheduled_thread_ = std::thread([this] { ScheduledLoop(); });
  return Status::Ok();
}

void MQClientInstance::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (start_count_ == 0 || --start_count_ > 0) return;
    terminated_ = true;
  }
  {
    std::lock_guard<std::mutex> lock(inner_mu_);
    if (inner_producer_) inner_producer_->Shutdown();
  }
  {
    std::lock_guard<std::mutex> lock(sched_mu_);
    stop_ = true;
  }
  sched_cv_.notify_all();
  if (scheduled_thread_.joinable()) scheduled_thread_.join();
  api_.Shutdown();
  MQClientManager::RemoveInstance(client_id_, this);
}

Result<SendResult> MQClientInstance::SendByInnerProducer(const std::string& topic,
                                                         const std::string& body, int32_t flag,
                                                         PropertyMap properties) {
  ProducerImpl* producer = nullptr;
  {
    std::lock_guard<std::mutex> lock(inner_mu_);
    if (terminated()) {
      return Status::Unavailable("client instance " + client_id_ + " is shut down; no send to " +
                                 topic);
    }
    if (!inner_producer_) {
      ProducerOptions options;
      options.group = std::string(kClientInnerProducerGroup);
      options.client = config_;
      auto created = std::make_unique<ProducerImpl>(std::move(options));
      HOLDFAST_RETURN_IF_ERROR(created->StartAttached(this));
      inner_producer_ = std::move(created);
    }
    producer = inner_producer_.get();
  }
  return producer->SendWithProperties(topic, body, flag, std::move(properties));
}

bool MQClientInstance::terminated() const {
  std::lock_guard<std::mutex> lock(mu_);
  return terminated_;
}

template <typename Member>
Status MQClientInstance::RegisterMember(std::map<std::string, Member*>& table,
                                        const std::string& group, Member* member,
                                        const char* kind) {
  {
    std::lock_guard<std::recursive_mutex> call_lock(call_mu_);
    std::lock_guard<std::mutex> lock(mu_);
    if (!table.emplace(group, member).second) {
      return Status::AlreadyExists(std::string(kind) + " group " + group +
                                   " is already registered in " + client_id_ +
                                   "; give the second " + kind + " another instance_name");
    }
  }
  WakeHeartbeat();
  return Status::Ok();
}

template <typename Member>
void MQClientInstance::UnregisterMember(std::map<std::string, Member*>& table,
                                        const std::string& group) {
  std::lock_guard<std::recursive_mutex> call_lock(call_mu_);
  std::lock_guard<std::mutex> lock(mu_);
  table.erase(group);
}

void MQClientInstance::UnregisterFromBrokers(const std::string& producer_group,
                                             const std::string& consumer_group) {
  std::map<std::string, std::map<int64_t, std::string>> brokers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    brokers = broker_addrs_;
  }
  for (const auto& [name, addrs] : brokers) {
    for (const auto& [id, addr] : addrs) {
      // A broker that missed it drops this client when the connection closes or its heartbeat
      // expires (channel expiry, 120 s); rebalance then moves the queues as it would then.
      Status s = api_.UnregisterClient(addr, client_id_, producer_group, consumer_group,
                                       config_.mq_client_api_timeout);
      if (!s.ok()) {
        spdlog::warn("unregister {}{} from {}: {}", producer_group, consumer_group, addr,
                     s.ToString());
      }
    }
  }
}

Status MQClientInstance::RegisterConsumer(const std::string& group, MQConsumerInner* consumer) {
  return RegisterMember(consumers_, group, consumer, "consumer");
}

void MQClientInstance::UnregisterConsumer(const std::string& group) {
  UnregisterMember(consumers_, group);
  UnregisterFromBrokers("", group);
}

Status MQClientInstance::RegisterProducer(const std::string& group, MQProducerInner* producer) {
  return RegisterMember(producers_, group, producer, "producer");
}

void MQClientInstance::UnregisterProducer(const std::string& group) {
  UnregisterMember(producers_, group);
  UnregisterFromBrokers(group, "");
}

bool MQClientInstance::UpdateTopicRouteInfoFromNameServer(const std::string& topic) {
  Result<TopicRouteData> route =
      api_.GetTopicRouteInfoFromNameServer(topic, config_.mq_client_api_timeout);
  if (!route.ok()) {
    if (!route.status().IsNotFound()) {
      spdlog::warn("route of {}: {}", topic, route.status().ToString());
    }
    return false;
  }
  bool changed = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = topic_routes_.find(topic);
    changed = it == topic_routes_.end() || !(it->second == *route);
    if (changed) {
      for (const BrokerData& bd : route->broker_datas) {
        broker_addrs_[bd.broker_name] = bd.broker_addrs;
      }
      topic_routes_[topic] = *route;
    }
  }
  std::lock_guard<std::recursive_mutex> call_lock(call_mu_);
  if (changed) {
    for (const auto& [group, producer] : Producers()) {
      if (producer->PublishTopicList().count(topic) > 0) {
        producer->UpdateTopicPublishInfo(topic, *route);
      }
    }
  }
  // A consumer gets the queues when they changed, or when it asks for them (it has none yet).
  std::set<MessageQueue> subscribe = TopicRouteToSubscribeQueues(*route, topic);
  for (const auto& [group, consumer] : Consumers()) {
    if (!changed && !consumer->IsSubscribeTopicNeedUpdate(topic)) continue;
    for (const SubscriptionData& s : consumer->Subscriptions()) {
      if (s.topic == topic) {
        consumer->UpdateTopicSubscribeInfo(topic, subscribe);
        break;
      }
    }
  }
  return changed;
}

std::optional<TopicRouteData> MQClientInstance::TopicRoute(const std::string& topic) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = topic_routes_.find(topic);
  if (it == topic_routes_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> MQClientInstance::FindBrokerAddressInSubscribe(
    const std::string& broker_name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = broker_addrs_.find(broker_name);
  if (it == broker_addrs_.end() || it->second.empty()) return std::nullopt;
  auto master = it->second.find(kMasterId);
  return master != it->second.end() ? master->second : it->second.begin()->second;
}

std::optional<std::string> MQClientInstance::FindBrokerAddressInPublish(
    const std::string& broker_name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = broker_addrs_.find(broker_name);
  if (it == broker_addrs_.end()) return std::nullopt;
  auto master = it->second.find(kMasterId);
  if (master == it->second.end()) return std::nullopt;
  return master->second;
}

std::optional<std::string> MQClientInstance::FindBrokerAddrByTopic(const std::string& topic) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = topic_routes_.find(topic);
      if (it != topic_routes_.end()) {
        for (const BrokerData& bd : it->second.broker_datas) {
          if (auto master = bd.MasterAddr()) return master;
        }
        for (const BrokerData& bd : it->second.broker_datas) {
          if (!bd.broker_addrs.empty()) return bd.broker_addrs.begin()->second;
        }
      }
    }
    if (attempt == 0) UpdateTopicRouteInfoFromNameServer(topic);
  }
  return std::nullopt;
}

std::vector<std::string> MQClientInstance::FindConsumerIdList(const std::string& topic,
                                                              const std::string& group) {
  std::optional<std::string> addr = FindBrokerAddrByTopic(topic);
  if (!addr) return {};
  Result<std::vector<std::string>> ids =
      api_.GetConsumerIdListByGroup(*addr, group, config_.mq_client_api_timeout);
  if (!ids.ok()) {
    // Empty means "unknown": rebalance keeps the queues it holds and tries next round.
    spdlog::warn("consumer ids of {} from {}: {}", group, *addr, ids.status().ToString());
    return {};
  }
  return std::move(ids).value();
}

void MQClientInstance::RebalanceImmediately() {
  {
    std::lock_guard<std::mutex> lock(sched_mu_);
    rebalance_now_ = true;
  }
  sched_cv_.notify_all();
}

void MQClientInstance::WakeHeartbeat() {
  {
    std::lock_guard<std::mutex> lock(sched_mu_);
    heartbeat_now_ = true;
  }
  sched_cv_.notify_all();
}

void MQClientInstance::SendHeartbeatToAllBrokers() {
  HeartbeatData heartbeat;
  heartbeat.client_id = client_id_;
  std::map<std::string, std::map<int64_t, std::string>> brokers;
  {
    std::lock_guard<std::recursive_mutex> call_lock(call_mu_);
    std::map<std::string, MQConsumerInner*> consumers;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& [group, producer] : producers_) {
        heartbeat.producer_data_set.push_back({group});
      }
      consumers = consumers_;
      brokers = broker_addrs_;
    }
    for (const auto& [group, consumer] : consumers) {
      ConsumerData data;
      data.group_name = consumer->GroupName();
      data.consume_type = consumer->ConsumeType();
      data.message_model = consumer->message_model();
      data.consume_from_where = protocol::ConsumeFromWhereOrdinal(consumer->consume_from_where());
      data.subscription_data_set = consumer->Subscriptions();
      heartbeat.consumer_data_set.push_back(std::move(data));
    }
  }
  if (heartbeat.producer_data_set.empty() && heartbeat.consumer_data_set.empty()) return;
  for (const auto& [name, addrs] : brokers) {
    for (const auto& [id, addr] : addrs) {
      // Slaves serve no producers; they need consumer heartbeats for pulls redirected to them.
      if (id != kMasterId && heartbeat.consumer_data_set.empty()) continue;
      // Sent again every heartbeatBrokerInterval; one missed heartbeat changes nothing.
      Status s = api_.SendHeartbeat(addr, heartbeat, config_.mq_client_api_timeout);
      if (!s.ok()) spdlog::warn("heartbeat to {} ({}): {}", name, addr, s.ToString());
    }
  }
}

void MQClientInstance::UpdateAllTopicRoutes() {
  std::set<std::string> topics;
  {
    std::lock_guard<std::recursive_mutex> call_lock(call_mu_);
    for (const auto& [group, producer] : Producers()) {
      for (const std::string& t : producer->PublishTopicList()) topics.insert(t);
    }
    for (const auto& [group, consumer] : Consumers()) {
      for (const SubscriptionData& s : consumer->Subscriptions()) topics.insert(s.topic);
    }
  }
  for (const std::string& topic : topics) UpdateTopicRouteInfoFromNameServer(topic);
}

std::map<std::string, MQConsumerInner*> MQClientInstance::Consumers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return consumers_;
}

std::map<std::string, MQProducerInner*> MQClientInstance::Producers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return producers_;
}

void MQClientInstance::PersistAllConsumerOffsets() {
  std::lock_guard<std::recursive_mutex> call_lock(call_mu_);
  for (const auto& [group, consumer] : Consumers()) consumer->PersistConsumerOffset();
}

void MQClientInstance::RebalanceAll() {
  std::lock_guard<std::recursive_mutex> call_lock(call_mu_);
  for (const auto& [group, consumer] : Consumers()) consumer->DoRebalance();
}

void MQClientInstance::ScheduledLoop() {
  const auto start = Clock::now();
  // First runs as in RocketMQ: routes after 10 ms, heartbeat after 1 s, offsets after 10 s.
  auto next_route = start + std::chrono::milliseconds(10);
  auto next_heartbeat = start + std::chrono::seconds(1);
  auto next_persist = start + std::chrono::seconds(10);
  auto next_rebalance = start + kRebalanceInterval;
  while (true) {
    bool route = false;
    bool heartbeat = false;
    bool persist = false;
    bool rebalance = false;
    {
      std::unique_lock<std::mutex> lock(sched_mu_);
      auto next = std::min({next_route, next_heartbeat, next_persist, next_rebalance});
      sched_cv_.wait_until(lock, next,
                           [this] { return stop_ || rebalance_now_ || heartbeat_now_; });
      if (stop_) return;
      const auto now = Clock::now();
      // A heartbeat asked for at once (a new producer or consumer) needs the brokers of its
      // topics, so the routes are refreshed first.
      route = heartbeat_now_ || now >= next_route;
      heartbeat = heartbeat_now_ || now >= next_heartbeat;
      persist = now >= next_persist;
      rebalance = rebalance_now_ || now >= next_rebalance;
      heartbeat_now_ = false;
      rebalance_now_ = false;
      if (route) next_route = now + config_.poll_name_server_interval;
      if (heartbeat) next_heartbeat = now + config_.heartbeat_broker_interval;
      if (persist) next_persist = now + config_.persist_consumer_offset_interval;
      if (rebalance) next_rebalance = now + kRebalanceInterval;
    }
    if (route) UpdateAllTopicRoutes();
    if (heartbeat) SendHeartbeatToAllBrokers();
    if (persist) PersistAllConsumerOffsets();
    if (rebalance) RebalanceAll();
  }
}

}  // namespace holdfast::client
