// SPDX-License-Identifier: Apache-2.0
#pragma once
// JetStream: NATS's persistence, over the core Client. Every call is a
// request on the $JS.API subjects with a JSON body (nlohmann/json, in the
// .cpp only) and a JSON answer, as the official clients do.
//
//   nats::JetStream js(io, nc);
//   js.addStream({.name = "ORDERS", .subjects = {"orders.>"}, .replicas = 3}, cb);
//   js.publish("orders.new", data, [](const std::exception_ptr& e, const nats::PubAck& ack) {},
//              {.msgId = "order-17"});                      // deduplicated by the stream
//   js.addConsumer("ORDERS", {.durableName = "billing"}, cb);
//   js.fetch("ORDERS", "billing", {.batch = 100}, [](const std::exception_ptr& e,
//                                                    std::vector<nats::JsMessage> batch) {
//     for (auto& m : batch) m.ack();
//   });
//
// Answers come through callbacks on the io_context's thread, exactly once
// each: an error (JetStreamApiError for the server's own, with its status,
// err_code and description; ERR_JS_INVALID_REPLY for an answer that is not
// what the API sends; the Client's ERR_NATS_TIMEOUT, ERR_NATS_NO_RESPONDERS
// when JetStream is not there or has no leader, ERR_NATS_CLOSED) or the
// result. A JetStream object may go before its answers arrive: they hold the
// Client, not it.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <asio/io_context.hpp>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/export.hpp"
#include "wirekit/transport/nats/client.hpp"
#include "wirekit/transport/nats/error.hpp"
#include "wirekit/transport/nats/message.hpp"

namespace wirekit::nats {

// The header a stream deduplicates publishes by, within its duplicateWindow.
inline constexpr std::string_view msgIdHeader = "Nats-Msg-Id";

// The server's answer to an API call was an error:
// "ERR_JS_API: stream not found (status 404, err_code 10059) for $JS.API.STREAM.INFO.X".
class WIREKIT_EXPORT JetStreamApiError : public NatsError {
 public:
  JetStreamApiError(int status, int errCode, std::string description, const std::string& subject);

  // The HTTP-like status (400, 404, 500, 503).
  [[nodiscard]] int status() const noexcept { return status_; }
  // JetStream's own code (10059: stream not found, 10058: a stream with
  // this name and another configuration, ...), 0 when the server gave none.
  [[nodiscard]] int errCode() const noexcept { return errCode_; }
  [[nodiscard]] const std::string& description() const noexcept { return description_; }

 private:
  int status_;
  int errCode_;
  std::string description_;
};

struct JetStreamOptions {
  // The API's subject prefix (another domain: "$JS.<domain>.API").
  std::string apiPrefix = "$JS.API";
  // How long an API call or a publish waits for its answer. 5 s, the Go
  // client's: a cluster electing a new leader answers within it.
  std::chrono::milliseconds timeout{5'000};
  // The prefix of fetch()'s reply subjects.
  std::string inboxPrefix = "_INBOX";
};

enum class StorageType { file, memory };
enum class RetentionPolicy { limits, interest, workQueue };
enum class DiscardPolicy { old, newest };

struct StreamConfig {
  // A name without '.', '*', '>' or whitespace (TypeError otherwise).
  std::string name{};
  std::vector<std::string> subjects{};
  StorageType storage = StorageType::file;
  RetentionPolicy retention = RetentionPolicy::limits;
  DiscardPolicy discard = DiscardPolicy::old;
  // Copies kept by a cluster (1..5); R3 survives the loss of one server.
  int replicas = 1;
  // Limits; -1: none.
  std::int64_t maxMsgs = -1;
  std::int64_t maxBytes = -1;
  std::int32_t maxMsgSize = -1;
  // 0: messages never age out.
  std::chrono::milliseconds maxAge{0};
  // How long a Nats-Msg-Id is remembered: 2 minutes, the server's default.
  std::chrono::milliseconds duplicateWindow{120'000};
};

struct StreamState {
  std::uint64_t messages = 0;
  std::uint64_t bytes = 0;
  std::uint64_t firstSeq = 0;
  std::uint64_t lastSeq = 0;
  std::uint64_t consumerCount = 0;
};

struct StreamInfo {
  StreamConfig config;
  StreamState state;
  // In a cluster: the server leading the stream (empty on a single server)
  // and the other replicas' names.
  std::string leader;
  std::vector<std::string> replicas;
};

// A publish's acknowledgement: the stream has it (replicated, if R>1).
struct PubAck {
  std::string stream;
  std::uint64_t seq = 0;
  // True when the stream had this Nats-Msg-Id already: nothing was stored.
  bool duplicate = false;
};

struct JsPublishOptions {
  // Sent as Nats-Msg-Id: a retry with the same id is stored once.
  std::string msgId{};
  // Nats-Expected-Stream: refused unless the subject is this stream's.
  std::string expectedStream{};
  // JetStreamOptions::timeout when not given.
  std::optional<std::chrono::milliseconds> timeout{};
  std::optional<Headers> headers{};
};

enum class DeliverPolicy { all, last, newOnly, byStartSequence, byStartTime, lastPerSubject };
enum class AckPolicy { explicitAck, none, all };

struct ConsumerConfig {
  // A durable consumer's name (same rules as a stream's); it keeps its place
  // across clients and restarts.
  std::string durableName{};
  // Only the stream's subjects that match (empty: all).
  std::string filterSubject{};
  // Where delivery starts: all, the last, only new ones, a stream sequence
  // (optStartSeq) or a time (optStartTime).
  DeliverPolicy deliverPolicy = DeliverPolicy::all;
  std::uint64_t optStartSeq = 0;
  std::optional<std::chrono::system_clock::time_point> optStartTime{};
  AckPolicy ackPolicy = AckPolicy::explicitAck;
  // A message not acked within ackWait is delivered again: 30 s, the server's.
  std::chrono::milliseconds ackWait{30'000};
  // Deliveries of a message before it is given up; -1: no limit.
  std::int64_t maxDeliver = -1;
  // Messages delivered and not yet acked, at most: 1000, the server's default;
  // beyond it the consumer delivers no more until some are acked.
  std::int64_t maxAckPending = 1'000;
  // Copies of the consumer's state; 0: the stream's replicas.
  int replicas = 0;
};

struct ConsumerInfo {
  std::string stream;
  std::string name;
  ConsumerConfig config;
  // The last delivered: stream sequence and consumer sequence.
  std::uint64_t deliveredStreamSeq = 0;
  std::uint64_t deliveredConsumerSeq = 0;
  // Everything up to it is acked.
  std::uint64_t ackFloorStreamSeq = 0;
  std::uint64_t numAckPending = 0;
  std::uint64_t numRedelivered = 0;
  std::uint64_t numPending = 0;
};

// One message delivered by a consumer, with its place in the stream (read
// from the reply subject) and the acknowledgements. The acks are publishes
// on the client: they throw what Client::publish throws; on a message whose
// client is gone, ERR_NATS_CLOSED.
class WIREKIT_EXPORT JsMessage {
 public:
  // ERR_JS_INVALID_REPLY if message.reply is not a JetStream ack subject.
  JsMessage(std::weak_ptr<Client> client, const Message& message);

  // The message is done: not delivered again.
  void ack();
  // ack(), and callback once the server confirms it (a request: it may fail
  // with ERR_NATS_TIMEOUT, and the ack may still have been taken).
  void ackSync(Callback callback);
  // Deliver it again, now or after delay.
  void nak(std::optional<std::chrono::milliseconds> delay = std::nullopt);
  // Still working on it: ackWait starts again.
  void inProgress();
  // Never deliver it again.
  void term();

  [[nodiscard]] const std::string& subject() const noexcept { return subject_; }
  [[nodiscard]] const Buffer& data() const noexcept { return data_; }
  [[nodiscard]] const Headers& headers() const noexcept { return headers_; }
  [[nodiscard]] std::string string() const {
    return {reinterpret_cast<const char*>(data_.begin()), data_.length()};
  }
  [[nodiscard]] const std::string& stream() const noexcept { return stream_; }
  [[nodiscard]] const std::string& consumer() const noexcept { return consumer_; }
  [[nodiscard]] std::uint64_t streamSequence() const noexcept { return streamSeq_; }
  [[nodiscard]] std::uint64_t consumerSequence() const noexcept { return consumerSeq_; }
  // 1 the first time, more on redeliveries.
  [[nodiscard]] std::uint64_t deliveryCount() const noexcept { return deliveryCount_; }
  // When the stream stored it.
  [[nodiscard]] std::chrono::system_clock::time_point timestamp() const noexcept {
    return timestamp_;
  }
  // Messages left for the consumer after this one.
  [[nodiscard]] std::uint64_t pending() const noexcept { return pending_; }
  [[nodiscard]] bool isAcked() const noexcept { return acked_; }

 private:
  void respond(std::string_view body, bool final);

  std::weak_ptr<Client> client_;
  std::string subject_;
  std::string reply_;
  Headers headers_;
  Buffer data_;
  std::string stream_;
  std::string consumer_;
  std::uint64_t streamSeq_ = 0;
  std::uint64_t consumerSeq_ = 0;
  std::uint64_t deliveryCount_ = 0;
  std::chrono::system_clock::time_point timestamp_{};
  std::uint64_t pending_ = 0;
  // ack, term and nak end the message: a second one is not sent.
  bool acked_ = false;
};

struct FetchOptions {
  // Messages at most in this batch (1 or more).
  std::size_t batch = 100;
  // How long the server waits to fill the batch before it ends it.
  std::chrono::milliseconds expires{5'000};
  // End at once with what is there (possibly nothing) instead of waiting.
  bool noWait = false;
};

template <class T>
using JsCallback = std::function<void(const std::exception_ptr&, const T&)>;
using FetchCallback = std::function<void(const std::exception_ptr&, std::vector<JsMessage>)>;

class WIREKIT_EXPORT JetStream {
 public:
  // context: the client's io_context (fetch() times its batches on it).
  JetStream(asio::io_context& context, std::shared_ptr<Client> client,
            JetStreamOptions options = {});

  // STREAM.CREATE: makes the stream; the same call for an existing stream
  // with the same configuration answers its info (so it also binds), another
  // configuration is an error (err_code 10058).
  void addStream(const StreamConfig& config, JsCallback<StreamInfo> callback);
  // STREAM.UPDATE: changes what the server allows changing (subjects, limits,
  // replicas).
  void updateStream(const StreamConfig& config, JsCallback<StreamInfo> callback);
  // STREAM.INFO: binds to a stream that exists (404, err_code 10059 if not).
  void streamInfo(const std::string& name, JsCallback<StreamInfo> callback);
  void deleteStream(const std::string& name, Callback callback);

  // Publishes to a stream's subject and waits for its PubAck.
  void publish(std::string_view subject, const Buffer& data, JsCallback<PubAck> callback,
               JsPublishOptions options = {});

  // CONSUMER.DURABLE.CREATE: a durable pull consumer (durableName required);
  // idempotent like addStream.
  void addConsumer(const std::string& stream, const ConsumerConfig& config,
                   JsCallback<ConsumerInfo> callback);
  // CONSUMER.INFO: binds to a consumer that exists (10014 if not).
  void consumerInfo(const std::string& stream, const std::string& durable,
                    JsCallback<ConsumerInfo> callback);
  void deleteConsumer(const std::string& stream, const std::string& durable, Callback callback);

  // CONSUMER.MSG.NEXT with a reply inbox: up to options.batch messages. The
  // callback gets them once the batch is full, or the server ends it (no
  // messages with noWait, expires reached), or expires plus
  // JetStreamOptions::timeout passed without that end. An error
  // (JetStreamApiError, ERR_NATS_NO_RESPONDERS, ERR_NATS_TIMEOUT) only when
  // no message came.
  void fetch(const std::string& stream, const std::string& durable, const FetchOptions& options,
             FetchCallback callback);

  [[nodiscard]] const std::shared_ptr<Client>& client() const noexcept { return client_; }
  [[nodiscard]] const JetStreamOptions& options() const noexcept { return options_; }

 private:
  void api(const std::string& subject, const std::string& body,
           std::function<void(const std::exception_ptr&, const std::string&)> done);
  // A STREAM.DELETE or CONSUMER.DELETE request: callback once, with the error if any.
  void deleteBy(const std::string& subject, Callback callback);

  asio::io_context& context_;
  std::shared_ptr<Client> client_;
  JetStreamOptions options_;
  // fetch()'s inboxes: <inboxPrefix>.<32 random hex digits>.
  std::mt19937_64 random_;
};

}  // namespace wirekit::nats
