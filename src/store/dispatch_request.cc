#include "store/dispatch_request.h"

#include "common/java_hash.h"
#include "common/message.h"

namespace holdfast::store {

DispatchRequest MakeDispatchRequest(const MessageView& msg) {
  DispatchRequest req;
  req.topic = msg.topic;
  req.queue_id = msg.queue_id;
  req.commit_log_offset = msg.commit_log_offset;
  req.msg_size = msg.store_size;
  req.store_timestamp = msg.store_timestamp;
  req.consume_queue_offset = msg.queue_offset;
  req.sys_flag = msg.sys_flag;
  req.prepared_transaction_offset = msg.prepared_transaction_offset;
  if (auto tags = FindProperty(msg.properties, property::kTags); tags && !tags->empty()) {
    req.tags_code = JavaStringHashCode(*tags);
  }
  if (auto keys = FindProperty(msg.properties, property::kKeys)) req.keys = *keys;
  if (auto uniq = FindProperty(msg.properties, property::kUniqClientMessageIdKeyIndex)) {
    req.uniq_key = *uniq;
  }
  return req;
}

}  // namespace holdfast::store
