// A new user's first minute: `holdfast standalone` on a new data directory with the default
// configuration (SYNC_FLUSH, 1 GiB commit-log segments) answers the producer's first sync send
// within the producer's default timeout, without preparing a whole segment first.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "holdfast/producer.h"
#include "tests/support/standalone_broker.h"
#include "tests/support/temp_dir.h"

namespace holdfast {
namespace {

// Bytes the file takes on disk (allocated blocks), 0 when it does not exist.
int64_t DiskBytes(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return static_cast<int64_t>(st.st_blocks) * 512;
}

TEST(FirstSendTest, NewStoreWithDefaultSegmentsAnswersTheFirstSyncSend) {
  testing::TempDir dir;
  testing::StandaloneBroker broker(HOLDFAST_PROGRAM, dir.Sub("data"));
  ASSERT_TRUE(broker.Start().ok());

  ProducerOptions o;  // the defaults a user starts with: 3 s sendMsgTimeout
  o.group = "first_send_producer";
  o.client.namesrv_addr = broker.namesrv_addr();
  Producer producer(o);
  ASSERT_TRUE(producer.Start().ok());
  MQMessage m;
  m.topic = "FirstSendTopic";
  m.body = "the first message on a new store";
  Result<SendResult> r = producer.Send(m);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->send_status, SendStatus::kSendOk);

  // The first segment is prepared ahead of the writer, not whole: a 1 GiB zero-fill before the
  // first answer took seconds, beyond the producer's timeout on a busy machine.
  const int64_t first_segment = DiskBytes(dir.Sub("data/commitlog/00000000000000000000"));
  EXPECT_GT(first_segment, 0);
  EXPECT_LT(first_segment, 256LL << 20) << "the whole 1 GiB segment was prepared up front";
  producer.Shutdown();
  EXPECT_EQ(broker.Stop(), 0);
}

}  // namespace
}  // namespace holdfast
