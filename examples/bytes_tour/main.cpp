// SPDX-License-Identifier: Apache-2.0
// A tour of wirekit's byte layer for Node.js users: the same ArrayBuffer,
// typed arrays, DataView and Buffer, spelled in C++.
#include <fmt/format.h>

#include <wirekit/bytes/buffer.hpp>
#include <wirekit/bytes/data_view.hpp>
#include <wirekit/bytes/typed_array.hpp>
#include <wirekit/error.hpp>

using namespace wirekit;

int main() {
  // const buffer = new ArrayBuffer(8); const view = new Uint8Array(buffer);
  ArrayBuffer buffer(8);
  Uint8Array view(buffer);
  view[0] = 255;
  view[1] = 16;
  fmt::print("{}\n", view);

  // DataView reads big-endian unless told otherwise, at any alignment.
  DataView data(buffer);
  fmt::print("getUint16(0) = {:#06x}, getUint16(0, true) = {:#06x}\n", data.getUint16(0),
             data.getUint16(0, true));
  data.setFloat64(0, 3.5, true);
  fmt::print("after setFloat64(0, 3.5, true): {}\n", view);
  try {
    (void)data.getUint32(6);
  } catch (const RangeError& error) {
    fmt::print("getUint32(6) throws RangeError: {}\n", error.what());
  }

  // subarray shares memory, slice copies.
  Uint8Array shared = view.subarray(0, 2);
  auto copied = view.slice(0, 2);
  shared[0] = 1;
  fmt::print("subarray sees the write: {}; slice does not: {}\n", shared, copied);

  // Buffer: Node's API, and the Buffer <-> ArrayBuffer round trip as Node users write it.
  Buffer bytes = Buffer::from({1, 2, 3, 4});
  ArrayBuffer exact =
      bytes.buffer().slice(bytes.byteOffset(), bytes.byteOffset() + bytes.byteLength());
  fmt::print("{} -> {} -> {}\n", bytes, exact, Buffer::from(exact));
  fmt::print("readUInt32LE(0) = {:#x}, readUInt32BE(0) = {:#x}\n", bytes.readUInt32LE(0),
             bytes.readUInt32BE(0));

  Buffer text = Buffer::from("wirekit ✓");
  fmt::print("{} hex={} base64={} base64url={}\n", text, text.toString(Encoding::hex),
             text.toString(Encoding::base64), text.toString(Encoding::base64url));
  fmt::print("Buffer.from('1a7', 'hex') = {}\n", Buffer::from("1a7", Encoding::hex));
}
