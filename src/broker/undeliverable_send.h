// UndeliverableSend: why this broker refuses a send it could store but would not deliver as the
// sender asked. Answering SEND_OK for such a message would be a promise broken later, so until
// transactions and timer messages land the send is refused, before anything is stored:
//  * transactional (property TRAN_MSG=true, or a sysFlag transaction type of PREPARED or
//    ROLLBACK): the half message would be stored and never delivered. NO_PERMISSION, the code
//    RocketMQ's SendMessageProcessor answers when rejectTransactionMessage is set; RocketMQ clients
//    retry it on another broker, which may support transactions.
//  * a timer the store would refuse (store/timer/timer_routing.h): a TIMER_DELIVER_MS,
//    TIMER_DELAY_SEC, TIMER_DELAY_MS or __STARTDELIVERTIME value that is not a whole number, is
//    negative, or lies more than timerMaxDelaySec ahead, or any of them while timerWheelEnable is
//    off. MESSAGE_ILLEGAL, naming the property and the limit. Timer messages within the limit are
//    delivered by the timer store.
//  * a DELAY that is not a number: MESSAGE_ILLEGAL.
// A DELAY level above 0 is delivered as asked (the store routes it through SCHEDULE_TOPIC_XXXX,
// src/store/schedule/), and wins over timer properties, which the store then removes
// (docs/protocol.md §8.2).
// As in RocketMQ, TRAN_MSG on a message with reconsumeTimes > 0 and a DELAY level (a consumer's
// retry from a client before 4.6.1, which may carry the PREPARED sysFlag as well) is not a
// transaction: it is stored as a delayed message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/message_store_config.h"

namespace holdfast::broker {

struct UndeliverableSend {
  int32_t response_code = 0;
  std::string remark;  // names the property (or sysFlag) and says nothing was stored
};

// True for a consumer's retry from a client before 4.6.1 (reconsumeTimes > 0 and a DELAY level
// above 0): not a transaction, whatever TRAN_MSG or its sysFlag say. The broker stores it as a
// plain delayed message (with the transaction type of its sysFlag cleared: a PREPARED record would
// never be delivered).
bool IsOldClientRetry(int32_t reconsume_times, std::string_view properties);

// The refusal for one message with these header fields and encoded properties, or nullopt when
// this broker delivers it as asked. `what` names the message in the remark ("the message",
// "message 3 of the batch"). `store_config` gives the timer limits (defaults when null).
std::optional<UndeliverableSend> FindUndeliverableSend(
    int32_t sys_flag, int32_t reconsume_times, std::string_view properties,
    std::string_view what = "the message", const store::MessageStoreConfig* store_config = nullptr);

}  // namespace holdfast::broker
