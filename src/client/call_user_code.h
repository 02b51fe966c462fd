// CallUserCode: the one boundary between the library's threads and code the user gave it (a
// SendCallback, a message listener). An exception thrown by user code must never unwind into the
// library: on an io or consume thread nothing above would catch it (std::terminate), and anywhere
// it would skip the bookkeeping after the call (an in-flight count, an offset, a retry).
#pragma once

#include <exception>
#include <string_view>
#include <utility>

namespace holdfast::client {

// Returns fn(). If fn throws, returns on_throw(what) instead, where `what` is the exception's
// what() (or a fixed text for one not derived from std::exception); on_throw is expected to log
// and to return the outcome that loses nothing (for a listener: consume the messages again).
template <typename Fn, typename OnThrow>
auto CallUserCode(Fn&& fn, OnThrow&& on_throw) {
  try {
    return std::forward<Fn>(fn)();
  } catch (const std::exception& e) {
    return std::forward<OnThrow>(on_throw)(std::string_view(e.what()));
  } catch (...) {
    return std::forward<OnThrow>(on_throw)(
        std::string_view("an exception not derived from std::exception"));
  }
}

}  // namespace holdfast::client
