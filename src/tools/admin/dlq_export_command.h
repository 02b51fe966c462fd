// dlqExport -g group [-f file]: every dead letter of a consumer group as JSON lines, one object per
// dead letter, to the file (or standard output), for archives and other tools. Each object holds
// what dlqList shows and everything needed to rebuild the message:
//   broker, brokerAddr, queueId, queueOffset, dlqMsgId, msgId, originalTopic, originMessageId,
//   reconsumeTimes, firstFailureTime, lastFailureTime (ms since the epoch), bornTimestamp,
//   bornHost, storeHost, flag, sysFlag, tags, keys, properties (object), bodySize,
//   bodyBase64 (the whole body), bodyPreview, resends.
// Absent bookkeeping ("unknown" in dlqList) is JSON null. Text that is not UTF-8 (a property value)
// has its bad bytes replaced; the body is exact in bodyBase64.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "tools/admin/admin_command.h"
#include "tools/admin/dlq_list_command.h"

namespace holdfast::tools::admin {

struct DlqExportOptions {
  std::string group{};  // -g
  std::string file{};   // -f; empty or "-" for standard output
};

// One dead letter as its JSON line's object.
nlohmann::json DeadLetterToJson(const ListedDeadLetter& listed);

// IoError naming the file when it cannot be written. With -f, prints how many were exported.
Status DlqExport(AdminContext& ctx, const DlqExportOptions& options, std::ostream& out);

AdminCommand AddDlqExportCommand(CLI::App* admin);

}  // namespace holdfast::tools::admin
