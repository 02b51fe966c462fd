// CallbackGuard: lets an asynchronous callback (a pull answer on the client's io thread) reach the
// consumer that issued it only while that consumer is attached. A callback holds the guard through
// a shared_ptr, so the guard outlives the consumer; Detach() waits for a callback running inside
// Run() to return, so none touches the consumer after Detach() returned.
//
// Thread-safe. Run() must not call Attach() or Detach() (the lock is not recursive).
#pragma once

#include <mutex>

namespace holdfast::client {

template <typename Owner>
class CallbackGuard {
 public:
  void Attach(Owner* owner) {
    std::lock_guard lock(mu_);
    owner_ = owner;
  }

  void Detach() {
    std::lock_guard lock(mu_);
    owner_ = nullptr;
  }

  // Calls fn(owner) under the guard's lock; does nothing once detached.
  template <typename Fn>
  void Run(Fn&& fn) {
    std::lock_guard lock(mu_);
    if (owner_ != nullptr) fn(*owner_);
  }

 private:
  std::mutex mu_;
  Owner* owner_ = nullptr;  // guarded by mu_
};

}  // namespace holdfast::client
