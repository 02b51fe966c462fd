// A plain blocking TCP client (on 127.0.0.1 unless told otherwise) for tests that must see or send
// exact bytes: garbage, half frames, peers that stop reading, or a response header as it is on the
// wire. Every read gives up after a 5 s receive timeout. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace holdfast::testing {

class RawPeer {
 public:
  explicit RawPeer(uint16_t port);
  // To `ipv4` (for example another loopback address, 127.0.0.2) instead of 127.0.0.1.
  RawPeer(const std::string& ipv4, uint16_t port);
  ~RawPeer();
  RawPeer(const RawPeer&) = delete;
  RawPeer& operator=(const RawPeer&) = delete;

  bool connected() const { return connected_; }
  // Sends all of bytes; false on error.
  bool Write(std::string_view bytes);
  // Up to 64 KiB; empty on close, error or timeout.
  std::string ReadSome();
  // One whole remoting frame (length field included); empty on close, error or timeout.
  std::string ReadFrame();
  // True when the server closed the connection (anything it sent first is read and dropped).
  bool WaitClosedByServer();

 private:
  bool ReadExactly(size_t n, std::string& out);

  int fd_ = -1;
  bool connected_ = false;
};

}  // namespace holdfast::testing
