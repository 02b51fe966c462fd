#include "broker/undeliverable_send.h"

#include <fmt/format.h>

#include <charconv>

#include "common/clock.h"
#include "common/message.h"
#include "remoting/response_code.h"
#include "store/timer/timer_routing.h"

namespace holdfast::broker {

namespace {

using remoting::ResponseCode;

constexpr std::string_view kNothingStored = "; nothing was stored";

// Java's Boolean.parseBoolean: "true" in any case.
bool ParseJavaBoolean(std::string_view text) {
  if (text.size() != 4) return false;
  for (size_t i = 0; i < 4; ++i) {
    if ((text[i] | 0x20) != "true"[i]) return false;
  }
  return true;
}

// The DELAY level, 0 when absent; nullopt when it is not a number.
std::optional<int64_t> DelayLevel(std::string_view properties) {
  std::optional<std::string_view> text = FindProperty(properties, property::kDelayTimeLevel);
  if (!text) return 0;
  int64_t level = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), level);
  if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return level;
}

UndeliverableSend Transactional(std::string_view what, std::string_view marker) {
  return {ResponseCode::NO_PERMISSION,
          fmt::format("{} is transactional ({}), which this broker does not support yet: the half "
                      "message would never be delivered{}",
                      what, marker, kNothingStored)};
}

}  // namespace

bool IsOldClientRetry(int32_t reconsume_times, std::string_view properties) {
  return reconsume_times > 0 && DelayLevel(properties).value_or(0) > 0;
}

std::optional<UndeliverableSend> FindUndeliverableSend(
    int32_t sys_flag, int32_t reconsume_times, std::string_view properties, std::string_view what,
    const store::MessageStoreConfig* store_config) {
  const std::optional<int64_t> delay = DelayLevel(properties);
  const std::optional<std::string_view> tran =
      FindProperty(properties, property::kTransactionPrepared);
  // An old client's retry (see the header): neither its TRAN_MSG nor its sysFlag makes it a
  // transaction; its DELAY is judged below.
  if (!IsOldClientRetry(reconsume_times, properties)) {
    if (tran && ParseJavaBoolean(*tran)) {
      return Transactional(what,
                           fmt::format("property {}={}", property::kTransactionPrepared, *tran));
    }
    const int32_t tx = sysflag::TransactionValue(sys_flag);
    if (tx == sysflag::kTransactionPreparedType) {
      return Transactional(what, "sysFlag transaction type PREPARED");
    }
    if (tx == sysflag::kTransactionRollbackType) {
      return Transactional(what, "sysFlag transaction type ROLLBACK");
    }
  }
  if (!delay) {
    return UndeliverableSend{
        ResponseCode::MESSAGE_ILLEGAL,
        fmt::format("{} has property {}={}, which is not a delay level{}", what,
                    property::kDelayTimeLevel, *FindProperty(properties, property::kDelayTimeLevel),
                    kNothingStored)};
  }
  if (*delay > 0) return std::nullopt;  // delivered by the schedule service; it wins over timers
  const store::MessageStoreConfig defaults;
  std::optional<store::timer::TimerRequest> timer = store::timer::ParseTimerRequest(
      properties, store_config != nullptr ? *store_config : defaults, NowMillis(), what);
  if (timer && !timer->error.empty()) {
    return UndeliverableSend{ResponseCode::MESSAGE_ILLEGAL,
                             fmt::format("{}{}", timer->error, kNothingStored)};
  }
  return std::nullopt;
}

}  // namespace holdfast::broker
