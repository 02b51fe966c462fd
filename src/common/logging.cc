#include "common/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace holdfast {

void SetUpLogging(const std::string& name) {
  spdlog::set_default_logger(spdlog::stderr_color_mt(name));
  spdlog::set_level(spdlog::level::info);
}

}  // namespace holdfast
