#include "common/status.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace holdfast {

Status Status::FromErrno(int err, const std::string& what) {
  std::string msg = what + ": " + std::strerror(err);
  if (err == ENOSPC || err == EDQUOT) return NoSpace(std::move(msg));
  return IoError(std::move(msg));
}

std::string Status::ToString() const {
  const char* name = "Unknown";
  switch (code_) {
    case Code::kOk:
      return "OK";
    case Code::kNotFound:
      name = "NotFound";
      break;
    case Code::kCorruption:
      name = "Corruption";
      break;
    case Code::kInvalidArgument:
      name = "InvalidArgument";
      break;
    case Code::kIoError:
      name = "IoError";
      break;
    case Code::kNoSpace:
      name = "NoSpace";
      break;
    case Code::kTimeout:
      name = "Timeout";
      break;
    case Code::kUnavailable:
      name = "Unavailable";
      break;
    case Code::kAlreadyExists:
      name = "AlreadyExists";
      break;
  }
  return std::string(name) + ": " + message_;
}

namespace internal {

void AbortOnResultError(const Status& status) noexcept {
  // stderr and abort only: no logger, so this works in any process that links the client.
  std::fprintf(stderr, "Result::value() on an error: %s\n", status.ToString().c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace internal

}  // namespace holdfast
