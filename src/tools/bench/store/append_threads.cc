#include "tools/bench/store/append_threads.h"

#include <pthread.h>

#include <thread>
#include <utility>

#include <fmt/format.h>

#include "tools/bench/store/message_maker.h"

namespace holdfast::tools::store_bench {

using store::MessageStore;
using store::PutMessageStatus;

void AppenderStats::Add(PutMessageStatus status, bool measured, std::chrono::nanoseconds latency,
                        std::string* error) {
  if (status == PutMessageStatus::kPutOk) {
    if (measured) {
      this->latency.Record(latency);
      ++put_ok;
    }
    return;
  }
  if (other.empty()) first_error = std::move(*error);
  ++other[status];
  // A store that refuses everything would spin; the report shows the counts.
  if (status == PutMessageStatus::kServiceNotAvailable) std::this_thread::yield();
}

void Appender(MessageStore* store, const StoreBenchmarkOptions& o, int id,
              const std::atomic<int>* phase, AppenderStats* stats) {
  pthread_setname_np(pthread_self(), kAppenderThread);
  MessageMaker maker(o, id);
  while (true) {
    int before = phase->load(std::memory_order_acquire);
    if (before == kStop) break;
    MessageExt m = maker.Next();
    auto t0 = SteadyClock::now();
    store::PutMessageResult r = store->PutMessage(std::move(m));
    auto t1 = SteadyClock::now();
    bool measured = phase->load(std::memory_order_acquire) == kMeasure;
    stats->Add(r.status, measured, t1 - t0, &r.error);
  }
}

void Submitter::Complete(int slot, store::PutMessageResult r) {
  Slot& s = slots[static_cast<size_t>(slot)];
  s.completed = SteadyClock::now();
  s.measured = phase->load(std::memory_order_acquire) == kMeasure;
  s.status = r.status;
  if (!r.ok()) s.error = std::move(r.error);
  bool wake = false;
  {
    std::lock_guard lock(mu);
    finished.push_back(slot);
    wake = waiting;
    waiting = false;
  }
  if (wake) cv.notify_one();
}

void Submitter::Interrupt() {
  {
    std::lock_guard lock(mu);
    waiting = false;
  }
  cv.notify_one();
}

void RunSubmitter(MessageStore* store, const StoreBenchmarkOptions& o, int id, Submitter* sub,
                  std::chrono::nanoseconds drain_timeout) {
  pthread_setname_np(pthread_self(), kSubmitterThread);
  MessageMaker maker(o, id);
  std::vector<int> free_slots(sub->slots.size());
  for (size_t i = 0; i < free_slots.size(); ++i) free_slots[i] = static_cast<int>(i);
  std::vector<int> taken;
  taken.reserve(sub->slots.size());
  size_t in_flight = 0;
  auto take = [&] {
    for (int slot : taken) {
      Submitter::Slot& s = sub->slots[static_cast<size_t>(slot)];
      sub->stats.Add(s.status, s.measured, s.completed - s.submitted, &s.error);
      s.error.clear();
      free_slots.push_back(slot);
    }
    in_flight -= taken.size();
    taken.clear();
  };

  while (sub->phase->load(std::memory_order_acquire) != kStop) {
    for (int slot : free_slots) {
      MessageExt m = maker.Next();
      sub->slots[static_cast<size_t>(slot)].submitted = SteadyClock::now();
      ++in_flight;
      // Under ASYNC_FLUSH and for failures the completion runs right here, on this thread.
      store->PutMessageAsync(std::move(m), [sub, slot](store::PutMessageResult r) {
        sub->Complete(slot, std::move(r));
      });
    }
    free_slots.clear();
    {
      std::unique_lock lock(sub->mu);
      while (sub->finished.empty() && sub->phase->load(std::memory_order_acquire) != kStop) {
        sub->waiting = true;
        sub->cv.wait(lock);
      }
      sub->waiting = false;
      taken.swap(sub->finished);
    }
    take();
  }

  const auto deadline = SteadyClock::now() + drain_timeout;
  while (in_flight > 0) {
    {
      std::unique_lock lock(sub->mu);
      while (sub->finished.empty()) {
        sub->waiting = true;
        if (sub->cv.wait_until(lock, deadline) == std::cv_status::timeout &&
            sub->finished.empty()) {
          sub->waiting = false;
          sub->failure = fmt::format(
              "{} PutMessageAsync call{} of submitter {} still without a completion {:.0f} s "
              "after the appends stopped",
              in_flight, in_flight == 1 ? "" : "s", id,
              std::chrono::duration<double>(drain_timeout).count());
          return;
        }
      }
      sub->waiting = false;
      taken.swap(sub->finished);
    }
    take();
  }
}

}  // namespace holdfast::tools::store_bench
