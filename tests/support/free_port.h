// Ports for tests that listen on loopback.
#pragma once

namespace holdfast::testing {

// A TCP port on 127.0.0.1 that was free a moment ago: the kernel picks it for a socket bound to
// port 0, and the socket is closed again. Another process may take it before the caller binds
// it, so a test that fails to bind should pick a new one and retry. Aborts (after printing why)
// if no socket can be bound at all.
int FreeTcpPort();

}  // namespace holdfast::testing
