// clusterList: every broker of every cluster (or of -c) with its version, load and disk use from
// its runtime information, as mqadmin's ClusterListSubCommand (4.9 layout).
#pragma once

#include <ostream>
#include <string>

#include "tools/admin/admin_command.h"

namespace holdfast::tools::admin {

struct ClusterListOptions {
  std::string cluster{};  // -c; empty for all
};

// NotFound for an unknown -c cluster. A broker that does not answer is listed with "-" fields.
Status ClusterList(AdminContext& ctx, const ClusterListOptions& options, std::ostream& out);

AdminCommand AddClusterListCommand(CLI::App* admin);

}  // namespace holdfast::tools::admin
