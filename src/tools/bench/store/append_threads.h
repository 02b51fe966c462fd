// The threads that append in the store benchmark's cases (see append_case.h), and what each
// counts. Both models share one phase, switched by the case's main thread: kWarmup, then kMeasure
// for the measured window, then kStop; a put counts when it completes in kMeasure.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.h"
#include "store/message_store.h"
#include "store/put_message_result.h"
#include "tools/bench/store/store_benchmark_options.h"
#include "tools/latency_recorder.h"

namespace holdfast::tools::store_bench {

// The benchmark's own threads, by name (the store's name themselves: see ServiceThread).
inline constexpr char kAppenderThread[] = "Appender";
inline constexpr char kSubmitterThread[] = "Submitter";

enum Phase : int { kWarmup = 0, kMeasure = 1, kStop = 2 };

// One thread's results. Thread-compatible: owned by one appending thread while it runs.
struct AppenderStats {
  LatencyRecorder latency;
  uint64_t put_ok = 0;
  std::map<store::PutMessageStatus, uint64_t> other;
  std::string first_error;

  // Counts one result; `measured` when it completed in the measure phase.
  void Add(store::PutMessageStatus status, bool measured, std::chrono::nanoseconds latency,
           std::string* error);
};

// The blocking model's thread `id`: PutMessage in a loop until the phase is kStop, each call timed.
void Appender(store::MessageStore* store, const StoreBenchmarkOptions& o, int id,
              const std::atomic<int>* phase, AppenderStats* stats);

// One submitting thread of the in-flight model, and the hand-over from the store's completions
// back to it. The submitter owns a fixed set of slots, one per append it keeps in flight. It fills
// a slot's `submitted` and calls PutMessageAsync; the completion (on whatever thread the store runs
// it) fills the rest of the slot and pushes the slot's index onto `finished` under `mu`, which
// hands the slot back. The completion wakes the submitter only when it sleeps on `cv`, and clears
// `waiting` as it does, so that the completions of one group commit cost one wake-up, not one
// each. The submitter takes all finished slots at once, counts them and issues the next messages,
// encoded on its own thread.
//
// Must outlive the store: a completion may still arrive during the store's Shutdown.
struct Submitter {
  struct Slot {
    // Written by the submitter before PutMessageAsync.
    SteadyClock::time_point submitted;
    // Written by the completion, read by the submitter after taking the slot from `finished`.
    SteadyClock::time_point completed;
    bool measured = false;  // completed in the measure phase
    store::PutMessageStatus status = store::PutMessageStatus::kPutOk;
    std::string error;
  };

  Submitter(const std::atomic<int>* phase, int slots) : phase(phase), slots(slots) {}

  // The store's completion for slot `slot`: short, no call into the store.
  void Complete(int slot, store::PutMessageResult r);
  // Wakes the submitter if it sleeps; the caller has just set the phase to kStop.
  void Interrupt();

  // Constant after construction.
  const std::atomic<int>* const phase;
  std::vector<Slot> slots;  // each slot: see Slot

  std::mutex mu;
  std::condition_variable cv;
  std::vector<int> finished;  // guarded by mu
  bool waiting = false;       // guarded by mu: the submitter sleeps on cv

  // The submitter thread's own.
  AppenderStats stats;
  std::string failure;  // set when in-flight appends never completed
};

// The submitter thread: keeps its slots in flight until the phase is kStop, then waits for the
// outstanding completions (up to `drain_timeout`; a store that never answers is reported, not
// waited for forever).
void RunSubmitter(store::MessageStore* store, const StoreBenchmarkOptions& o, int id,
                  Submitter* sub, std::chrono::nanoseconds drain_timeout);

}  // namespace holdfast::tools::store_bench
