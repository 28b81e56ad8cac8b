#include "wirekit/bytes/typed_array.hpp"

namespace wirekit::detail {

void throwTypedArrayError(std::string_view arrayName, std::string message, bool typeError) {
  std::string text = fmt::format("{}: {}", arrayName, message);
  if (typeError) throw TypeError(std::move(text));
  throw RangeError(std::move(text));
}

}  // namespace wirekit::detail
