// libFuzzer target: broker.conf (Java properties text, ParseProperties) and the broker's reading
// of it (ParseBrokerConfig). Any input must give a configuration or an InvalidArgument naming
// what is wrong; never a crash, a hang or an out-of-bounds read. Checked besides:
//  * a value read from the file, escaped with EscapePropertyValue, reads back unchanged;
//  * an accepted configuration, written out with BrokerConfigToProperties, parses back to the
//    same keys and values.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "broker/broker_config.h"
#include "broker/properties.h"
#include "tests/fuzz/fuzz_support.h"

using holdfast::fuzz::Check;

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  holdfast::fuzz::SilenceLogging();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto entries = holdfast::broker::ParseProperties(text, "fuzz.conf");
  if (entries.ok()) {
    for (const auto& e : *entries) {
      Check(e.line >= 1);
      auto back = holdfast::broker::ParseProperties(
          "k=" + holdfast::broker::EscapePropertyValue(e.value), "escaped");
      Check(back.ok() && back->size() == 1 && (*back)[0].key == "k" && (*back)[0].value == e.value);
    }
  } else {
    Check(entries.status().code() == holdfast::Status::Code::kInvalidArgument);
  }

  auto config = holdfast::broker::ParseBrokerConfig(text, "fuzz.conf");
  if (!config.ok()) {
    Check(config.status().code() == holdfast::Status::Code::kInvalidArgument);
    return 0;
  }
  const std::string written = holdfast::broker::BrokerConfigToProperties(*config);
  auto reread = holdfast::broker::ParseBrokerConfig(written, "written");
  Check(reread.ok());
  Check(holdfast::broker::BrokerConfigToMap(*reread) ==
        holdfast::broker::BrokerConfigToMap(*config));
  return 0;
}
