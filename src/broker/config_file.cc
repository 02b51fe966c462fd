#include "broker/config_file.h"

#include <utility>

#include "common/logging.h"

namespace holdfast::broker {

namespace {

// WriteFileAtomically, removing its temporary file (best effort) when it fails, so no stray
// <name>.tmp is left in the config directory.
Status WriteOrCleanUp(store::FileSystem* fs, const std::string& path, std::string_view text) {
  Status s = store::WriteFileAtomically(fs, path, text);
  if (!s.ok()) {
    const std::string tmp = path + ".tmp";
    if (fs->Exists(tmp) && !fs->Remove(tmp).ok()) spdlog::warn("could not remove {}", tmp);
  }
  return s;
}

}  // namespace

std::string ConfigFilePath(const std::string& store_root_dir, std::string_view file_name) {
  return store_root_dir + "/config/" + std::string(file_name);
}

ConfigFile::ConfigFile(store::FileSystem* fs, std::string path) : fs_(fs), path_(std::move(path)) {}

Status ConfigFile::TryDecode(const std::string& path, const Decoder& decode) {
  auto text = store::ReadWholeFile(fs_, path);
  if (!text.ok()) return text.status();
  return decode(*text);
}

Status ConfigFile::Load(const Decoder& decode) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string bak = bak_path();
  const bool main_exists = fs_->Exists(path_);
  const bool bak_exists = fs_->Exists(bak);
  if (!main_exists && !bak_exists) return Status::Ok();

  Status main_status = Status::NotFound(path_ + " does not exist");
  if (main_exists) {
    main_status = TryDecode(path_, decode);
    if (main_status.ok()) {
      main_is_bad_ = false;
      return Status::Ok();
    }
    spdlog::warn("config file {} is unreadable ({}); trying {}", path_, main_status.ToString(),
                 bak);
  }
  if (!bak_exists) {
    return Status::Corruption(path_ + ": " + main_status.ToString() + "; and no " + bak);
  }
  Status bak_status = TryDecode(bak, decode);
  if (!bak_status.ok()) {
    return Status::Corruption(path_ + ": " + main_status.ToString() + "; and " + bak + ": " +
                              bak_status.ToString());
  }
  spdlog::warn("config file {} loaded from backup {}", path_, bak);
  main_is_bad_ = true;
  return Status::Ok();
}

Status ConfigFile::Persist(const Encoder& encode) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string text = encode();
  HOLDFAST_RETURN_IF_ERROR(fs_->CreateDirs(store::DirName(path_)));
  if (!main_is_bad_ && fs_->Exists(path_)) {
    auto previous = store::ReadWholeFile(fs_, path_);
    if (!previous.ok()) return previous.status();
    HOLDFAST_RETURN_IF_ERROR(WriteOrCleanUp(fs_, bak_path(), *previous));
  }
  HOLDFAST_RETURN_IF_ERROR(WriteOrCleanUp(fs_, path_, text));
  main_is_bad_ = false;
  return Status::Ok();
}

}  // namespace holdfast::broker
