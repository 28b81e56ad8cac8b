// SPDX-License-Identifier: Apache-2.0
#pragma once
// Which fields of a block being encoded no setter has written yet.
//
// A field the caller leaves unset must read as zero (an optional one as null),
// whatever the buffer held before: no stale byte may leave in a message. The
// generated encoders do not zero a block before its setters run, because the
// compiler cannot drop a zero store that a setter then overwrites (the value
// set could, for all it knows, be read from the output buffer itself), and in
// a loop of small messages those stores cost as much as the fields. Instead
// each setter clears its field's bit, and when the block is complete (the next
// entry of its depth, encodedLength(), the message encoder's destructor) the
// fields whose bits are still set are written zero or null. Where the code is
// inlined the bits are constants, so a block whose fields are all set costs no
// store beyond its fields'.
//
// A bit per field, the members of a struct field each their own (a struct's
// members may be set one by one). A block of more than 64 such fields is
// zeroed before its setters run instead, and its setters record nothing.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

namespace wirekit::codec {

namespace detail {
template <std::size_t... word>
inline void zeroWords(std::byte* at, std::index_sequence<word...> /*words*/) noexcept {
  constexpr std::uint64_t zero = 0;
  (std::memcpy(at + 8 * word, &zero, 8), ...);
}
}  // namespace detail

// Zeroes `size` bytes: an unset field, the bytes between fields, a block
// zeroed up front. Up to 128 bytes, as plain stores of 8 bytes and one more
// that overlaps them for the rest (smaller sizes likewise with 4, 2 or 1), so
// that a loop that writes group entries is not one with a call in it
// (std::memset is one until code generation), which GCC would not unroll.
template <std::size_t size>
inline void zeroBlock(std::byte* at) noexcept {
  constexpr std::uint64_t zero = 0;
  if constexpr (size > 128) {
    std::memset(at, 0, size);
  } else if constexpr (size >= 8) {
    detail::zeroWords(at, std::make_index_sequence<size / 8>{});
    if constexpr (size % 8 != 0) std::memcpy(at + size - 8, &zero, 8);
  } else if constexpr (size >= 4) {
    std::memcpy(at, &zero, 4);
    std::memcpy(at + size - 4, &zero, 4);
  } else if constexpr (size >= 2) {
    std::memcpy(at, &zero, 2);
    std::memcpy(at + size - 2, &zero, 2);
  } else if constexpr (size == 1) {
    std::memcpy(at, &zero, 1);
  }
}

// The unset fields of `block`: bit k set while field k is unset.
struct UnsetFields {
  std::byte* block = nullptr;
  std::uint64_t bits = 0;

  // Field `field` of `owner` was written. An encoder of a block that is no
  // longer being written (a group entry after the next one began) records
  // nothing: that block was completed already.
  void written(const std::byte* owner, unsigned field) noexcept {
    if (owner == block) bits &= ~(std::uint64_t{1} << field);
  }
  // For a setter that writes part of field `field` (one array element):
  // whether the field was unset in the block being written (the setter then
  // zeroes the rest of it first). The field counts as written from here on.
  [[nodiscard]] bool claim(const std::byte* owner, unsigned field) noexcept {
    const std::uint64_t bit = std::uint64_t{1} << field;
    if (owner != block || (bits & bit) == 0) return false;
    bits &= ~bit;
    return true;
  }
};

// What the encoder of a struct field records its members through: the
// UnsetFields of the block it lies in (none in a block that is zeroed up
// front), that block, and the number of the struct's first member there.
class FieldMarks {
 public:
  FieldMarks() noexcept = default;
  FieldMarks(UnsetFields* fields, const std::byte* owner, unsigned first) noexcept
      : fields_(fields), owner_(owner), first_(first) {}

  void written(unsigned member) const noexcept {
    if (fields_ != nullptr) fields_->written(owner_, first_ + member);
  }
  [[nodiscard]] bool claim(unsigned member) const noexcept {
    return fields_ != nullptr && fields_->claim(owner_, first_ + member);
  }
  // The marks of a struct member that is a struct, whose first member is
  // member `first` of this one.
  [[nodiscard]] FieldMarks nested(unsigned first) const noexcept {
    return {fields_, owner_, first_ + first};
  }

 private:
  UnsetFields* fields_ = nullptr;
  const std::byte* owner_ = nullptr;
  unsigned first_ = 0;
};

}  // namespace wirekit::codec
