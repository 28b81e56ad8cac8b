// SPDX-License-Identifier: Apache-2.0
// FlatBuffers 2.0.8 as its documentation recommends for speed: one
// FlatBufferBuilder reused (Clear() before each message), strings and vectors
// created before their table, reading in place with GetRoot. Reading in place
// trusts the bytes; "flatbuffers-verified" runs the Verifier first, as
// FlatBuffers asks for data from an untrusted source (wirekit always checks).
// "flatbuffers-struct" keeps the ten fixed fields in a struct, FlatBuffers'
// fastest layout, which gives up adding or removing those fields later.

#include <flatbuffers/flatbuffers.h>

#include <stdexcept>

#include "harness.hpp"
#include "order_generated.h"

namespace bench::harness {
namespace {

template <class Input>
class FlatbuffersCase {
 public:
  [[nodiscard]] const Input& input() const noexcept { return input_; }
  [[nodiscard]] std::vector<std::byte> wire() const {
    const auto* begin = reinterpret_cast<const std::byte*>(builder_.GetBufferPointer());
    return {begin, begin + builder_.GetSize()};
  }

 protected:
  Input input_;
  flatbuffers::FlatBufferBuilder builder_{maxMessageSize};
};

class OrderCase : public FlatbuffersCase<OrderInput> {
 public:
  std::size_t encode() {
    const OrderInput& in = input_;
    builder_.Clear();
    const auto note = builder_.CreateString(in.note);
    builder_.Finish(fb::CreateOrder(builder_, in.orderId, in.accountId, in.instrumentId, in.price,
                                    in.quantity, static_cast<fb::Side>(in.side),
                                    static_cast<fb::OrderType>(in.orderType), in.timestamp,
                                    in.sequence, in.active, note));
    return builder_.GetSize();
  }

  static std::uint64_t decode(std::span<std::byte> bytes) {
    return read(*flatbuffers::GetRoot<fb::Order>(bytes.data()));
  }

 protected:
  static std::uint64_t read(const fb::Order& order) {
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
    sum.add(order.note()->string_view());
    return sum.value();
  }
};

class VerifiedOrderCase : public OrderCase {
 public:
  static std::uint64_t decode(std::span<std::byte> bytes) {
    flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                   bytes.size());
    if (!fb::VerifyOrderBuffer(verifier)) throw std::runtime_error("flatbuffers: bad Order");
    return read(*flatbuffers::GetRoot<fb::Order>(bytes.data()));
  }
};

class StructOrderCase : public FlatbuffersCase<OrderInput> {
 public:
  std::size_t encode() {
    const OrderInput& in = input_;
    builder_.Clear();
    const auto note = builder_.CreateString(in.note);
    const fb::OrderFields fields(in.orderId, in.timestamp, in.price, in.accountId, in.instrumentId,
                                 in.quantity, in.sequence, static_cast<fb::Side>(in.side),
                                 static_cast<fb::OrderType>(in.orderType), in.active);
    builder_.Finish(fb::CreateOrderWithStruct(builder_, &fields, note));
    return builder_.GetSize();
  }

  static std::uint64_t decode(std::span<std::byte> bytes) {
    const auto& order = *flatbuffers::GetRoot<fb::OrderWithStruct>(bytes.data());
    const fb::OrderFields& fields = *order.fields();
    Checksum sum;
    sum.add(fields.order_id());
    sum.add(fields.account_id());
    sum.add(fields.instrument_id());
    sum.add(fields.price());
    sum.add(fields.quantity());
    sum.add(fields.side());
    sum.add(fields.order_type());
    sum.add(fields.timestamp());
    sum.add(fields.sequence());
    sum.add(fields.active());
    sum.add(order.note()->string_view());
    return sum.value();
  }
};

class BlobCase : public FlatbuffersCase<BlobInput> {
 public:
  std::size_t encode() {
    builder_.Clear();
    const auto data = builder_.CreateVector(
        reinterpret_cast<const std::uint8_t*>(input_.data.data()), input_.data.size());
    builder_.Finish(fb::CreateBlob(builder_, input_.offset, data));
    return builder_.GetSize();
  }

  static std::uint64_t decode(std::span<std::byte> bytes) {
    const auto& blob = *flatbuffers::GetRoot<fb::Blob>(bytes.data());
    const auto& data = *blob.data();
    Checksum sum;
    sum.add(blob.offset());
    sum.add(
        std::span<const std::byte>(reinterpret_cast<const std::byte*>(data.data()), data.size()));
    return sum.value();
  }
};

}  // namespace

void addFlatbuffersCases() {
  addCodecCase<OrderCase>("order", "flatbuffers");
  addCodecCase<VerifiedOrderCase>("order", "flatbuffers-verified");
  addCodecCase<StructOrderCase>("order", "flatbuffers-struct");
  addCodecCase<BlobCase>("blob", "flatbuffers");
}

}  // namespace bench::harness
