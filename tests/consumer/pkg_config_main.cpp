// SPDX-License-Identifier: Apache-2.0
// The smallest program built with `pkg-config --cflags --libs wirekit` and no
// CMake: check_consumer.cmake compiles it against an installed prefix and runs it.
#include <wirekit/bytes/buffer.hpp>

int main() {
  // Buffer::from is compiled into libwirekit: the program links only if Libs is right.
  const auto buffer = wirekit::Buffer::from({0xCA, 0xFE});
  return buffer.readUInt16BE(0) == 0xCAFE ? 0 : 1;
}
