#include "broker/default_consumer_ids_change_listener.h"

#include <spdlog/spdlog.h>

#include "remoting/protocol/mq_version.h"
#include "remoting/protocol/notify_consumer_ids_changed_request_header.h"
#include "remoting/request_code.h"

namespace holdfast::broker {

void NotifyConsumerIdsChanged(const std::shared_ptr<remoting::Connection>& channel,
                              const std::string& group) {
  if (!channel) return;
  remoting::RemotingCommand request =
      remoting::RemotingCommand::CreateRequest(remoting::RequestCode::NOTIFY_CONSUMER_IDS_CHANGED);
  request.version = protocol::kCurrentVersion;
  protocol::EncodeCustomHeader(protocol::NotifyConsumerIdsChangedRequestHeader{group}, &request);
  if (Status s = channel->InvokeOneway(std::move(request)); !s.ok()) {
    spdlog::warn("notifyConsumerIdsChanged to {} for group {} failed: {}", channel->peer(), group,
                 s.ToString());
  }
}

ConsumerIdsChangeListener MakeDefaultConsumerIdsChangeListener(bool enabled) {
  return [enabled](ConsumerGroupEvent event, const std::string& group,
                   const std::vector<std::shared_ptr<remoting::Connection>>& channels) {
    if (event != ConsumerGroupEvent::kChange || !enabled) return;
    for (const auto& channel : channels) NotifyConsumerIdsChanged(channel, group);
  };
}

}  // namespace holdfast::broker
