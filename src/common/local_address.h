// The address this host reports to peers.
#pragma once

#include <string>

namespace holdfast {

// The first non-loopback IPv4 address of this host, or "127.0.0.1" when there is none (RocketMQ's
// RemotingUtil.getLocalAddress prefers a site-local address the same way).
std::string PickLocalIpv4();

}  // namespace holdfast
