// A SEND_MESSAGE_V2 request shaped as the Java client sends it (short header keys a..m, every
// value a string), for broker tests that talk to a broker over the wire.
#pragma once

#include <cstdint>
#include <string>

#include "common/clock.h"
#include "remoting/remoting_command.h"
#include "remoting/request_code.h"

namespace holdfast::testing {

// `properties` is an encoded property string; `batch` marks the body as a batch (docs/protocol.md
// §6.4).
inline remoting::RemotingCommand SendMessageV2Request(const std::string& topic, int32_t queue_id,
                                                      const std::string& body,
                                                      const std::string& properties,
                                                      bool batch = false) {
  auto req = remoting::RemotingCommand::CreateRequest(remoting::RequestCode::SEND_MESSAGE_V2);
  req.version = 479;
  req.SetExtField("a", "PG");
  req.SetExtField("b", topic);
  req.SetExtField("c", "TBW102");
  req.SetExtField("d", "4");
  req.SetExtField("e", std::to_string(queue_id));
  req.SetExtField("f", "0");
  req.SetExtField("g", std::to_string(NowMillis()));
  req.SetExtField("h", "0");
  req.SetExtField("i", properties);
  req.SetExtField("j", "0");
  req.SetExtField("k", "false");
  if (batch) req.SetExtField("m", "true");
  req.body = body;
  return req;
}

}  // namespace holdfast::testing
