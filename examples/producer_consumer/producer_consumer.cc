// Sends a few messages with Holdfast's C++ client and reads them back with a pull consumer, using
// only the installed headers and library (find_package(holdfast), or pkg-config --static holdfast).
//
//   producer_consumer NAMESRV_ADDR [TOPIC] [COUNT]
//
// Exit status 0 when every message sent was read back with its exact body, 1 otherwise, 2 for a
// bad command line.
#include <holdfast/producer.h>
#include <holdfast/pull_consumer.h>

#include <chrono>
#include <iostream>
#include <map>
#include <string>

namespace {

using Clock = std::chrono::steady_clock;

int Fail(const std::string& what, const holdfast::Status& status) {
  std::cerr << "producer_consumer: " << what << ": " << status.ToString() << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  int count = 10;
  if (argc >= 4) {
    try {
      count = std::stoi(argv[3]);
    } catch (const std::exception&) {
      count = -1;
    }
  }
  if (argc < 2 || argc > 4 || count < 1) {
    std::cerr << "usage: producer_consumer NAMESRV_ADDR [TOPIC] [COUNT]\n";
    return 2;
  }
  const std::string namesrv = argv[1];
  const std::string topic = argc >= 3 ? argv[2] : "ExampleTopic";
  // Keeps this run's messages apart from those of earlier runs on the same topic.
  const std::string run = std::to_string(std::chrono::system_clock::now().time_since_epoch() /
                                         std::chrono::milliseconds(1));

  holdfast::ProducerOptions producer_options;
  producer_options.group = "example_producer";
  producer_options.client.namesrv_addr = namesrv;
  holdfast::Producer producer(producer_options);
  if (holdfast::Status s = producer.Start(); !s.ok()) return Fail("producer start", s);

  std::map<std::string, std::string> expected;  // key -> body, until read back
  for (int i = 0; i < count; ++i) {
    holdfast::MQMessage msg;
    msg.topic = topic;
    msg.keys = {"example-" + run + "-" + std::to_string(i)};
    msg.body = "hello #" + std::to_string(i) + " of run " + run;
    holdfast::Result<holdfast::SendResult> sent = producer.Send(msg);
    // An error does not mean "not stored": a send that timed out may still have been stored.
    if (!sent.ok()) return Fail("send #" + std::to_string(i), sent.status());
    std::cout << "sent #" << i << ": " << holdfast::SendStatusName(sent->send_status) << ", queue "
              << sent->message_queue.queue_id << " offset " << sent->queue_offset << "\n";
    expected[msg.keys.front()] = msg.body;
  }
  producer.Shutdown();

  holdfast::PullConsumerOptions consumer_options;
  consumer_options.group = "example_consumer_" + run;  // a new group starts at the first message
  consumer_options.client.namesrv_addr = namesrv;
  consumer_options.consume_from_where = holdfast::ConsumeFromWhere::kConsumeFromFirstOffset;
  holdfast::PullConsumer consumer(consumer_options);
  if (holdfast::Status s = consumer.Subscribe(topic, "*"); !s.ok()) return Fail("subscribe", s);
  if (holdfast::Status s = consumer.Start(); !s.ok()) return Fail("consumer start", s);

  int received = 0;
  int wrong_body = 0;
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (!expected.empty() && Clock::now() < deadline) {
    auto polled = consumer.Poll(std::chrono::milliseconds(500));
    if (!polled.ok()) {
      // Nothing arrived and a queue cannot be read right now; the consumer keeps retrying.
      std::cerr << "producer_consumer: poll: " << polled.status().ToString() << "\n";
      continue;
    }
    for (const holdfast::MQMessageExt& m : *polled) {
      if (m.keys.empty()) continue;
      auto it = expected.find(m.keys.front());
      if (it == expected.end()) continue;  // another run's message, or one seen before
      if (m.body == it->second) {
        ++received;
      } else {
        ++wrong_body;
      }
      expected.erase(it);
    }
  }
  consumer.Shutdown();

  std::cout << "producer_consumer: " << count << " sent, " << received
            << " read back with their bodies, " << wrong_body << " with a wrong body, "
            << expected.size() << " missing\n";
  return received == count ? 0 : 1;
}
