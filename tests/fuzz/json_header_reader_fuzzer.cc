// libFuzzer target: the hand-written JSON header reader (remoting/json_header_reader.h) that reads
// every JSON-serialised command a peer sends, checked against nlohmann::json, whose rules it
// promises to keep. Any input must be read or refused; never a crash or an out-of-bounds read.
// Checked besides:
//  * the reader accepts exactly the texts nlohmann::json::accept accepts (RFC 8259 strictly, a
//    byte order mark skipped, a NUL byte ending the text);
//  * for a header DecodeJsonHeader accepts, code and opaque, and every extFields value that is a
//    string, are what nlohmann's DOM holds for them.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "remoting/json_header.h"
#include "remoting/json_header_reader.h"
#include "tests/fuzz/fuzz_support.h"

using holdfast::fuzz::Check;
using holdfast::remoting::json_header_internal::HeaderReader;
using holdfast::remoting::json_header_internal::Value;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  HeaderReader reader(text);
  Value::Kind top = Value::Kind::kAbsent;
  const bool read = reader.ReadDocument(&top);
  Check(read == nlohmann::json::accept(text));
  if (!read) Check(!reader.error().empty() && reader.position() <= text.size());

  auto command = holdfast::remoting::DecodeJsonHeader(text);
  if (!command.ok()) {
    Check(command.status().IsCorruption());
    return 0;
  }
  Check(read && top == Value::Kind::kObject);
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  Check(j.is_object());
  Check(j.at("code").get<int64_t>() == command->code);
  Check(j.at("opaque").get<int64_t>() == command->opaque);
  auto ext = j.find("extFields");
  if (ext != j.end() && ext->is_object()) {
    for (const auto& [key, value] : ext->items()) {
      if (!value.is_string()) continue;
      const std::string* ours = command->FindExtField(key);
      Check(ours != nullptr && *ours == value.get<std::string>());
    }
  }
  return 0;
}
