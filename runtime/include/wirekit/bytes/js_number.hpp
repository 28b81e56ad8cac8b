// SPDX-License-Identifier: Apache-2.0
#pragma once
// Numbers written as JavaScript writes them (Number.prototype.toString): the
// shortest digits that read back to the same value, decimal notation from 1e-7 to
// 1e21 and exponent notation outside, NaN and Infinity by name. Typed arrays print
// their elements this way, and the generated codecs' JSON form uses it so that C++
// and the wirekit CLI print identical text.

#include <concepts>
#include <string>

#include <fmt/format.h>

#include "wirekit/export.hpp"

namespace wirekit {

template <std::floating_point F>
WIREKIT_EXPORT void formatJsNumber(fmt::memory_buffer& out, F value);

// Integers print as themselves; only floating-point values need the rules above.
template <std::floating_point F>
[[nodiscard]] std::string jsNumberToString(F value) {
  fmt::memory_buffer out;
  formatJsNumber(out, value);
  return fmt::to_string(out);
}

extern template void formatJsNumber<float>(fmt::memory_buffer&, float);
extern template void formatJsNumber<double>(fmt::memory_buffer&, double);

}  // namespace wirekit
