#include "tools/admin/message_decoder.h"

#include "common/message_codec.h"
#include "common/zlib_codec.h"

namespace holdfast::tools::admin {

namespace {

constexpr size_t kMaxUncompressedBody = 64 * 1024 * 1024;

}  // namespace

Result<std::vector<MessageExt>> DecodeMessages(std::string_view body) {
  std::vector<MessageExt> out;
  size_t pos = 0;
  while (pos < body.size()) {
    Result<MessageView> view = DecodeStoredRecord(body.substr(pos), /*check_body_crc=*/false);
    if (!view.ok() || view->store_size <= 0) {
      return Status::Corruption("the stored record at byte " + std::to_string(pos) +
                                " does not decode: " + view.status().message());
    }
    MessageExt msg = view->ToMessageExt();
    if (msg.sys_flag & sysflag::kCompressed) {
      Result<std::string> plain = ZlibUncompress(msg.body, kMaxUncompressedBody);
      if (!plain.ok()) {
        return Status::Corruption("the compressed body at byte " + std::to_string(pos) +
                                  " does not inflate: " + plain.status().message());
      }
      msg.body = *std::move(plain);
    }
    out.push_back(std::move(msg));
    pos += static_cast<size_t>(view->store_size);
  }
  return out;
}

}  // namespace holdfast::tools::admin
