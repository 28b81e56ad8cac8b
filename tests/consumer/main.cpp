// SPDX-License-Identifier: Apache-2.0
// What a first program against wirekit looks like: the byte layer, codecs
// generated from the project's own schemas, and a TLS context (OpenSSL is a
// public dependency the package must find). check_consumer.cmake compares its
// output with the expected text.
#include <fmt/format.h>

#include <wirekit/bytes/buffer.hpp>
#include <wirekit/bytes/data_view.hpp>
#include <wirekit/transport/tls_context.hpp>

#include "goodbye.wk.hpp"
#include "hello.wk.hpp"

int main() {
  wirekit::ArrayBuffer storage(8);
  wirekit::DataView view(storage);
  view.setUint32(0, 0xCAFEF00D);
  view.setUint16(4, 0x1234, true);
  const auto buffer = wirekit::Buffer::from(storage);
  fmt::print("{} {}\n", buffer, buffer.readUInt32BE(0) == 0xCAFEF00D ? "ok" : "wrong");

  wirekit::ArrayBuffer message(64);
  auto hello = consumer::Hello::encode(wirekit::DataView(message));
  hello.sequence(7).mood(consumer::Mood::happy).who("consumer");
  const std::size_t length = hello.encodedLength();
  fmt::print("{} ({} bytes)\n", consumer::Hello::decode(wirekit::DataView(message, 0, length)),
             length);

  auto goodbye = consumer::bye::Goodbye::encode(wirekit::DataView(message));
  goodbye.code(200);
  const std::size_t goodbyeLength = goodbye.encodedLength();
  fmt::print("{} ({} bytes)\n",
             consumer::bye::Goodbye::decode(wirekit::DataView(message, 0, goodbyeLength)),
             goodbyeLength);
  // An exception thrown inside the library and caught here: with a shared
  // libwirekit, its type must be the one this program knows.
  try {
    (void)wirekit::Buffer::from(storage, 9);
  } catch (const wirekit::RangeError&) {
    fmt::print("RangeError caught\n");
  }
  const auto tls = wirekit::createSecureContext({.minVersion = wirekit::TlsVersion::tls1_3});
  fmt::print("tls {}\n", tls->native().native_handle() != nullptr ? "ok" : "wrong");
}
