// SPDX-License-Identifier: Apache-2.0
// The machine's limits, measured as the wirekit benchmarks are: raw sockets
// and raw files carrying the same frames.
//
//   tcp/raw_write_per_message   one write() per frame (what a naive sender does)
//   tcp/raw_64k_writes          the same bytes in 64 KiB writes (the loopback limit)
//   file_write/raw_write_per_message, file_write/raw_64k_writes, file_read/raw_64k_reads

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <vector>

#include "frames.hpp"
#include "raw_io.hpp"
#include "stream_bench.hpp"

namespace bench::streams {
namespace {

void tcpRawWritePerMessage(benchmark::State& state) {
  const auto frameSize = static_cast<std::size_t>(state.range(0));
  const std::size_t frames = framesPerBatch(frameSize, tcpBatchBytes, tcpMinimumFrames);
  const std::vector<std::byte> frame = blobFrame(frameSize);
  Loopback link = connectLoopback();
  ByteCounter counter(link.server.get());
  std::uint64_t sent = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < frames; ++i)
      writeAll(link.client.get(), frame.data(), frameSize);
    sent += frames * frameSize;
    counter.waitFor(sent);
  }
  ::shutdown(link.client.get(), SHUT_WR);
  setThroughput(state, frames, frameSize);
}

void tcpRaw64kWrites(benchmark::State& state) {
  const auto frameSize = static_cast<std::size_t>(state.range(0));
  const std::size_t frames = framesPerBatch(frameSize, tcpBatchBytes, tcpMinimumFrames);
  const std::vector<std::byte> chunk = frameRun(frameSize, rawChunkSize / frameSize);
  const std::size_t bytes = frames * frameSize;
  Loopback link = connectLoopback();
  ByteCounter counter(link.server.get());
  std::uint64_t sent = 0;
  for (auto _ : state) {
    for (std::size_t done = 0; done < bytes; done += chunk.size()) {
      writeAll(link.client.get(), chunk.data(), std::min(chunk.size(), bytes - done));
    }
    sent += bytes;
    counter.waitFor(sent);
  }
  ::shutdown(link.client.get(), SHUT_WR);
  setThroughput(state, frames, frameSize);
}

void fileRawWritePerMessage(benchmark::State& state) {
  const auto frameSize = static_cast<std::size_t>(state.range(0));
  const std::size_t frames = fileBatchBytes / frameSize;
  const std::vector<std::byte> frame = blobFrame(frameSize);
  const ScratchFile file("raw-per-message");
  for (auto _ : state) {
    const FileDescriptor fd = openForWriting(file.path());
    for (std::size_t i = 0; i < frames; ++i)
      writeAll(fd.get(), frame.data(), frameSize);
  }
  setThroughput(state, frames, frameSize);
}

void fileRaw64kWrites(benchmark::State& state) {
  const auto frameSize = static_cast<std::size_t>(state.range(0));
  const std::size_t frames = fileBatchBytes / frameSize;
  const std::vector<std::byte> chunk = frameRun(frameSize, rawChunkSize / frameSize);
  const ScratchFile file("raw-64k");
  for (auto _ : state)
    writeRepeated(openForWriting(file.path()).get(), chunk, fileBatchBytes);
  setThroughput(state, frames, frameSize);
}

void fileRaw64kReads(benchmark::State& state) {
  const auto frameSize = static_cast<std::size_t>(state.range(0));
  const std::size_t frames = fileBatchBytes / frameSize;
  const ScratchFile file("raw-read");
  writeFrameFile(file.path(), frameSize, fileBatchBytes);
  const auto buffer = std::make_unique<std::byte[]>(rawChunkSize);
  for (auto _ : state) {
    const FileDescriptor fd(::open(file.path().c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) throwErrno("open " + file.path());
    std::size_t total = 0;
    for (ssize_t got; (got = ::read(fd.get(), buffer.get(), rawChunkSize)) > 0;) {
      total += static_cast<std::size_t>(got);
    }
    if (total != fileBatchBytes) state.SkipWithError("short read");
    benchmark::DoNotOptimize(buffer.get());
  }
  setThroughput(state, frames, frameSize);
}

BENCHMARK(tcpRawWritePerMessage)->Name("tcp/raw_write_per_message")->Apply(tcpSizes);
BENCHMARK(tcpRaw64kWrites)->Name("tcp/raw_64k_writes")->Apply(tcpSizes);
BENCHMARK(fileRawWritePerMessage)->Name("file_write/raw_write_per_message")->Apply(fileSizes);
BENCHMARK(fileRaw64kWrites)->Name("file_write/raw_64k_writes")->Apply(fileSizes);
BENCHMARK(fileRaw64kReads)->Name("file_read/raw_64k_reads")->Apply(fileSizes);

}  // namespace
}  // namespace bench::streams
