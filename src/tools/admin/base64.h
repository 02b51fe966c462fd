// Base64 (RFC 4648 §4, with padding), for binary message bodies in JSON exports.
// Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace holdfast::tools::admin {

std::string Base64Encode(std::string_view bytes);

}  // namespace holdfast::tools::admin
