// dlqResend -g group (-i msgId[,msgId...] | -a) [--to-retry] [--force]: sends copies of dead
// letters of a consumer group back to be consumed, and records each resend (dlq_resend_log.h) so
// that a later run, by anyone, skips letters already resent unless --force.
//
// Each selected dead letter (-i matches its msgId or its dlqMsgId; -a takes every one) is sent
// with a sync send, as a new message:
//  * to its original topic (RETRY_TOPIC), where every group subscribed to the topic gets it; or
//    with --to-retry to %RETRY%<group>, where only this group's consumers get it (they see it
//    under its original topic, as any retry);
//  * to a master serving that topic, the dead letter's own broker when it serves it;
//  * same body, flag, TAGS, KEYS and user properties, and the same UNIQ_KEY, so the msgId stays
//    the one the message had from its producer on and consumers can deduplicate by it;
//  * a fresh start: reconsumeTimes 0, no DELAY or timer properties, no RECONSUME_TIME,
//    MAX_RECONSUME_TIMES or HOLDFAST_FIRST_FAILURE_TIME; to the original topic also without
//    RETRY_TOPIC and ORIGIN_MESSAGE_ID, since it is no retry (--to-retry keeps them, as a retry
//    has them); HOLDFAST_DLQ_RESENT_FROM names the dead letter's dlqMsgId.
// It counts as resent only on SEND_OK, and only then is the resend recorded. The dead letter stays
// in the DLQ (RocketMQ has no way to remove one): the DLQ depth does not go down.
//
// Prints one line per letter (resent / skipped / failed / not found) and a summary; fails when
// any selected letter was not resent for a reason other than an earlier resend.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "common/message.h"
#include "tools/admin/admin_command.h"
#include "tools/admin/dead_letter.h"

namespace holdfast::tools::admin {

// Set on a resent copy: the dlqMsgId of the dead letter it was resent from.
inline constexpr std::string_view kResentFromProperty = "HOLDFAST_DLQ_RESENT_FROM";

struct DlqResendOptions {
  std::string group{};                 // -g
  std::vector<std::string> msg_ids{};  // -i: msgIds or dlqMsgIds
  bool all = false;                    // -a
  bool to_retry = false;               // --to-retry
  bool force = false;                  // --force
};

// The properties of the copy of `letter` (as the header comment says).
PropertyMap ResentProperties(const DeadLetter& letter, bool to_retry);

// InvalidArgument unless a group and exactly one of -i and -a are given; NotFound when no broker
// has a DLQ for the group.
Status DlqResend(AdminContext& ctx, const DlqResendOptions& options, std::ostream& out);

AdminCommand AddDlqResendCommand(CLI::App* admin);

}  // namespace holdfast::tools::admin
