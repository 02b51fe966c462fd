// The loopback network's limits for a request/reply protocol, measured the way a broker is used:
// TCP ping-pong on 127.0.0.1 between a client and a server thread that does nothing but answer.
// What a broker reaches over the same connections can only be below these figures: the one
// connection's latency is the floor of one synchronous producer's send latency, and the N
// connections' aggregate rate the ceiling of N producers with one send outstanding each.
//
// Threads: MeasureLoopbackPingPong starts one server thread and one client thread per connection
// and joins them all before it returns. Any thread may call it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/status.h"
#include "tools/latency_recorder.h"

namespace holdfast::tools {

struct LoopbackPingPongOptions {
  int connections = 1;  // one client thread (and one server thread) each
  size_t request_bytes = 1024;
  size_t reply_bytes = 64;  // about a RocketMQ send response
  double seconds = 1.0;     // measured time, once every connection is up
  // When positive, each connection stops after this many round trips even before `seconds`.
  int64_t round_trips_per_connection = 0;
};

struct LoopbackPingPongStats {
  int connections = 0;
  uint64_t round_trips = 0;  // all connections together
  double seconds = 0;        // from the common start until the last client finished
  double round_trips_per_sec = 0;
  LatencySummary latency;  // each round trip: request written -> whole reply read
};

// Opens `connections` TCP connections on 127.0.0.1 (TCP_NODELAY on both ends) and has each client
// write a request of request_bytes and read a reply of reply_bytes in a loop. InvalidArgument for
// a count or size out of range (connections 1..1024, sizes 1..16 MiB, seconds > 0); the socket
// call's error when the network fails.
[[nodiscard]] Result<LoopbackPingPongStats> MeasureLoopbackPingPong(
    const LoopbackPingPongOptions& options);

}  // namespace holdfast::tools
