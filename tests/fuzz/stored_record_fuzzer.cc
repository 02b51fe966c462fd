// libFuzzer target: the stored-record decoder and the property parser, which read bytes from
// disk (recovery) and, later, from the network (send batches, pulls). Any input must give a
// value or a Corruption status; never a crash, a hang or an out-of-bounds read.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/message.h"
#include "common/message_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto view = holdfast::DecodeStoredRecord(input, true);
  if (view.ok()) {
    // A record that decodes must re-encode to the same bytes (modulo the IPv6 flag derivation,
    // which the encoder recomputes from the hosts it decoded).
    holdfast::MessageExt msg = view->ToMessageExt();
    std::string again;
    if (holdfast::EncodeStoredRecord(msg, &again).ok() &&
        again.size() != static_cast<size_t>(view->store_size)) {
      __builtin_trap();
    }
    (void)holdfast::DecodeProperties(view->properties);
  }
  (void)holdfast::DecodeProperties(input);
  (void)holdfast::FindProperty(input, "KEYS");
  return 0;
}
