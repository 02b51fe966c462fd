#include "tools/admin/admin_cli.h"

#include "tools/admin/broker_status_command.h"
#include "tools/admin/cluster_list_command.h"
#include "tools/admin/consumer_progress_command.h"
#include "tools/admin/delete_topic_command.h"
#include "tools/admin/dlq_export_command.h"
#include "tools/admin/dlq_list_command.h"
#include "tools/admin/dlq_resend_command.h"
#include "tools/admin/query_msg_by_id_command.h"
#include "tools/admin/query_msg_by_key_command.h"
#include "tools/admin/topic_list_command.h"
#include "tools/admin/topic_route_command.h"
#include "tools/admin/topic_status_command.h"
#include "tools/admin/update_sub_group_command.h"
#include "tools/admin/update_topic_command.h"

namespace holdfast::tools::admin {

AdminCli::AdminCli(CLI::App* program)
    : admin_(program->add_subcommand("admin", "Administer a cluster (RocketMQ's mqadmin)")) {
  admin_->require_subcommand(1);
  commands_ = {AddUpdateTopicCommand(admin_),    AddDeleteTopicCommand(admin_),
               AddTopicListCommand(admin_),      AddTopicRouteCommand(admin_),
               AddTopicStatusCommand(admin_),    AddClusterListCommand(admin_),
               AddUpdateSubGroupCommand(admin_), AddConsumerProgressCommand(admin_),
               AddQueryMsgByIdCommand(admin_),   AddQueryMsgByKeyCommand(admin_),
               AddBrokerStatusCommand(admin_),   AddDlqListCommand(admin_),
               AddDlqExportCommand(admin_),      AddDlqResendCommand(admin_)};
  for (AdminCommand& command : commands_) {
    command.app
        ->add_option("-n,--namesrvAddr", namesrv_addr_,
                     "Name server address list, eg: '192.168.0.1:9876;192.168.0.2:9876'")
        ->envname("NAMESRV_ADDR")
        ->capture_default_str();
  }
}

bool AdminCli::parsed() const { return admin_->parsed(); }

int AdminCli::Run(std::ostream& out, std::ostream& err) {
  for (AdminCommand& command : commands_) {
    if (!command.app->parsed()) continue;
    AdminContext ctx(namesrv_addr_);
    Status s = command.run(ctx, out);
    if (!s.ok()) {
      err << "holdfast admin " << command.app->get_name() << ": " << s.message() << "\n";
      return 1;
    }
    return 0;
  }
  return 2;  // not reached: `admin` requires a subcommand
}

}  // namespace holdfast::tools::admin
