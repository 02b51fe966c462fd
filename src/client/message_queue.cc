#include <fmt/format.h>

#include "holdfast/message.h"

namespace holdfast {

std::string MessageQueue::ToString() const {
  return fmt::format("MessageQueue [topic={}, brokerName={}, queueId={}]", topic, broker_name,
                     queue_id);
}

}  // namespace holdfast
