// dlqList -g group: the dead letters of a consumer group on every broker (dead_letter.h), one row
// each: broker, DLQ offset, msgId, original topic, reconsume times, first and last failure, how
// often it was resent (dlq_resend_log.h), and the start of its body; then the DLQ depth.
// "unknown" stands for bookkeeping the dead letter does not carry.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "tools/admin/admin_command.h"
#include "tools/admin/dead_letter.h"

namespace holdfast::tools::admin {

struct DlqListOptions {
  std::string group{};  // -g
};

// A dead letter and the number of recorded resends of it.
struct ListedDeadLetter {
  DeadLetter letter{};
  int resends = 0;
};

// Every dead letter of `group` with its resends, broker by broker, in queue order.
Result<std::vector<ListedDeadLetter>> ListDeadLetters(AdminContext& ctx, const std::string& group);

// A group without a DLQ on any broker prints the header and a depth of 0; that is no error.
Status DlqList(AdminContext& ctx, const DlqListOptions& options, std::ostream& out);

AdminCommand AddDlqListCommand(CLI::App* admin);

}  // namespace holdfast::tools::admin
