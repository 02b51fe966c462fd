// DLQ depth per consumer group, for brokerStatus and consumerProgress: the messages in
// %DLQ%<group> (max - min offset of its queue) and how many of them were resent
// (dlq_resend_log.h). A resend leaves its dead letter in the DLQ, so the depth never goes down
// by resending; only the commit log's retention removes dead letters.
//
// Functions of an AdminContext; same threading as it.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/status.h"
#include "tools/admin/admin_context.h"

namespace holdfast::tools::admin {

struct DlqDepth {
  int64_t depth = 0;   // dead letters in the DLQ
  int64_t resent = 0;  // distinct dead letters with a recorded resend

  bool operator==(const DlqDepth&) const = default;
};

// Every group with a DLQ at the broker at `addr` (its %DLQ% topics, from GET_ALL_TOPIC_CONFIG).
Result<std::map<std::string, DlqDepth>> DlqDepthsAt(AdminContext& ctx, const std::string& addr);

// `group`'s DLQs summed over every master; zeros when no broker has one.
Result<DlqDepth> GroupDlqDepth(AdminContext& ctx, const std::string& group);

}  // namespace holdfast::tools::admin
