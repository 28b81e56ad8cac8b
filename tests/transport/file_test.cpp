// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <asio/post.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "transport_test_support.hpp"
#include "wirekit/error.hpp"
#include "wirekit/framing/frame_decoder_stream.hpp"
#include "wirekit/framing/frame_encoder_stream.hpp"
#include "wirekit/stream/readable.hpp"
#include "wirekit/transport/file_read_stream.hpp"
#include "wirekit/transport/file_write_stream.hpp"

using namespace wirekit;
using namespace wirekit::test;

namespace {

std::string fileContents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeFile(const std::string& path, const std::string& contents) {
  std::ofstream(path, std::ios::binary) << contents;
}

// What a read stream gave, and how it ended.
struct Read {
  std::vector<Buffer> chunks;
  std::exception_ptr error;
  int descriptor = -1;
  bool ended = false;
  bool closed = false;

  [[nodiscard]] std::string bytes() const {
    std::string out;
    for (const Buffer& chunk : chunks)
      out += rawString(chunk);
    return out;
  }
};

Read readAll(asio::io_context& io, const std::shared_ptr<FileReadStream>& file) {
  Read read;
  file->on(events::open, [&read](int descriptor) { read.descriptor = descriptor; });
  file->on(events::data, [&read](const Buffer& chunk) { read.chunks.push_back(chunk); });
  file->on(events::end, [&read] { read.ended = true; });
  file->on(events::error, [&read](const std::exception_ptr& error) { read.error = error; });
  file->on(events::close, [&read] { read.closed = true; });
  runUntil(io, [&] { return read.closed; });
  return read;
}

// Frames of 6 to 305 bytes, the body of frame i depending on i.
std::vector<Buffer> someFrames(std::uint32_t count) {
  std::vector<Buffer> frames;
  for (std::uint32_t i = 0; i < count; ++i)
    frames.push_back(sofhFrame(i % 300, i));
  return frames;
}

// Writes frames to a new file at path, in one turn, and ends it.
void writeLog(asio::io_context& io, const std::string& path, const std::vector<Buffer>& frames) {
  auto log = createWriteStream(io, path);
  bool finished = false;
  for (const Buffer& frame : frames)
    log->write(frame);
  log->end([&finished](const std::exception_ptr& error) {
    REQUIRE_FALSE(error);
    finished = true;
  });
  runUntil(io, [&] { return finished; });
}

}  // namespace

TEST_CASE("Files: what a FileWriteStream writes, a FileReadStream reads back") {
  asio::io_context io;
  const ScratchFile scratch("round-trip");
  const std::vector<Buffer> frames = someFrames(10000);
  std::string expected;
  for (const Buffer& frame : frames)
    expected += rawString(frame);

  auto log = createWriteStream(io, scratch.path(), {.fsync = true});
  CHECK(log->pending());
  int opened = -1;
  bool finished = false;
  bool closed = false;
  log->on(events::open, [&opened](int descriptor) { opened = descriptor; });
  log->on(events::finish, [&] { finished = true; });
  log->on(events::close, [&] { closed = true; });
  // As Node's docs advise: write while write() says so, then wait for 'drain'.
  std::size_t next = 0;
  std::size_t drains = 0;
  std::function<void()> writeMore = [&] {
    while (next < frames.size()) {
      if (!log->write(frames[next++])) return;
    }
    log->end();
  };
  log->on(events::drain, [&] {
    ++drains;
    writeMore();
  });
  writeMore();
  runUntil(io, [&] { return closed; });

  CHECK(opened >= 0);
  CHECK(finished);
  CHECK(drains > 0);
  CHECK(log->bytesWritten() == expected.size());
  // 10000 writes; each writev takes what queued behind the one before.
  INFO("writev calls: " << log->writeCalls());
  CHECK(log->writeCalls() < frames.size() / 10);
  CHECK(fileContents(scratch.path()) == expected);

  auto file = createReadStream(io, scratch.path());
  const Read read = readAll(io, file);
  CHECK_FALSE(read.error);
  CHECK(read.descriptor >= 0);
  CHECK(read.ended);
  CHECK(read.bytes() == expected);
  CHECK(file->bytesRead() == expected.size());
  // 64 KiB a chunk, the last one less.
  for (std::size_t i = 0; i + 1 < read.chunks.size(); ++i)
    CHECK(read.chunks[i].length() == defaultFileHighWaterMark);
  CHECK(read.chunks.size() ==
        (expected.size() + defaultFileHighWaterMark - 1) / defaultFileHighWaterMark);
}

TEST_CASE("Files: a writev takes what queued up to highWaterMark (1 MiB), not a chunk per call") {
  asio::io_context io;
  const ScratchFile scratch("batched");
  constexpr std::size_t chunkSize = 64 * 1024;
  constexpr std::size_t chunkCount = 64;
  std::vector<Buffer> chunks;
  std::string expected;
  for (std::size_t i = 0; i < chunkCount; ++i) {
    chunks.push_back(Buffer::alloc(chunkSize, static_cast<std::uint8_t>(i)));
    expected += rawString(chunks.back());
  }

  auto log = createWriteStream(io, scratch.path());
  CHECK(log->writableHighWaterMark() == std::size_t{1} << 20);
  bool closed = false;
  log->on(events::close, [&] { closed = true; });
  std::size_t next = 0;
  std::vector<std::size_t> refusedAt;  // the writes that returned false
  std::function<void()> writeMore = [&] {
    while (next < chunkCount) {
      if (!log->write(chunks[next++])) {
        refusedAt.push_back(next);
        return;
      }
    }
    log->end();
  };
  log->on(events::drain, writeMore);
  writeMore();
  runUntil(io, [&] { return closed; });

  // Each 16th write reaches 1 MiB.
  CHECK(refusedAt == std::vector<std::size_t>{16, 32, 48, 64});
  // Per MiB: the first chunk goes to the pool at once, the 15 queued behind
  // it in the next call (64 calls with a chunk per call).
  INFO("writev calls: " << log->writeCalls());
  CHECK(log->writeCalls() <= 8);
  CHECK(log->bytesWritten() == expected.size());
  CHECK(fileContents(scratch.path()) == expected);
}

TEST_CASE("Files: a framed log replays frame by frame") {
  asio::io_context io;
  const ScratchFile scratch("framed");
  const std::vector<Buffer> frames = someFrames(3000);

  // Log: message bodies, framed on the way to the file.
  std::vector<Buffer> bodies;
  for (const Buffer& frame : frames)
    bodies.push_back(frame.subarray(6));
  REQUIRE_FALSE(
      runPipeline(io, {Readable::from(io, bodies), std::make_shared<FrameEncoderStream>(io),
                       createWriteStream(io, scratch.path())}));

  // Replay.
  auto decoder = std::make_shared<FrameDecoderStream>(io);
  std::vector<Buffer> replayed;
  decoder->on(events::data, [&replayed](const Buffer& body) { replayed.push_back(body); });
  REQUIRE_FALSE(runPipeline(io, {createReadStream(io, scratch.path()), decoder}));
  REQUIRE(replayed.size() == bodies.size());
  for (std::size_t i = 0; i < bodies.size(); ++i)
    REQUIRE(replayed[i].equals(bodies[i]));
}

TEST_CASE("Files: a log cut inside a frame replays the whole frames, then names the offset") {
  asio::io_context io;
  const ScratchFile scratch("cut");
  const std::vector<Buffer> frames = someFrames(2000);
  writeLog(io, scratch.path(), frames);

  // Cut frame 1701 (207 bytes) after 5 of its bytes (inside its header) or 10
  // (inside its body).
  const std::size_t cutFrame = 1701;
  std::uint64_t cutFrameOffset = 0;
  for (std::size_t i = 0; i < cutFrame; ++i)
    cutFrameOffset += frames[i].length();
  const std::size_t kept = GENERATE(5, 10);
  INFO("cut " << kept << " bytes into frame " << cutFrame);
  std::filesystem::resize_file(scratch.path(), cutFrameOffset + kept);

  auto decoder = std::make_shared<FrameDecoderStream>(io);
  std::size_t replayed = 0;
  decoder->on(events::data, [&replayed, &frames](const Buffer& body) {
    REQUIRE(body.equals(frames[replayed].subarray(6)));
    ++replayed;
  });
  const std::exception_ptr result =
      runPipeline(io, {createReadStream(io, scratch.path()), decoder});
  CHECK(replayed == cutFrame);
  const auto error = errorAs<FrameError>(result);
  CHECK(error.streamOffset() == cutFrameOffset);
  CHECK(std::string(error.what())
            .rfind("frame at stream offset " + std::to_string(cutFrameOffset) + ":", 0) == 0);
}

TEST_CASE("Files: start and end (inclusive) choose the bytes read") {
  asio::io_context io;
  const ScratchFile scratch("range");
  writeFile(scratch.path(), "0123456789abcdefghij");

  CHECK(readAll(io, createReadStream(io, scratch.path(), {.start = 10, .end = 14})).bytes() ==
        "abcde");
  CHECK(readAll(io, createReadStream(io, scratch.path(), {.start = 15})).bytes() == "fghij");
  CHECK(readAll(io, createReadStream(io, scratch.path(), {.start = 3, .end = 3})).bytes() == "3");
  CHECK(readAll(io, createReadStream(io, scratch.path(), {.start = 30})).bytes().empty());
  // A small highWaterMark: as many chunks as it takes.
  const Read small = readAll(io, createReadStream(io, scratch.path(), {.highWaterMark = 3}));
  CHECK(small.bytes() == "0123456789abcdefghij");
  CHECK(small.chunks.size() == 7);
  CHECK_THROWS_MATCHES(createReadStream(io, scratch.path(), {.start = 5, .end = 4}), RangeError,
                       Catch::Matchers::Message("The value of \"start\" is out of range. It must "
                                                "be <= \"end\" (here: 4). Received 5"));
}

TEST_CASE("Files: open and read errors are SystemErrors in Node's words") {
  asio::io_context io;
  const ScratchFile missing("missing");

  SECTION("a file that does not exist") {
    const Read read = readAll(io, createReadStream(io, missing.path()));
    const auto error = errorAs<SystemError>(read.error);
    CHECK(error.codeName() == "ENOENT");
    CHECK(error.syscall() == "open");
    CHECK(error.code() == std::errc::no_such_file_or_directory);
    CHECK(std::string(error.what()) ==
          "ENOENT: no such file or directory, open '" + missing.path() + "'");
    CHECK_FALSE(read.ended);
  }

  SECTION("a directory opens but does not read") {
    const std::string directory = std::filesystem::temp_directory_path().string();
    const Read read = readAll(io, createReadStream(io, directory));
    const auto error = errorAs<SystemError>(read.error);
    CHECK(error.codeName() == "EISDIR");
    CHECK(error.syscall() == "read");
    CHECK(std::string(error.what()) == "EISDIR: is a directory, read '" + directory + "'");
  }

  SECTION("exclusive creation of a file that exists") {
    writeFile(missing.path(), "already here");
    auto log = createWriteStream(io, missing.path(), {.flags = FileFlags::exclusive});
    std::exception_ptr writeError;
    std::exception_ptr streamError;
    bool closed = false;
    log->on(events::error, [&](const std::exception_ptr& error) { streamError = error; });
    log->on(events::close, [&] { closed = true; });
    log->write(Buffer::from("x"), [&](std::exception_ptr error) { writeError = std::move(error); });
    runUntil(io, [&] { return closed; });
    CHECK(errorAs<SystemError>(streamError).codeName() == "EEXIST");
    CHECK(writeError == streamError);
    CHECK(fileContents(missing.path()) == "already here");
  }
}

TEST_CASE("Files: truncate empties a file, append adds to it, end() alone creates it") {
  asio::io_context io;
  const ScratchFile scratch("flags");
  const auto writeOnce = [&](const std::string& text, FileFlags flags) {
    auto log = createWriteStream(io, scratch.path(), {.flags = flags});
    bool closed = false;
    log->on(events::close, [&] { closed = true; });
    if (text.empty()) {
      log->end();
    } else {
      log->end(Buffer::from(text));
    }
    runUntil(io, [&] { return closed; });
    CHECK_FALSE(log->errored());
  };
  writeOnce("", FileFlags::truncate);
  CHECK(std::filesystem::exists(scratch.path()));
  CHECK(fileContents(scratch.path()).empty());
  writeOnce("first ", FileFlags::append);
  writeOnce("second", FileFlags::append);
  CHECK(fileContents(scratch.path()) == "first second");
  writeOnce("third", FileFlags::truncate);
  CHECK(fileContents(scratch.path()) == "third");
}

TEST_CASE("Files: destroy() while a read or a write is in flight closes cleanly") {
  asio::io_context io;
  const ScratchFile scratch("destroy");
  writeFile(scratch.path(), std::string(std::size_t{1} << 20, 'x'));

  auto file = createReadStream(io, scratch.path());
  bool readClosed = false;
  file->on(events::close, [&] { readClosed = true; });
  file->once(events::data, [raw = file.get()](const Buffer&) { raw->destroy(); });
  file->resume();

  auto log = createWriteStream(io, scratch.path() + ".out");
  bool writeClosed = false;
  std::exception_ptr writeError;
  log->on(events::close, [&] { writeClosed = true; });
  log->write(Buffer::from("a"));
  log->write(Buffer::from("b"), [&](std::exception_ptr error) { writeError = std::move(error); });
  log->destroy();
  runUntil(io, [&] { return readClosed && writeClosed; });
  CHECK(file->destroyed());
  CHECK(errorCode(writeError) == "ERR_STREAM_DESTROYED");
  std::filesystem::remove(scratch.path() + ".out");
}

TEST_CASE("Files: a reader that does not consume holds highWaterMark plus two blocks at most") {
  asio::io_context io;
  const ScratchFile scratch("paused");
  writeFile(scratch.path(), std::string(std::size_t{4} << 20, 'r'));
  constexpr std::size_t block = 16 * 1024;
  auto file = createReadStream(io, scratch.path(), {.highWaterMark = block});
  // Paused mode: read(0) starts reading and takes nothing.
  CHECK_FALSE(file->read(0));
  runUntil(io, [&] { return file->readableLength() >= block; });
  // However long the loop then runs, the stream reads one block ahead, no more.
  drain(io, std::chrono::milliseconds(50));
  CHECK(file->readableLength() == block);
  CHECK(file->bytesRead() <= block + 2 * block);
  // Reading resumes as the consumer takes data, and every byte comes.
  std::size_t total = 0;
  file->on(events::data, [&total](const Buffer& chunk) { total += chunk.length(); });
  bool ended = false;
  file->on(events::end, [&ended] { ended = true; });
  runUntil(io, [&] { return ended; });
  CHECK(total == std::size_t{4} << 20);
}

TEST_CASE("Files: a file that grows while it is read ahead is read in order, without a gap") {
  asio::io_context io;
  const ScratchFile scratch("growing");
  writeFile(scratch.path(), "0123456789");
  auto file = createReadStream(io, scratch.path(), {.highWaterMark = 4});
  bool appended = false;
  file->on(events::data, [&](const Buffer&) {
    // Reads of the blocks after this one have started (or are done) by now.
    if (!std::exchange(appended, true)) {
      std::ofstream(scratch.path(), std::ios::binary | std::ios::app) << "abcdefghij";
    }
  });
  const Read read = readAll(io, file);
  CHECK_FALSE(read.error);
  CHECK(read.bytes() == "0123456789abcdefghij");
  CHECK(file->bytesRead() == 20);
}

TEST_CASE("Files: other work on the loop runs between the blocks of a read") {
  asio::io_context io;
  const ScratchFile scratch("interleaved");
  writeFile(scratch.path(), std::string(std::size_t{1} << 20, 'i'));
  auto file = createReadStream(io, scratch.path(), {.highWaterMark = 16 * 1024});
  std::size_t chunks = 0;
  std::size_t chunksWhenPostedRan = 0;
  file->on(events::data, [&](const Buffer&) {
    if (++chunks == 1) asio::post(io, [&] { chunksWhenPostedRan = chunks; });
  });
  const Read read = readAll(io, file);
  CHECK(read.bytes().size() == std::size_t{1} << 20);
  CHECK(chunks == 64);
  CHECK(chunksWhenPostedRan > 0);
  CHECK(chunksWhenPostedRan < chunks);
}
