// SPDX-License-Identifier: Apache-2.0
#pragma once
// The messages every stream benchmark carries: bench.wk's Blob (an offset and a
// payload) framed with SOFH (u32 big-endian frame length, u16 big-endian
// encoding type 0xEB50), sized so that each whole frame is frameSize bytes.
// bench/node/framed_tcp.mjs writes and reads the same frames.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bench::streams {

// SOFH (6), message header (8), offset (8), payload length (4).
inline constexpr std::size_t frameOverhead = 26;

// The frame sizes of the TCP benchmarks.
inline constexpr std::size_t tcpFrameSizes[] = {64, 512, 16384};

// One frame of frameSize bytes (>= frameOverhead) carrying offset.
[[nodiscard]] std::vector<std::byte> blobFrame(std::size_t frameSize, std::uint64_t offset = 0);

// count frames of frameSize bytes, back to back.
[[nodiscard]] std::vector<std::byte> frameRun(std::size_t frameSize, std::size_t count);

// Writes a file of bytes bytes (a multiple of 64 KiB) of frames of frameSize
// bytes, in 64 KiB writes: what the file-reading benchmarks read.
void writeFrameFile(const std::string& path, std::size_t frameSize, std::size_t bytes);

// How many frames of frameSize bytes one benchmark iteration moves: about
// batchBytes, and never fewer than minimum.
[[nodiscard]] std::size_t framesPerBatch(std::size_t frameSize, std::size_t batchBytes,
                                         std::size_t minimum);

}  // namespace bench::streams
