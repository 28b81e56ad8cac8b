// SPDX-License-Identifier: Apache-2.0
// Writes fuzz_tls's seeds (fuzz/corpus/regenerate runs it): a wirekit client
// and a wirekit server (detail::TlsEngine, fuzz_tls.hpp's Side) talk in
// memory, with the randomness fuzz_tls uses, and what each sent becomes an
// input for the other's role: the client's ClientHello, Finished, greeting
// and close_notify for a server; the server's flights, tickets, greeting,
// echo and close_notify for a client. TLS 1.3 and 1.2, with and without
// mutual TLS, in one chunk and cut up. Each seed is replayed through
// fuzz_tls's run() and must reach the peer's greeting and close_notify: the
// check that the recording and the target agree.
//
// Prints one seed a line, in hex.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <openssl/ssl.h>

#include "fuzz_tls.hpp"

namespace {

using namespace wirekit;
using namespace wirekit::fuzz::tls;

struct Conversation {
  std::vector<std::uint8_t> toServer;
  std::vector<std::uint8_t> toClient;
};

void append(std::vector<std::uint8_t>& to, const Buffer& bytes) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  to.insert(to.end(), data, data + bytes.length());
}

// A context made like contexts()'s (with the setup stream, which the sides'
// streams do not depend on), perhaps speaking TLS 1.2 at most.
std::shared_ptr<SecureContext> context(const SecureContextOptions& options, bool tls12) {
  useStream(RandomStream::setup);
  auto context = createSecureContext(options);
  if (tls12) SSL_CTX_set_max_proto_version(context->native().native_handle(), TLS1_2_VERSION);
  return context;
}

// The server of a conversation recorded for the client's role. Its session
// tickets are the stateful kind: a stateless ticket holds the time, and the
// seeds would change from one second to the next.
std::shared_ptr<SecureContext> recordingServer(const SecureContextOptions& options, bool tls12) {
  auto server = context(options, tls12);
  SSL_CTX_set_options(server->native().native_handle(), SSL_OP_NO_TICKET);
  return server;
}

// The client and the server talk until neither has more to say; then the
// client sends close_notify and the server answers with its own.
Conversation converse(Side& client, Side& server) {
  Conversation conversation;
  const auto pump = [&] {
    for (int round = 0; round < 100; ++round) {
      const Buffer toServer = client.takeOutput();
      append(conversation.toServer, toServer);
      server.receive(toServer.bytes());
      const Buffer toClient = server.takeOutput();
      append(conversation.toClient, toClient);
      client.receive(toClient.bytes());
      if (toServer.empty() && toClient.empty()) return;
    }
    failCheck("the conversation did not settle");
  };
  pump();
  if (!client.secure() || !server.secure() || client.done() || server.done()) {
    failCheck("the recorded handshake failed");
  }
  client.close();
  pump();
  if (!client.ended() || !server.ended()) failCheck("the recorded conversation did not end");
  return conversation;
}

std::vector<std::uint8_t> seed(const Flags& flags, const std::vector<std::uint8_t>& chunking,
                               const std::vector<std::uint8_t>& bytes) {
  std::vector<std::uint8_t> input{flags.byte(), static_cast<std::uint8_t>(chunking.size())};
  for (const std::uint8_t size : chunking)
    input.push_back(static_cast<std::uint8_t>(size - 1));
  input.insert(input.end(), bytes.begin(), bytes.end());
  return input;
}

void print(const std::vector<std::uint8_t>& input) {
  std::string hex;
  for (const std::uint8_t byte : input) {
    static constexpr char digits[] = "0123456789abcdef";
    hex += digits[byte >> 4U];
    hex += digits[byte & 15U];
  }
  std::printf("%s\n", hex.c_str());
}

// The seed, replayed, must do what the recording did.
void check(const std::vector<std::uint8_t>& input, const std::string& expected) {
  const Outcome outcome = run(input);
  if (!outcome.secure || !outcome.ended || !outcome.failure.empty() ||
      outcome.received != expected) {
    failCheck("a recorded conversation does not replay (is OpenSSL's randomness deterministic?)",
              "received '" + outcome.received + "'");
  }
}

// Records a conversation between a client and a server with the fuzzed
// options (optionsFor) but perhaps another context for the peer of the side
// whose seeds these are (null: the fuzzed one), and prints the seeds for
// that side: the server's (the client's bytes, in one chunk and cut up) or
// the client's (the server's bytes).
void record(Flags flags, const std::shared_ptr<SecureContext>& peerContext) {
  TlsSocketOptions clientOptions = optionsFor(false, flags);
  TlsSocketOptions serverOptions = optionsFor(true, flags);
  if (peerContext) (flags.client ? serverOptions : clientOptions).secureContext = peerContext;
  restartSides();
  Side client(false, flags, clientOptions);
  Side server(true, flags, serverOptions);
  const Conversation conversation = converse(client, server);
  if (flags.client) {
    const std::vector<std::uint8_t> input = seed(flags, {}, conversation.toClient);
    check(input, server.greeting() + client.greeting());
    print(input);
    return;
  }
  for (const std::vector<std::uint8_t>& chunking :
       {std::vector<std::uint8_t>{}, std::vector<std::uint8_t>{5, 1, 200, 64}}) {
    const std::vector<std::uint8_t> input = seed(flags, chunking, conversation.toServer);
    check(input, client.greeting());
    print(input);
  }
}

}  // namespace

int main() {
  const Contexts& all = contexts();
  const SecureContextOptions client{.ca = all.serverKey.cert};
  const SecureContextOptions mutualClient{
      .key = all.clientKey.key, .cert = all.clientKey.cert, .ca = all.serverKey.cert};
  const SecureContextOptions server{
      .key = all.serverKey.key, .cert = all.serverKey.cert, .ca = all.clientKey.cert};
  for (const bool mutual : {false, true}) {
    for (const bool tls12 : {false, true}) {
      // The server's side: TLS 1.2 from a client that offers no more.
      record({.client = false, .mutual = mutual},
             tls12 ? context(mutual ? mutualClient : client, true) : nullptr);
      // The client's side: TLS 1.2 from a server that accepts no more.
      record({.client = true, .mutual = mutual}, recordingServer(server, tls12));
    }
  }
  return 0;
}
