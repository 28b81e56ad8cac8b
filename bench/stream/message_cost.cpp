// SPDX-License-Identifier: Apache-2.0
// message/receive/<frame size> and message/send/<frame size>: what a
// MessageStream costs per message on one thread, with no socket or file under
// it: receiving, 64 KiB chunks of SOFH-framed Blobs pushed into a Readable,
// cut, decoded and handled (the handler reads every field); sending, Blobs
// encoded with send() into a Writable that takes each batch at once. The
// same loops, run under callgrind with --count-instructions, give the
// instructions per message (see main.cpp).

#include <wirekit/message/message_stream.hpp>
#include <wirekit/stream/readable.hpp>
#include <wirekit/stream/writable.hpp>

#include <asio/io_context.hpp>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "bench.wk.hpp"
#include "frames.hpp"
#include "instruction_count.hpp"
#include "message_cost.hpp"
#include "stream_bench.hpp"

namespace bench::streams {
namespace {

using Messages = wirekit::MessageStream<bench::Schema>;

// The frame sizes measured.
constexpr std::size_t costFrameSizes[] = {64, 512, 16384};

class Receiver {
 public:
  explicit Receiver(std::size_t frameSize)
      : frames_(rawChunkSize / frameSize),
        source_(std::make_shared<wirekit::Readable>(
            io_, wirekit::ReadableOptions{.read = [](wirekit::Readable&, std::size_t) {}})),
        messages_(std::make_shared<Messages>(source_, nullptr)) {
    const std::vector<std::byte> run = frameRun(frameSize, frames_);
    chunk_ = wirekit::Buffer::allocUnsafeSlow(run.size());
    std::memcpy(chunk_.data(), run.data(), run.size());
    messages_->on<bench::Blob>([this](const bench::Blob::Decoder& blob) {
      checksum_ += blob.offset() + blob.data().size();
      ++received_;
    });
    io_.poll();  // the readable side starts flowing
  }

  // Pushes chunks until at least count messages have been handled.
  void receive(std::size_t count) {
    const std::uint64_t target = received_ + count;
    while (received_ < target)
      source_->push(chunk_);
  }

  [[nodiscard]] std::size_t framesPerChunk() const noexcept { return frames_; }
  [[nodiscard]] std::uint64_t checksum() const noexcept { return checksum_; }

 private:
  std::size_t frames_;
  asio::io_context io_;
  std::shared_ptr<wirekit::Readable> source_;
  std::shared_ptr<Messages> messages_;
  wirekit::Buffer chunk_;
  std::uint64_t received_ = 0;
  std::uint64_t checksum_ = 0;
};

class Sender {
 public:
  explicit Sender(std::size_t frameSize)
      : payload_(frameSize - frameOverhead, std::byte{7}),
        sink_(std::make_shared<wirekit::Writable>(
            io_, wirekit::WritableOptions{.write =
                                              [this](wirekit::Writable&, wirekit::Buffer chunk,
                                                     const wirekit::WriteCallback& done) {
                                                bytes_ += chunk.length();
                                                done();
                                              }})),
        messages_(std::make_shared<Messages>(nullptr, sink_)) {}

  // Sends count messages, running the loop whenever send() says to wait.
  void send(std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint64_t offset = sent_++;
      if (!messages_->send<bench::Blob>(
              [&](bench::Blob::Encoder& blob) { blob.offset(offset).data(payload_); })) {
        io_.poll();
      }
    }
    io_.poll();
  }

  [[nodiscard]] std::uint64_t bytes() const noexcept { return bytes_; }

 private:
  std::vector<std::byte> payload_;
  asio::io_context io_;
  std::shared_ptr<wirekit::Writable> sink_;
  std::shared_ptr<Messages> messages_;
  std::uint64_t sent_ = 0;
  std::uint64_t bytes_ = 0;
};

void messageReceive(benchmark::State& state) {
  const auto frameSize = static_cast<std::size_t>(state.range(0));
  Receiver receiver(frameSize);
  const std::size_t frames = receiver.framesPerChunk() * 16;
  for (auto _ : state)
    receiver.receive(frames);
  benchmark::DoNotOptimize(receiver.checksum());
  setThroughput(state, frames, frameSize);
}

void messageSend(benchmark::State& state) {
  const auto frameSize = static_cast<std::size_t>(state.range(0));
  Sender sender(frameSize);
  const std::size_t frames = rawChunkSize / frameSize * 16;
  for (auto _ : state)
    sender.send(frames);
  benchmark::DoNotOptimize(sender.bytes());
  setThroughput(state, frames, frameSize);
}

void costSizes(benchmark::internal::Benchmark* benchmark) {
  for (std::size_t size : costFrameSizes)
    benchmark->Arg(static_cast<std::int64_t>(size));
}

BENCHMARK(messageReceive)->Name("message/receive")->Apply(costSizes);
BENCHMARK(messageSend)->Name("message/send")->Apply(costSizes);

}  // namespace

void countMessageInstructions(std::size_t chunks) {
  for (std::size_t frameSize : costFrameSizes) {
    Receiver receiver(frameSize);
    Sender sender(frameSize);
    const std::size_t frames = receiver.framesPerChunk() * chunks;
    const std::string size = std::to_string(frameSize);
    countInstructions("message/receive/" + size, frames,
                      [&](std::size_t n) { receiver.receive(n); });
    countInstructions("message/send/" + size, frames, [&](std::size_t n) { sender.send(n); });
    benchmark::DoNotOptimize(receiver.checksum());
    benchmark::DoNotOptimize(sender.bytes());
  }
}

}  // namespace bench::streams
