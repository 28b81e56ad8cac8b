// SPDX-License-Identifier: Apache-2.0
#pragma once
// OwningPtr<T>: the sole owner of a heap object (or, as OwningPtr<T[]>, of a
// heap array), deleted with it; move-only. What std::unique_ptr does, for the
// private members of the runtime's headers: every std::unique_ptr<T> a header
// names costs each translation unit that includes it about 1.6 MB of GCC's
// memory (its std::tuple, deleter and constrained members), this about none.
// Public APIs keep std::unique_ptr.
#include <cstddef>
#include <type_traits>
#include <utility>

namespace wirekit::detail {

template <class T>
class OwningPtr {
 public:
  using element_type = std::remove_extent_t<T>;

  OwningPtr() noexcept = default;
  // Takes ownership of owned: allocated by new (new[] for OwningPtr<T[]>).
  explicit OwningPtr(element_type* owned) noexcept : owned_(owned) {}
  OwningPtr(OwningPtr&& other) noexcept : owned_(other.owned_) { other.owned_ = nullptr; }
  OwningPtr& operator=(OwningPtr&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  OwningPtr(const OwningPtr&) = delete;
  OwningPtr& operator=(const OwningPtr&) = delete;
  ~OwningPtr() { destroy(owned_); }

  [[nodiscard]] element_type* get() const noexcept { return owned_; }
  element_type& operator*() const noexcept requires(!std::is_array_v<T>) { return *owned_; }
  element_type* operator->() const noexcept requires(!std::is_array_v<T>) { return owned_; }
  element_type& operator[](std::size_t index) const noexcept requires(std::is_array_v<T>) {
    return owned_[index];
  }
  explicit operator bool() const noexcept { return owned_ != nullptr; }

  // Deletes what is owned and owns owned instead.
  void reset(element_type* owned = nullptr) noexcept {
    element_type* old = owned_;
    owned_ = owned;
    destroy(old);
  }
  // Gives up ownership, to the caller.
  [[nodiscard]] element_type* release() noexcept {
    element_type* owned = owned_;
    owned_ = nullptr;
    return owned;
  }

 private:
  static void destroy(element_type* owned) noexcept {
    static_assert(
        requires { sizeof(element_type); }, "OwningPtr: deleting an incomplete type");
    if constexpr (std::is_array_v<T>) {
      delete[] owned;
    } else {
      delete owned;
    }
  }

  element_type* owned_ = nullptr;
};

// std::make_unique for OwningPtr.
template <class T, class... Args>
requires(!std::is_array_v<T>) [[nodiscard]] OwningPtr<T> makeOwning(Args&&... args) {
  return OwningPtr<T>(new T(std::forward<Args>(args)...));
}

}  // namespace wirekit::detail
