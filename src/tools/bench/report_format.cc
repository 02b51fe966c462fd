#include "tools/bench/report_format.h"

#include <fmt/format.h>

#include <algorithm>

namespace holdfast::tools {

std::string Thousands(double v) {
  auto n = static_cast<int64_t>(v + (v < 0 ? -0.5 : 0.5));
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string Us(double us) { return fmt::format("{:.1f}", us); }

std::string Bytes(int64_t n) {
  const double v = static_cast<double>(n);
  if (n >= (int64_t{1} << 30)) return fmt::format("{:.2f} GiB", v / (1 << 30));
  if (n >= (int64_t{1} << 20)) return fmt::format("{:.1f} MiB", v / (1 << 20));
  if (n >= 1024) return fmt::format("{:.1f} KiB", v / 1024);
  return fmt::format("{} B", n);
}

std::string Millis(double ms) { return fmt::format("{:.1f} ms", ms); }

std::string Mib(double bytes) { return fmt::format("{:.1f} MiB", bytes / (1024.0 * 1024.0)); }

std::string BytesExact(int64_t n) {
  return fmt::format("{} ({})", Thousands(static_cast<double>(n)), Bytes(n));
}

std::string GibLabel(double gib) { return fmt::format("{:g} GiB", gib); }

void Section(std::ostream& out, std::string_view title) {
  out << '\n' << title << '\n' << std::flush;
}

void TextTable::AddRow(std::vector<std::string> row) {
  row.resize(header_.size());
  rows_.push_back(std::move(row));
}

void TextTable::Print(std::ostream& out) const {
  std::vector<size_t> width(header_.size());
  for (size_t c = 0; c < header_.size(); ++c) width[c] = header_[c].size();
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s = "  ";
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) s += "  ";
      s += c == 0 ? fmt::format("{:<{}}", cells[c], width[c])
                  : fmt::format("{:>{}}", cells[c], width[c]);
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    out << s << '\n';
  };
  line(header_);
  std::vector<std::string> rule;
  for (size_t w : width) rule.emplace_back(w, '-');
  line(rule);
  for (const auto& row : rows_) line(row);
  out << std::flush;
}

}  // namespace holdfast::tools
