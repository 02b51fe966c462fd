// A name server and brokers in this process on 127.0.0.1, each on a port the kernel picks, with
// their stores in a TempDir: for client tests that need the real thing. Header-only, because only
// test binaries that link holdfast_broker and holdfast_namesrv may use it.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "broker/broker_controller.h"
#include "namesrv/namesrv_controller.h"
#include "remoting/protocol/perm_name.h"
#include "tests/support/store_fixture.h"
#include "tests/support/temp_dir.h"

namespace holdfast::testing {

class MiniCluster {
 public:
  MiniCluster() {
    namesrv::NamesrvConfig ns;
    ns.bind_address = "127.0.0.1";
    ns.listen_port = 0;
    namesrv_ = std::make_unique<namesrv::NamesrvController>(ns);
    Status s = namesrv_->Start();
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  ~MiniCluster() {
    for (auto& [name, broker] : brokers_) broker->Shutdown();
    namesrv_->Shutdown();
  }

  std::string NamesrvAddr() const { return "127.0.0.1:" + std::to_string(namesrv_->port()); }

  // Starts broker `name` (a master) registered with the name server. Small segments; its store
  // in `fs` (which must outlive this cluster) with `flush`; then the broker.conf keys of
  // `overrides` (a bad one fails the test and the broker is not started).
  broker::BrokerController* StartBroker(
      const std::string& name, store::FileSystem* fs = store::FileSystem::Default(),
      store::FlushDiskType flush = store::FlushDiskType::kAsyncFlush,
      const broker::PropertyOverrides& overrides = {}) {
    broker::BrokerConfig c;
    c.broker_name = name;
    c.broker_cluster_name = "DefaultCluster";
    c.namesrv_addr = NamesrvAddr();
    c.bind_address = "127.0.0.1";
    c.broker_ip1 = "127.0.0.1";
    c.store = SmallStoreConfig(dir_.Sub(name), flush);
    if (!overrides.empty()) {
      // broker.conf has no "any free port" (0 is out of range): parse, then ask for one.
      Result<broker::BrokerConfig> with =
          broker::ParseBrokerConfig(broker::BrokerConfigToProperties(c), "mini cluster", overrides);
      EXPECT_TRUE(with.ok()) << with.status().ToString();
      if (!with.ok()) return nullptr;
      c = std::move(with).value();
    }
    c.listen_port = 0;
    auto broker = std::make_unique<broker::BrokerController>(c, fs);
    Status s = broker->Start();
    EXPECT_TRUE(s.ok()) << s.ToString();
    broker::BrokerController* raw = broker.get();
    brokers_[name] = std::move(broker);
    return raw;
  }

  broker::BrokerController* Broker(const std::string& name) { return brokers_.at(name).get(); }
  std::string BrokerAddr(const std::string& name) const {
    return "127.0.0.1:" + std::to_string(brokers_.at(name)->port());
  }

  // Creates `topic` on every running broker (`queues` read and write queues) and registers it
  // with the name server before returning.
  void CreateTopic(const std::string& topic, int32_t queues) {
    for (auto& [name, broker] : brokers_) {
      protocol::TopicConfig tc(topic, queues, queues, protocol::kPermRead | protocol::kPermWrite);
      Status s = broker->topic_config_manager().UpdateTopicConfig(tc);
      EXPECT_TRUE(s.ok()) << s.ToString();
      s = broker->RegisterBrokerAll();
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
  }

  void StopBroker(const std::string& name) { brokers_.at(name)->Shutdown(); }

  namesrv::NamesrvController& namesrv() { return *namesrv_; }

 private:
  TempDir dir_;
  std::unique_ptr<namesrv::NamesrvController> namesrv_;
  std::map<std::string, std::unique_ptr<broker::BrokerController>> brokers_;
};

}  // namespace holdfast::testing
