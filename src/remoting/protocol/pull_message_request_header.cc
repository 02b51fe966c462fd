#include "remoting/protocol/pull_message_request_header.h"

namespace holdfast::protocol {

Result<PullMessageRequestHeader> DecodePullMessageRequestHeader(
    const remoting::RemotingCommand& request) {
  Result<PullMessageRequestHeader> header = DecodeCustomHeader<PullMessageRequestHeader>(request);
  if (header.ok() && header->max_msg_bytes && *header->max_msg_bytes <= 0) {
    header->max_msg_bytes.reset();
  }
  return header;
}

}  // namespace holdfast::protocol
