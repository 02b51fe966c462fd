#include "namesrv/route_info_manager.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "remoting/connection.h"

namespace holdfast::namesrv {

using protocol::BrokerData;
using protocol::ClusterInfo;
using protocol::DataVersion;
using protocol::kMasterId;
using protocol::QueueData;
using protocol::TopicConfig;
using protocol::TopicRouteData;

RouteInfoManager::RouteInfoManager(int64_t broker_channel_expired_time, Clock clock)
    : broker_channel_expired_time_(broker_channel_expired_time), clock_(std::move(clock)) {}

RegisterBrokerResult RouteInfoManager::RegisterBroker(const RegisterBrokerRequest& request) {
  RegisterBrokerResult result;
  std::lock_guard<std::mutex> lock(mu_);
  cluster_addr_table_[request.cluster_name].insert(request.broker_name);

  bool register_first = false;
  auto [bd_it, created] = broker_addr_table_.try_emplace(request.broker_name);
  BrokerData& broker_data = bd_it->second;
  if (created) {
    broker_data.cluster = request.cluster_name;
    broker_data.broker_name = request.broker_name;
    register_first = true;
  }
  // A slave switched to master (or back): drop the same address under its old id first.
  for (auto it = broker_data.broker_addrs.begin(); it != broker_data.broker_addrs.end();) {
    if (it->second == request.broker_addr && it->first != request.broker_id) {
      it = broker_data.broker_addrs.erase(it);
    } else {
      ++it;
    }
  }
  auto [addr_it, new_id] =
      broker_data.broker_addrs.insert_or_assign(request.broker_id, request.broker_addr);
  (void)addr_it;
  register_first = register_first || new_id;

  if (request.broker_id == kMasterId) {
    auto live = broker_live_table_.find(request.broker_addr);
    bool changed =
        live == broker_live_table_.end() || !(live->second.data_version == request.data_version);
    if (register_first || changed) {
      for (const TopicConfig& config : request.topic_configs) {
        CreateAndUpdateQueueData(request.broker_name, config);
      }
    }
  }

  BrokerLiveInfo& info = broker_live_table_[request.broker_addr];
  if (info.last_update_timestamp == 0) {
    spdlog::info("new broker registered, {} HAServer: {}", request.broker_addr,
                 request.ha_server_addr);
  }
  info.last_update_timestamp = clock_();
  info.heartbeat_timeout_millis =
      request.heartbeat_timeout_millis.value_or(broker_channel_expired_time_);
  info.data_version = request.data_version;
  info.channel = request.channel;
  info.ha_server_addr = request.ha_server_addr;

  if (request.broker_id != kMasterId) {
    auto master = broker_data.broker_addrs.find(kMasterId);
    if (master != broker_data.broker_addrs.end()) {
      auto master_live = broker_live_table_.find(master->second);
      if (master_live != broker_live_table_.end()) {
        result.ha_server_addr = master_live->second.ha_server_addr;
        result.master_addr = master->second;
      }
    }
  }
  return result;
}

void RouteInfoManager::CreateAndUpdateQueueData(const std::string& broker_name,
                                                const TopicConfig& config) {
  QueueData data{.broker_name = broker_name,
                 .read_queue_nums = config.read_queue_nums,
                 .write_queue_nums = config.write_queue_nums,
                 .perm = config.perm,
                 .topic_sys_flag = config.topic_sys_flag};
  auto& by_broker = topic_queue_table_[config.topic_name];
  auto it = by_broker.find(broker_name);
  if (it == by_broker.end()) {
    spdlog::info("new topic registered, {} {}", config.topic_name, broker_name);
    by_broker.emplace(broker_name, data);
  } else if (!(it->second == data)) {
    spdlog::info("topic changed, {} {}", config.topic_name, broker_name);
    it->second = data;
  }
}

void RouteInfoManager::UnregisterBroker(const std::string& cluster_name,
                                        const std::string& broker_addr,
                                        const std::string& broker_name, int64_t broker_id) {
  std::lock_guard<std::mutex> lock(mu_);
  broker_live_table_.erase(broker_addr);
  (void)cluster_name;  // the broker name's own cluster is used, as it is the one that lists it
  RemoveBrokerId(broker_name, broker_id);
  spdlog::info("unregister broker {} {} id {}", broker_name, broker_addr, broker_id);
}

void RouteInfoManager::RemoveBrokerId(const std::string& broker_name, int64_t broker_id) {
  auto bd = broker_addr_table_.find(broker_name);
  if (bd == broker_addr_table_.end()) return;
  bd->second.broker_addrs.erase(broker_id);
  if (!bd->second.broker_addrs.empty()) return;
  const std::string cluster = bd->second.cluster;
  broker_addr_table_.erase(bd);
  auto names = cluster_addr_table_.find(cluster);
  if (names != cluster_addr_table_.end()) {
    names->second.erase(broker_name);
    if (names->second.empty()) cluster_addr_table_.erase(names);
  }
  RemoveTopicByBrokerName(broker_name);
}

void RouteInfoManager::RemoveTopicByBrokerName(const std::string& broker_name) {
  for (auto it = topic_queue_table_.begin(); it != topic_queue_table_.end();) {
    it->second.erase(broker_name);
    if (it->second.empty()) {
      spdlog::info("remove topic {} (no broker hosts it)", it->first);
      it = topic_queue_table_.erase(it);
    } else {
      ++it;
    }
  }
}

void RouteInfoManager::RemoveBrokerByAddr(const std::string& broker_addr) {
  broker_live_table_.erase(broker_addr);
  std::vector<std::pair<std::string, int64_t>> found;
  for (const auto& [name, data] : broker_addr_table_) {
    for (const auto& [id, addr] : data.broker_addrs) {
      if (addr == broker_addr) found.emplace_back(name, id);
    }
  }
  for (const auto& [name, id] : found) RemoveBrokerId(name, id);
}

std::optional<TopicRouteData> RouteInfoManager::PickupTopicRouteData(
    const std::string& topic) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto queues = topic_queue_table_.find(topic);
  if (queues == topic_queue_table_.end() || queues->second.empty()) return std::nullopt;
  TopicRouteData route;
  for (const auto& [name, data] : queues->second) {
    route.queue_datas.push_back(data);
    auto bd = broker_addr_table_.find(name);
    if (bd != broker_addr_table_.end()) route.broker_datas.push_back(bd->second);
  }
  if (route.broker_datas.empty()) return std::nullopt;
  return route;
}

ClusterInfo RouteInfoManager::GetAllClusterInfo() const {
  std::lock_guard<std::mutex> lock(mu_);
  return ClusterInfo{.broker_addr_table = broker_addr_table_,
                     .cluster_addr_table = cluster_addr_table_};
}

std::set<std::string> RouteInfoManager::GetAllTopicList() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::set<std::string> topics;
  for (const auto& entry : topic_queue_table_) topics.insert(entry.first);
  return topics;
}

std::set<std::string> RouteInfoManager::GetTopicsByCluster(const std::string& cluster) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::set<std::string> topics;
  auto names = cluster_addr_table_.find(cluster);
  if (names == cluster_addr_table_.end()) return topics;
  for (const auto& [topic, by_broker] : topic_queue_table_) {
    for (const auto& entry : by_broker) {
      if (names->second.contains(entry.first)) {
        topics.insert(topic);
        break;
      }
    }
  }
  return topics;
}

void RouteInfoManager::DeleteTopic(const std::string& topic, const std::string& cluster_name) {
  std::lock_guard<std::mutex> lock(mu_);
  if (cluster_name.empty()) {
    topic_queue_table_.erase(topic);
    return;
  }
  auto queues = topic_queue_table_.find(topic);
  auto names = cluster_addr_table_.find(cluster_name);
  if (queues == topic_queue_table_.end() || names == cluster_addr_table_.end()) return;
  for (const std::string& name : names->second) queues->second.erase(name);
  if (queues->second.empty()) topic_queue_table_.erase(queues);
}

bool RouteInfoManager::IsBrokerTopicConfigChanged(const std::string& broker_addr,
                                                  const DataVersion& data_version) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto live = broker_live_table_.find(broker_addr);
  return live == broker_live_table_.end() || !(live->second.data_version == data_version);
}

std::optional<DataVersion> RouteInfoManager::QueryBrokerTopicConfig(
    const std::string& broker_addr) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto live = broker_live_table_.find(broker_addr);
  if (live == broker_live_table_.end()) return std::nullopt;
  return live->second.data_version;
}

void RouteInfoManager::UpdateBrokerInfoUpdateTimestamp(const std::string& broker_addr) {
  std::lock_guard<std::mutex> lock(mu_);
  auto live = broker_live_table_.find(broker_addr);
  if (live != broker_live_table_.end()) live->second.last_update_timestamp = clock_();
}

size_t RouteInfoManager::ScanNotActiveBroker() {
  std::vector<std::shared_ptr<remoting::Connection>> to_close;
  size_t removed = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const int64_t now = clock_();
    std::vector<std::string> expired;
    for (const auto& [addr, info] : broker_live_table_) {
      if (info.last_update_timestamp + info.heartbeat_timeout_millis < now) {
        expired.push_back(addr);
        if (auto channel = info.channel.lock()) to_close.push_back(std::move(channel));
      }
    }
    for (const std::string& addr : expired) {
      spdlog::warn("the broker channel expired, {} (no registration for its timeout)", addr);
      RemoveBrokerByAddr(addr);
    }
    removed = expired.size();
  }
  for (const auto& channel : to_close) channel->Close(Status::Unavailable("broker expired"));
  return removed;
}

void RouteInfoManager::OnChannelDestroy(const remoting::Connection* channel) {
  if (channel == nullptr) return;
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> addrs;
  for (const auto& [addr, info] : broker_live_table_) {
    if (info.channel.lock().get() == channel) addrs.push_back(addr);
  }
  for (const std::string& addr : addrs) {
    spdlog::info("the broker's channel closed, {} removed", addr);
    RemoveBrokerByAddr(addr);
  }
}

size_t RouteInfoManager::live_broker_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return broker_live_table_.size();
}

}  // namespace holdfast::namesrv
