#include "broker/consumer_offset_flush_service.h"

#include <spdlog/spdlog.h>

namespace holdfast::broker {

ConsumerOffsetFlushService::ConsumerOffsetFlushService(ConsumerOffsetManager* offsets,
                                                       std::chrono::milliseconds interval)
    : ServiceThread("ConsumerOffsetFlushService"), offsets_(offsets), interval_(interval) {}

ConsumerOffsetFlushService::~ConsumerOffsetFlushService() { Shutdown(); }

void ConsumerOffsetFlushService::Run() {
  WaitForRunning(interval_);
  if (Stopped()) return;
  Flush();
}

void ConsumerOffsetFlushService::Flush() {
  // A failure leaves older offsets in the file: consumers that resume from it after a restart
  // get some messages again, never skip one. The next interval tries again.
  if (Status s = offsets_->Persist(); !s.ok()) {
    spdlog::error("persisting consumer offsets: {}", s.ToString());
  }
}

}  // namespace holdfast::broker
