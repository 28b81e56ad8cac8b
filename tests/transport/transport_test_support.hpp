// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the transport tests share: running an io_context until a condition
// holds (bounded in time), pulling a given exception type out of an
// exception_ptr, frames and scratch files.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <unistd.h>
#include <asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/stream/pipeline.hpp"
#include "wirekit/stream/stream.hpp"

namespace wirekit::test {

// Runs context one handler at a time until done() is true; fails the test if
// that takes longer than limit, or if context runs out of work first.
template <class Done>
void runUntil(asio::io_context& context, Done done,
              std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  context.restart();
  while (!done()) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) break;
    if (context.run_one_for(deadline - now) == 0) break;
  }
  REQUIRE(done());
}

// Runs what context has left to do (closing sockets, posted events), for at
// most limit.
inline void drain(asio::io_context& context,
                  std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  context.restart();
  context.run_for(limit);
}

// Runs pipeline(streams) until it calls back; returns what it called back
// with (null: every stream finished).
inline std::exception_ptr runPipeline(asio::io_context& context,
                                      std::vector<std::shared_ptr<Stream>> streams) {
  std::exception_ptr result;
  bool done = false;
  pipeline(std::move(streams), [&](std::exception_ptr error) {
    result = std::move(error);
    done = true;
  });
  runUntil(context, [&] { return done; });
  return result;
}

// The E inside error; fails the test if error is null or something else.
template <class E>
E errorAs(const std::exception_ptr& error) {
  REQUIRE(error);
  try {
    std::rethrow_exception(error);
  } catch (const E& expected) {
    return expected;
  } catch (...) {
    FAIL("not the expected kind of error: " << errorMessage(error));
  }
  throw std::logic_error("unreachable");
}

// The bytes of buffer, one char each.
inline std::string rawString(const Buffer& buffer) {
  return {reinterpret_cast<const char*>(buffer.begin()), buffer.length()};
}

// A Buffer of the chars of bytes, one byte each.
inline Buffer rawBuffer(std::string_view bytes) {
  return Buffer::from(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

// A SOFH frame (6-byte header, then the body) with a body of length bytes
// that depend on seed, so that a misplaced frame shows.
inline Buffer sofhFrame(std::size_t length, std::uint32_t seed) {
  Buffer frame = Buffer::allocUnsafe(6 + length);
  frame.writeUInt32BE(static_cast<std::int64_t>(6 + length), 0);
  frame.writeUInt16BE(0xEB50, 4);
  for (std::size_t i = 0; i < length; ++i)
    frame[6 + i] = static_cast<std::uint8_t>(seed * 31 + i);
  return frame;
}

// A file under the system's temporary directory, removed when the test ends.
class ScratchFile {
 public:
  explicit ScratchFile(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("wirekit-transport-" + std::to_string(::getpid()) + "-" + name)) {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  ~ScratchFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }

  [[nodiscard]] std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace wirekit::test
