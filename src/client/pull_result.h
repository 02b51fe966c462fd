// What one PULL_MESSAGE returns (RocketMQ's PullResult), and the decoder of its body.
//
// Plain values; no synchronisation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "holdfast/message.h"

namespace holdfast::client {

// RocketMQ's PullStatus, mapped from the response code (docs/protocol.md §3.3): SUCCESS -> kFound,
// PULL_NOT_FOUND -> kNoNewMsg, PULL_RETRY_IMMEDIATELY -> kNoMatchedMsg, PULL_OFFSET_MOVED ->
// kOffsetIllegal.
enum class PullStatus { kFound, kNoNewMsg, kNoMatchedMsg, kOffsetIllegal };
const char* PullStatusName(PullStatus status);  // "FOUND", "NO_NEW_MSG", ...

struct PullResult {
  PullStatus status = PullStatus::kNoNewMsg;
  int64_t next_begin_offset = 0;
  int64_t min_offset = 0;
  int64_t max_offset = 0;
  int64_t suggest_which_broker_id = 0;
  std::vector<MQMessageExt> msgs;  // only for kFound; not yet filtered by tag
};

// Largest body a compressed message may inflate to.
inline constexpr size_t kMaxUncompressedBodySize = size_t{64} * 1024 * 1024;

// Decodes concatenated stored records (a pull or query body, docs/protocol.md §6.1): inflates
// compressed bodies, fills msg_id from UNIQ_KEY (else the offsetMsgId), offset_msg_id, tags, keys
// and properties, and sets broker_name. Corruption naming the record's byte offset when a record is
// malformed or a compressed body does not inflate.
Result<std::vector<MQMessageExt>> DecodeMessages(std::string_view body,
                                                 const std::string& broker_name);

}  // namespace holdfast::client
