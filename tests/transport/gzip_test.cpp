// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "transport_test_support.hpp"
#include "wirekit/error.hpp"
#include "wirekit/framing/frame_decoder_stream.hpp"
#include "wirekit/framing/frame_encoder_stream.hpp"
#include "wirekit/stream/readable.hpp"
#include "wirekit/transport/file_read_stream.hpp"
#include "wirekit/transport/file_write_stream.hpp"
#include "wirekit/transport/gzip.hpp"

using namespace wirekit;
using namespace wirekit::test;

namespace {

// What a Transform gave for its input, and how it ended.
struct Output {
  std::string bytes;
  std::size_t chunks = 0;
  std::exception_ptr error;
  bool ended = false;
};

// Writes input to transform in pieces of pieceSize bytes (all of it at once
// for 0), ends it, and collects what comes out.
Output run(asio::io_context& io, const std::shared_ptr<Transform>& transform,
           const std::string& input, std::size_t pieceSize = 0) {
  Output output;
  bool closed = false;
  transform->on(events::data, [&output](const Buffer& chunk) {
    output.bytes += rawString(chunk);
    ++output.chunks;
  });
  transform->on(events::end, [&output] { output.ended = true; });
  transform->on(events::error,
                [&output](const std::exception_ptr& error) { output.error = error; });
  transform->on(events::close, [&closed] { closed = true; });
  const std::size_t step = pieceSize == 0 ? std::max<std::size_t>(input.size(), 1) : pieceSize;
  for (std::size_t offset = 0; offset < input.size(); offset += step)
    transform->write(rawBuffer(std::string_view(input).substr(offset, step)));
  transform->end();
  runUntil(io, [&] { return closed; });
  return output;
}

std::string gzip(asio::io_context& io, const std::string& input, std::size_t pieceSize = 0,
                 const ZlibOptions& options = {}) {
  const Output output = run(io, createGzip(io, options), input, pieceSize);
  REQUIRE_FALSE(output.error);
  REQUIRE(output.ended);
  return output.bytes;
}

std::string fromHex(const std::string& hex) {
  return rawString(Buffer::from(hex, Encoding::hex));
}

// Text that compresses, but not to nothing: numbered lines.
std::string sampleText(std::size_t lines) {
  std::string text;
  for (std::size_t i = 0; i < lines; ++i)
    text += "line " + std::to_string(i * 7919 % 100003) + " of the log\n";
  return text;
}

// zlib.gzipSync("hello") in Node 20.
const std::string nodeHello = "1f8b0800000000000003cb48cdc9c9070086a6103605000000";

}  // namespace

TEST_CASE("gzip: compresses as Node does, and gunzip reads Node's output") {
  asio::io_context io;
  CHECK(gzip(io, "hello") == fromHex(nodeHello));
  const Output output = run(io, createGunzip(io), fromHex(nodeHello));
  CHECK_FALSE(output.error);
  CHECK(output.bytes == "hello");
}

TEST_CASE("gzip: round trips, whole or one byte at a time") {
  asio::io_context io;
  const std::string input = sampleText(20000);
  const std::size_t inPieces = GENERATE(0, 1, 1000);
  const std::size_t outPieces = GENERATE(0, 1, 777);
  INFO("gzip input in pieces of " << inPieces << ", gunzip input in pieces of " << outPieces);
  const std::string compressed = gzip(io, input, inPieces);
  CHECK(compressed.substr(0, 2) == "\x1f\x8b");
  CHECK(compressed.size() < input.size() / 3);
  auto gunzip = createGunzip(io, {.chunkSize = 4096});
  const Output output = run(io, gunzip, compressed, outPieces);
  CHECK_FALSE(output.error);
  CHECK(output.ended);
  CHECK(output.bytes == input);
  CHECK(gunzip->bytesWritten() == compressed.size());
}

TEST_CASE("gzip: levels and empty input") {
  asio::io_context io;
  const std::string input = sampleText(2000);
  const std::string stored = gzip(io, input, 0, {.level = 0});
  const std::string best = gzip(io, input, 0, {.level = 9});
  CHECK(stored.size() > input.size());
  CHECK(best.size() < input.size() / 3);
  CHECK(run(io, createGunzip(io), stored).bytes == input);
  CHECK(run(io, createGunzip(io), best).bytes == input);

  // An empty input is a member of its own, not nothing.
  const std::string empty = gzip(io, "");
  CHECK(empty.size() == 20);
  const Output output = run(io, createGunzip(io), empty);
  CHECK_FALSE(output.error);
  CHECK(output.bytes.empty());
  CHECK(output.ended);
}

TEST_CASE("gunzip: concatenated members are one stream, zero padding after them is ignored") {
  asio::io_context io;
  const std::string members = gzip(io, "hello, ") + gzip(io, "") + gzip(io, "world");
  const std::size_t pieces = GENERATE(0, 1, 7);
  INFO("in pieces of " << pieces);
  CHECK(run(io, createGunzip(io), members, pieces).bytes == "hello, world");
  const Output padded = run(io, createGunzip(io), members + std::string(9, '\0'), pieces);
  CHECK_FALSE(padded.error);
  CHECK(padded.bytes == "hello, world");
}

TEST_CASE("gunzip: corrupt or cut input is a ZlibError naming the compressed offset") {
  asio::io_context io;
  const std::string compressed = gzip(io, sampleText(100));

  SECTION("not gzip at all") {
    const Output output = run(io, createGunzip(io), "not gzip at all");
    const auto error = errorAs<ZlibError>(output.error);
    CHECK(error.code() == "Z_DATA_ERROR");
    CHECK(error.offset() <= 2);
    CHECK(std::string(error.what()) == "gunzip: incorrect header check at compressed byte " +
                                           std::to_string(error.offset()) + " (Z_DATA_ERROR)");
    CHECK_FALSE(output.ended);
  }

  SECTION("a damaged trailer") {
    std::string damaged = compressed;
    damaged[damaged.size() - 6] = static_cast<char>(damaged[damaged.size() - 6] ^ 1);
    const Output output = run(io, createGunzip(io), damaged);
    const auto error = errorAs<ZlibError>(output.error);
    CHECK(error.code() == "Z_DATA_ERROR");
    CHECK(std::string(error.what()).find("incorrect data check") != std::string::npos);
    CHECK(error.offset() > compressed.size() - 8);
    CHECK(error.offset() <= compressed.size());
  }

  SECTION("a damaged block, fed one byte at a time") {
    std::string damaged = compressed;
    for (std::size_t i = 12; i < 20; ++i)
      damaged[i] = '\xff';
    const Output output = run(io, createGunzip(io), damaged, 1);
    const auto error = errorAs<ZlibError>(output.error);
    CHECK(error.code() == "Z_DATA_ERROR");
    CHECK(error.offset() >= 12);
    CHECK(error.offset() <= 21);
  }

  SECTION("cut short") {
    const Output output = run(io, createGunzip(io), compressed.substr(0, 30));
    const auto error = errorAs<ZlibError>(output.error);
    CHECK(error.code() == "Z_BUF_ERROR");
    CHECK(error.offset() == 30);
    CHECK(std::string(error.what()) ==
          "gunzip: unexpected end of file at compressed byte 30 (Z_BUF_ERROR)");
  }

  SECTION("empty, as Node says") {
    const Output output = run(io, createGunzip(io), "");
    CHECK(errorAs<ZlibError>(output.error).code() == "Z_BUF_ERROR");
  }

  SECTION("garbage after a member") {
    const Output output = run(io, createGunzip(io), compressed + "xyz");
    const auto error = errorAs<ZlibError>(output.error);
    CHECK(error.code() == "Z_DATA_ERROR");
    CHECK(error.offset() >= compressed.size());
  }
}

TEST_CASE("gzip: options out of range are RangeErrors") {
  asio::io_context io;
  CHECK_THROWS_MATCHES(createGzip(io, {.level = 10}), RangeError,
                       Catch::Matchers::Message("The value of \"options.level\" is out of range. "
                                                "It must be >= -1 and <= 9. Received 10"));
  CHECK_THROWS_AS(createGunzip(io, {.windowBits = 16}), RangeError);
  CHECK_THROWS_AS(createGzip(io, {.chunkSize = 10}), RangeError);
}

TEST_CASE("gzip: a framed log compressed on the fly and replayed through gunzip") {
  asio::io_context io;
  const ScratchFile scratch("framed.gz");
  std::vector<Buffer> bodies;
  for (std::uint32_t i = 0; i < 5000; ++i)
    bodies.push_back(sofhFrame(i % 200, i).subarray(6));

  REQUIRE_FALSE(
      runPipeline(io, {Readable::from(io, bodies), std::make_shared<FrameEncoderStream>(io),
                       createGzip(io), createWriteStream(io, scratch.path())}));

  auto decoder = std::make_shared<FrameDecoderStream>(io);
  std::size_t replayed = 0;
  decoder->on(events::data, [&](const Buffer& body) {
    REQUIRE(replayed < bodies.size());
    REQUIRE(body.equals(bodies[replayed]));
    ++replayed;
  });
  REQUIRE_FALSE(runPipeline(io, {createReadStream(io, scratch.path()), createGunzip(io), decoder}));
  CHECK(replayed == bodies.size());
}
