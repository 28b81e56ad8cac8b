// SPDX-License-Identifier: Apache-2.0
#pragma once
// ArrayView: the decoder's view of a fixed-size array field (`T[N]` in a schema):
// size(), operator[] and iteration, each element one load from the block that
// decode() checked.

#include <cstddef>
#include <iterator>
#include <type_traits>

#include "wirekit/bytes/byte_order.hpp"

namespace wirekit::codec {

namespace detail {

template <class T, bool = std::is_enum_v<T>>
struct WireOf {
  using type = T;
};
template <class T>
struct WireOf<T, true> {
  using type = std::underlying_type_t<T>;
};

}  // namespace detail

// The number type an element is stored as: an enum's underlying type, else T.
template <class T>
using WireType = typename detail::WireOf<T>::type;

// One element of type T (a number, bool, char or enum) at p.
template <class T, ByteOrder order>
[[nodiscard]] inline T loadValue(const std::byte* p) noexcept {
  if constexpr (std::is_enum_v<T>) {
    return static_cast<T>(load<WireType<T>, order>(p));
  } else {
    return load<T, order>(p);
  }
}

template <class T, ByteOrder order>
inline void storeValue(std::byte* p, T value) noexcept {
  if constexpr (std::is_enum_v<T>) {
    store<WireType<T>, order>(p, static_cast<WireType<T>>(value));
  } else {
    store<T, order>(p, value);
  }
}

template <class T, std::size_t N, ByteOrder order>
class ArrayView {
 public:
  using value_type = T;
  static constexpr std::size_t elementSize = sizeof(WireType<T>);

  class iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = T;

    iterator() noexcept = default;
    explicit iterator(const std::byte* p) noexcept : p_(p) {}
    T operator*() const noexcept { return loadValue<T, order>(p_); }
    T operator[](difference_type n) const noexcept { return *(*this + n); }
    iterator& operator++() noexcept {
      p_ += elementSize;
      return *this;
    }
    iterator operator++(int) noexcept {
      iterator old = *this;
      ++*this;
      return old;
    }
    iterator& operator--() noexcept {
      p_ -= elementSize;
      return *this;
    }
    iterator operator--(int) noexcept {
      iterator old = *this;
      --*this;
      return old;
    }
    iterator& operator+=(difference_type n) noexcept {
      p_ += n * static_cast<difference_type>(elementSize);
      return *this;
    }
    iterator& operator-=(difference_type n) noexcept { return *this += -n; }
    friend iterator operator+(iterator it, difference_type n) noexcept { return it += n; }
    friend iterator operator+(difference_type n, iterator it) noexcept { return it += n; }
    friend iterator operator-(iterator it, difference_type n) noexcept { return it -= n; }
    friend difference_type operator-(iterator a, iterator b) noexcept {
      return (a.p_ - b.p_) / static_cast<difference_type>(elementSize);
    }
    friend bool operator==(iterator a, iterator b) noexcept { return a.p_ == b.p_; }
    friend auto operator<=>(iterator a, iterator b) noexcept { return a.p_ <=> b.p_; }

   private:
    const std::byte* p_ = nullptr;
  };

  explicit ArrayView(const std::byte* data) noexcept : data_(data) {}

  [[nodiscard]] static constexpr std::size_t size() noexcept { return N; }
  // Unchecked, as std::array's operator[]; at() throws for an index past the end.
  [[nodiscard]] T operator[](std::size_t index) const noexcept {
    return loadValue<T, order>(data_ + index * elementSize);
  }
  [[nodiscard]] iterator begin() const noexcept { return iterator(data_); }
  [[nodiscard]] iterator end() const noexcept { return iterator(data_ + N * elementSize); }
  // The raw bytes of the array, in wire order.
  [[nodiscard]] const std::byte* data() const noexcept { return data_; }

 private:
  const std::byte* data_;
};

}  // namespace wirekit::codec
