// holdfast_client_child: a consumer as its own process, for tests that kill -9 consumers.
//
//   holdfast_client_child consume --namesrv A --topic T --group G --instance I
//
// Starts a clustering PushConsumer from the first offset, prints "READY <clientId>", then one
// "RECV <key> <ok|BAD>" line per message from inside the listener (before it returns success, so
// a printed message may be redelivered after a crash but an unprinted one is never committed),
// with BAD when the body is not the exact bytes of test_messages.h. Stops on SIGTERM, commits its
// offsets in Shutdown and prints "DONE".
//
// With --hang-on KEY the listener prints the RECV line for KEY and then never returns: the
// process stands for a consumer that dies (kill -9) inside its listener.
#include <signal.h>

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <future>
#include <mutex>
#include <string>

#include "common/logging.h"
#include "holdfast/push_consumer.h"
#include "tests/integration/test_messages.h"

namespace {

int Consume(const std::string& namesrv, const std::string& topic, const std::string& group,
            const std::string& instance, const std::string& hang_on) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  holdfast::PushConsumerOptions options;
  options.group = group;
  options.client.namesrv_addr = namesrv;
  options.client.instance_name = instance;
  options.consume_from_where = holdfast::ConsumeFromWhere::kConsumeFromFirstOffset;
  holdfast::PushConsumer consumer(options);
  if (holdfast::Status s = consumer.Subscribe(topic, "*"); !s.ok()) {
    std::fprintf(stderr, "subscribe: %s\n", s.ToString().c_str());
    return 1;
  }
  std::mutex out;
  consumer.RegisterMessageListener([&](const std::vector<holdfast::MQMessageExt>& msgs) {
    std::lock_guard<std::mutex> lock(out);
    for (const holdfast::MQMessageExt& m : msgs) {
      const std::string key = m.keys.empty() ? std::string("?") : m.keys.front();
      std::optional<int64_t> i = holdfast::testing::MessageIndex(key);
      const bool ok = i && m.body == holdfast::testing::MessageBody(*i, m.body.size());
      std::printf("RECV %s %s\n", key.c_str(), ok ? "ok" : "BAD");
      std::fflush(stdout);
      if (!hang_on.empty() && key == hang_on) {
        std::promise<void> never;
        never.get_future().wait();
      }
    }
    return holdfast::ConsumeStatus::kConsumeSuccess;
  });
  if (holdfast::Status s = consumer.Start(); !s.ok()) {
    std::fprintf(stderr, "start: %s\n", s.ToString().c_str());
    return 1;
  }
  std::printf("READY %s\n", consumer.ClientId().c_str());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&signals, &sig);
  consumer.Shutdown();
  std::printf("DONE\n");
  std::fflush(stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // stdout carries the protocol lines above; logs go to stderr.
  holdfast::SetUpLogging("client_child");
  CLI::App app{"A Holdfast client in its own process, for integration tests"};
  app.require_subcommand(1);
  std::string namesrv, topic, group, instance = "child", hang_on;
  auto* consume = app.add_subcommand("consume", "Consume a topic in a group, printing each key");
  consume->add_option("--namesrv", namesrv)->required();
  consume->add_option("--topic", topic)->required();
  consume->add_option("--group", group)->required();
  consume->add_option("--instance", instance);
  consume->add_option("--hang-on", hang_on, "never return from the listener for this key");
  CLI11_PARSE(app, argc, argv);
  return Consume(namesrv, topic, group, instance, hang_on);
}
