// `holdfast standalone` as a user runs it: a name server and a broker in one process on a data
// directory; the broker registers, serves, and shuts down cleanly on SIGTERM.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>
#include <regex>

#include "common/loopback_port.h"
#include "common/subprocess.h"
#include "remoting/remoting_client.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"
#include "tests/support/raw_peer.h"
#include "tests/support/temp_dir.h"

namespace holdfast {
namespace {

using remoting::RemotingCommand;
using remoting::RequestCode;
using remoting::ResponseCode;

TEST(StandaloneProcessTest, RegistersWithItsNameServerAndStopsCleanly) {
  testing::TempDir dir;
  const int broker_port = FreeLoopbackPort().value();
  auto proc = Subprocess::Spawn({HOLDFAST_PROGRAM, "standalone", "--dir", dir.Sub("data"), "-p",
                                 std::to_string(broker_port), "--namesrv-port", "0"});
  ASSERT_TRUE(proc.ok()) << proc.status().ToString();
  std::string namesrv_addr;
  const std::regex boot("name server at (127\\.0\\.0\\.1:[0-9]+)");
  while (auto line = (*proc)->ReadLine(std::chrono::seconds(20))) {
    std::smatch m;
    if (std::regex_search(*line, m, boot)) {
      namesrv_addr = m[1];
      break;
    }
  }
  ASSERT_FALSE(namesrv_addr.empty()) << "no boot line from holdfast standalone";
  // Loopback only by default: another loopback address of this host does not reach it.
  EXPECT_TRUE(testing::RawPeer("127.0.0.1", broker_port).connected());
  EXPECT_FALSE(testing::RawPeer("127.0.0.2", broker_port).connected());

  remoting::RemotingClient client;
  client.Start();
  RemotingCommand route = RemotingCommand::CreateRequest(RequestCode::GET_ROUTEINFO_BY_TOPIC);
  route.SetExtField("topic", "TBW102");
  auto resp = client.InvokeSync(namesrv_addr, route, std::chrono::seconds(5));
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  ASSERT_EQ(resp->code, ResponseCode::SUCCESS) << resp->remark.value_or("");
  auto body = nlohmann::json::parse(resp->body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << resp->body;
  ASSERT_EQ(body["brokerDatas"].size(), 1u) << resp->body;
  EXPECT_EQ(body["brokerDatas"][0]["brokerAddrs"]["0"], "127.0.0.1:" + std::to_string(broker_port));
  client.Shutdown();

  (*proc)->Kill(SIGTERM);
  EXPECT_EQ((*proc)->Wait(), 0);
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("data/abort"))) << "clean shutdown removes abort";
  EXPECT_TRUE(std::filesystem::exists(dir.Sub("data/config/consumerOffset.json")))
      << "consumer offsets are flushed at shutdown";
}

TEST(StandaloneProcessTest, BindChoosesWhereBothListenAndWhatTheBrokerRegisters) {
  testing::TempDir dir;
  const int broker_port = FreeLoopbackPort().value();
  auto proc = Subprocess::Spawn({HOLDFAST_PROGRAM, "standalone", "--dir", dir.Sub("data"), "-p",
                                 std::to_string(broker_port), "--namesrv-port", "0", "--bind",
                                 "127.0.0.2"});
  ASSERT_TRUE(proc.ok()) << proc.status().ToString();
  std::smatch m;
  const std::regex boot("serving at ([0-9.]+:[0-9]+), name server at ([0-9.]+):([0-9]+)");
  std::string line;
  while (auto next = (*proc)->ReadLine(std::chrono::seconds(20))) {
    line = *next;
    if (std::regex_search(line, m, boot)) break;
  }
  ASSERT_FALSE(m.empty()) << "no boot line from holdfast standalone";
  EXPECT_EQ(m[1], "127.0.0.2:" + std::to_string(broker_port));
  EXPECT_EQ(m[2], "127.0.0.2");
  const int namesrv_port = std::stoi(m[3]);
  EXPECT_TRUE(testing::RawPeer("127.0.0.2", broker_port).connected());
  EXPECT_TRUE(testing::RawPeer("127.0.0.2", namesrv_port).connected());
  EXPECT_FALSE(testing::RawPeer("127.0.0.1", broker_port).connected());
  EXPECT_FALSE(testing::RawPeer("127.0.0.1", namesrv_port).connected());
  (*proc)->Kill(SIGTERM);
  EXPECT_EQ((*proc)->Wait(), 0);
}

}  // namespace
}  // namespace holdfast
