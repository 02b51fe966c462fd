// updateTopic: create or update a topic on one broker (-b) or on every master of a cluster (-c),
// as mqadmin's UpdateTopicSubCommand. With -o true and -c, also records the topic's orderConf
// ("brokerName:writeQueueNums;...") in the name servers' ORDER_TOPIC_CONFIG namespace.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "tools/admin/admin_command.h"

namespace holdfast::tools::admin {

struct UpdateTopicOptions {
  std::string topic{};           // -t
  std::string broker_addr{};     // -b
  std::string cluster{};         // -c
  int32_t read_queue_nums = 8;   // -r
  int32_t write_queue_nums = 8;  // -w
  int32_t perm = 6;              // -p
  bool order = false;            // -o
};

// InvalidArgument unless exactly one of -b and -c is given; NotFound for an unknown cluster.
Status UpdateTopic(AdminContext& ctx, const UpdateTopicOptions& options, std::ostream& out);

AdminCommand AddUpdateTopicCommand(CLI::App* admin);

}  // namespace holdfast::tools::admin
