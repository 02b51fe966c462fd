#include "tools/admin/dlq_export_command.h"

#include <cerrno>
#include <fstream>
#include <memory>

#include "remoting/protocol/json_fields.h"
#include "tools/admin/base64.h"

namespace holdfast::tools::admin {

namespace {

nlohmann::json OrNull(const std::optional<std::string>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

Status WriteLines(const std::vector<ListedDeadLetter>& listed, std::ostream& out) {
  for (const ListedDeadLetter& l : listed) out << protocol::DumpJson(DeadLetterToJson(l)) << '\n';
  out.flush();
  return out ? Status::Ok() : Status::IoError("writing the export failed");
}

}  // namespace

nlohmann::json DeadLetterToJson(const ListedDeadLetter& listed) {
  const DeadLetter& d = listed.letter;
  const MessageExt& m = d.record;
  const PropertyMap props = DecodeProperties(m.properties);
  auto find = [&](std::string_view key) -> std::optional<std::string> {
    auto it = props.find(key);
    if (it == props.end()) return std::nullopt;
    return it->second;
  };
  const std::optional<int64_t> first = d.FirstFailureTime();
  nlohmann::json properties = nlohmann::json::object();
  for (const auto& [k, v] : props) properties[k] = v;
  return {{"broker", d.broker_name},
          {"brokerAddr", d.broker_addr},
          {"queueId", m.queue_id},
          {"queueOffset", m.queue_offset},
          {"dlqMsgId", d.DlqMsgId()},
          {"msgId", d.MsgId()},
          {"originalTopic", OrNull(d.OriginalTopic())},
          {"originMessageId", OrNull(d.OriginMessageId())},
          {"reconsumeTimes", m.reconsume_times},
          {"firstFailureTime", first ? nlohmann::json(*first) : nlohmann::json(nullptr)},
          {"lastFailureTime", d.LastFailureTime()},
          {"bornTimestamp", m.born_timestamp},
          {"bornHost", m.born_host.ToString()},
          {"storeHost", m.store_host.ToString()},
          {"flag", m.flag},
          {"sysFlag", m.sys_flag},
          {"tags", OrNull(find(property::kTags))},
          {"keys", OrNull(find(property::kKeys))},
          {"properties", std::move(properties)},
          {"bodySize", m.body.size()},
          {"bodyBase64", Base64Encode(m.body)},
          {"bodyPreview", d.BodyPreview()},
          {"resends", listed.resends}};
}

Status DlqExport(AdminContext& ctx, const DlqExportOptions& options, std::ostream& out) {
  if (options.group.empty()) return Status::InvalidArgument("dlqExport needs -g group");
  Result<std::vector<ListedDeadLetter>> listed = ListDeadLetters(ctx, options.group);
  if (!listed.ok()) return listed.status();
  if (options.file.empty() || options.file == "-") return WriteLines(*listed, out);
  std::ofstream file(options.file, std::ios::out | std::ios::trunc | std::ios::binary);
  if (!file) return Status::FromErrno(errno, "open " + options.file + " for the export");
  if (Status s = WriteLines(*listed, file); !s.ok()) {
    return Status::IoError("writing " + options.file + " failed");
  }
  file.close();
  if (!file) return Status::IoError("closing " + options.file + " failed");
  out << "exported " << listed->size() << " dead letters of " << options.group << " to "
      << options.file << "\n";
  return Status::Ok();
}

AdminCommand AddDlqExportCommand(CLI::App* admin) {
  auto options = std::make_shared<DlqExportOptions>();
  CLI::App* app = admin->add_subcommand(
      "dlqExport", "Export the dead letters of a consumer group as JSON lines");
  app->add_option("-g,--groupName", options->group, "consumer group name")->required();
  app->add_option("-f,--file", options->file, "file to write (default: standard output)");
  return {app, [options](AdminContext& ctx, std::ostream& out) {
            return DlqExport(ctx, *options, out);
          }};
}

}  // namespace holdfast::tools::admin
