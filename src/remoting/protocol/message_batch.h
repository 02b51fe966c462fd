// The body of a batch send (SEND_BATCH_MESSAGE, or a send with batch=true; docs/protocol.md §6.4):
// the messages back to back as MessageDecoder.encodeMessages writes them, each
//   TOTALSIZE int32 | MAGICCODE int32 (0) | BODYCRC int32 (0) | FLAG int32 |
//   BODYLEN int32 | BODY | PROPLEN int16 | PROPERTIES
// big-endian; the broker recomputes the CRC and ignores the magic code. Written by our producer,
// read by our broker.
//
// Plain values and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace holdfast::protocol {

struct BatchMessage {
  int32_t flag = 0;
  std::string body;
  std::string properties;  // the encoded property string

  bool operator==(const BatchMessage&) const = default;
};

// Appends one record; the properties must fit PROPLEN (at most 32767 bytes, checked by callers).
void AppendBatchRecord(std::string_view body, std::string_view properties, int32_t flag,
                       std::string* out);
std::string EncodeBatchBody(const std::vector<BatchMessage>& messages);

// Splits a batch body into its records. InvalidArgument naming the record and field when a length
// is negative or runs past the body or the record's TOTALSIZE.
Result<std::vector<BatchMessage>> DecodeBatchBody(std::string_view body);

}  // namespace holdfast::protocol
