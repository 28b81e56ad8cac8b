// SPDX-License-Identifier: Apache-2.0
// protobuf 3.21 as its documentation recommends for speed: messages allocated
// once on an arena and reused (setting every field, parsing into the same
// message), optimize_for = SPEED, serialized into a caller's array.

#include <google/protobuf/arena.h>

#include <stdexcept>

#include "harness.hpp"
#include "order.pb.h"

namespace bench::harness {
namespace {

template <class Input, class Message>
class ProtobufCase {
 public:
  ProtobufCase()
      : encoded_(google::protobuf::Arena::CreateMessage<Message>(&arena_)),
        decoded_(google::protobuf::Arena::CreateMessage<Message>(&arena_)) {}

  [[nodiscard]] const Input& input() const noexcept { return input_; }
  [[nodiscard]] std::vector<std::byte> wire() const {
    return {output_.data(), output_.data() + length_};
  }

 protected:
  std::size_t serialize() {
    if (!encoded_->SerializeToArray(output_.data(), static_cast<int>(output_.size()))) {
      throw std::runtime_error("protobuf: SerializeToArray failed");
    }
    return length_ = encoded_->GetCachedSize();
  }
  Message& parse(std::span<std::byte> bytes) {
    if (!decoded_->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      throw std::runtime_error("protobuf: ParseFromArray failed");
    }
    return *decoded_;
  }

  Input input_;
  google::protobuf::Arena arena_;
  Message* encoded_;
  Message* decoded_;
  AlignedBytes output_{maxMessageSize};
  std::size_t length_ = 0;
};

class OrderCase : public ProtobufCase<OrderInput, pb::Order> {
 public:
  std::size_t encode() {
    const OrderInput& in = input_;
    pb::Order& order = *encoded_;
    order.set_order_id(in.orderId);
    order.set_account_id(in.accountId);
    order.set_instrument_id(in.instrumentId);
    order.set_price(in.price);
    order.set_quantity(in.quantity);
    order.set_side(static_cast<pb::Side>(in.side));
    order.set_order_type(static_cast<pb::OrderType>(in.orderType));
    order.set_timestamp(in.timestamp);
    order.set_sequence(in.sequence);
    order.set_active(in.active);
    order.set_note(in.note);
    return serialize();
  }

  std::uint64_t decode(std::span<std::byte> bytes) {
    const pb::Order& order = parse(bytes);
    Checksum sum;
    sum.add(order.order_id());
    sum.add(order.account_id());
    sum.add(order.instrument_id());
    sum.add(order.price());
    sum.add(order.quantity());
    sum.add(order.side());
    sum.add(order.order_type());
    sum.add(order.timestamp());
    sum.add(order.sequence());
    sum.add(order.active());
    sum.add(std::string_view(order.note()));
    return sum.value();
  }
};

class BlobCase : public ProtobufCase<BlobInput, pb::Blob> {
 public:
  std::size_t encode() {
    encoded_->set_offset(input_.offset);
    encoded_->set_data(input_.data.data(), input_.data.size());
    return serialize();
  }

  std::uint64_t decode(std::span<std::byte> bytes) {
    const pb::Blob& blob = parse(bytes);
    Checksum sum;
    sum.add(blob.offset());
    sum.add(std::string_view(blob.data()));
    return sum.value();
  }
};

}  // namespace

void addProtobufCases() {
  addCodecCase<OrderCase>("order", "protobuf");
  addCodecCase<BlobCase>("blob", "protobuf");
}

}  // namespace bench::harness
