// SPDX-License-Identifier: Apache-2.0
#include "frames.hpp"

#include <wirekit/bytes/byte_order.hpp>
#include <wirekit/bytes/data_view.hpp>
#include <wirekit/framing/sofh.hpp>

#include <algorithm>
#include <span>
#include <stdexcept>

#include "bench.wk.hpp"
#include "raw_io.hpp"
#include "stream_bench.hpp"

namespace bench::streams {

std::vector<std::byte> blobFrame(std::size_t frameSize, std::uint64_t offset) {
  if (frameSize < frameOverhead) throw std::invalid_argument("frame too small for a Blob");
  std::vector<std::byte> frame(frameSize);
  wirekit::store<std::uint32_t, wirekit::ByteOrder::big>(frame.data(),
                                                         static_cast<std::uint32_t>(frameSize));
  wirekit::store<std::uint16_t, wirekit::ByteOrder::big>(
      frame.data() + 4, static_cast<std::uint16_t>(wirekit::SofhEncodingType::sbeLittleEndian));
  std::vector<std::byte> payload(frameSize - frameOverhead);
  for (std::size_t i = 0; i < payload.size(); ++i)
    payload[i] = static_cast<std::byte>(i);
  auto message =
      bench::Blob::encode(wirekit::DataView(std::span(frame).subspan(wirekit::sofhHeaderLength)));
  message.offset(offset).data(payload);
  if (message.encodedLength() + wirekit::sofhHeaderLength != frameSize) {
    throw std::logic_error("Blob frame of the wrong size");
  }
  return frame;
}

std::vector<std::byte> frameRun(std::size_t frameSize, std::size_t count) {
  const std::vector<std::byte> frame = blobFrame(frameSize);
  std::vector<std::byte> run;
  run.reserve(frameSize * count);
  for (std::size_t i = 0; i < count; ++i)
    run.insert(run.end(), frame.begin(), frame.end());
  return run;
}

void writeFrameFile(const std::string& path, std::size_t frameSize, std::size_t bytes) {
  const std::vector<std::byte> chunk = frameRun(frameSize, rawChunkSize / frameSize);
  writeRepeated(openForWriting(path).get(), chunk, bytes);
}

std::size_t framesPerBatch(std::size_t frameSize, std::size_t batchBytes, std::size_t minimum) {
  return std::max(minimum, batchBytes / frameSize);
}

}  // namespace bench::streams
