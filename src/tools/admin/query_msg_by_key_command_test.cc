#include "tools/admin/query_msg_by_key_command.h"

#include "tests/support/wait_until.h"
#include "tools/admin/admin_test_fixture.h"

namespace holdfast::tools::admin {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class QueryMsgByKeyCommandTest : public AdminFixture {};

TEST_F(QueryMsgByKeyCommandTest, FindsMessagesWhoseKeysHoldTheKey) {
  CreateTopic("ByKey");
  // Rows show the producer's message id (UNIQ_KEY), as mqadmin's getMsgId().
  const std::string first = "C0A80001000000000000000000000001";
  const std::string other = "C0A80001000000000000000000000002";
  const std::string second = "C0A80001000000000000000000000003";
  SendWithKeys("ByKey", 0, "a", "order-1 order-9", "T", first);
  SendWithKeys("ByKey", 1, "b", "order-2", "T", other);
  SendWithKeys("ByKey", 3, "c", "order-1", "T", second);
  // The index is built behind the commit log (ReputMessageService): wait until it has both.
  std::string shown;
  ASSERT_TRUE(holdfast::testing::WaitUntil([&] {
    std::ostringstream out;
    Status s = QueryMsgByKey(*ctx_, {.topic = "ByKey", .key = "order-1"}, out);
    shown = out.str();
    return s.ok() && shown.find(first) != std::string::npos &&
           shown.find(second) != std::string::npos;
  })) << shown;
  EXPECT_THAT(shown, HasSubstr("#Message ID"));
  EXPECT_THAT(shown, Not(HasSubstr(other)));
  // Rows: id, queue id, queue offset.
  std::istringstream lines(shown);
  std::string line;
  std::getline(lines, line);
  int rows = 0;
  while (std::getline(lines, line)) {
    std::istringstream row(line);
    std::string id;
    int qid = -1;
    int64_t offset = -1;
    row >> id >> qid >> offset;
    EXPECT_EQ(qid, id == first ? 0 : 3);
    EXPECT_EQ(offset, 0);
    ++rows;
  }
  EXPECT_EQ(rows, 2);
}

TEST_F(QueryMsgByKeyCommandTest, UnknownTopicIsAnErrorAndNoMatchPrintsOnlyTheHeader) {
  EXPECT_THAT(Failure([](AdminContext& c, std::ostream& out) {
                return QueryMsgByKey(c, {.topic = "NoSuchTopic", .key = "k"}, out);
              }).message(),
              HasSubstr("topic NoSuchTopic does not exist"));
  CreateTopic("Empty");
  const std::string shown = Output([](AdminContext& c, std::ostream& out) {
    return QueryMsgByKey(c, {.topic = "Empty", .key = "nothing"}, out);
  });
  EXPECT_EQ(std::count(shown.begin(), shown.end(), '\n'), 1);
}

}  // namespace
}  // namespace holdfast::tools::admin
