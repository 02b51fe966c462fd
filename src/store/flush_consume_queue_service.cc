#include "store/flush_consume_queue_service.h"

#include <spdlog/spdlog.h>

namespace holdfast::store {

void FlushConsumeQueueService::Run() {
  WaitForRunning(interval_);
  if (Stopped()) return;
  if (Status s = round_(); !s.ok()) spdlog::error("consume queue flush failed: {}", s.ToString());
}

void FlushConsumeQueueService::OnShutdown() {
  if (Status s = round_(); !s.ok()) {
    spdlog::error("consume queue flush at shutdown failed: {}", s.ToString());
  }
}

}  // namespace holdfast::store
