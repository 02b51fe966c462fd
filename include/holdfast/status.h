// Status and Result<T>: errors as values across every subsystem boundary.
//
// A Status is either ok() or carries a code and a message naming what was wrong (the file, offset,
// key or peer). Result<T> holds a T or a non-ok Status. Both are cheap to move, and no member
// throws: reading the value of a Result that holds an error (value(), *, ->) is a programming
// error that prints the error and aborts the process, in every build. Check ok() first.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace holdfast {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kNotFound,
    kCorruption,
    kInvalidArgument,
    kIoError,
    kNoSpace,
    kTimeout,
    kUnavailable,
    kAlreadyExists,
  };

  Status() = default;

  static Status Ok() { return Status(); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status InvalidArgument(std::string msg) {
    return Status(Code::kInvalidArgument, std::move(msg));
  }
  static Status IoError(std::string msg) { return Status(Code::kIoError, std::move(msg)); }
  static Status NoSpace(std::string msg) { return Status(Code::kNoSpace, std::move(msg)); }
  static Status Timeout(std::string msg) { return Status(Code::kTimeout, std::move(msg)); }
  static Status Unavailable(std::string msg) { return Status(Code::kUnavailable, std::move(msg)); }
  static Status AlreadyExists(std::string msg) {
    return Status(Code::kAlreadyExists, std::move(msg));
  }
  // An I/O error from errno: ENOSPC and EDQUOT become kNoSpace, anything else kIoError.
  static Status FromErrno(int err, const std::string& what);

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsCorruption() const { return code_ == Code::kCorruption; }
  bool IsNoSpace() const { return code_ == Code::kNoSpace; }

  // "OK", or "<Code name>: <message>".
  std::string ToString() const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}

  Code code_ = Code::kOk;
  std::string message_;
};

namespace internal {
// Prints "Result::value() on an error: <status>" to stderr and aborts.
[[noreturn]] void AbortOnResultError(const Status& status) noexcept;
}  // namespace internal

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  // `status` must not be ok (checked by assert in debug builds).
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get_if<Status>(&v_)->ok() && "a Result built from a Status must carry an error");
  }

  bool ok() const noexcept { return std::holds_alternative<T>(v_); }
  // The error; Status::Ok() when a value is held.
  Status status() const { return ok() ? Status::Ok() : *std::get_if<Status>(&v_); }

  // The value. Only when ok(): on an error these abort (see the top of this file).
  T& value() & noexcept { return *Checked(); }
  const T& value() const& noexcept { return *Checked(); }
  T&& value() && noexcept { return std::move(*Checked()); }
  T* operator->() noexcept { return Checked(); }
  const T* operator->() const noexcept { return Checked(); }
  T& operator*() & noexcept { return *Checked(); }
  const T& operator*() const& noexcept { return *Checked(); }

 private:
  T* Checked() noexcept {
    if (T* v = std::get_if<T>(&v_)) return v;
    internal::AbortOnResultError(*std::get_if<Status>(&v_));
  }
  const T* Checked() const noexcept {
    if (const T* v = std::get_if<T>(&v_)) return v;
    internal::AbortOnResultError(*std::get_if<Status>(&v_));
  }

  std::variant<T, Status> v_;
};

}  // namespace holdfast

// Returns early from the enclosing function when `expr` yields a non-ok Status.
#define HOLDFAST_RETURN_IF_ERROR(expr)       \
  do {                                       \
    ::holdfast::Status _hf_status = (expr);  \
    if (!_hf_status.ok()) return _hf_status; \
  } while (0)
