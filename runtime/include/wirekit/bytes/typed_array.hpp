// SPDX-License-Identifier: Apache-2.0
#pragma once
// Typed arrays: views of an ArrayBuffer as elements of one number type, in the
// machine's byte order, as in JavaScript (Int8Array … BigUint64Array). A typed
// array is a view: pointer and length, cheap to copy, not keeping the buffer
// alive. slice(), from() and of() make new bytes, so they return Owned<…>, a typed
// array that holds its ArrayBuffer.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include "wirekit/bytes/array_buffer.hpp"
#include "wirekit/bytes/detail/byte_window.hpp"
#include "wirekit/bytes/detail/number_conversion.hpp"
#include "wirekit/error.hpp"
#include "wirekit/export.hpp"

namespace wirekit {

template <class Element, bool clamped = false>
class TypedArray;

using Int8Array = TypedArray<std::int8_t>;
using Uint8Array = TypedArray<std::uint8_t>;
using Uint8ClampedArray = TypedArray<std::uint8_t, true>;
using Int16Array = TypedArray<std::int16_t>;
using Uint16Array = TypedArray<std::uint16_t>;
using Int32Array = TypedArray<std::int32_t>;
using Uint32Array = TypedArray<std::uint32_t>;
using Float32Array = TypedArray<float>;
using Float64Array = TypedArray<double>;
using BigInt64Array = TypedArray<std::int64_t>;
using BigUint64Array = TypedArray<std::uint64_t>;

// A view that also owns the ArrayBuffer it views: what operations that allocate
// new bytes return. Converts to the plain view wherever one is expected.
template <class View>
class Owned : public View {
 public:
  Owned(ArrayBuffer owner, View view) : View(view), owner_(std::move(owner)) {}
  [[nodiscard]] View view() const noexcept { return *this; }

 private:
  ArrayBuffer owner_;
};

namespace detail {

template <class Element, bool clamped>
constexpr std::string_view typedArrayName() {
  if constexpr (clamped)
    return "Uint8ClampedArray";
  else if constexpr (std::is_same_v<Element, std::int8_t>)
    return "Int8Array";
  else if constexpr (std::is_same_v<Element, std::uint8_t>)
    return "Uint8Array";
  else if constexpr (std::is_same_v<Element, std::int16_t>)
    return "Int16Array";
  else if constexpr (std::is_same_v<Element, std::uint16_t>)
    return "Uint16Array";
  else if constexpr (std::is_same_v<Element, std::int32_t>)
    return "Int32Array";
  else if constexpr (std::is_same_v<Element, std::uint32_t>)
    return "Uint32Array";
  else if constexpr (std::is_same_v<Element, float>)
    return "Float32Array";
  else if constexpr (std::is_same_v<Element, double>)
    return "Float64Array";
  else if constexpr (std::is_same_v<Element, std::int64_t>)
    return "BigInt64Array";
  else if constexpr (std::is_same_v<Element, std::uint64_t>)
    return "BigUint64Array";
  else
    return "";
}

template <class Element>
constexpr bool isBigIntElement =
    std::is_same_v<Element, std::int64_t> || std::is_same_v<Element, std::uint64_t>;

// Assignment through Uint8ClampedArray's operator[]: clamps instead of wrapping.
class ClampedReference {
 public:
  explicit ClampedReference(std::uint8_t* element) noexcept : element_(element) {}
  template <class V>
  requires std::is_arithmetic_v<V>
  const ClampedReference& operator=(V value) const noexcept {
    *element_ = clampToUint8(value);
    return *this;
  }
  // Assigning an element to itself stores the byte it already holds: harmless.
  // NOLINTNEXTLINE(bugprone-unhandled-self-assignment)
  const ClampedReference& operator=(const ClampedReference& other) const noexcept {
    *element_ = *other.element_;
    return *this;
  }
  operator std::uint8_t() const noexcept {
    return *element_;
  }  // NOLINT(google-explicit-constructor)

 private:
  std::uint8_t* element_;
};

[[noreturn]] WIREKIT_EXPORT void throwTypedArrayError(std::string_view arrayName,
                                                      std::string message, bool typeError = false);

}  // namespace detail

template <class Element, bool clamped>
class TypedArray {
  static_assert(!detail::typedArrayName<Element, clamped>().empty(),
                "TypedArray element must be one of int8..int64, uint8..uint64, float or double");
  static_assert(!clamped || std::is_same_v<Element, std::uint8_t>);

 public:
  // Typed arrays of different element types may view the same bytes (a Float32Array
  // and a Uint32Array over one buffer, as JavaScript allows), so element access must
  // not let the optimiser assume that they never alias.
  using AliasingElement [[gnu::may_alias]] = Element;
  using value_type = Element;
  using iterator = AliasingElement*;
  using reference = std::conditional_t<clamped, detail::ClampedReference, AliasingElement&>;

  static constexpr std::size_t BYTES_PER_ELEMENT = sizeof(Element);
  static constexpr std::string_view name = detail::typedArrayName<Element, clamped>();

  // An empty array.
  TypedArray() noexcept = default;

  // From byteOffset to the end of the buffer; over a resizable buffer the array
  // follows its length. RangeError if byteOffset is not a multiple of the element
  // size, the remaining bytes are not a multiple of it, or byteOffset is past the end.
  explicit TypedArray(const ArrayBuffer& buffer, std::size_t byteOffset = 0) {
    checkAlignment(byteOffset);  // before the detached check, in the specification's order
    detail::BufferStorage& storage = checkedStorage(buffer);
    const std::size_t bufferLength = storage.byteLength;
    if (byteOffset > bufferLength) {
      fail(fmt::format("start offset {} is outside the bounds of the buffer ({} bytes)", byteOffset,
                       bufferLength));
    }
    if (!storage.resizable && bufferLength % sizeof(Element) != 0) {
      fail(fmt::format("byte length of the buffer ({}) is not a multiple of the element size {}",
                       bufferLength, sizeof(Element)));
    }
    window_ = detail::ByteWindow(storage, byteOffset, bufferLength - byteOffset, storage.resizable);
  }

  // length elements from byteOffset. RangeError if byteOffset is not a multiple of
  // the element size or the elements do not fit in the buffer.
  TypedArray(const ArrayBuffer& buffer, std::size_t byteOffset, std::size_t length) {
    checkAlignment(byteOffset);
    detail::BufferStorage& storage = checkedStorage(buffer);
    const std::size_t bufferLength = storage.byteLength;
    if (byteOffset > bufferLength || length > (bufferLength - byteOffset) / sizeof(Element)) {
      fail(fmt::format("{} elements from byte offset {} do not fit in the buffer ({} bytes)",
                       length, byteOffset, bufferLength));
    }
    window_ = detail::ByteWindow(storage, byteOffset, length * sizeof(Element), false);
  }

  // Memory wirekit does not manage; it must be aligned for Element.
  explicit TypedArray(std::span<Element> elements) noexcept
      : window_(reinterpret_cast<std::byte*>(elements.data()), elements.size_bytes()) {}

  // A new array (with its own buffer) holding the given values, converted as
  // JavaScript converts numbers stored in a typed array.
  template <class V = Element>
  requires std::is_arithmetic_v<V>
  [[nodiscard]] static Owned<TypedArray> of(std::initializer_list<V> values) {
    Owned<TypedArray> result = allocate(values.size());
    std::size_t index = 0;
    for (V value : values)
      result.data()[index++] = detail::convertElement<Element, clamped>(value);
    return result;
  }
  template <class V, bool otherClamped>
  [[nodiscard]] static Owned<TypedArray> from(const TypedArray<V, otherClamped>& source) {
    Owned<TypedArray> result = allocate(source.length());
    result.set(source);
    return result;
  }
  template <class V>
  requires std::is_arithmetic_v<V>
  [[nodiscard]] static Owned<TypedArray> from(std::span<const V> values) {
    Owned<TypedArray> result = allocate(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
      result.data()[i] = detail::convertElement<Element, clamped>(values[i]);
    }
    return result;
  }

  // 0 once the buffer is detached or has shrunk below the array.
  [[nodiscard]] std::size_t length() const noexcept {
    return window_.byteLength() / sizeof(Element);
  }
  [[nodiscard]] std::size_t size() const noexcept { return length(); }
  [[nodiscard]] bool empty() const noexcept { return length() == 0; }
  [[nodiscard]] std::size_t byteLength() const noexcept { return length() * sizeof(Element); }
  [[nodiscard]] std::size_t byteOffset() const noexcept { return window_.byteOffset(); }
  // The viewed ArrayBuffer. TypeError for an array over external memory.
  [[nodiscard]] ArrayBuffer buffer() const {
    if (window_.storage() == nullptr) {
      detail::throwTypedArrayError(name, "views external memory, not an ArrayBuffer", true);
    }
    return ArrayBuffer::fromStorage(*window_.storage());
  }

  [[nodiscard]] AliasingElement* data() const noexcept {
    return reinterpret_cast<AliasingElement*>(window_.data());
  }
  [[nodiscard]] iterator begin() const noexcept { return data(); }
  [[nodiscard]] iterator end() const noexcept { return data() + length(); }

  // Unchecked, like std::span; use at() for a checked read.
  [[nodiscard]] reference operator[](std::size_t index) const noexcept {
    if constexpr (clamped) {
      return reference(data() + index);
    } else {
      return data()[index];
    }
  }

  // The element at index, negative counting from the end. RangeError outside the array.
  [[nodiscard]] Element at(std::ptrdiff_t index) const {
    const std::size_t count = length();
    const bool fromEnd = index < 0;
    const std::size_t magnitude =
        fromEnd ? static_cast<std::size_t>(-(index + 1)) + 1 : static_cast<std::size_t>(index);
    if (magnitude > count || (!fromEnd && magnitude == count)) {
      fail(fmt::format("index {} is outside the array of {} elements", index, count));
    }
    return data()[fromEnd ? count - magnitude : magnitude];
  }

  // A view of elements [begin, end) of the same bytes; negative indices count from the end.
  [[nodiscard]] TypedArray subarray(std::ptrdiff_t begin = 0, std::ptrdiff_t end = toEnd) const {
    const std::size_t count = length();
    const std::size_t first = detail::relativeIndex(begin, count);
    const std::size_t last = detail::relativeEnd(end, first, count);
    TypedArray result;
    if (window_.storage() == nullptr) {
      result.window_ = detail::ByteWindow(window_.data() + first * sizeof(Element),
                                          (last - first) * sizeof(Element));
    } else {
      const bool tracks = window_.tracksLength() && end == toEnd;
      result.window_ =
          detail::ByteWindow(*window_.storage(), byteOffset() + first * sizeof(Element),
                             (last - first) * sizeof(Element), tracks);
    }
    return result;
  }

  // A copy of elements [begin, end) in a new buffer; negative indices count from the end.
  [[nodiscard]] Owned<TypedArray> slice(std::ptrdiff_t begin = 0,
                                        std::ptrdiff_t end = toEnd) const {
    const TypedArray part = subarray(begin, end);
    Owned<TypedArray> result = allocate(part.length());
    // An empty array may have no memory at all, and memcpy must not see a null pointer.
    if (!part.empty()) std::memcpy(result.data(), part.data(), part.byteLength());
    return result;
  }

  // Copies source into this array from element offset, converting each element as
  // JavaScript does; correct when source views overlapping bytes. RangeError if it
  // does not fit.
  template <class V, bool otherClamped>
  void set(const TypedArray<V, otherClamped>& source, std::size_t offset = 0) const {
    static_assert(detail::isBigIntElement<V> == detail::isBigIntElement<Element>,
                  "cannot mix BigInt and other types, as in JavaScript: convert explicitly");
    const std::size_t count = source.length();
    checkFits(count, offset);
    if constexpr (std::is_same_v<V, Element> && !clamped) {
      if (count > 0) std::memmove(data() + offset, source.data(), count * sizeof(Element));
    } else {
      const std::byte* sourceBegin = reinterpret_cast<const std::byte*>(source.data());
      const std::byte* targetBegin = reinterpret_cast<const std::byte*>(data() + offset);
      const bool overlaps = sourceBegin < targetBegin + count * sizeof(Element) &&
                            targetBegin < sourceBegin + source.byteLength();
      if (overlaps) {
        // Converting in place would read elements already overwritten.
        const std::vector<V> copy(source.begin(), source.end());
        convertInto(std::span<const V>(copy), offset);
      } else {
        convertInto(std::span<const V>(source.data(), count), offset);
      }
    }
  }
  template <class V>
  requires std::is_arithmetic_v<V>
  void set(std::span<const V> values, std::size_t offset = 0) const {
    checkFits(values.size(), offset);
    convertInto(values, offset);
  }
  template <class V>
  requires std::is_arithmetic_v<V>
  void set(std::initializer_list<V> values, std::size_t offset = 0) const {
    set(std::span<const V>(values.begin(), values.size()), offset);
  }

  // Sets elements [begin, end) to value; negative indices count from the end.
  template <class V>
  requires std::is_arithmetic_v<V>
  const TypedArray& fill(V value, std::ptrdiff_t begin = 0, std::ptrdiff_t end = toEnd) const {
    const std::size_t count = length();
    const std::size_t first = detail::relativeIndex(begin, count);
    const std::size_t last = detail::relativeEnd(end, first, count);
    const Element element = detail::convertElement<Element, clamped>(value);
    for (std::size_t i = first; i < last; ++i)
      data()[i] = element;
    return *this;
  }

  // Copies elements [start, end) to target, within this array (memmove semantics).
  const TypedArray& copyWithin(std::ptrdiff_t target, std::ptrdiff_t start = 0,
                               std::ptrdiff_t end = toEnd) const {
    const std::size_t count = length();
    const std::size_t to = detail::relativeIndex(target, count);
    const std::size_t from = detail::relativeIndex(start, count);
    const std::size_t last = detail::relativeEnd(end, from, count);
    const std::size_t moved = last - from < count - to ? last - from : count - to;
    if (moved > 0) std::memmove(data() + to, data() + from, moved * sizeof(Element));
    return *this;
  }

  const TypedArray& reverse() const {
    AliasingElement* const elements = data();
    for (std::size_t i = 0, j = length(); i + 1 < j; ++i) {
      --j;
      std::swap(elements[i], elements[j]);
    }
    return *this;
  }

  // The first index at or after fromIndex holding value, or -1 (NaN is never found).
  [[nodiscard]] std::ptrdiff_t indexOf(Element value, std::ptrdiff_t fromIndex = 0) const {
    const std::size_t count = length();
    for (std::size_t i = detail::relativeIndex(fromIndex, count); i < count; ++i) {
      if (data()[i] == value) return static_cast<std::ptrdiff_t>(i);
    }
    return -1;
  }
  // Whether an element at or after fromIndex is value; unlike indexOf, NaN finds NaN
  // (JavaScript's SameValueZero).
  [[nodiscard]] bool includes(Element value, std::ptrdiff_t fromIndex = 0) const {
    if constexpr (std::is_floating_point_v<Element>) {
      if (detail::isNaN(value)) {
        const std::size_t count = length();
        for (std::size_t i = detail::relativeIndex(fromIndex, count); i < count; ++i) {
          if (detail::isNaN(data()[i])) return true;
        }
        return false;
      }
    }
    return indexOf(value, fromIndex) >= 0;
  }

 private:
  template <class, bool>
  friend class TypedArray;
  // A Buffer converts to a Uint8Array over its very window, whatever state the
  // ArrayBuffer behind it is in.
  friend class Buffer;

  [[noreturn]] static void fail(std::string message) {
    detail::throwTypedArrayError(name, std::move(message));
  }

  static detail::BufferStorage& checkedStorage(const ArrayBuffer& buffer) {
    if (buffer.detached()) detail::throwTypedArrayError(name, "the ArrayBuffer is detached", true);
    return *buffer.storage();
  }

  static void checkAlignment(std::size_t byteOffset) {
    if (byteOffset % sizeof(Element) != 0) {
      fail(fmt::format("start offset {} is not a multiple of the element size {}", byteOffset,
                       sizeof(Element)));
    }
  }

  void checkFits(std::size_t count, std::size_t offset) const {
    const std::size_t available = length();
    if (offset > available || count > available - offset) {
      fail(fmt::format("{} elements at offset {} do not fit in the array of {} elements", count,
                       offset, available));
    }
  }

  template <class V>
  void convertInto(std::span<const V> values, std::size_t offset) const {
    for (std::size_t i = 0; i < values.size(); ++i) {
      data()[offset + i] = detail::convertElement<Element, clamped>(values[i]);
    }
  }

  static Owned<TypedArray> allocate(std::size_t count) {
    ArrayBuffer bytes(count * sizeof(Element));
    TypedArray view(bytes);
    return Owned<TypedArray>(std::move(bytes), view);
  }

  detail::ByteWindow window_;
};

}  // namespace wirekit

// Prints as Node's console.log does, on one line:
// Uint8Array(8) [255, 16, 0, 0, 0, 0, 0, 0]; BigInt64Array(1) [5n]; at most 100
// elements, then "... N more items". Float elements print as the JavaScript numbers
// they read as: a Float32Array holding 35.9f shows 35.900001525878906, and negative
// zero shows as -0, as console.log (not Number's toString) writes it. format() is
// compiled once in the runtime for each element type (typed_array.cpp), so
// that this header needs only <fmt/core.h>.
template <class Element, bool clamped>
struct WIREKIT_EXPORT fmt::formatter<wirekit::TypedArray<Element, clamped>> {
  constexpr auto parse(format_parse_context& context) { return context.begin(); }
  format_context::iterator format(const wirekit::TypedArray<Element, clamped>& array,
                                  format_context& context) const;
};

template <class View>
struct fmt::formatter<wirekit::Owned<View>> : fmt::formatter<View> {};
