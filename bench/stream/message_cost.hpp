#pragma once
// The MessageStream's cost per message on one thread (message_cost.cpp), for
// callgrind: see main.cpp.

#include <cstddef>
#include <functional>
#include <string>

namespace bench::streams {

// Runs loop(n) for a named case with instrumentation on: count(name, n, loop).
using CountLoop = std::function<void(const std::string& name, std::size_t n,
                                     const std::function<void(std::size_t)>& loop)>;

// Counts receiving and sending, each frame size, over chunks 64 KiB chunks' worth of messages.
void countMessageInstructions(std::size_t chunks, const CountLoop& count);

}  // namespace bench::streams
