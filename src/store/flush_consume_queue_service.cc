#include "store/flush_consume_queue_service.h"

#include <spdlog/spdlog.h>

namespace holdfast::store {

void FlushConsumeQueueService::Run() {
  WaitForRunning(interval_);
  if (Stopped()) return;
  // Consume-queue and index flush failures are sticky, so the same error comes back every round.
  errors_.Note(round_());
}

void FlushConsumeQueueService::OnShutdown() {
  if (Status s = round_(); !s.ok()) {
    spdlog::error("consume queue flush at shutdown failed: {}", s.ToString());
  }
}

}  // namespace holdfast::store
