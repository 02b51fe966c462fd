#include "broker/producer_manager.h"

#include <spdlog/spdlog.h>

namespace holdfast::broker {

ProducerManager::ProducerManager(std::chrono::milliseconds channel_expired_timeout)
    : channel_expired_timeout_(channel_expired_timeout) {}

void ProducerManager::RegisterProducer(const std::string& group, const ClientChannelInfo& info) {
  std::lock_guard lock(mu_);
  auto& channels = table_[group];
  auto [it, inserted] = channels.insert_or_assign(info.channel.get(), info);
  if (inserted) {
    spdlog::info("new producer connected, group {} client {}", group, info.client_id);
  }
}

void ProducerManager::UnregisterProducer(const std::string& group,
                                         const remoting::Connection* channel) {
  std::lock_guard lock(mu_);
  auto it = table_.find(group);
  if (it == table_.end()) return;
  if (it->second.erase(channel) > 0) {
    spdlog::info("producer of group {} unregistered", group);
  }
  if (it->second.empty()) table_.erase(it);
}

void ProducerManager::DoChannelCloseEvent(const remoting::Connection* channel) {
  std::lock_guard lock(mu_);
  for (auto it = table_.begin(); it != table_.end();) {
    it->second.erase(channel);
    it = it->second.empty() ? table_.erase(it) : std::next(it);
  }
}

size_t ProducerManager::ScanNotActiveChannel(std::chrono::steady_clock::time_point now) {
  std::vector<std::shared_ptr<remoting::Connection>> expired;
  {
    std::lock_guard lock(mu_);
    for (auto git = table_.begin(); git != table_.end();) {
      auto& channels = git->second;
      for (auto it = channels.begin(); it != channels.end();) {
        if (now - it->second.last_update_timestamp > channel_expired_timeout_) {
          spdlog::warn("producer {} of group {} expired: no heartbeat for {} ms",
                       it->second.client_id, git->first, channel_expired_timeout_.count());
          expired.push_back(it->second.channel);
          it = channels.erase(it);
        } else {
          ++it;
        }
      }
      git = channels.empty() ? table_.erase(git) : std::next(git);
    }
  }
  for (const auto& channel : expired) {
    if (channel) channel->Close(Status::Unavailable("producer channel expired"));
  }
  return expired.size();
}

std::vector<ClientChannelInfo> ProducerManager::GetGroupChannels(const std::string& group) const {
  std::vector<ClientChannelInfo> out;
  std::lock_guard lock(mu_);
  auto it = table_.find(group);
  if (it == table_.end()) return out;
  for (const auto& [key, info] : it->second) out.push_back(info);
  return out;
}

std::vector<std::string> ProducerManager::GetGroups() const {
  std::vector<std::string> out;
  std::lock_guard lock(mu_);
  for (const auto& [group, channels] : table_) out.push_back(group);
  return out;
}

}  // namespace holdfast::broker
