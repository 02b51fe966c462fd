// A free TCP port on 127.0.0.1, for the benchmark tools that start servers of their own.
#pragma once

#include <cstdint>

#include "common/status.h"

namespace holdfast::tools {

// A port the kernel just handed out for 127.0.0.1:0 and that is free again: another process may
// take it before the caller binds it, so a caller whose server fails to bind should pick a new one.
// The error of socket / bind / getsockname otherwise.
[[nodiscard]] Result<uint16_t> FreeLoopbackPort();

}  // namespace holdfast::tools
