// Real kill -9 of a store whose ScheduleMessageService is delivering delayed messages while new
// ones are put (schedule_crash_child, scheduled_workload.h), at random points, several rounds on
// one store; then a last, clean run delivers what is left, and the check: every acknowledged
// delayed message was delivered to its real topic (zero lost), none before its delay, each with
// the bytes it was sent with. Duplicates (a delivery the killed run made after delayOffset.json's
// last write) are allowed and counted.
//
// HOLDFAST_CRASH_ROUNDS (default 6) and HOLDFAST_CRASH_SEED replay a run.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <random>
#include <sstream>

#include "common/clock.h"
#include "common/message_codec.h"
#include "common/subprocess.h"
#include "store/message_store.h"
#include "store/schedule/schedule_message_service.h"
#include "tests/crash/scheduled_workload.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_until.h"

namespace holdfast::crash {
namespace {

using namespace std::chrono_literals;

int64_t EnvInt(const char* name, int64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::atoll(v) : fallback;
}

struct Ack {
  int64_t stored_at = 0;
};

// Every delivered message of the real topic, by (round, seq): how often, and one copy.
struct Delivered {
  std::map<std::pair<int64_t, int64_t>, int> count;
  std::map<std::pair<int64_t, int64_t>, MessageExt> first;
};

Delivered ReadDelivered(store::MessageStore& store) {
  Delivered d;
  for (int32_t q = 0; q < kCrashQueues; ++q) {
    for (int64_t offset = 0;;) {
      store::GetMessageResult r = store.GetMessage(kScheduledTopic, q, offset, 64, 1 << 20);
      if (r.status != store::GetMessageStatus::kFound) break;
      for (const std::string& record : r.messages) {
        auto view = DecodeStoredRecord(record, true);
        if (!view.ok()) continue;
        MessageExt m = view->ToMessageExt();
        auto keys = FindProperty(m.properties, property::kKeys);
        auto id = keys ? ParseKeys(*keys) : std::nullopt;
        if (!id) continue;
        const auto key = std::make_pair(id->round, id->seq);
        if (d.count[key]++ == 0) d.first.emplace(key, std::move(m));
      }
      offset = r.next_begin_offset;
    }
  }
  return d;
}

TEST(ScheduleCrashTest, EveryAcknowledgedDelayedMessageIsDeliveredAfterKills) {
  const int64_t rounds = EnvInt("HOLDFAST_CRASH_ROUNDS", 6);
  const uint64_t seed = static_cast<uint64_t>(
      EnvInt("HOLDFAST_CRASH_SEED", static_cast<int64_t>(std::random_device{}() >> 1)));
  std::printf("schedule crash test: seed %llu (HOLDFAST_CRASH_SEED to replay), %lld rounds\n",
              static_cast<unsigned long long>(seed), static_cast<long long>(rounds));
  std::mt19937_64 rng(seed);
  const std::string child_path = SelfExeDir() + "/schedule_crash_child";
  testing::TempDir dir;
  const std::string store_dir = dir.Sub("store");

  std::map<std::pair<int64_t, int64_t>, Ack> acked;
  for (int64_t round = 0; round < rounds; ++round) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed << " round " << round);
    const int64_t messages = 50 + static_cast<int64_t>(rng() % 400);
    // Kills land while this round's puts run, or while earlier rounds' messages fall due.
    const auto lifetime = std::chrono::milliseconds(200 + rng() % 2300);
    auto spawned =
        Subprocess::Spawn({child_path, store_dir, std::to_string(round), std::to_string(messages)});
    ASSERT_TRUE(spawned.ok()) << spawned.status().ToString();
    Subprocess& child = **spawned;
    std::optional<std::string> ready = child.ReadLine(30s);
    ASSERT_TRUE(ready && *ready == "READY") << ready.value_or("(no line)");
    auto take = [&](const std::string& line) {
      std::istringstream in(line);
      std::string tag;
      int64_t r = -1, seq = -1, stored_at = 0;
      in >> tag >> r >> seq >> stored_at;
      ASSERT_EQ(tag, "ACK") << line;
      acked[{r, seq}] = Ack{stored_at};
    };
    const auto deadline = SteadyClock::now() + lifetime;
    while (SteadyClock::now() < deadline) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - SteadyClock::now());
      std::optional<std::string> line = child.ReadLine(std::max(left, 1ms));
      if (!line) {
        ASSERT_FALSE(child.eof()) << "the child ended on its own";
        continue;
      }
      take(*line);
    }
    child.Kill(SIGKILL);
    ASSERT_EQ(child.Wait(), -SIGKILL);
    // What it wrote before it died was acknowledged.
    while (std::optional<std::string> line = child.ReadLine(1s)) take(*line);
  }

  // A last clean run delivers what the kills left waiting.
  auto opened = store::MessageStore::Open(ScheduledCrashStoreConfig(store_dir));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  std::unique_ptr<store::MessageStore> store = std::move(opened).value();
  store::schedule::ScheduleMessageService::Options options;
  options.poll_interval = 10ms;
  store::schedule::ScheduleMessageService service(store.get(), store::FileSystem::Default(),
                                                  options);
  ASSERT_TRUE(service.Start().ok());
  Delivered delivered;
  const bool all = testing::WaitUntil(
      [&] {
        delivered = ReadDelivered(*store);
        for (const auto& [key, ack] : acked) {
          if (!delivered.count.count(key)) return false;
        }
        return true;
      },
      60s);
  service.Shutdown();

  int64_t lost = 0;
  int64_t duplicates = 0;
  int64_t early = 0;
  for (const auto& [key, ack] : acked) {
    auto it = delivered.count.find(key);
    if (it == delivered.count.end()) {
      if (++lost <= 5) ADD_FAILURE() << "lost: round " << key.first << " seq " << key.second;
      continue;
    }
    duplicates += it->second - 1;
    const MessageId id{key.first, 0, key.second};
    const MessageExt& m = delivered.first.at(key);
    EXPECT_EQ(m.body, BodyFor(id)) << "round " << key.first << " seq " << key.second;
    if (m.store_timestamp < EarliestDelivery(id, ack.stored_at)) ++early;
  }
  std::printf("schedule crash test: %zu acknowledged, %lld lost, %lld duplicates, %lld early\n",
              acked.size(), static_cast<long long>(lost), static_cast<long long>(duplicates),
              static_cast<long long>(early));
  EXPECT_TRUE(all);
  EXPECT_EQ(lost, 0);
  EXPECT_EQ(early, 0);
  EXPECT_GT(acked.size(), 0u);
}

}  // namespace
}  // namespace holdfast::crash
