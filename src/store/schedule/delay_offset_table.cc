#include "store/schedule/delay_offset_table.h"

#include <fmt/format.h>

#include <charconv>

namespace holdfast::store::schedule {

namespace {

constexpr std::string_view kOffsetTable = "\"offsetTable\"";

// A cursor over the text of one offsetTable object.
class Scanner {
 public:
  Scanner(std::string_view text, size_t pos) : text_(text), pos_(pos) {}

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Take(char c) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  // An integer, bare or in double quotes.
  template <typename Int>
  bool Integer(Int* out) {
    SkipSpace();
    const bool quoted = Take('"');
    const char* first = text_.data() + pos_;
    auto [end, ec] = std::from_chars(first, text_.data() + text_.size(), *out);
    if (ec != std::errc() || end == first) return false;
    pos_ = static_cast<size_t>(end - text_.data());
    return !quoted || Take('"');
  }
  size_t pos() const { return pos_; }

 private:
  std::string_view text_;
  size_t pos_;
};

}  // namespace

std::string EncodeDelayOffsetTable(const DelayOffsetTable& table) {
  std::string entries;
  for (const auto& [level, offset] : table) {
    entries += fmt::format("{}{}:{}", entries.empty() ? "" : ",", level, offset);
  }
  return fmt::format("{{\n\t\"offsetTable\":{{{}}}\n}}", entries);
}

Result<DelayOffsetTable> DecodeDelayOffsetTable(std::string_view text, std::string_view source) {
  auto bad = [&](size_t pos, std::string_view what) {
    return Status::Corruption(fmt::format("{}: {} at byte {}", source, what, pos));
  };
  const size_t key = text.find(kOffsetTable);
  if (key == std::string_view::npos) return bad(0, "no \"offsetTable\"");
  Scanner s(text, key + kOffsetTable.size());
  if (!s.Take(':') || !s.Take('{')) return bad(s.pos(), "offsetTable is not an object");
  DelayOffsetTable table;
  if (s.Take('}')) return table;
  while (true) {
    int32_t level = 0;
    int64_t offset = 0;
    if (!s.Integer(&level) || level < 1) return bad(s.pos(), "a key that is not a delay level");
    if (!s.Take(':')) return bad(s.pos(), "no ':' after a level");
    if (!s.Integer(&offset) || offset < 0) {
      return bad(s.pos(), fmt::format("the offset of level {} is not a queue offset", level));
    }
    table[level] = offset;
    if (s.Take('}')) return table;
    if (!s.Take(',')) return bad(s.pos(), "offsetTable does not close");
  }
}

}  // namespace holdfast::store::schedule
