// SPDX-License-Identifier: Apache-2.0
#include "wirekit/transport/nats/jetstream.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <ctime>
#include <random>
#include <utility>

#include <fmt/format.h>
#include <asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "protocol_bytes.hpp"
#include "wirekit/error.hpp"

namespace wirekit::nats {

namespace {

using detail::bufferOf;
using nlohmann::json;

std::exception_ptr invalidReply(const std::string& subject, const std::string& why) {
  return std::make_exception_ptr(
      NatsError("ERR_JS_INVALID_REPLY", fmt::format("the answer to {} {}", subject, why)));
}

// A stream or consumer name becomes a token of the API's subjects: '.', a
// wildcard or whitespace would address something else.
void checkName(std::string_view name, const char* what) {
  const bool bad = name.empty() || std::any_of(name.begin(), name.end(), [](char c) {
                     return c == '.' || c == '*' || c == '>' || c == ' ' || c == '\t' ||
                            c == '\r' || c == '\n' || c == '\0';
                   });
  if (bad)
    throw TypeError(
        fmt::format("JetStream {} name '{}' is empty or holds '.', '*', '>' or "
                    "whitespace",
                    what, name));
}

std::string text(const Buffer& data) {
  return {reinterpret_cast<const char*>(data.begin()), data.length()};
}

std::int64_t nanos(std::chrono::milliseconds duration) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(duration).count();
}

std::chrono::milliseconds millis(const json& value) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::nanoseconds(value.get<std::int64_t>()));
}

// RFC 3339 in UTC with nanoseconds, as the server writes and reads times.
std::string rfc3339(std::chrono::system_clock::time_point time) {
  const auto since = std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch());
  const auto seconds = std::chrono::floor<std::chrono::seconds>(since);
  const std::time_t whole = seconds.count();
  std::tm utc{};
  ::gmtime_r(&whole, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z", utc.tm_year + 1900,
                     utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                     (since - seconds).count());
}

template <class Enum, std::size_t N>
std::string_view nameOf(Enum value, const std::array<std::string_view, N>& names) {
  return names.at(static_cast<std::size_t>(value));
}

template <class Enum, std::size_t N>
Enum valueOf(const json& value, const std::array<std::string_view, N>& names, const char* what) {
  const auto name = value.get<std::string>();
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) throw std::invalid_argument(fmt::format("unknown {} '{}'", what, name));
  return static_cast<Enum>(it - names.begin());
}

constexpr std::array<std::string_view, 2> storageNames{"file", "memory"};
constexpr std::array<std::string_view, 3> retentionNames{"limits", "interest", "workqueue"};
constexpr std::array<std::string_view, 2> discardNames{"old", "new"};
constexpr std::array<std::string_view, 6> deliverNames{
    "all", "last", "new", "by_start_sequence", "by_start_time", "last_per_subject"};
constexpr std::array<std::string_view, 3> ackNames{"explicit", "none", "all"};

json toJson(const StreamConfig& config) {
  return {{"name", config.name},
          {"subjects", config.subjects},
          {"storage", nameOf(config.storage, storageNames)},
          {"retention", nameOf(config.retention, retentionNames)},
          {"discard", nameOf(config.discard, discardNames)},
          {"num_replicas", config.replicas},
          {"max_msgs", config.maxMsgs},
          {"max_bytes", config.maxBytes},
          {"max_msg_size", config.maxMsgSize},
          {"max_age", nanos(config.maxAge)},
          {"duplicate_window", nanos(config.duplicateWindow)}};
}

// Fields the server may leave out keep their defaults; a field of the
// wrong type throws json's type_error, reported as ERR_JS_INVALID_REPLY.
template <class T>
void read(const json& object, const char* key, T& into) {
  if (const auto it = object.find(key); it != object.end() && !it->is_null()) into = it->get<T>();
}

StreamInfo streamInfoOf(const json& reply) {
  StreamInfo info;
  const json& config = reply.at("config");
  read(config, "name", info.config.name);
  read(config, "subjects", info.config.subjects);
  info.config.storage = valueOf<StorageType>(config.at("storage"), storageNames, "storage");
  info.config.retention =
      valueOf<RetentionPolicy>(config.at("retention"), retentionNames, "retention");
  if (config.contains("discard"))
    info.config.discard = valueOf<DiscardPolicy>(config.at("discard"), discardNames, "discard");
  read(config, "num_replicas", info.config.replicas);
  read(config, "max_msgs", info.config.maxMsgs);
  read(config, "max_bytes", info.config.maxBytes);
  read(config, "max_msg_size", info.config.maxMsgSize);
  if (config.contains("max_age")) info.config.maxAge = millis(config.at("max_age"));
  if (config.contains("duplicate_window"))
    info.config.duplicateWindow = millis(config.at("duplicate_window"));
  const json& state = reply.at("state");
  read(state, "messages", info.state.messages);
  read(state, "bytes", info.state.bytes);
  read(state, "first_seq", info.state.firstSeq);
  read(state, "last_seq", info.state.lastSeq);
  read(state, "consumer_count", info.state.consumerCount);
  if (const auto cluster = reply.find("cluster"); cluster != reply.end() && cluster->is_object()) {
    read(*cluster, "leader", info.leader);
    if (const auto replicas = cluster->find("replicas");
        replicas != cluster->end() && replicas->is_array())
      for (const auto& replica : *replicas)
        info.replicas.push_back(replica.at("name").get<std::string>());
  }
  return info;
}

json toJson(const ConsumerConfig& config) {
  json out{{"durable_name", config.durableName},
           {"deliver_policy", nameOf(config.deliverPolicy, deliverNames)},
           {"ack_policy", nameOf(config.ackPolicy, ackNames)},
           {"ack_wait", nanos(config.ackWait)},
           {"max_deliver", config.maxDeliver},
           {"max_ack_pending", config.maxAckPending},
           {"replay_policy", "instant"},
           {"num_replicas", config.replicas}};
  if (!config.filterSubject.empty()) out["filter_subject"] = config.filterSubject;
  if (config.deliverPolicy == DeliverPolicy::byStartSequence)
    out["opt_start_seq"] = config.optStartSeq;
  if (config.deliverPolicy == DeliverPolicy::byStartTime) {
    if (!config.optStartTime)
      throw TypeError("JetStream consumer: deliverPolicy byStartTime needs optStartTime");
    out["opt_start_time"] = rfc3339(*config.optStartTime);
  }
  return out;
}

ConsumerInfo consumerInfoOf(const json& reply) {
  ConsumerInfo info;
  read(reply, "stream_name", info.stream);
  read(reply, "name", info.name);
  const json& config = reply.at("config");
  read(config, "durable_name", info.config.durableName);
  read(config, "filter_subject", info.config.filterSubject);
  info.config.deliverPolicy =
      valueOf<DeliverPolicy>(config.at("deliver_policy"), deliverNames, "deliver_policy");
  info.config.ackPolicy = valueOf<AckPolicy>(config.at("ack_policy"), ackNames, "ack_policy");
  read(config, "opt_start_seq", info.config.optStartSeq);
  if (config.contains("ack_wait")) info.config.ackWait = millis(config.at("ack_wait"));
  read(config, "max_deliver", info.config.maxDeliver);
  read(config, "max_ack_pending", info.config.maxAckPending);
  read(config, "num_replicas", info.config.replicas);
  if (const auto delivered = reply.find("delivered"); delivered != reply.end()) {
    read(*delivered, "stream_seq", info.deliveredStreamSeq);
    read(*delivered, "consumer_seq", info.deliveredConsumerSeq);
  }
  if (const auto floor = reply.find("ack_floor"); floor != reply.end())
    read(*floor, "stream_seq", info.ackFloorStreamSeq);
  read(reply, "num_ack_pending", info.numAckPending);
  read(reply, "num_redelivered", info.numRedelivered);
  read(reply, "num_pending", info.numPending);
  return info;
}

// The JSON object of an API answer, or the error it is: the server's
// {"error": {...}} as JetStreamApiError, anything else that is not an
// object as ERR_JS_INVALID_REPLY.
json parseReply(const std::string& subject, const std::string& body) {
  json reply = json::parse(body, nullptr, false);
  if (reply.is_discarded() || !reply.is_object())
    std::rethrow_exception(invalidReply(subject, "is not a JSON object"));
  if (const auto error = reply.find("error"); error != reply.end()) {
    if (!error->is_object()) std::rethrow_exception(invalidReply(subject, "has a bad 'error'"));
    int status = 0;
    int errCode = 0;
    std::string description;
    read(*error, "code", status);
    read(*error, "err_code", errCode);
    read(*error, "description", description);
    throw JetStreamApiError(status, errCode, std::move(description), subject);
  }
  return reply;
}

// Calls done with parse(the answer's JSON), or with the error: the
// request's, the server's, or a parse that threw (a field missing, of the
// wrong type, an unknown enum: ERR_JS_INVALID_REPLY).
template <class T, class Parse>
std::function<void(const std::exception_ptr&, const std::string&)> answer(std::string subject,
                                                                          JsCallback<T> done,
                                                                          Parse parse) {
  return [subject = std::move(subject), done = std::move(done), parse](
             const std::exception_ptr& error, const std::string& body) {
    if (error) {
      done(error, T{});
      return;
    }
    std::exception_ptr failure;
    T result{};
    try {
      result = parse(parseReply(subject, body));
    } catch (const NatsError&) {
      failure = std::current_exception();
    } catch (const std::exception& bad) {
      failure = invalidReply(subject, fmt::format("is not what the API sends: {}", bad.what()));
    }
    done(failure, result);
  };
}

std::uint64_t number(std::string_view token) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (error != std::errc{} || end != token.data() + token.size() || token.empty())
    throw std::invalid_argument(fmt::format("'{}' is not a number", token));
  return value;
}

}  // namespace

JetStreamApiError::JetStreamApiError(int status, int errCode, std::string description,
                                     const std::string& subject)
    : NatsError("ERR_JS_API", fmt::format("{} (status {}, err_code {}) for {}", description, status,
                                          errCode, subject)),
      status_(status),
      errCode_(errCode),
      description_(std::move(description)) {}

JsMessage::JsMessage(std::weak_ptr<Client> client, const Message& message)
    : client_(std::move(client)),
      subject_(message.subject),
      reply_(message.reply),
      headers_(message.headers),
      data_(message.data) {
  // $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ns>.<pending>, or
  // since 2.9 with <domain>.<account hash> after $JS.ACK and a random token
  // at the end (12 tokens).
  std::vector<std::string_view> tokens;
  std::string_view rest = reply_;
  while (!rest.empty() && tokens.size() < 13) {
    const auto dot = rest.find('.');
    tokens.push_back(rest.substr(0, dot));
    rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
  }
  const bool v1 = tokens.size() == 9;
  const bool v2 = tokens.size() == 12;
  try {
    if ((!v1 && !v2) || tokens[0] != "$JS" || tokens[1] != "ACK")
      throw std::invalid_argument("not $JS.ACK.<stream>.<consumer>.<7 numbers>");
    const std::size_t at = v1 ? 2 : 4;
    stream_ = tokens[at];
    consumer_ = tokens[at + 1];
    deliveryCount_ = number(tokens[at + 2]);
    streamSeq_ = number(tokens[at + 3]);
    consumerSeq_ = number(tokens[at + 4]);
    timestamp_ = std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::nanoseconds(number(tokens[at + 5]))));
    pending_ = number(tokens[at + 6]);
  } catch (const std::invalid_argument& bad) {
    throw NatsError("ERR_JS_INVALID_REPLY",
                    fmt::format("message on '{}' has reply subject '{}', not a JetStream ack "
                                "subject: {}",
                                subject_, reply_, bad.what()));
  }
}

void JsMessage::respond(std::string_view body, bool final) {
  if (acked_) return;
  const auto client = client_.lock();
  if (!client)
    throw NatsError("ERR_NATS_CLOSED", fmt::format("ack of '{}': the client is gone", subject_));
  client->publish(reply_, bufferOf(std::string(body)));
  acked_ = final;
}

void JsMessage::ack() {
  respond("+ACK", true);
}

void JsMessage::ackSync(Callback callback) {
  const auto client = client_.lock();
  if (!client)
    throw NatsError("ERR_NATS_CLOSED", fmt::format("ack of '{}': the client is gone", subject_));
  client->request(reply_, bufferOf("+ACK"),
                  [callback = std::move(callback)](const std::exception_ptr& error,
                                                   const Message&) { callback(error); });
  acked_ = true;
}

void JsMessage::nak(std::optional<std::chrono::milliseconds> delay) {
  respond(delay ? fmt::format("-NAK {{\"delay\":{}}}", nanos(*delay)) : "-NAK", true);
}

void JsMessage::inProgress() {
  respond("+WPI", false);
}

void JsMessage::term() {
  respond("+TERM", true);
}

JetStream::JetStream(asio::io_context& context, std::shared_ptr<Client> client,
                     JetStreamOptions options)
    : context_(context),
      client_(std::move(client)),
      options_(std::move(options)),
      random_(std::random_device{}()) {
  if (!client_) throw TypeError("JetStream: no client");
}

void JetStream::api(const std::string& subject, const std::string& body,
                    std::function<void(const std::exception_ptr&, const std::string&)> done) {
  client_->request(subject, bufferOf(body),
                   [done = std::move(done)](const std::exception_ptr& error, const Message& reply) {
                     done(error, error ? std::string{} : text(reply.data));
                   },
                   {.timeout = options_.timeout});
}

void JetStream::addStream(const StreamConfig& config, JsCallback<StreamInfo> callback) {
  checkName(config.name, "stream");
  const auto subject = options_.apiPrefix + ".STREAM.CREATE." + config.name;
  api(subject, toJson(config).dump(), answer(subject, std::move(callback), streamInfoOf));
}

void JetStream::updateStream(const StreamConfig& config, JsCallback<StreamInfo> callback) {
  checkName(config.name, "stream");
  const auto subject = options_.apiPrefix + ".STREAM.UPDATE." + config.name;
  api(subject, toJson(config).dump(), answer(subject, std::move(callback), streamInfoOf));
}

void JetStream::streamInfo(const std::string& name, JsCallback<StreamInfo> callback) {
  checkName(name, "stream");
  const auto subject = options_.apiPrefix + ".STREAM.INFO." + name;
  api(subject, "", answer(subject, std::move(callback), streamInfoOf));
}

void JetStream::deleteBy(const std::string& subject, Callback callback) {
  api(subject, "",
      answer<bool>(
          subject,
          [callback = std::move(callback)](const std::exception_ptr& error, bool) {
            callback(error);
          },
          [](const json& reply) { return reply.at("success").get<bool>(); }));
}

void JetStream::deleteStream(const std::string& name, Callback callback) {
  checkName(name, "stream");
  const auto subject = options_.apiPrefix + ".STREAM.DELETE." + name;
  deleteBy(subject, std::move(callback));
}

void JetStream::publish(std::string_view subject, const Buffer& data, JsCallback<PubAck> callback,
                        JsPublishOptions options) {
  Headers headers = std::move(options.headers).value_or(Headers{});
  if (!options.msgId.empty()) headers.set(std::string(msgIdHeader), options.msgId);
  if (!options.expectedStream.empty()) headers.set("Nats-Expected-Stream", options.expectedStream);
  const auto what = fmt::format("the publish to '{}'", subject);
  client_->request(
      subject, data,
      [done = answer(what, std::move(callback),
                     [](const json& reply) {
                       PubAck ack;
                       ack.stream = reply.at("stream").get<std::string>();
                       ack.seq = reply.at("seq").get<std::uint64_t>();
                       read(reply, "duplicate", ack.duplicate);
                       return ack;
                     })](const std::exception_ptr& error, const Message& reply) {
        done(error, error ? std::string{} : text(reply.data));
      },
      {.timeout = options.timeout.value_or(options_.timeout),
       .headers = headers.empty() ? std::nullopt : std::optional<Headers>(std::move(headers))});
}

void JetStream::addConsumer(const std::string& stream, const ConsumerConfig& config,
                            JsCallback<ConsumerInfo> callback) {
  checkName(stream, "stream");
  checkName(config.durableName, "consumer");
  const auto subject =
      options_.apiPrefix + ".CONSUMER.DURABLE.CREATE." + stream + "." + config.durableName;
  const json body{{"stream_name", stream}, {"config", toJson(config)}};
  api(subject, body.dump(), answer(subject, std::move(callback), consumerInfoOf));
}

void JetStream::consumerInfo(const std::string& stream, const std::string& durable,
                             JsCallback<ConsumerInfo> callback) {
  checkName(stream, "stream");
  checkName(durable, "consumer");
  const auto subject = options_.apiPrefix + ".CONSUMER.INFO." + stream + "." + durable;
  api(subject, "", answer(subject, std::move(callback), consumerInfoOf));
}

void JetStream::deleteConsumer(const std::string& stream, const std::string& durable,
                               Callback callback) {
  checkName(stream, "stream");
  checkName(durable, "consumer");
  const auto subject = options_.apiPrefix + ".CONSUMER.DELETE." + stream + "." + durable;
  deleteBy(subject, std::move(callback));
}

namespace {

// One fetch: its inbox subscription, what came, the timer that bounds it.
struct Fetch {
  std::string subject;
  std::size_t batch = 0;
  std::weak_ptr<Client> client;
  FetchCallback callback;
  std::shared_ptr<Subscription> subscription;
  std::unique_ptr<asio::steady_timer> timer;
  std::vector<JsMessage> messages;
  bool done = false;

  void finish(std::exception_ptr error) {
    if (done) return;
    done = true;
    if (timer) timer->cancel();
    if (subscription) subscription->unsubscribe();
    // The subscription's handler holds this Fetch: let it go.
    subscription.reset();
    auto callback = std::move(this->callback);
    if (!messages.empty()) error = nullptr;
    callback(error, std::move(messages));
  }

  void onMessage(const Message& message) {
    if (done) return;
    const int status = message.headers.status();
    if (status == 0) {
      try {
        messages.emplace_back(client, message);
      } catch (const NatsError&) {
        finish(std::current_exception());
        return;
      }
      if (messages.size() >= batch) finish(nullptr);
      return;
    }
    // 100: a heartbeat; 404 no messages (noWait); 408 expired; 409 the
    // consumer is gone, or the request broke a limit.
    if (status == 100) return;
    if (status == 404 || status == 408) {
      finish(nullptr);
      return;
    }
    if (status == 503) {
      finish(std::make_exception_ptr(
          NatsError("ERR_NATS_NO_RESPONDERS", fmt::format("no responders for {}", subject))));
      return;
    }
    finish(std::make_exception_ptr(
        JetStreamApiError(status, 0, message.headers.description(), subject)));
  }
};

}  // namespace

void JetStream::fetch(const std::string& stream, const std::string& durable,
                      const FetchOptions& options, FetchCallback callback) {
  checkName(stream, "stream");
  checkName(durable, "consumer");
  if (options.batch == 0) throw TypeError("JetStream fetch: batch must be 1 or more");
  if (!options.noWait && options.expires <= std::chrono::milliseconds::zero())
    throw TypeError("JetStream fetch: expires must be positive unless noWait");

  // A reply subject of its own: the messages of one fetch are told apart
  // from another's by it.
  const auto inbox = fmt::format("{}.{:016x}{:016x}", options_.inboxPrefix, random_(), random_());
  auto state = std::make_shared<Fetch>();
  state->subject = options_.apiPrefix + ".CONSUMER.MSG.NEXT." + stream + "." + durable;
  state->batch = options.batch;
  state->client = client_;
  state->callback = std::move(callback);
  state->subscription =
      client_->subscribe(inbox, [state](const Message& message) { state->onMessage(message); });

  json request{{"batch", options.batch}};
  if (options.noWait)
    request["no_wait"] = true;
  else
    request["expires"] = nanos(options.expires);
  const auto limit =
      (options.noWait ? std::chrono::milliseconds::zero() : options.expires) + options_.timeout;
  state->timer = std::make_unique<asio::steady_timer>(context_, limit);
  state->timer->async_wait([weak = std::weak_ptr<Fetch>(state), limit](std::error_code code) {
    const auto self = weak.lock();
    if (code || !self) return;
    self->finish(std::make_exception_ptr(NatsError(
        "ERR_NATS_TIMEOUT",
        fmt::format("{} got no end of batch within {} ms", self->subject, limit.count()))));
  });
  try {
    client_->publish(state->subject, bufferOf(request.dump()), {.reply = inbox});
  } catch (...) {
    state->finish(nullptr);
    throw;
  }
}

}  // namespace wirekit::nats
