// queryMsgByKey -t -k: the messages of a topic whose KEYS hold a key, from the index of every
// master serving the topic, as mqadmin's QueryMsgByKeySubCommand.
#pragma once

#include <cstdint>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "common/message.h"

#include "tools/admin/admin_command.h"

namespace holdfast::tools::admin {

struct QueryMsgByKeyOptions {
  std::string topic{};                                          // -t
  std::string key{};                                            // -k
  int64_t begin_timestamp = 0;                                  // -b (ms)
  int64_t end_timestamp = std::numeric_limits<int64_t>::max();  // -e (ms)
  int32_t max_num = 64;                                         // -c
};

// The topic's messages from QUERY_MESSAGE on every master serving it: with `unique_key`, those
// whose UNIQ_KEY is options.key (queryMsgById's fallback); otherwise those whose KEYS hold it.
// NotFound when no name server has a route for the topic; an empty list when nothing matches.
Result<std::vector<MessageExt>> QueryMessages(AdminContext& ctx,
                                              const QueryMsgByKeyOptions& options, bool unique_key);

// NotFound when no name server has a route for the topic. No match prints only the header.
Status QueryMsgByKey(AdminContext& ctx, const QueryMsgByKeyOptions& options, std::ostream& out);

AdminCommand AddQueryMsgByKeyCommand(CLI::App* admin);

}  // namespace holdfast::tools::admin
