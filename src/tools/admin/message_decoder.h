// MessageDecoder.decodes for the admin commands: the stored records (docs/protocol.md §6.1) a
// broker answers QUERY_MESSAGE and VIEW_MESSAGE_BY_ID with, one after another, as messages with
// plain bodies. Pure function; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "common/message.h"
#include "common/status.h"

namespace holdfast::tools::admin {

// Every record in `body`, bodies uncompressed when sysFlag says so. Corruption naming the byte
// offset of a record that does not decode.
Result<std::vector<MessageExt>> DecodeMessages(std::string_view body);

}  // namespace holdfast::tools::admin
