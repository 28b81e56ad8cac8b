// SPDX-License-Identifier: Apache-2.0
#include "wirekit/bytes/data_view.hpp"

#include "wirekit/error.hpp"

namespace wirekit {

namespace {

detail::BufferStorage& attachedStorage(const ArrayBuffer& buffer) {
  if (buffer.detached()) throw TypeError("DataView: the ArrayBuffer is detached");
  return *buffer.storage();
}

}  // namespace

DataView::DataView(const ArrayBuffer& buffer) : DataView(buffer, 0) {}

DataView::DataView(const ArrayBuffer& buffer, std::size_t byteOffset) {
  detail::BufferStorage& storage = attachedStorage(buffer);
  if (byteOffset > storage.byteLength) {
    throw RangeError(fmt::format("DataView: start offset {} is outside the buffer of {} bytes",
                                 byteOffset, storage.byteLength));
  }
  window_ =
      detail::ByteWindow(storage, byteOffset, storage.byteLength - byteOffset, storage.resizable);
}

DataView::DataView(const ArrayBuffer& buffer, std::size_t byteOffset, std::size_t byteLength) {
  detail::BufferStorage& storage = attachedStorage(buffer);
  if (byteOffset > storage.byteLength || byteLength > storage.byteLength - byteOffset) {
    throw RangeError(
        fmt::format("DataView: {} bytes from offset {} are outside the buffer of {} bytes",
                    byteLength, byteOffset, storage.byteLength));
  }
  window_ = detail::ByteWindow(storage, byteOffset, byteLength, false);
}

ArrayBuffer DataView::buffer() const {
  if (window_.storage() == nullptr) {
    throw TypeError("DataView.buffer: the view is of external memory, not an ArrayBuffer");
  }
  return ArrayBuffer::fromStorage(*window_.storage());
}

DataView DataView::subview(std::size_t byteOffset, std::size_t byteLength) const {
  std::byte* start = checkedAt(byteOffset, byteLength, "subview");
  DataView result;
  if (window_.storage() == nullptr) {
    result.window_ = detail::ByteWindow(start, byteLength);
  } else {
    result.window_ = detail::ByteWindow(*window_.storage(), window_.byteOffset() + byteOffset,
                                        byteLength, false);
  }
  return result;
}

void DataView::throwOutOfRange(std::size_t byteOffset, std::size_t size, const char* method) const {
  if (window_.outOfBounds()) {
    throw TypeError(
        fmt::format("DataView.{}: the ArrayBuffer is detached or was resized below "
                    "the view",
                    method));
  }
  throw RangeError(
      fmt::format("DataView.{}: offset {} + {} bytes is outside the bounds of the view ({} bytes)",
                  method, byteOffset, size, window_.byteLength()));
}

}  // namespace wirekit
