// SPDX-License-Identifier: Apache-2.0
#pragma once
// The MessageStream's cost per message on one thread (message_cost.cpp), for
// callgrind: see main.cpp.

#include <cstddef>

namespace bench::streams {

// Counts receiving and sending (bench::countInstructions), each frame size,
// over chunks 64 KiB chunks' worth of messages.
void countMessageInstructions(std::size_t chunks);

}  // namespace bench::streams
