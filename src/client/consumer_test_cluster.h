// For consumer tests: a name server and broker "broker-a" in this process on loopback
// (tests/support/mini_cluster.h), a sender that stores messages over the wire with SEND_MESSAGE_V2,
// the broker's committed offsets read back with QUERY_CONSUMER_OFFSET, and a directory for
// broadcasting consumers' offset files (HOLDFAST_LOCAL_OFFSET_STORE_DIR). Header-only: test
// binaries that link the broker use it.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "client/mq_client_api.h"
#include "common/message.h"
#include "remoting/remoting_client.h"
#include "remoting/response_code.h"
#include "tests/support/mini_cluster.h"
#include "tests/support/send_message_request.h"
#include "tests/support/temp_dir.h"

namespace holdfast::client {

class ConsumerTestCluster {
 public:
  // broker-a keeps its store in `fs` (which must outlive the cluster) with `flush`, and takes the
  // broker.conf keys of `overrides`.
  explicit ConsumerTestCluster(store::FileSystem* fs = store::FileSystem::Default(),
                               store::FlushDiskType flush = store::FlushDiskType::kAsyncFlush,
                               const broker::PropertyOverrides& overrides = {}) {
    setenv("HOLDFAST_LOCAL_OFFSET_STORE_DIR", offsets_dir_.path().c_str(), 1);
    mini_.StartBroker("broker-a", fs, flush, overrides);
    sender_.Start();
    query_.Start();
  }
  ~ConsumerTestCluster() {
    query_.Shutdown();
    sender_.Shutdown();
  }

  testing::MiniCluster& mini() { return mini_; }
  // Where broadcasting consumers keep their offset files.
  const std::string& offsets_dir() const { return offsets_dir_.path(); }

  // Persist offsets every 200 ms so tests see commits quickly.
  ClientConfig ClientConfigFor(const std::string& instance) const {
    ClientConfig c;
    c.namesrv_addr = mini_.NamesrvAddr();
    c.client_ip = "127.0.0.1";
    c.instance_name = instance;
    c.persist_consumer_offset_interval = std::chrono::milliseconds(200);
    return c;
  }

  // Stores `body` (with UNIQ_KEY "K<body>", the tag, if any, and `extra` properties) in queue
  // `queue_id` of `topic` on broker-a and waits until pulls can see it (dispatched: under
  // ASYNC_FLUSH the send is answered before that); its queue offset, or -1 after a failed
  // expectation.
  int64_t Send(const std::string& topic, int32_t queue_id, const std::string& body,
               const std::string& tag = "", const PropertyMap& extra = {}) {
    PropertyMap props{{"WAIT", "true"}, {"UNIQ_KEY", "K" + body}};
    if (!tag.empty()) props["TAGS"] = tag;
    props.insert(extra.begin(), extra.end());
    auto r = sender_.InvokeSync(
        mini_.BrokerAddr("broker-a"),
        testing::SendMessageV2Request(topic, queue_id, body, EncodeProperties(props)),
        std::chrono::seconds(5));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return -1;
    EXPECT_EQ(r->code, remoting::ResponseCode::SUCCESS) << r->remark.value_or("");
    EXPECT_TRUE(
        mini_.Broker("broker-a")->message_store().WaitForDispatch(std::chrono::seconds(10)));
    const std::string* offset = r->FindExtField("queueOffset");
    return offset ? std::stoll(*offset) : -1;
  }

  // The offset broker-a holds for `group`, or -1 when it has none.
  int64_t BrokerOffset(const std::string& group, const std::string& topic, int32_t queue_id) {
    auto r = query_.QueryConsumerOffset(mini_.BrokerAddr("broker-a"), group, topic, queue_id,
                                        std::chrono::seconds(5));
    return r.ok() ? *r : -1;
  }

  // Stores `offset` as `group`'s committed offset on broker-a (UPDATE_CONSUMER_OFFSET is oneway:
  // returns once a query reads it back, false if none does in time).
  bool SetBrokerOffset(const std::string& group, const std::string& topic, int32_t queue_id,
                       int64_t offset) {
    Status s = query_.UpdateConsumerOffsetOneway(mini_.BrokerAddr("broker-a"), group, topic,
                                                 queue_id, offset);
    EXPECT_TRUE(s.ok()) << s.ToString();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
      if (BrokerOffset(group, topic, queue_id) == offset) return true;
    }
    return false;
  }

 private:
  testing::TempDir offsets_dir_;
  testing::MiniCluster mini_;
  remoting::RemotingClient sender_;
  MQClientAPI query_{ClientConfig{}};
};

}  // namespace holdfast::client
