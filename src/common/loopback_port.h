// TCP ports on 127.0.0.1 for the servers that tests and benchmark tools start of their own: a
// free one, the address of one, and whether one accepts connections.
#pragma once

#include <netinet/in.h>

#include <cstdint>

#include "common/status.h"

namespace holdfast {

// A port the kernel just handed out for 127.0.0.1:0 and that is free again: another process may
// take it before the caller binds it, so a caller whose server fails to bind should pick a new one.
// The error of socket / bind / getsockname otherwise.
[[nodiscard]] Result<uint16_t> FreeLoopbackPort();

// 127.0.0.1:port (port 0: any), ready for bind or connect.
sockaddr_in LoopbackAddress(uint16_t port);

// True when a TCP connect to 127.0.0.1:port succeeds (the connection is closed at once).
bool AcceptsOnLoopback(uint16_t port);

}  // namespace holdfast
