// A fixture for admin command tests: the broker fixture's in-process NamesrvController and
// BrokerController ("broker-a" in "DefaultCluster") on free loopback ports, plus an AdminContext
// on that name server, and helpers that run a command into a string. Test-only.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <sstream>
#include <string>

#include "broker/broker_test_fixture.h"
#include "common/message.h"
#include "tests/support/wait_until.h"
#include "tools/admin/admin_context.h"
#include "tools/admin/update_topic_command.h"

namespace holdfast::tools::admin {

class AdminFixture : public broker::BrokerFixture {
 protected:
  void SetUp() override {
    BrokerFixture::SetUp();
    ctx_ = std::make_unique<AdminContext>(NamesrvAddr());
  }

  void TearDown() override {
    ctx_.reset();
    BrokerFixture::TearDown();
  }

  // What `command` printed; the test fails unless it succeeded.
  std::string Output(const std::function<Status(AdminContext&, std::ostream&)>& command) {
    std::ostringstream out;
    Status s = command(*ctx_, out);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out.str();
  }

  // The command's error; the test fails if it succeeded.
  Status Failure(const std::function<Status(AdminContext&, std::ostream&)>& command) {
    std::ostringstream out;
    Status s = command(*ctx_, out);
    EXPECT_FALSE(s.ok()) << "unexpected success, printed:\n" << out.str();
    return s;
  }

  // updateTopic -c DefaultCluster -t topic -r queues -w queues.
  void CreateTopic(const std::string& topic, int32_t queues = 4) {
    UpdateTopicOptions o;
    o.topic = topic;
    o.cluster = "DefaultCluster";
    o.read_queue_nums = queues;
    o.write_queue_nums = queues;
    Output([&](AdminContext& c, std::ostream& out) { return UpdateTopic(c, o, out); });
  }

  // Sends one message with KEYS, TAGS and (unless empty) a UNIQ_KEY as a producer sets it, over
  // SEND_MESSAGE_V2; returns its offsetMsgId.
  std::string SendWithKeys(const std::string& topic, int32_t queue_id, const std::string& body,
                           const std::string& keys, const std::string& tags,
                           const std::string& uniq_key = "") {
    PropertyMap props_map = {{"KEYS", keys}, {"TAGS", tags}};
    if (!uniq_key.empty()) props_map["UNIQ_KEY"] = uniq_key;
    const std::string props = EncodeProperties(props_map);
    remoting::RemotingCommand r =
        Invoke(holdfast::testing::SendMessageV2Request(topic, queue_id, body, props), BrokerAddr());
    EXPECT_EQ(r.code, remoting::ResponseCode::SUCCESS) << r.remark.value_or("");
    const std::string* id = r.FindExtField("msgId");
    return id == nullptr ? "" : *id;
  }

  // Waits until the consume queue of (topic, queue_id) holds `count` messages: the broker
  // dispatches them behind the commit log (ReputMessageService).
  bool WaitDispatched(const std::string& topic, int32_t queue_id, int64_t count) {
    return holdfast::testing::WaitUntil(
        [&] { return broker_->message_store().GetMaxOffsetInQueue(topic, queue_id) >= count; });
  }

  std::unique_ptr<AdminContext> ctx_;
};

}  // namespace holdfast::tools::admin
