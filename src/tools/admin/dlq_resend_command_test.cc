#include "tools/admin/dlq_resend_command.h"

#include <fmt/format.h>

#include "tools/admin/dlq_list_command.h"
#include "tools/admin/dlq_resend_log.h"
#include "tools/admin/dlq_test_fixture.h"
#include "tools/admin/query_msg_by_key_command.h"

namespace holdfast::tools::admin {
namespace {

using holdfast::testing::WaitUntil;
using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr std::chrono::seconds kDeliveryDeadline{30};

class DlqResendCommandTest : public DlqFixture {
 protected:
  std::string Resend(const DlqResendOptions& options) {
    return Output([&](AdminContext& c, std::ostream& out) { return DlqResend(c, options, out); });
  }
};

std::string Id(int i) { return fmt::format("AC11000100002A9F00000000000000{:02}", i); }

TEST_F(DlqResendCommandTest, OneASetAndAllGoToTheOriginalTopicEachOnceUnlessForced) {
  CreateTopic("Orders", 2);
  WaitRouted("Orders");
  std::vector<StoredLetter> stored;
  for (int i = 1; i <= 4; ++i) {
    stored.push_back(PutDeadLetter("CG", {.msg_id = Id(i),
                                          .original_topic = "Orders",
                                          .body = "body-" + std::to_string(i),
                                          .first_failure = NowMillis() - 1000}));
  }
  Received received;
  auto consumer = StartConsumer("Billing", "Orders", &received);

  // One.
  std::string said = Resend({.group = "CG", .msg_ids = {Id(1)}});
  EXPECT_THAT(said, HasSubstr("resent  " + Id(1) + " (dlqMsgId " + stored[0].dlq_msg_id +
                              " at broker-a) to Orders as "));
  EXPECT_THAT(said, HasSubstr("Resent: 1, skipped (already resent): 0, failed: 0, not found: 0"));
  ASSERT_TRUE(WaitUntil([&] { return received.WithId(Id(1)).size() == 1; }, kDeliveryDeadline));
  const MQMessageExt copy = received.WithId(Id(1)).front();
  EXPECT_EQ(copy.topic, "Orders");
  EXPECT_EQ(copy.body, "body-1");
  EXPECT_EQ(copy.flag, 5);
  EXPECT_EQ(copy.tags, "TagA");
  EXPECT_EQ(copy.keys, (std::vector<std::string>{"order-7", "customer-3"}));
  EXPECT_EQ(copy.reconsume_times, 0);
  EXPECT_EQ(copy.properties.at("shop"), "north");
  EXPECT_EQ(copy.properties.at(std::string(kResentFromProperty)), stored[0].dlq_msg_id);
  for (const char* gone : {"RETRY_TOPIC", "ORIGIN_MESSAGE_ID", "HOLDFAST_FIRST_FAILURE_TIME",
                           "RECONSUME_TIME", "MAX_RECONSUME_TIMES"}) {
    EXPECT_FALSE(copy.properties.contains(gone)) << gone;
  }

  // A set (comma-separated on the command line: see admin_cli_test).
  said = Resend({.group = "CG", .msg_ids = {Id(2), Id(3)}});
  EXPECT_THAT(said, HasSubstr("Resent: 2, skipped (already resent): 0"));
  ASSERT_TRUE(WaitUntil(
      [&] { return received.WithId(Id(2)).size() == 1 && received.WithId(Id(3)).size() == 1; },
      kDeliveryDeadline));

  // All: only the one not resent yet goes; the others are skipped and said so. Another operator
  // (a fresh context) sees the same records.
  AdminContext other(NamesrvAddr());
  std::ostringstream out;
  ASSERT_TRUE(DlqResend(other, {.group = "CG", .all = true}, out).ok()) << out.str();
  said = out.str();
  for (int i = 1; i <= 3; ++i) {
    EXPECT_THAT(said, HasSubstr("skipped " + Id(i) + " (dlqMsgId " + stored[i - 1].dlq_msg_id +
                                " at broker-a): already resent to Orders at "));
  }
  EXPECT_THAT(said, HasSubstr("resent  " + Id(4)));
  EXPECT_THAT(said, HasSubstr("Resent: 1, skipped (already resent): 3, failed: 0"));
  ASSERT_TRUE(WaitUntil([&] { return received.WithId(Id(4)).size() == 1; }, kDeliveryDeadline));

  // Again: nothing is sent.
  said = Resend({.group = "CG", .all = true});
  EXPECT_THAT(said, HasSubstr("Resent: 0, skipped (already resent): 4, failed: 0"));
  EXPECT_EQ(StoredCount("Orders"), 4);

  // --force resends one again, and records that too.
  said = Resend({.group = "CG", .msg_ids = {Id(1)}, .force = true});
  EXPECT_THAT(said, HasSubstr("Resent: 1, skipped (already resent): 0"));
  EXPECT_EQ(StoredCount("Orders"), 5);
  ASSERT_TRUE(WaitUntil([&] { return received.WithId(Id(1)).size() == 2; }, kDeliveryDeadline));

  // The dead letters stay; the list counts the resends.
  EXPECT_EQ(StoredCount(DlqTopic("CG")), 4);
  const std::string listed =
      Output([](AdminContext& c, std::ostream& out) { return DlqList(c, {.group = "CG"}, out); });
  EXPECT_THAT(listed, HasSubstr("DLQ depth: 4 (4 of them resent"));
  Result<std::vector<ListedDeadLetter>> letters = ListDeadLetters(*ctx_, "CG");
  ASSERT_TRUE(letters.ok()) << letters.status().ToString();
  ASSERT_EQ(letters->size(), 4u);
  EXPECT_EQ((*letters)[0].resends, 2);
  for (int i = 1; i < 4; ++i) EXPECT_EQ((*letters)[i].resends, 1);

  // Every operator finds the records by msgId in the log topic.
  Result<std::vector<ResendRecord>> log = ReadResendLog(*ctx_, BrokerAddr(), "CG");
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 5u);
  EXPECT_EQ(log->back().msg_id, Id(1));
  EXPECT_EQ(log->back().dlq_msg_id, stored[0].dlq_msg_id);
  EXPECT_EQ(log->back().target_topic, "Orders");
  EXPECT_EQ(log->back().target_broker, "broker-a");
  EXPECT_TRUE(log->back().forced);
  EXPECT_FALSE(log->front().forced);
  std::string found;
  ASSERT_TRUE(WaitUntil([&] {
    std::ostringstream o;
    found.clear();
    if (!QueryMsgByKey(*ctx_, {.topic = std::string(kResendLogTopic), .key = Id(4)}, o).ok()) {
      return false;
    }
    found = o.str();
    return found.find('\n') != found.rfind('\n');  // a row below the header
  })) << found;
}

TEST_F(DlqResendCommandTest, ToRetryGoesToTheGroupsRetryTopicOnly) {
  CreateTopic("Orders", 1);
  CreateTopic(RetryTopic("CG"), 1);
  WaitRouted("Orders");
  WaitRouted(RetryTopic("CG"));
  const StoredLetter known = PutDeadLetter("CG", {.msg_id = Id(1), .original_topic = "Orders"});
  PutDeadLetter("CG", {.msg_id = Id(2), .original_topic = ""});
  Received received;
  auto consumer = StartConsumer("CG", "Orders", &received);

  // Without RETRY_TOPIC there is no original topic to go to.
  std::ostringstream out;
  Status s = DlqResend(*ctx_, {.group = "CG", .msg_ids = {Id(2)}}, out);
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("1 of the selected dead letters were not resent"));
  EXPECT_THAT(out.str(), AllOf(HasSubstr("failed  " + Id(2)),
                               HasSubstr("original topic is unknown (no RETRY_TOPIC property); "
                                         "resend it with --to-retry")));

  const int64_t resent_at = NowMillis();
  const std::string said = Resend({.group = "CG", .msg_ids = {Id(1), Id(2)}, .to_retry = true});
  EXPECT_THAT(said, HasSubstr("resent  " + Id(1) + " (dlqMsgId " + known.dlq_msg_id +
                              " at broker-a) to %RETRY%CG as "));
  EXPECT_THAT(said, HasSubstr("Resent: 2, skipped (already resent): 0, failed: 0"));
  EXPECT_EQ(StoredCount(RetryTopic("CG")), 2);
  EXPECT_EQ(StoredCount("Orders"), 0);

  // The group's consumer gets them as retries: under the original topic when it is known.
  ASSERT_TRUE(WaitUntil(
      [&] { return received.WithId(Id(1)).size() == 1 && received.WithId(Id(2)).size() == 1; },
      kDeliveryDeadline));
  const MQMessageExt retried = received.WithId(Id(1)).front();
  EXPECT_EQ(retried.topic, "Orders");
  EXPECT_EQ(retried.reconsume_times, 0);
  EXPECT_EQ(retried.properties.at("RETRY_TOPIC"), "Orders");
  EXPECT_EQ(retried.properties.at("ORIGIN_MESSAGE_ID"), "7F00000100002A9F0000000000000042");
  // The letter's old first-failure time is dropped; the broker notes the resend's own.
  ASSERT_TRUE(retried.properties.contains("HOLDFAST_FIRST_FAILURE_TIME"));
  EXPECT_GE(std::stoll(retried.properties.at("HOLDFAST_FIRST_FAILURE_TIME")), resent_at);
  EXPECT_EQ(received.WithId(Id(2)).front().topic, RetryTopic("CG"));

  // Recorded like any resend: not resent again, also not to the original topic.
  EXPECT_THAT(Resend({.group = "CG", .msg_ids = {Id(1)}}),
              HasSubstr("already resent to %RETRY%CG at "));
}

TEST_F(DlqResendCommandTest, BadSelectionsAreErrors) {
  EXPECT_THAT(Failure([](AdminContext& c, std::ostream& out) {
                return DlqResend(c, {.group = "CG"}, out);
              }).message(),
              HasSubstr("either -i msgId[,msgId...]"));
  EXPECT_EQ(Failure([](AdminContext& c, std::ostream& out) {
              return DlqResend(c, {.group = "CG", .msg_ids = {Id(1)}, .all = true}, out);
            }).code(),
            Status::Code::kInvalidArgument);
  EXPECT_THAT(Failure([](AdminContext& c, std::ostream& out) {
                return DlqResend(c, {.group = "NoDeadLetters", .all = true}, out);
              }).message(),
              HasSubstr("no broker has a dead-letter queue for group NoDeadLetters"));

  CreateTopic("Orders", 1);
  PutDeadLetter("CG", {.msg_id = Id(1), .original_topic = "Orders"});
  std::ostringstream out;
  Status s = DlqResend(*ctx_, {.group = "CG", .msg_ids = {"NOSUCHID"}}, out);
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(out.str(), AllOf(HasSubstr("not found NOSUCHID: no dead letter of CG has this msgId"),
                               HasSubstr("Resent: 0, skipped (already resent): 0, failed: 0, "
                                         "not found: 1")));
  EXPECT_EQ(StoredCount("Orders"), 0);
}

TEST(ResentPropertiesTest, DropTheBookkeepingAndKeepTheMessage) {
  DeadLetter letter;
  letter.record.store_host = HostAddress::Ipv4(10, 0, 0, 1, 10911);
  letter.record.commit_log_offset = 4096;
  letter.record.properties = EncodeProperties({{"UNIQ_KEY", "ID1"},
                                               {"TAGS", "TagA"},
                                               {"KEYS", "k1 k2"},
                                               {"user", "value"},
                                               {"RETRY_TOPIC", "Orders"},
                                               {"ORIGIN_MESSAGE_ID", "OMID"},
                                               {"DELAY", "3"},
                                               {"REAL_TOPIC", "%RETRY%CG"},
                                               {"REAL_QID", "0"},
                                               {"TIMER_DELIVER_MS", "1"},
                                               {"__STARTDELIVERTIME", "1"},
                                               {"RECONSUME_TIME", "16"},
                                               {"MAX_RECONSUME_TIMES", "16"},
                                               {"HOLDFAST_FIRST_FAILURE_TIME", "123"},
                                               {"TRAN_MSG", "true"},
                                               {"WAIT", "false"},
                                               {"CLUSTER", "DefaultCluster"},
                                               {"HOLDFAST_DLQ_RESENT_FROM", "OLD"}});
  const PropertyMap kept = {{"UNIQ_KEY", "ID1"},
                            {"TAGS", "TagA"},
                            {"KEYS", "k1 k2"},
                            {"user", "value"},
                            {"HOLDFAST_DLQ_RESENT_FROM", letter.DlqMsgId()}};
  EXPECT_EQ(ResentProperties(letter, /*to_retry=*/false), kept);
  PropertyMap retry = kept;
  retry["RETRY_TOPIC"] = "Orders";
  retry["ORIGIN_MESSAGE_ID"] = "OMID";
  EXPECT_EQ(ResentProperties(letter, /*to_retry=*/true), retry);
}

}  // namespace
}  // namespace holdfast::tools::admin
