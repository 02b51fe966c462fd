// `holdfast demo`: the README's first look at a running broker. It sends `count` messages with
// the Producer's sync send, consumes them with a PushConsumer in a consumer group, and reports
// whether every message arrived (with its exact body) and how many came twice.
#pragma once

#include <chrono>
#include <ostream>
#include <string>

namespace holdfast::tools {

struct DemoOptions {
  std::string namesrv_addr = "127.0.0.1:9876";
  std::string topic = "HoldfastDemo";
  std::string group = "holdfast_demo_group";
  int count = 100;
  std::chrono::seconds timeout{60};
};

// 0 when every message sent was consumed; 1 otherwise, with what went wrong printed to `out`.
int RunDemo(const DemoOptions& options, std::ostream& out);

}  // namespace holdfast::tools
