// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for TLS record input: the bytes a peer sends, given in the
// input's chunks to one side of a connection, a detail::TlsEngine (what
// TlsSocket runs) driven as TlsSocket drives it: a server fed a ClientHello
// and whatever follows, or a client, after its ClientHello, fed a server's
// reply. Whatever comes, the side ends or fails with a TlsError's reason and
// code, without a crash, a sanitizer report, a leak or a loop; it never
// agrees to less than TLS 1.2, never becomes secure with a peer it was told
// to verify and could not, reads no plaintext before the handshake is done
// and sends only well-formed records (fuzz_tls.hpp has the checks); and the
// same bytes in one chunk give the same outcome (plaintext, end, failure).
//
// The first byte: bit 0 the client's side (else the server's), bit 1 mutual
// TLS, bit 2 rejectUnauthorized off, bit 3 close_notify as soon as secure;
// then a chunking (fuzz::Input::chunkSizes) and the peer's bytes. OpenSSL's
// randomness is deterministic (fuzz_tls.hpp), so the seeds, conversations
// recorded by fuzz_tls_seeds, replay whole: handshake, data and close_notify.
#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz_tls.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static_cast<void>(wirekit::fuzz::tls::run(std::span<const std::uint8_t>(data, size)));
  return 0;
}
