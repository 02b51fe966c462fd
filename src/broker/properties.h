// Java .properties text as RocketMQ's broker.conf uses it: "key=value" (or "key:value", or
// "key value"), '#' and '!' comment lines, a trailing backslash continuing the line, and the
// escapes \\ \t \n \r \f \uXXXX (any other escaped character stands for itself). Unlike Java, the
// value's trailing whitespace is trimmed too.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace holdfast::broker {

struct PropertyEntry {
  std::string key;
  std::string value;
  int line = 0;  // 1-based line where the entry starts
};

// Entries in file order; a repeated key appears twice (the later one wins when applied).
// InvalidArgument naming source and line for a malformed \u escape.
Result<std::vector<PropertyEntry>> ParseProperties(std::string_view text, std::string_view source);

// Escapes a value so ParseProperties reads it back unchanged.
std::string EscapePropertyValue(std::string_view value);

}  // namespace holdfast::broker
