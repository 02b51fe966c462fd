// How benchmark reports print numbers and tables, so every `holdfast bench` reads the same way.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::tools {

// 1234567 -> "1,234,567" (rounded to an integer).
std::string Thousands(double v);
// Microseconds with one decimal: 95.24 -> "95.2".
std::string Us(double us);
// 1536 -> "1.5 KiB"; binary units up to GiB.
std::string Bytes(int64_t n);
// 1536 -> "1,536 (1.5 KiB)".
std::string BytesExact(int64_t n);
// 12.34 -> "12.3 ms".
std::string Millis(double ms);
// 20971520 -> "20.0 MiB" (one decimal at any size).
std::string Mib(double bytes);
// 4 -> "4 GiB".
std::string GibLabel(double gib);
// A blank line, then the title.
void Section(std::ostream& out, std::string_view title);

// Columns of text, the first left-aligned and the rest right-aligned, two spaces apart, with a
// dashed rule under the header.
class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
  // Short rows are padded with empty cells; long ones are cut to the header's width.
  void AddRow(std::vector<std::string> row);
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace holdfast::tools
