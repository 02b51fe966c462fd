#include "client/topic_route_data.h"

#include <algorithm>
#include <charconv>
#include <string_view>

#include "remoting/protocol/perm_name.h"

namespace holdfast::client {

std::vector<MessageQueue> TopicRouteToPublishQueues(const TopicRouteData& route,
                                                    const std::string& topic) {
  std::vector<MessageQueue> queues;
  if (!route.order_topic_conf.value_or("").empty()) {
    std::string_view rest = *route.order_topic_conf;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view entry = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      size_t colon = entry.find(':');
      if (colon == std::string_view::npos) continue;
      int32_t nums = 0;
      std::string_view n = entry.substr(colon + 1);
      if (std::from_chars(n.data(), n.data() + n.size(), nums).ec != std::errc()) continue;
      for (int32_t i = 0; i < nums; ++i) {
        queues.push_back(MessageQueue{topic, std::string(entry.substr(0, colon)), i});
      }
    }
    return queues;
  }
  std::vector<QueueData> sorted = route.queue_datas;
  std::sort(sorted.begin(), sorted.end(),
            [](const QueueData& a, const QueueData& b) { return a.broker_name < b.broker_name; });
  for (const QueueData& qd : sorted) {
    if (!protocol::IsWriteable(qd.perm)) continue;
    auto bd = std::find_if(route.broker_datas.begin(), route.broker_datas.end(),
                           [&](const BrokerData& b) { return b.broker_name == qd.broker_name; });
    if (bd == route.broker_datas.end() || !bd->MasterAddr()) continue;
    for (int32_t i = 0; i < qd.write_queue_nums; ++i) {
      queues.push_back(MessageQueue{topic, qd.broker_name, i});
    }
  }
  return queues;
}

std::set<MessageQueue> TopicRouteToSubscribeQueues(const TopicRouteData& route,
                                                   const std::string& topic) {
  std::set<MessageQueue> queues;
  for (const QueueData& qd : route.queue_datas) {
    if (!protocol::IsReadable(qd.perm)) continue;
    for (int32_t i = 0; i < qd.read_queue_nums; ++i) {
      queues.insert(MessageQueue{topic, qd.broker_name, i});
    }
  }
  return queues;
}

}  // namespace holdfast::client
