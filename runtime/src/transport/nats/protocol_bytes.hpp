// SPDX-License-Identifier: Apache-2.0
#pragma once
// The client's and JetStream's protocol lines and JSON bodies as Buffers, byte
// for byte (no encoding applied). Internal to the runtime.

#include <cstddef>
#include <span>
#include <string_view>

#include "wirekit/bytes/buffer.hpp"

namespace wirekit::nats::detail {

inline Buffer bufferOf(std::string_view text) {
  return Buffer::from(
      std::span<const std::byte>(reinterpret_cast<const std::byte*>(text.data()), text.size()));
}

}  // namespace wirekit::nats::detail
