// The runtime pieces of generated encoders that a schema does not reach one by
// one (the encoders themselves are tested through the schemas).
#include <catch2/catch.hpp>

#include <array>
#include <cstddef>

#include "wirekit/codec/encoder_state.hpp"

namespace {

// Fills a buffer with 0xAA, zeroes `size` bytes at offset 3 (unaligned), and
// checks that exactly those bytes are zero.
template <std::size_t size>
void checkZeroBlock() {
  std::array<std::byte, size + 6> buffer{};
  buffer.fill(std::byte{0xAA});
  wirekit::codec::zeroBlock<size>(buffer.data() + 3);
  for (std::size_t i = 0; i < buffer.size(); ++i) {
    INFO("size " << size << ", byte " << i);
    CHECK(buffer[i] == (i >= 3 && i < 3 + size ? std::byte{0} : std::byte{0xAA}));
  }
}

}  // namespace

TEST_CASE("zeroBlock zeroes exactly its block, whatever the size's remainder by 8") {
  checkZeroBlock<1>();
  checkZeroBlock<2>();
  checkZeroBlock<3>();
  checkZeroBlock<4>();
  checkZeroBlock<5>();
  checkZeroBlock<6>();
  checkZeroBlock<7>();
  checkZeroBlock<8>();
  checkZeroBlock<15>();
  checkZeroBlock<33>();
  checkZeroBlock<128>();
  checkZeroBlock<129>();  // the memset path
}
