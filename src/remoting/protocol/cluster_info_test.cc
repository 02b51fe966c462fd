#include "remoting/protocol/cluster_info.h"

#include <gtest/gtest.h>

namespace holdfast::protocol {
namespace {

TEST(ClusterInfoTest, DecodesFastjsonFormAndFindsMasters) {
  auto info = DecodeClusterInfo(
      R"({"brokerAddrTable":{"broker-a":{"brokerAddrs":{0:"10.0.0.1:10911",1:"10.0.0.2:10911"},)"
      R"("brokerName":"broker-a","cluster":"C1","enableActingMaster":false},)"
      R"("broker-b":{"brokerAddrs":{1:"10.0.0.3:10911"},"brokerName":"broker-b","cluster":"C1"}},)"
      R"("clusterAddrTable":{"C1":["broker-a","broker-b"]}})");
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->broker_addr_table.at("broker-a").broker_addrs.at(1), "10.0.0.2:10911");
  EXPECT_EQ(info->broker_addr_table.at("broker-a").cluster, "C1");
  auto masters = info->MasterAddrs("C1");
  ASSERT_TRUE(masters.ok());
  // broker-b has no master registered: it cannot take topics.
  EXPECT_EQ(*masters, (std::map<std::string, std::string>{{"broker-a", "10.0.0.1:10911"}}));
  EXPECT_TRUE(info->MasterAddrs("Nope").status().IsNotFound());
}

TEST(ClusterInfoTest, RejectsBadBodies) {
  EXPECT_TRUE(DecodeClusterInfo("[").status().IsCorruption());
  EXPECT_TRUE(DecodeClusterInfo(R"({"brokerAddrTable":{"b":{"brokerAddrs":{"x":"a"}}}})")
                  .status()
                  .IsCorruption());
}

TEST(ClusterInfoTest, RoundTripsInEitherStyle) {
  ClusterInfo info;
  info.broker_addr_table["broker-a"] = BrokerData{
      .cluster = "C1", .broker_name = "broker-a", .broker_addrs = {{0, "10.0.0.1:10911"}}};
  info.broker_addr_table["broker-b"] = BrokerData{
      .cluster = "C2", .broker_name = "broker-b", .broker_addrs = {{0, "a:1"}, {1, "b:1"}}};
  info.cluster_addr_table = {{"C1", {"broker-a"}}, {"C2", {"broker-b"}}};
  EXPECT_EQ(
      EncodeClusterInfo(info, JsonStyle::kStandard),
      R"({"brokerAddrTable":{"broker-a":{"brokerAddrs":{"0":"10.0.0.1:10911"},)"
      R"("brokerName":"broker-a","cluster":"C1","enableActingMaster":false},"broker-b":)"
      R"({"brokerAddrs":{"0":"a:1","1":"b:1"},"brokerName":"broker-b","cluster":"C2",)"
      R"("enableActingMaster":false}},"clusterAddrTable":{"C1":["broker-a"],"C2":["broker-b"]}})");
  for (JsonStyle style : {JsonStyle::kStandard, JsonStyle::kFastjson}) {
    Result<ClusterInfo> back = DecodeClusterInfo(EncodeClusterInfo(info, style));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, info);
  }
}

}  // namespace
}  // namespace holdfast::protocol
