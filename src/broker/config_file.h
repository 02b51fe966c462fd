// One RocketMQ-style config file (<storePathRootDir>/config/<name>.json) with a .bak copy of its
// previous content, shared by the topic, subscription-group and consumer-offset managers so the
// rotation and fallback live in one place.
//
// Persist: the file's current content is copied to <path>.bak, then the new text replaces <path>;
// both steps go through store::WriteFileAtomically, so each file always holds a complete version
// and is durable (synced, directory synced) when Persist returns ok. If Load found <path> corrupt,
// the first Persist does not copy it over the good .bak.
//
// Load: decodes <path>; if it is unreadable or decode fails, logs a line naming the file and
// decodes <path>.bak instead. Thread-safe: Persist and Load are serialised inside.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "common/status.h"
#include "store/file_system.h"

namespace holdfast::broker {

// <root>/config/<file_name>, as RocketMQ's BrokerPathConfigHelper lays it out.
std::string ConfigFilePath(const std::string& store_root_dir, std::string_view file_name);

class ConfigFile {
 public:
  // decode must leave its target untouched when it returns an error (decode into a temporary,
  // then swap), because a failed main file is followed by a second call with the .bak text.
  using Decoder = std::function<Status(const std::string& text)>;

  // fs must outlive this object.
  ConfigFile(store::FileSystem* fs, std::string path);

  // Ok without calling decode when neither the file nor its .bak exists (a fresh broker).
  // Corruption naming both files when neither decodes; the decoder's own error is included.
  Status Load(const Decoder& decode);

  // Writes encode()'s text. encode runs under this object's lock, so of two concurrent Persist
  // calls the later encoding is the one left on disk (no older snapshot overwrites a newer one).
  // IoError/NoSpace from the file system; on error the file holds its previous or new content.
  using Encoder = std::function<std::string()>;
  Status Persist(const Encoder& encode);

  const std::string& path() const { return path_; }
  std::string bak_path() const { return path_ + ".bak"; }

 private:
  Status TryDecode(const std::string& path, const Decoder& decode);

  // Constant after construction.
  store::FileSystem* const fs_;
  const std::string path_;

  std::mutex mu_;
  // Protected by mu_: the main file was found corrupt by Load and has not been rewritten since.
  bool main_is_bad_ = false;
};

}  // namespace holdfast::broker
