// `holdfast namesrv` as a user runs it: a process on a port, answering RocketMQ requests, and
// stopping cleanly on SIGTERM.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>

#include "common/loopback_port.h"
#include "common/subprocess.h"
#include "remoting/remoting_client.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"

namespace holdfast {
namespace {

using remoting::RemotingCommand;
using remoting::RequestCode;
using remoting::ResponseCode;

TEST(NamesrvProcessTest, AnswersRouteRequestsAndStopsOnSigterm) {
  const int port = FreeLoopbackPort().value();
  auto proc = Subprocess::Spawn(
      {HOLDFAST_PROGRAM, "namesrv", "--bind", "127.0.0.1", "-p", std::to_string(port)});
  ASSERT_TRUE(proc.ok()) << proc.status().ToString();
  bool booted = false;
  while (auto line = (*proc)->ReadLine(std::chrono::seconds(10))) {
    if (line->find("boot success") != std::string::npos) {
      booted = true;
      break;
    }
  }
  ASSERT_TRUE(booted) << "no boot line from holdfast namesrv";

  remoting::RemotingClient client;
  client.Start();
  const std::string addr = "127.0.0.1:" + std::to_string(port);

  auto topics = client.InvokeSync(
      addr, RemotingCommand::CreateRequest(RequestCode::GET_ALL_TOPIC_LIST_FROM_NAMESERVER),
      std::chrono::seconds(5));
  ASSERT_TRUE(topics.ok()) << topics.status().ToString();
  EXPECT_EQ(topics->code, ResponseCode::SUCCESS);
  auto body = nlohmann::json::parse(topics->body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << topics->body;
  EXPECT_TRUE(body["topicList"].is_array());

  RemotingCommand route = RemotingCommand::CreateRequest(RequestCode::GET_ROUTEINFO_BY_TOPIC);
  route.SetExtField("topic", "NoSuchTopic");
  auto missing = client.InvokeSync(addr, route, std::chrono::seconds(5));
  ASSERT_TRUE(missing.ok()) << missing.status().ToString();
  EXPECT_EQ(missing->code, ResponseCode::TOPIC_NOT_EXIST);
  ASSERT_TRUE(missing->remark.has_value());
  EXPECT_NE(missing->remark->find("NoSuchTopic"), std::string::npos);

  client.Shutdown();
  (*proc)->Kill(SIGTERM);
  EXPECT_EQ((*proc)->Wait(), 0) << "holdfast namesrv should exit 0 on SIGTERM";
}

}  // namespace
}  // namespace holdfast
