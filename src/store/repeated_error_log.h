// Logs the failures of a background job that retries every round without flooding the log: an
// error is logged when it differs from the last one logged (a sticky error comes back unchanged on
// every round), and the first success after failures is logged once.
//
// Thread safety: none; one per job, used by the job's thread (or by its owner before the thread
// starts and after it stopped).
#pragma once

#include <string>

#include "common/status.h"

namespace holdfast::store {

class RepeatedErrorLog {
 public:
  // `what` names the job in each line, e.g. "consume queue flush".
  explicit RepeatedErrorLog(std::string what) : what_(std::move(what)) {}

  // Logs s (error level) unless it is the error logged last; logs the recovery on the first ok
  // after an error.
  void Note(const Status& s);

 private:
  const std::string what_;
  std::string last_;  // the error logged last; empty when the last round succeeded
};

}  // namespace holdfast::store
