#include "common/zlib_codec.h"

#include <zlib.h>

namespace holdfast {

Result<std::string> ZlibCompress(std::string_view in, int level) {
  uLongf bound = compressBound(static_cast<uLong>(in.size()));
  std::string out(bound, '\0');
  int rc =
      compress2(reinterpret_cast<Bytef*>(out.data()), &bound,
                reinterpret_cast<const Bytef*>(in.data()), static_cast<uLong>(in.size()), level);
  if (rc != Z_OK) return Status::InvalidArgument("zlib compress2 failed: " + std::to_string(rc));
  out.resize(bound);
  return out;
}

Result<std::string> ZlibUncompress(std::string_view in, size_t max_size) {
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) return Status::Corruption("zlib inflateInit failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[16 * 1024];
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof(buf) - zs.avail_out);
    if (out.size() > max_size) {
      inflateEnd(&zs);
      return Status::Corruption("zlib stream inflates beyond " + std::to_string(max_size) +
                                " bytes");
    }
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END)
    return Status::Corruption("not a whole zlib stream (zlib code " + std::to_string(rc) + ")");
  return out;
}

}  // namespace holdfast
