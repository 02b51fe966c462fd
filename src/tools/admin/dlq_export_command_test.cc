#include "tools/admin/dlq_export_command.h"

#include <fstream>

#include "tools/admin/base64.h"
#include "tools/admin/dlq_test_fixture.h"

namespace holdfast::tools::admin {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class DlqExportCommandTest : public DlqFixture {};

// Every line of `text` parsed as JSON; the test fails on a line that does not parse.
std::vector<json> ParseLines(const std::string& text) {
  std::vector<json> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(j.is_discarded()) << "not JSON: " << line;
    out.push_back(std::move(j));
  }
  return out;
}

TEST_F(DlqExportCommandTest, WritesOneJsonLinePerDeadLetterWithEveryField) {
  const int64_t first_failure = NowMillis() - 10'000;
  constexpr char kBody[] = "binary \x00\xff body";
  const std::string body(kBody, sizeof(kBody) - 1);
  const StoredLetter full = PutDeadLetter("CG", {.msg_id = "AC11000100002A9F0000000000000011",
                                                 .original_topic = "Orders",
                                                 .body = body,
                                                 .reconsume_times = 16,
                                                 .first_failure = first_failure});
  const StoredLetter bare = PutDeadLetter(
      "CG", {.msg_id = "", .original_topic = "", .body = "b", .origin_message_id = ""});

  const std::string path = dir_.Sub("dlq.jsonl");
  const std::string said = Output([&](AdminContext& c, std::ostream& out) {
    return DlqExport(c, {.group = "CG", .file = path}, out);
  });
  EXPECT_EQ(said, "exported 2 dead letters of CG to " + path + "\n");
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::vector<json> lines = ParseLines(text);
  ASSERT_EQ(lines.size(), 2u) << text;

  const json& a = lines[0];
  EXPECT_EQ(a["broker"], "broker-a");
  EXPECT_EQ(a["brokerAddr"], BrokerAddr());
  EXPECT_EQ(a["queueId"], 0);
  EXPECT_EQ(a["queueOffset"], 0);
  EXPECT_EQ(a["dlqMsgId"], full.dlq_msg_id);
  EXPECT_EQ(a["msgId"], "AC11000100002A9F0000000000000011");
  EXPECT_EQ(a["originalTopic"], "Orders");
  EXPECT_EQ(a["originMessageId"], "7F00000100002A9F0000000000000042");
  EXPECT_EQ(a["reconsumeTimes"], 16);
  EXPECT_EQ(a["firstFailureTime"], first_failure);
  EXPECT_EQ(a["lastFailureTime"], full.store_timestamp);
  EXPECT_GT(a["bornTimestamp"].get<int64_t>(), 0);
  EXPECT_EQ(a["bornHost"], BrokerAddr());
  EXPECT_EQ(a["storeHost"], BrokerAddr());
  EXPECT_EQ(a["flag"], 5);
  EXPECT_EQ(a["sysFlag"], 0);
  EXPECT_EQ(a["tags"], "TagA");
  EXPECT_EQ(a["keys"], "order-7 customer-3");
  EXPECT_EQ(a["properties"]["shop"], "north");
  EXPECT_EQ(a["properties"]["RETRY_TOPIC"], "Orders");
  EXPECT_EQ(a["bodySize"], body.size());
  EXPECT_EQ(a["bodyBase64"], Base64Encode(body));
  EXPECT_EQ(a["bodyPreview"], "binary .. body");
  EXPECT_EQ(a["resends"], 0);

  // Unknown bookkeeping is null; every key is there all the same.
  const json& b = lines[1];
  EXPECT_EQ(b.size(), a.size());
  EXPECT_EQ(b["msgId"], bare.dlq_msg_id);
  EXPECT_TRUE(b["originalTopic"].is_null());
  EXPECT_TRUE(b["originMessageId"].is_null());
  EXPECT_TRUE(b["firstFailureTime"].is_null());
  EXPECT_EQ(b["queueOffset"], 1);

  // Without -f the lines go to standard output, and nothing else does.
  const std::string printed =
      Output([](AdminContext& c, std::ostream& out) { return DlqExport(c, {.group = "CG"}, out); });
  EXPECT_EQ(printed, text);
}

TEST_F(DlqExportCommandTest, AnUnwritableFileIsAnErrorNamingIt) {
  PutDeadLetter("CG", {.msg_id = "AC11000100002A9F0000000000000012", .original_topic = "T"});
  const std::string path = dir_.Sub("no/such/dir/out.jsonl");
  EXPECT_THAT(Failure([&](AdminContext& c, std::ostream& out) {
                return DlqExport(c, {.group = "CG", .file = path}, out);
              }).message(),
              HasSubstr(path));
}

}  // namespace
}  // namespace holdfast::tools::admin
