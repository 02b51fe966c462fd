// A test fixture for broker request tests over real TCP on 127.0.0.1: a real NamesrvController
// (port 0), a BrokerController with its store in a TempDir (port 0) that can be restarted on the
// same store, and a RemotingClient playing the tool or client. Also BrokerConfigAt, for tests of
// the config-file managers without a broker. Test-only (included by *_test.cc).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "broker/broker_controller.h"
#include "broker/message_id.h"
#include "namesrv/namesrv_controller.h"
#include "remoting/remoting_client.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"
#include "tests/support/send_message_request.h"
#include "tests/support/store_fixture.h"
#include "tests/support/temp_dir.h"

namespace holdfast::broker {

// A default BrokerConfig whose store root (and so the config/ files) is `root`.
inline BrokerConfig BrokerConfigAt(const std::string& root) {
  BrokerConfig config;
  config.store.store_path_root_dir = root;
  return config;
}

class BrokerFixture : public ::testing::Test {
 protected:
  // Called in SetUp before the broker starts: a test class overrides it to change config_.
  virtual void Configure(BrokerConfig* /*config*/) {}

  void SetUp() override {
    namesrv::NamesrvConfig ns_config;
    ns_config.bind_address = "127.0.0.1";
    ns_config.listen_port = 0;
    namesrv_ = std::make_unique<namesrv::NamesrvController>(ns_config);
    ASSERT_TRUE(namesrv_->Start().ok());
    client_.Start();
    config_.broker_name = "broker-a";
    config_.broker_cluster_name = "DefaultCluster";
    config_.namesrv_addr = "127.0.0.1:" + std::to_string(namesrv_->port());
    config_.bind_address = "127.0.0.1";
    config_.broker_ip1 = "127.0.0.1";
    config_.listen_port = 0;
    config_.store =
        holdfast::testing::SmallStoreConfig(dir_.Sub("store"), store::FlushDiskType::kAsyncFlush);
    config_.store.max_message_size = 1024;
    Configure(&config_);
    StartBroker();
  }

  void TearDown() override {
    client_.Shutdown();
    if (broker_) broker_->Shutdown();
    namesrv_->Shutdown();
  }

  void StartBroker() {
    broker_ = std::make_unique<BrokerController>(config_, fs_);
    Status s = broker_->Start();
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // Shuts the broker down cleanly and starts a new one on the same store and config files.
  void RestartBroker() {
    broker_->Shutdown();
    broker_.reset();
    StartBroker();
  }

  std::string BrokerAddr() const { return "127.0.0.1:" + std::to_string(broker_->port()); }
  std::string NamesrvAddr() const { return "127.0.0.1:" + std::to_string(namesrv_->port()); }

  remoting::RemotingCommand Invoke(remoting::RemotingCommand request, const std::string& addr) {
    Result<remoting::RemotingCommand> r =
        client_.InvokeSync(addr, std::move(request), std::chrono::seconds(5));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : remoting::RemotingCommand{};
  }
  // Sends `request` to the broker.
  remoting::RemotingCommand Invoke(remoting::RemotingCommand request) {
    return Invoke(std::move(request), BrokerAddr());
  }

  // A request with `code` and the given extFields, sent to the broker.
  remoting::RemotingCommand Call(int32_t code, const std::map<std::string, std::string>& fields,
                                 std::string body = {}) {
    auto req = remoting::RemotingCommand::CreateRequest(code);
    for (const auto& [k, v] : fields) req.SetExtField(k, v);
    req.body = std::move(body);
    return Invoke(std::move(req));
  }

  // Sends one message (SEND_MESSAGE_V2) and returns its commit-log offset, or -1.
  int64_t Send(const std::string& topic, int32_t queue_id, const std::string& body,
               const std::string& properties) {
    remoting::RemotingCommand r = Invoke(
        holdfast::testing::SendMessageV2Request(topic, queue_id, body, properties), BrokerAddr());
    EXPECT_EQ(r.code, remoting::ResponseCode::SUCCESS) << r.remark.value_or("");
    const std::string* id = r.FindExtField("msgId");
    if (id == nullptr) return -1;
    auto decoded = DecodeOffsetMsgId(*id);
    return decoded.ok() ? decoded->commit_log_offset : -1;
  }

  // The brokerAddrs of topic's route, or an empty map when the name server does not know it.
  std::map<std::string, std::string> RouteAddrs(const std::string& topic) {
    auto req =
        remoting::RemotingCommand::CreateRequest(remoting::RequestCode::GET_ROUTEINFO_BY_TOPIC);
    req.SetExtField("topic", topic);
    remoting::RemotingCommand r = Invoke(std::move(req), NamesrvAddr());
    std::map<std::string, std::string> out;
    if (r.code != remoting::ResponseCode::SUCCESS) return out;
    nlohmann::json j = nlohmann::json::parse(r.body);
    for (const auto& bd : j["brokerDatas"]) {
      for (const auto& [id, addr] : bd["brokerAddrs"].items()) out[id] = addr.get<std::string>();
    }
    return out;
  }

  holdfast::testing::TempDir dir_;
  BrokerConfig config_;
  // The broker's file system; Configure may point it at one that outlives broker_.
  store::FileSystem* fs_ = store::FileSystem::Default();
  std::unique_ptr<namesrv::NamesrvController> namesrv_;
  std::unique_ptr<BrokerController> broker_;
  remoting::RemotingClient client_;
};

}  // namespace holdfast::broker
