// Small text files the tools read whole: a child process's log, a /proc file.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace holdfast::tools {

// The whole file, or nullopt when it cannot be opened (e.g. the thread or process it describes
// has ended). Not store::ReadWholeFile: that opens for writing and reads stat()'s size, and /proc
// files are read-only and report a size of 0.
std::optional<std::string> ReadTextFile(const std::filesystem::path& path);

// The last `n` characters of `text`, after "..." when some were cut: what an error quotes of a
// log.
std::string TextTail(const std::string& text, size_t n);

}  // namespace holdfast::tools
