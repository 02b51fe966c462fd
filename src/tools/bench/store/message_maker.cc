#include "tools/bench/store/message_maker.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/clock.h"
#include "common/message_codec.h"

namespace holdfast::tools::store_bench {

MessageMaker::MessageMaker(const StoreBenchmarkOptions& o, int thread_id)
    : thread_id_(thread_id), queues_(std::max(1, o.queues)) {
  tmpl_.topic = o.topic;
  tmpl_.body.resize(o.body_size);
  for (size_t i = 0; i < tmpl_.body.size(); ++i) {
    tmpl_.body[i] = static_cast<char>('a' + (i * 7 + static_cast<size_t>(thread_id)) % 26);
  }
  tmpl_.born_host = HostAddress::Ipv4(127, 0, 0, 1, 40000 + thread_id % 20000);
  tmpl_.store_host = HostAddress::Ipv4(127, 0, 0, 1, 10911);
}

MessageExt MessageMaker::Next() {
  MessageExt m = tmpl_;
  m.queue_id = static_cast<int32_t>((static_cast<uint64_t>(thread_id_) + seq_) % queues_);
  m.born_timestamp = NowMillis();
  PropertyMap props;
  props.emplace(property::kTags, "TagA");
  props.emplace(property::kKeys, fmt::format("order-{}-{}", thread_id_, seq_));
  props.emplace(
      property::kUniqClientMessageIdKeyIndex,
      fmt::format("7F000001{:08X}{:016X}", (pid_ << 12) ^ static_cast<uint32_t>(thread_id_), seq_));
  m.properties = EncodeProperties(props);
  ++seq_;
  return m;
}

int64_t MessageMaker::RecordSize() {
  MessageExt m = MessageMaker(*this).Next();
  return StoredRecordSize(m.topic.size(), m.body.size(), m.properties.size(), false, false);
}

}  // namespace holdfast::tools::store_bench
