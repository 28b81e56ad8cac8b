// SPDX-License-Identifier: Apache-2.0
#include "wirekit/bytes/typed_array.hpp"

namespace wirekit::detail {

void throwTypedArrayError(std::string_view arrayName, std::string message, bool typeError) {
  const std::string text = fmt::format("{}: {}", arrayName, message);
  if (typeError) throw TypeError(text);
  throw RangeError(text);
}

}  // namespace wirekit::detail
