// SPDX-License-Identifier: Apache-2.0
// file_write/wirekit/<frame size> and file_read/wirekit/<frame size>: typed
// messages through file streams. Writing: MessageStream::send encodes each Blob
// in place, stopping at send()'s false until 'drain', into a FileWriteStream;
// an iteration opens the file, writes the 64 MiB and ends when the file is
// closed, as the raw baselines open, write and close it. Reading: a
// FileReadStream of the same bytes through a MessageStream that cuts frames,
// decodes each Blob and reads its fields; an iteration ends at 'end'.

#include <wirekit/message/message_stream.hpp>
#include <wirekit/transport/file_read_stream.hpp>
#include <wirekit/transport/file_write_stream.hpp>

#include <asio/io_context.hpp>

#include <cstdint>
#include <memory>
#include <vector>

#include "bench.wk.hpp"
#include "frames.hpp"
#include "raw_io.hpp"
#include "stream_bench.hpp"

namespace bench::streams {
namespace {

using Messages = wirekit::MessageStream<bench::Schema>;

void fileWriteWirekit(benchmark::State& state) {
  const auto frameSize = static_cast<std::size_t>(state.range(0));
  const std::size_t frames = fileBatchBytes / frameSize;
  const std::vector<std::byte> payload(frameSize - frameOverhead, std::byte{7});
  const ScratchFile file("wirekit-write");
  asio::io_context io;
  for (auto _ : state) {
    const auto out = wirekit::createWriteStream(io, file.path());
    const auto messages = std::make_shared<Messages>(nullptr, out);
    bool closed = false;
    out->once(wirekit::events::close, [&] { closed = true; });
    std::size_t sent = 0;
    // Sends until done (then ends the file) or until send() asks to wait for 'drain'.
    const auto pump = [&] {
      while (sent < frames) {
        const std::uint64_t offset = sent++;
        const bool more = messages->send<bench::Blob>(
            [&](bench::Blob::Encoder& blob) { blob.offset(offset).data(payload); });
        if (!more) return;
      }
      messages->end();
    };
    messages->on(wirekit::events::drain, pump);
    io.restart();
    pump();
    while (!closed)
      io.run_one();
  }
  setThroughput(state, frames, frameSize);
}

void fileReadWirekit(benchmark::State& state) {
  const auto frameSize = static_cast<std::size_t>(state.range(0));
  const std::size_t frames = fileBatchBytes / frameSize;
  const ScratchFile file("wirekit-read");
  writeFrameFile(file.path(), frameSize, fileBatchBytes);
  asio::io_context io;
  std::uint64_t checksum = 0;
  for (auto _ : state) {
    const auto messages =
        std::make_shared<Messages>(wirekit::createReadStream(io, file.path()), nullptr);
    std::size_t received = 0;
    bool ended = false;
    messages->on<bench::Blob>([&](const bench::Blob::Decoder& blob) {
      checksum += blob.offset() + blob.data().size();
      ++received;
    });
    messages->on(wirekit::events::end, [&] { ended = true; });
    io.restart();
    while (!ended)
      io.run_one();
    if (received != frames) state.SkipWithError("wrong number of messages read back");
  }
  benchmark::DoNotOptimize(checksum);
  setThroughput(state, frames, frameSize);
}

BENCHMARK(fileWriteWirekit)->Name("file_write/wirekit")->Apply(fileSizes);
BENCHMARK(fileReadWirekit)->Name("file_read/wirekit")->Apply(fileSizes);

}  // namespace
}  // namespace bench::streams
