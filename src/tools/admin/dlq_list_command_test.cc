#include "tools/admin/dlq_list_command.h"

#include "tools/admin/admin_format.h"
#include "tools/admin/dlq_test_fixture.h"

namespace holdfast::tools::admin {
namespace {

using ::testing::HasSubstr;

class DlqListCommandTest : public DlqFixture {};

// The row of `line` split on runs of two or more spaces (single spaces occur inside the times).
std::vector<std::string> Columns(const std::string& line) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < line.size()) {
    size_t gap = line.find("  ", pos);
    out.push_back(line.substr(pos, gap - pos));
    if (gap == std::string::npos) break;
    pos = line.find_first_not_of(' ', gap);
  }
  return out;
}

TEST_F(DlqListCommandTest, ShowsEveryFieldAndUnknownForMissingBookkeeping) {
  const int64_t first_failure = NowMillis() - 3'600'000;
  const StoredLetter full = PutDeadLetter("CG", {.msg_id = "AC11000100002A9F0000000000000001",
                                                 .original_topic = "Orders",
                                                 .body = "order 42 could not be billed",
                                                 .reconsume_times = 16,
                                                 .first_failure = first_failure});
  const StoredLetter bare = PutDeadLetter("CG", {.msg_id = "",
                                                 .original_topic = "",
                                                 .body = std::string("\x01\x02xyz\xff", 6),
                                                 .reconsume_times = 3,
                                                 .first_failure = std::nullopt,
                                                 .origin_message_id = ""});
  const std::string shown =
      Output([](AdminContext& c, std::ostream& out) { return DlqList(c, {.group = "CG"}, out); });
  std::istringstream lines(shown);
  std::string header, row1, row2;
  std::getline(lines, header);
  std::getline(lines, row1);
  std::getline(lines, row2);
  EXPECT_EQ(Columns(header),
            (std::vector<std::string>{"#Broker Name", "#Offset", "#Message ID", "#Original Topic",
                                      "#Reconsume", "#First Failure", "#Last Failure", "#Resends",
                                      "#Body"}));
  EXPECT_EQ(Columns(row1),
            (std::vector<std::string>{"broker-a", "0", "AC11000100002A9F0000000000000001", "Orders",
                                      "16", TimeMillisToHumanString(first_failure),
                                      TimeMillisToHumanString(full.store_timestamp), "0",
                                      "order 42 could not be billed"}));
  // No UNIQ_KEY: the msgId is the record's own id; absent bookkeeping is "unknown"; bytes outside
  // printable ASCII show as dots.
  EXPECT_EQ(Columns(row2), (std::vector<std::string>{
                               "broker-a", "1", bare.dlq_msg_id, "unknown", "3", "unknown",
                               TimeMillisToHumanString(bare.store_timestamp), "0", "..xyz."}));
  EXPECT_THAT(shown, HasSubstr("\nDLQ depth: 2 (0 of them resent"));
}

TEST_F(DlqListCommandTest, ALongBodyIsCutAndAGroupWithoutDeadLettersShowsDepthZero) {
  PutDeadLetter("Long", {.msg_id = "AC11000100002A9F0000000000000002",
                         .original_topic = "T",
                         .body = std::string(100, 'b')});
  const std::string shown =
      Output([](AdminContext& c, std::ostream& out) { return DlqList(c, {.group = "Long"}, out); });
  EXPECT_THAT(shown, HasSubstr(std::string(32, 'b') + "...\n"));
  EXPECT_THAT(shown, ::testing::Not(HasSubstr(std::string(33, 'b'))));

  const std::string none = Output(
      [](AdminContext& c, std::ostream& out) { return DlqList(c, {.group = "Healthy"}, out); });
  EXPECT_THAT(none, HasSubstr("#Message ID"));
  EXPECT_THAT(none, HasSubstr("DLQ depth: 0 ("));
}

TEST_F(DlqListCommandTest, BadGroupNamesAreAnError) {
  EXPECT_EQ(Failure([](AdminContext& c, std::ostream& out) { return DlqList(c, {}, out); }).code(),
            Status::Code::kInvalidArgument);
  EXPECT_THAT(Failure([](AdminContext& c, std::ostream& out) {
                return DlqList(c, {.group = "bad group!"}, out);
              }).message(),
              HasSubstr("bad group!"));
}

}  // namespace
}  // namespace holdfast::tools::admin
