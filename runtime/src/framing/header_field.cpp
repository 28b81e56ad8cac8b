// SPDX-License-Identifier: Apache-2.0
#include "wirekit/framing/header_field.hpp"

#include <fmt/format.h>

#include "wirekit/error.hpp"

namespace wirekit::detail {

void checkFieldLength(std::size_t length, const char* what) {
  if (!isFieldLength(length)) {
    throw RangeError(fmt::format("{} must be 1, 2, 3, 4 or 8 bytes, not {}", what, length));
  }
}

}  // namespace wirekit::detail
