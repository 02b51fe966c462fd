// RocketMQ's ClientChannelInfo: one client connection as the producer and consumer managers see it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "remoting/connection.h"
#include "remoting/language_code.h"

namespace holdfast::broker {

struct ClientChannelInfo {
  std::shared_ptr<remoting::Connection> channel;
  std::string client_id;
  remoting::LanguageCode language = remoting::LanguageCode::kJava;
  int32_t version = 0;
  // When the last heartbeat (or registration) from this channel arrived.
  std::chrono::steady_clock::time_point last_update_timestamp;
};

}  // namespace holdfast::broker
