#include "tools/admin/dlq_list_command.h"

#include <fmt/format.h>

#include <memory>

#include "tools/admin/admin_format.h"
#include "tools/admin/dlq_resend_log.h"

namespace holdfast::tools::admin {

namespace {

constexpr std::string_view kRowFormat =
    "{:<16}  {:<8}  {:<32}  {:<24}  {:<10}  {:<23}  {:<23}  {:<8}  {}\n";

constexpr std::string_view kUnknown = "unknown";

}  // namespace

Result<std::vector<ListedDeadLetter>> ListDeadLetters(AdminContext& ctx, const std::string& group) {
  Result<std::vector<DeadLetterQueue>> dlqs = FindDeadLetterQueues(ctx, group);
  if (!dlqs.ok()) return dlqs.status();
  std::vector<ListedDeadLetter> out;
  for (const DeadLetterQueue& dlq : *dlqs) {
    Result<std::vector<DeadLetter>> letters = ReadDeadLetters(ctx, dlq);
    if (!letters.ok()) return letters.status();
    Result<std::vector<ResendRecord>> log = ReadResendLog(ctx, dlq.broker_addr, group);
    if (!log.ok()) return log.status();
    const std::map<std::string, int> resends = ResendsByDeadLetter(*log);
    for (DeadLetter& letter : *letters) {
      auto found = resends.find(letter.DlqMsgId());
      const int count = found == resends.end() ? 0 : found->second;
      out.push_back({.letter = std::move(letter), .resends = count});
    }
  }
  return out;
}

Status DlqList(AdminContext& ctx, const DlqListOptions& options, std::ostream& out) {
  if (options.group.empty()) return Status::InvalidArgument("dlqList needs -g group");
  Result<std::vector<ListedDeadLetter>> listed = ListDeadLetters(ctx, options.group);
  if (!listed.ok()) return listed.status();
  out << fmt::format(fmt::runtime(kRowFormat), "#Broker Name", "#Offset", "#Message ID",
                     "#Original Topic", "#Reconsume", "#First Failure", "#Last Failure", "#Resends",
                     "#Body");
  int resent = 0;
  for (const ListedDeadLetter& l : *listed) {
    const DeadLetter& d = l.letter;
    const std::optional<int64_t> first = d.FirstFailureTime();
    out << fmt::format(fmt::runtime(kRowFormat), d.broker_name, d.record.queue_offset, d.MsgId(),
                       d.OriginalTopic().value_or(std::string(kUnknown)), d.record.reconsume_times,
                       first ? TimeMillisToHumanString(*first) : std::string(kUnknown),
                       TimeMillisToHumanString(d.LastFailureTime()), l.resends, d.BodyPreview());
    if (l.resends > 0) ++resent;
  }
  out << fmt::format(
      "\nDLQ depth: {} ({} of them resent; a resend leaves the dead letter in the "
      "DLQ)\n",
      listed->size(), resent);
  return Status::Ok();
}

AdminCommand AddDlqListCommand(CLI::App* admin) {
  auto options = std::make_shared<DlqListOptions>();
  CLI::App* app = admin->add_subcommand("dlqList", "List the dead letters of a consumer group");
  app->add_option("-g,--groupName", options->group, "consumer group name")->required();
  return {app,
          [options](AdminContext& ctx, std::ostream& out) { return DlqList(ctx, *options, out); }};
}

}  // namespace holdfast::tools::admin
