// The record of DLQ resends, kept where every operator sees it: on the broker that holds the dead
// letter, as messages of topic HOLDFAST_DLQ_RESEND_LOG (1 queue, created there by the first
// resend). One message per resend: KEYS "<dlqMsgId> <msgId>" (so `queryMsgByKey -t
// HOLDFAST_DLQ_RESEND_LOG -k <msgId>` finds it), TAGS the group, and a JSON body (ResendRecord).
//
// A dead letter counts as resent once a record names its DlqMsgId (its own stored record, not the
// msgId: a message that dies again after a resend is a new dead letter with the same msgId).
// dlqResend writes the record after the copy is stored (SEND_OK) and reads the whole log of the
// group before it resends, so the one window left is between two operators: a resend another
// operator has not yet recorded, or recorded less than the broker's dispatch delay (milliseconds;
// dlqResend waits for its own records to be readable before it returns) before this one read the
// log, is resent again. A crash between the copy's SEND_OK and the record leaves a resend
// unrecorded. Both give a duplicate, never a loss; a consumer that deduplicates by msgId (the copy
// keeps UNIQ_KEY) sees it once.
//
// The log lives in the same commit log as the DLQ it describes and is written after the letters it
// names, so retention never drops a record while its dead letter remains.
//
// Functions of an AdminContext; same threading as it.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "tools/admin/admin_context.h"

namespace holdfast::tools::admin {

inline constexpr std::string_view kResendLogTopic = "HOLDFAST_DLQ_RESEND_LOG";

// One resend, the body of a log message (JSON, the keys in comments).
struct ResendRecord {
  std::string group{};           // group
  std::string msg_id{};          // msgId: the dead letter's MsgId
  std::string dlq_msg_id{};      // dlqMsgId: the dead letter's DlqMsgId
  std::string dlq_broker{};      // dlqBroker: the broker name holding it
  int64_t dlq_queue_offset = 0;  // dlqQueueOffset
  std::string target_topic{};    // targetTopic: its original topic, or %RETRY%<group>
  std::string target_broker{};   // targetBroker
  std::string sent_msg_id{};     // sentMsgId: the copy's offsetMsgId
  int64_t resent_at = 0;         // resentAt: ms since the epoch
  std::string resent_by{};       // resentBy: user@host of the operator
  bool forced = false;           // forced: resent with --force although already resent

  bool operator==(const ResendRecord&) const = default;
};

std::string EncodeResendRecord(const ResendRecord& record);
// Corruption naming the field when `body` is not a resend record.
Result<ResendRecord> DecodeResendRecord(std::string_view body);

// The resend records of `group` (every group when empty) in the log of the broker at `addr`, in
// the order written; empty when the broker has no log yet. Messages of the log that are not
// records (someone else's sends) are left out.
Result<std::vector<ResendRecord>> ReadResendLog(AdminContext& ctx, const std::string& addr,
                                                const std::string& group);

// How many times each dead letter was resent, by DlqMsgId.
std::map<std::string, int> ResendsByDeadLetter(const std::vector<ResendRecord>& records);

// Stores `record` in the log of broker `broker_name` at `addr`, creating the log topic there when
// missing; counts only on SEND_OK. The record's queue offset in the log.
Result<int64_t> AppendResendRecord(AdminContext& ctx, const std::string& addr,
                                   const std::string& broker_name, const ResendRecord& record);

// Waits until a read of the log at `addr` sees the record at `queue_offset` (the broker dispatches
// behind its commit log); Timeout after `timeout`.
Status WaitResendRecordReadable(AdminContext& ctx, const std::string& addr, int64_t queue_offset,
                                std::chrono::milliseconds timeout = std::chrono::seconds(5));

// "user@host" of this process, for ResendRecord::resent_by.
std::string OperatorName();

}  // namespace holdfast::tools::admin
