// The response every broker processor writes: RocketMQ's createResponseCommand plus the broker's
// version (kBrokerVersion), which Java clients read as the broker's version (sheet 1.6).
#pragma once

#include <optional>
#include <string>

#include "broker/mq_version.h"
#include "remoting/remoting_command.h"

namespace holdfast::broker {

inline remoting::RemotingCommand MakeBrokerResponse(
    const remoting::RemotingCommand& request, int32_t code,
    std::optional<std::string> remark = std::nullopt) {
  remoting::RemotingCommand response =
      remoting::RemotingCommand::CreateResponse(request, code, std::move(remark));
  response.version = kBrokerVersion;
  return response;
}

}  // namespace holdfast::broker
