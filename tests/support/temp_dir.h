// A fresh directory under $TMPDIR (or /tmp) for one test, removed with everything in it when the
// TempDir is destroyed, unless HOLDFAST_KEEP_TEST_DIRS is set (for post-mortems).
#pragma once

#include <string>

namespace holdfast::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace holdfast::testing
