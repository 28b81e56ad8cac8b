// SPDX-License-Identifier: Apache-2.0
#include "wirekit/transport/nats/message_bus_base.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "wirekit/error.hpp"

namespace wirekit::nats {

namespace {
// Room for any schema's message header and a few fields: below it, every
// send() would fail.
constexpr std::size_t leastMessageLength = 64;
}  // namespace

MessageBusBase::MessageBusBase(std::shared_ptr<Client> client, MessageBusOptions options,
                               std::string_view package)
    : client_(std::move(client)), options_(std::move(options)), alive_(std::make_shared<int>()) {
  if (!client_) throw TypeError("MessageBus: no client");
  if (options_.maxMessageLength < leastMessageLength)
    throw RangeError(fmt::format("MessageBus: maxMessageLength {} is below {} bytes",
                                 options_.maxMessageLength, leastMessageLength));
  if (options_.prefix.empty()) options_.prefix = package;
  encodeBuffer_ = Buffer::allocUnsafeSlow(options_.maxMessageLength);
  drainListener_ = client_->on(events::drain, [this, alive = aliveToken()] {
    if (!alive.expired()) emit(events::drain);
  });
}

MessageBusBase::~MessageBusBase() {
  client_->off(events::drain, drainListener_);
  if (client_->isClosed()) return;
  for (const auto& weak : subscriptions_) {
    if (auto subscription = weak.lock(); subscription && !subscription->isClosed())
      subscription->unsubscribe();
  }
}

std::string MessageBusBase::subjectOf(std::string_view name) const {
  return fmt::format("{}.{}", options_.prefix, name);
}

bool MessageBusBase::publishEncoded(std::string_view subject, std::size_t length,
                                    const PublishOptions& options) {
  return client_->publish(subject, encoded(length), options);
}

Buffer MessageBusBase::encoded(std::size_t length) const {
  // The client copies the bytes into its frame: the buffer is free again once
  // the call returns.
  return encodeBuffer_.subarray(0, static_cast<std::ptrdiff_t>(length));
}

std::shared_ptr<Subscription> MessageBusBase::subscribe(std::string subject, MessageHandler handler,
                                                        SubscribeOptions options) {
  auto subscription = client_->subscribe(
      std::move(subject),
      [alive = aliveToken(), handler = std::move(handler)](const Message& message) {
        if (!alive.expired()) handler(message);
      },
      std::move(options));
  std::erase_if(subscriptions_, [](const auto& weak) { return weak.expired(); });
  subscriptions_.push_back(subscription);
  return subscription;
}

std::exception_ptr MessageBusBase::badMessageError(const Message& message,
                                                   const std::string& what) {
  return std::make_exception_ptr(BadMessageError(message.subject, what));
}

void MessageBusBase::badMessage(const Message& message, const std::string& what) {
  emit(events::error, badMessageError(message, what));
}

}  // namespace wirekit::nats
