// SPDX-License-Identifier: Apache-2.0
#include "wirekit/bytes/buffer.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <string>
#include <utility>

#include "wirekit/error.hpp"

namespace wirekit {

namespace {

// Node writes integers above 2^32 in range errors with '_' between thousands.
std::string withNumericSeparators(const std::string& digits) {
  const std::size_t start = digits.starts_with('-') ? 1 : 0;
  const std::size_t count = digits.size() - start;
  std::string grouped(digits, 0, start);
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0 && (count - i) % 3 == 0) grouped.push_back('_');
    grouped.push_back(digits[start + i]);
  }
  return grouped;
}

std::string received(std::int64_t value) {
  std::string text = std::to_string(value);
  const std::uint64_t magnitude =
      value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  return magnitude > (std::uint64_t{1} << 32) ? withNumericSeparators(text) : text;
}

std::string received(std::size_t value) {
  std::string text = std::to_string(value);
  return value > (std::uint64_t{1} << 32) ? withNumericSeparators(text) : text;
}

// Node's ERR_OUT_OF_RANGE.
[[noreturn]] void throwOutOfRange(std::string_view name, std::string_view range,
                                  std::string_view value) {
  throw RangeError(fmt::format("The value of \"{}\" is out of range. It must be {}. Received {}",
                               name, range, value));
}

// Node's ERR_BUFFER_OUT_OF_BOUNDS.
[[noreturn]] void throwOutOfBounds(std::string_view name = {}) {
  if (name.empty()) throw RangeError("Attempt to access memory outside buffer bounds");
  throw RangeError(fmt::format("\"{}\" is outside of buffer bounds", name));
}

// Node's boundsError, behind read* and write*: ">= 0 and <= limit".
void checkBounds(std::string_view name, std::size_t value, std::size_t limit) {
  if (value > limit) throwOutOfRange(name, fmt::format(">= 0 and <= {}", limit), received(value));
}

// Node's validateOffset/validateInteger, behind fill, copy, compare and write:
// ">= 0 && <= limit".
void checkArgument(std::string_view name, std::size_t value, std::size_t limit) {
  if (value > limit) throwOutOfRange(name, fmt::format(">= 0 && <= {}", limit), received(value));
}

// Node's ERR_INVALID_ARG_VALUE, with the value quoted as util.inspect quotes a
// string and cut at 128 characters.
[[noreturn]] void throwInvalidValue(std::string_view value) {
  constexpr std::size_t shownCharacters = 128;
  std::string quoted = fmt::format("'{}'", value);
  if (quoted.size() > shownCharacters) quoted = quoted.substr(0, shownCharacters) + "...";
  throw TypeError(fmt::format("The argument 'value' is invalid. Received {}", quoted));
}

void checkByteLength(std::size_t byteLength) {
  if (byteLength < 1 || byteLength > 6) {
    throwOutOfRange("byteLength", ">= 1 and <= 6", received(byteLength));
  }
}

// The Node pool that small allocUnsafe() and from() Buffers are carved from. One
// per thread, so that carving needs no lock.
struct AllocationPool {
  ArrayBuffer pool = ArrayBuffer::uninitialized(Buffer::poolSize);
  std::size_t offset = 0;
};

AllocationPool& allocationPool() {
  thread_local AllocationPool pool;
  return pool;
}

}  // namespace

Buffer Buffer::whole(const ArrayBuffer& buffer, std::size_t byteOffset, std::size_t length) {
  return Buffer(buffer.sharedStorage(),
                detail::ByteWindow(*buffer.storage(), byteOffset, length, false));
}

Buffer Buffer::alloc(std::size_t size) {
  return whole(ArrayBuffer(size), 0, size);
}

Buffer Buffer::alloc(std::size_t size, std::uint8_t fill) {
  Buffer result = allocUnsafeSlow(size);
  result.fill(fill);
  return result;
}

Buffer Buffer::alloc(std::size_t size, std::string_view fill, Encoding encoding) {
  Buffer result = alloc(size);
  result.fill(fill, 0, npos, encoding);
  return result;
}

Buffer Buffer::allocUnsafe(std::size_t size) {
  // Node gives an empty Buffer its own empty ArrayBuffer rather than a pool slice.
  if (size == 0 || size >= poolSize / 2) return allocUnsafeSlow(size);
  AllocationPool& pool = allocationPool();
  if (size > poolSize - pool.offset) pool = AllocationPool{};
  Buffer result = whole(pool.pool, pool.offset, size);
  // Node keeps every pooled Buffer 8-byte aligned.
  pool.offset = std::min(poolSize, (pool.offset + size + 7) & ~std::size_t{7});
  return result;
}

Buffer Buffer::allocUnsafeSlow(std::size_t size) {
  return whole(ArrayBuffer::uninitialized(size), 0, size);
}

Buffer Buffer::from(std::initializer_list<std::uint8_t> bytes) {
  return from(std::span<const std::uint8_t>(bytes.begin(), bytes.size()));
}

Buffer Buffer::from(std::span<const std::byte> bytes) {
  Buffer result = allocUnsafe(bytes.size());
  if (!bytes.empty()) std::memcpy(result.data(), bytes.data(), bytes.size());
  return result;
}

Buffer Buffer::from(std::span<const std::uint8_t> bytes) {
  return from(std::as_bytes(bytes));
}

Buffer Buffer::from(const Buffer& other) {
  return from(other.bytes());
}

Buffer Buffer::from(const Uint8Array& bytes) {
  return from(std::span<const std::uint8_t>(bytes.data(), bytes.length()));
}

Buffer Buffer::from(const ArrayBuffer& buffer, std::size_t byteOffset, std::size_t length) {
  if (buffer.detached()) throw TypeError("Buffer.from: the ArrayBuffer is detached");
  const std::size_t bufferLength = buffer.byteLength();
  if (byteOffset > bufferLength) throwOutOfBounds("offset");
  // Node passes the length it worked out to the Buffer, so even over a resizable
  // ArrayBuffer the Buffer keeps that length rather than following the buffer's.
  if (length == npos) {
    length = bufferLength - byteOffset;
  } else if (length > bufferLength - byteOffset) {
    throwOutOfBounds("length");
  }
  return Buffer(buffer.sharedStorage(),
                detail::ByteWindow(*buffer.storage(), byteOffset, length, false));
}

Buffer Buffer::from(std::string_view text, Encoding encoding) {
  const std::vector<std::byte> bytes = encodeText(text, encoding);
  return from(std::span<const std::byte>(bytes));
}

Buffer Buffer::concat(std::span<const Buffer> list) {
  std::size_t total = 0;
  for (const Buffer& part : list)
    total += part.length();
  return concat(list, total);
}

Buffer Buffer::concat(std::span<const Buffer> list, std::size_t totalLength) {
  Buffer result = allocUnsafe(totalLength);
  std::size_t position = 0;
  for (const Buffer& part : list) {
    const std::size_t count = std::min(part.length(), totalLength - position);
    if (count > 0) std::memcpy(result.data() + position, part.data(), count);
    position += count;
    if (position == totalLength) break;
  }
  if (position < totalLength) std::memset(result.data() + position, 0, totalLength - position);
  return result;
}

bool Buffer::isEncoding(std::string_view name) noexcept {
  return encodingFromName(name).has_value();
}

int Buffer::compare(const Buffer& a, const Buffer& b) noexcept {
  const std::size_t common = std::min(a.length(), b.length());
  const int order = common == 0 ? 0 : std::memcmp(a.data(), b.data(), common);
  if (order != 0) return order < 0 ? -1 : 1;
  if (a.length() == b.length()) return 0;
  return a.length() < b.length() ? -1 : 1;
}

ArrayBuffer Buffer::buffer() const {
  if (window_.storage() == nullptr) return ArrayBuffer(0);
  return ArrayBuffer::fromStorage(*window_.storage());
}

Buffer::operator Uint8Array() const {
  // The same window, not a new view checked against the buffer: over a detached
  // or shrunk ArrayBuffer a Buffer is an empty Uint8Array (as in Node, where it is
  // one), and it comes back with the Buffer if the ArrayBuffer grows again.
  Uint8Array view;
  view.window_ = window_;
  return view;
}

Buffer Buffer::subarray(std::ptrdiff_t start, std::ptrdiff_t end) const {
  const std::size_t count = length();
  const std::size_t first = detail::relativeIndex(start, count);
  const std::size_t last = detail::relativeEnd(end, first, count);
  if (window_.storage() == nullptr) return {};
  return Buffer(owner_,
                detail::ByteWindow(*window_.storage(), byteOffset() + first, last - first, false));
}

int Buffer::compare(const Buffer& target, std::size_t targetStart, std::size_t targetEnd,
                    std::size_t sourceStart, std::size_t sourceEnd) const {
  if (targetEnd == npos) targetEnd = target.length();
  if (sourceEnd == npos) sourceEnd = length();
  // As in Node, only the ends are checked against the lengths: a start at or past
  // its end compares as an empty range.
  checkArgument("targetEnd", targetEnd, target.length());
  checkArgument("sourceEnd", sourceEnd, length());
  if (sourceStart >= sourceEnd) return targetStart >= targetEnd ? 0 : -1;
  if (targetStart >= targetEnd) return 1;
  return compare(
      subarray(static_cast<std::ptrdiff_t>(sourceStart), static_cast<std::ptrdiff_t>(sourceEnd)),
      target.subarray(static_cast<std::ptrdiff_t>(targetStart),
                      static_cast<std::ptrdiff_t>(targetEnd)));
}

std::size_t Buffer::copy(Buffer& target, std::size_t targetStart, std::size_t sourceStart,
                         std::size_t sourceEnd) const {
  checkArgument("sourceStart", sourceStart, length());
  sourceEnd = std::min(sourceEnd, length());
  if (targetStart >= target.length() || sourceStart >= sourceEnd) return 0;
  const std::size_t count = std::min(sourceEnd - sourceStart, target.length() - targetStart);
  std::memmove(target.data() + targetStart, data() + sourceStart, count);
  return count;
}

Buffer& Buffer::fill(std::uint8_t value, std::size_t offset, std::size_t end) {
  // As in Node, only end is checked against the length; an offset at or past end
  // fills nothing.
  if (end == npos) end = length();
  checkArgument("end", end, length());
  if (offset < end) std::memset(data() + offset, value, end - offset);
  return *this;
}

Buffer& Buffer::fill(std::string_view value, std::size_t offset, std::size_t end,
                     Encoding encoding) {
  if (value.empty()) return fill(std::uint8_t{0}, offset, end);
  if (end == npos) end = length();
  checkArgument("end", end, length());
  if (offset >= end) return *this;  // before the value is looked at, as in Node
  const std::vector<std::byte> pattern = encodeText(value, encoding);
  if (pattern.empty()) throwInvalidValue(value);
  for (std::size_t i = offset; i < end; ++i)
    data()[i] = pattern[(i - offset) % pattern.size()];
  return *this;
}

namespace {

// Node searches UTF-16 text code unit by code unit, so a utf16le needle is found
// only at even offsets (unit 2); everything else is found at any byte (unit 1).
std::size_t searchUnit(Encoding encoding) {
  return encoding == Encoding::utf16le ? 2 : 1;
}

std::ptrdiff_t searchForward(std::span<const std::byte> haystack, std::span<const std::byte> needle,
                             std::ptrdiff_t byteOffset, std::size_t unit = 1) {
  const std::size_t start = detail::relativeIndex(byteOffset, haystack.size());
  if (needle.empty()) return static_cast<std::ptrdiff_t>(start);
  if (needle.size() > haystack.size() - start) return -1;
  // Node starts a UTF-16 search at the unit that holds byteOffset.
  auto from = haystack.begin() + static_cast<std::ptrdiff_t>(start - start % unit);
  const std::boyer_moore_horspool_searcher searcher(needle.begin(), needle.end());
  for (;;) {
    const auto found = std::search(from, haystack.end(), searcher);
    if (found == haystack.end()) return -1;
    const std::ptrdiff_t position = found - haystack.begin();
    if (static_cast<std::size_t>(position) % unit == 0) return position;
    from = found + 1;
  }
}

std::ptrdiff_t searchBackward(std::span<const std::byte> haystack,
                              std::span<const std::byte> needle, std::ptrdiff_t byteOffset,
                              std::size_t unit = 1) {
  const auto length = static_cast<std::ptrdiff_t>(haystack.size());
  std::ptrdiff_t start = byteOffset < 0 ? length + byteOffset : byteOffset;
  // From before the start, Node finds an empty needle at 0 and nothing else.
  if (start < 0) return needle.empty() ? 0 : -1;
  if (needle.empty()) return std::min(start, length);
  const auto needleLength = static_cast<std::ptrdiff_t>(needle.size());
  if (needleLength > length) return -1;
  const auto step = static_cast<std::ptrdiff_t>(unit);
  start = std::min(start, length - needleLength);
  for (std::ptrdiff_t i = start - start % step; i >= 0; i -= step) {
    if (std::memcmp(haystack.data() + i, needle.data(), needle.size()) == 0) return i;
  }
  return -1;
}

}  // namespace

std::ptrdiff_t Buffer::indexOf(std::uint8_t value, std::ptrdiff_t byteOffset) const {
  const std::byte needle{value};
  return searchForward(bytes(), {&needle, 1}, byteOffset);
}

std::ptrdiff_t Buffer::indexOf(const Buffer& value, std::ptrdiff_t byteOffset) const {
  return searchForward(bytes(), value.bytes(), byteOffset);
}

std::ptrdiff_t Buffer::indexOf(std::string_view value, std::ptrdiff_t byteOffset,
                               Encoding encoding) const {
  const std::vector<std::byte> needle = encodeText(value, encoding);
  return searchForward(bytes(), needle, byteOffset, searchUnit(encoding));
}

std::ptrdiff_t Buffer::lastIndexOf(std::uint8_t value, std::ptrdiff_t byteOffset) const {
  const std::byte needle{value};
  return searchBackward(bytes(), {&needle, 1}, byteOffset);
}

std::ptrdiff_t Buffer::lastIndexOf(const Buffer& value, std::ptrdiff_t byteOffset) const {
  return searchBackward(bytes(), value.bytes(), byteOffset);
}

std::ptrdiff_t Buffer::lastIndexOf(std::string_view value, std::ptrdiff_t byteOffset,
                                   Encoding encoding) const {
  const std::vector<std::byte> needle = encodeText(value, encoding);
  return searchBackward(bytes(), needle, byteOffset, searchUnit(encoding));
}

std::string Buffer::toString(Encoding encoding, std::size_t start, std::size_t end) const {
  end = std::min(end, length());
  if (start >= end) return {};
  return decodeText(bytes().subspan(start, end - start), encoding);
}

std::size_t Buffer::write(std::string_view text, std::size_t offset, std::size_t length,
                          Encoding encoding) {
  checkArgument("offset", offset, this->length());
  if (length != npos) checkArgument("length", length, this->length());
  const std::size_t room = std::min(length, this->length() - offset);
  const std::vector<std::byte> encoded = encodeText(text, encoding);
  std::size_t count = std::min(room, encoded.size());
  if (count < encoded.size()) {
    // Never write part of a character.
    if (encoding == Encoding::utf8) {
      while (count > 0 && (static_cast<unsigned>(encoded[count]) & 0xC0) == 0x80)
        --count;
    } else if (encoding == Encoding::utf16le) {
      count &= ~std::size_t{1};
    }
  }
  if (count > 0) std::memcpy(data() + offset, encoded.data(), count);
  return count;
}

namespace {

template <std::size_t unit>
void swapUnits(Buffer& buffer) {
  if (buffer.length() % unit != 0) {
    throw RangeError(fmt::format("Buffer size must be a multiple of {}-bits", unit * 8));
  }
  for (std::size_t i = 0; i < buffer.length(); i += unit) {
    std::reverse(buffer.data() + i, buffer.data() + i + unit);
  }
}

}  // namespace

Buffer& Buffer::swap16() {
  swapUnits<2>(*this);
  return *this;
}

Buffer& Buffer::swap32() {
  swapUnits<4>(*this);
  return *this;
}

Buffer& Buffer::swap64() {
  swapUnits<8>(*this);
  return *this;
}

namespace {

// byteLength bytes at bytes[0..byteLength) as an unsigned number, in order.
std::uint64_t readUnsigned(const std::byte* bytes, std::size_t byteLength, ByteOrder order) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < byteLength; ++i) {
    const std::size_t index = order == ByteOrder::little ? byteLength - 1 - i : i;
    value = (value << 8) | static_cast<std::uint64_t>(bytes[index]);
  }
  return value;
}

void writeUnsigned(std::byte* bytes, std::uint64_t value, std::size_t byteLength, ByteOrder order) {
  for (std::size_t i = 0; i < byteLength; ++i) {
    const std::size_t index = order == ByteOrder::little ? i : byteLength - 1 - i;
    bytes[index] = static_cast<std::byte>(value & 0xFF);
    value >>= 8;
  }
}

std::int64_t signExtend(std::uint64_t value, std::size_t byteLength) {
  const unsigned bits = static_cast<unsigned>(byteLength * 8);
  const std::uint64_t signBit = std::uint64_t{1} << (bits - 1);
  return static_cast<std::int64_t>((value ^ signBit) - signBit);
}

}  // namespace

std::uint64_t Buffer::readUIntLE(std::size_t offset, std::size_t byteLength) const {
  checkByteLength(byteLength);
  if (length() < byteLength || offset > length() - byteLength) {
    throwReadOutOfRange(offset, byteLength);
  }
  return readUnsigned(data() + offset, byteLength, ByteOrder::little);
}

std::uint64_t Buffer::readUIntBE(std::size_t offset, std::size_t byteLength) const {
  checkByteLength(byteLength);
  if (length() < byteLength || offset > length() - byteLength) {
    throwReadOutOfRange(offset, byteLength);
  }
  return readUnsigned(data() + offset, byteLength, ByteOrder::big);
}

std::int64_t Buffer::readIntLE(std::size_t offset, std::size_t byteLength) const {
  return signExtend(readUIntLE(offset, byteLength), byteLength);
}

std::int64_t Buffer::readIntBE(std::size_t offset, std::size_t byteLength) const {
  return signExtend(readUIntBE(offset, byteLength), byteLength);
}

namespace {

void checkVariableWidthValue(std::int64_t value, std::size_t byteLength, bool isSigned) {
  const unsigned bits = static_cast<unsigned>(byteLength * 8);
  const std::int64_t max =
      isSigned ? (std::int64_t{1} << (bits - 1)) - 1 : (std::int64_t{1} << bits) - 1;
  const std::int64_t min = isSigned ? -(std::int64_t{1} << (bits - 1)) : 0;
  if (value >= min && value <= max) return;
  std::string range;
  if (byteLength > 4) {
    range = isSigned ? fmt::format(">= -(2 ** {}) and < 2 ** {}", bits - 1, bits - 1)
                     : fmt::format(">= 0 and < 2 ** {}", bits);
  } else {
    range = fmt::format(">= {} and <= {}", min, max);
  }
  throwOutOfRange("value", range, received(value));
}

}  // namespace

std::size_t Buffer::writeUIntLE(std::int64_t value, std::size_t offset, std::size_t byteLength) {
  checkByteLength(byteLength);
  checkVariableWidthValue(value, byteLength, false);
  if (length() < byteLength || offset > length() - byteLength) {
    throwReadOutOfRange(offset, byteLength);
  }
  writeUnsigned(data() + offset, static_cast<std::uint64_t>(value), byteLength, ByteOrder::little);
  return offset + byteLength;
}

std::size_t Buffer::writeUIntBE(std::int64_t value, std::size_t offset, std::size_t byteLength) {
  checkByteLength(byteLength);
  checkVariableWidthValue(value, byteLength, false);
  if (length() < byteLength || offset > length() - byteLength) {
    throwReadOutOfRange(offset, byteLength);
  }
  writeUnsigned(data() + offset, static_cast<std::uint64_t>(value), byteLength, ByteOrder::big);
  return offset + byteLength;
}

std::size_t Buffer::writeIntLE(std::int64_t value, std::size_t offset, std::size_t byteLength) {
  checkByteLength(byteLength);
  checkVariableWidthValue(value, byteLength, true);
  if (length() < byteLength || offset > length() - byteLength) {
    throwReadOutOfRange(offset, byteLength);
  }
  writeUnsigned(data() + offset, static_cast<std::uint64_t>(value), byteLength, ByteOrder::little);
  return offset + byteLength;
}

std::size_t Buffer::writeIntBE(std::int64_t value, std::size_t offset, std::size_t byteLength) {
  checkByteLength(byteLength);
  checkVariableWidthValue(value, byteLength, true);
  if (length() < byteLength || offset > length() - byteLength) {
    throwReadOutOfRange(offset, byteLength);
  }
  writeUnsigned(data() + offset, static_cast<std::uint64_t>(value), byteLength, ByteOrder::big);
  return offset + byteLength;
}

std::size_t Buffer::writeFloatLE(double value, std::size_t offset) {
  return write<float, ByteOrder::little>(detail::roundToFloat(value), offset);
}

std::size_t Buffer::writeFloatBE(double value, std::size_t offset) {
  return write<float, ByteOrder::big>(detail::roundToFloat(value), offset);
}

void Buffer::throwReadOutOfRange(std::size_t offset, std::size_t size) const {
  if (length() < size) throwOutOfBounds();
  checkBounds("offset", offset, length() - size);
  throwOutOfBounds();  // unreachable unless called with an in-range offset
}

void Buffer::throwValueOutOfRange(std::int64_t value, std::size_t size, bool isSigned) {
  checkVariableWidthValue(value, size, isSigned);
  throw RangeError(fmt::format("The value {} is out of range", value));
}

}  // namespace wirekit

fmt::format_context::iterator fmt::formatter<wirekit::Buffer>::format(
    const wirekit::Buffer& buffer, format_context& context) const {
  constexpr std::size_t shownBytes = 50;
  // Node writes `<Buffer ${hex}>`, so an empty Buffer keeps the space: "<Buffer >".
  auto out = fmt::format_to(context.out(), "<Buffer ");
  const std::size_t length = buffer.length();
  const std::size_t shown = std::min(length, shownBytes);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) *out++ = ' ';
    out = fmt::format_to(out, "{:02x}", buffer[i]);
  }
  if (length > shown) {
    const std::size_t more = length - shown;
    out = fmt::format_to(out, " ... {} more byte{}", more, more > 1 ? "s" : "");
  }
  return fmt::format_to(out, ">");
}
