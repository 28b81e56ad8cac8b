// SPDX-License-Identifier: Apache-2.0
#pragma once
// RingBuffer: the FIFO behind a stream's read and write queues. A std::deque
// allocates and frees a block every few elements as a queue moves through it;
// this keeps one array, grown by doubling and never shrunk, so a stream in a
// steady state queues and dequeues chunks without allocating. The array is an
// OwningPtr<T[]>, not a std::vector: see owning_ptr.hpp.

#include <cstddef>
#include <utility>

#include "wirekit/detail/owning_ptr.hpp"

namespace wirekit::detail {

template <class T>
class RingBuffer {
 public:
  RingBuffer() = default;
  RingBuffer(const RingBuffer&) = delete;
  RingBuffer& operator=(const RingBuffer&) = delete;
  RingBuffer(RingBuffer&& other) noexcept
      : slots_(std::move(other.slots_)),
        capacity_(std::exchange(other.capacity_, 0)),
        head_(std::exchange(other.head_, 0)),
        size_(std::exchange(other.size_, 0)) {}
  RingBuffer& operator=(RingBuffer&& other) noexcept {
    slots_ = std::move(other.slots_);
    capacity_ = std::exchange(other.capacity_, 0);
    head_ = std::exchange(other.head_, 0);
    size_ = std::exchange(other.size_, 0);
    return *this;
  }
  ~RingBuffer() = default;

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }

  // Element index (0 is the front; index < size()).
  [[nodiscard]] T& operator[](std::size_t index) noexcept { return slots_[wrap(head_ + index)]; }
  [[nodiscard]] const T& operator[](std::size_t index) const noexcept {
    return slots_[wrap(head_ + index)];
  }
  [[nodiscard]] T& front() noexcept { return slots_[head_]; }
  [[nodiscard]] const T& front() const noexcept { return slots_[head_]; }

  void pushBack(T&& value) {
    reserveOneMore();
    slots_[wrap(head_ + size_)] = std::move(value);
    ++size_;
  }

  void pushFront(T&& value) {
    reserveOneMore();
    head_ = wrap(head_ + capacity_ - 1);
    slots_[head_] = std::move(value);
    ++size_;
  }

  // Removes and returns the front element (the queue must not be empty). The
  // slot keeps the moved-from value, which for the types queued here (Buffer,
  // std::function) holds no reference any longer.
  T popFront() {
    T value = std::move(slots_[head_]);
    head_ = wrap(head_ + 1);
    --size_;
    if (size_ == 0) head_ = 0;
    return value;
  }

  void clear() {
    while (size_ > 0)
      popFront();
  }

 private:
  // Capacities are powers of two, so wrapping is a mask.
  [[nodiscard]] std::size_t wrap(std::size_t index) const noexcept {
    return index & (capacity_ - 1);
  }

  void reserveOneMore() {
    if (size_ < capacity_) return;
    const std::size_t capacity = capacity_ == 0 ? 8 : capacity_ * 2;
    OwningPtr<T[]> grown(new T[capacity]);
    for (std::size_t i = 0; i < size_; ++i)
      grown[i] = std::move(slots_[wrap(head_ + i)]);
    slots_ = std::move(grown);
    capacity_ = capacity;
    head_ = 0;
  }

  OwningPtr<T[]> slots_;
  std::size_t capacity_ = 0;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace wirekit::detail
