// SPDX-License-Identifier: Apache-2.0
// Cap'n Proto 0.9.2 as its documentation recommends for speed: a
// MallocMessageBuilder per message over a reused, zeroed scratch space (so that
// building allocates nothing), unpacked encoding, and FlatArrayMessageReader
// reading in place from word-aligned bytes. Encoding ends with the message's
// segments ready to write (the builder's getSegmentsForOutput, as writeMessage
// uses); the wire length counts the segment table too.

#include <capnp/message.h>
#include <capnp/serialize.h>

#include <algorithm>

#include "harness.hpp"
#include "order.capnp.h"

namespace bench::harness {
namespace {

template <class Input>
class CapnprotoCase {
 public:
  [[nodiscard]] const Input& input() const noexcept { return input_; }

 protected:
  static constexpr std::size_t scratchWords = maxMessageSize / sizeof(capnp::word);

  [[nodiscard]] kj::ArrayPtr<capnp::word> scratch() noexcept {
    return kj::arrayPtr(reinterpret_cast<capnp::word*>(scratch_.data()), scratchWords);
  }
  static std::size_t wireLength(capnp::MallocMessageBuilder& builder) {
    return capnp::computeSerializedSizeInWords(builder) * sizeof(capnp::word);
  }
  static std::vector<std::byte> flatten(capnp::MallocMessageBuilder& builder) {
    const kj::Array<capnp::word> words = capnp::messageToFlatArray(builder);
    const auto bytes = words.asBytes();
    return {reinterpret_cast<const std::byte*>(bytes.begin()),
            reinterpret_cast<const std::byte*>(bytes.end())};
  }
  static capnp::FlatArrayMessageReader reader(std::span<std::byte> bytes) {
    return capnp::FlatArrayMessageReader(kj::arrayPtr(
        reinterpret_cast<const capnp::word*>(bytes.data()), bytes.size() / sizeof(capnp::word)));
  }

  Input input_;
  // AlignedBytes zero-fills, as MallocMessageBuilder requires of scratch space.
  AlignedBytes scratch_{maxMessageSize};
};

class OrderCase : public CapnprotoCase<OrderInput> {
 public:
  std::size_t encode() {
    capnp::MallocMessageBuilder builder(scratch());
    fill(builder.initRoot<capn::Order>());
    return wireLength(builder);
  }
  std::vector<std::byte> wire() {
    capnp::MallocMessageBuilder builder(scratch());
    fill(builder.initRoot<capn::Order>());
    return flatten(builder);
  }

  static std::uint64_t decode(std::span<std::byte> bytes) {
    auto message = reader(bytes);
    const auto order = message.getRoot<capn::Order>();
    Checksum sum;
    sum.add(order.getOrderId());
    sum.add(order.getAccountId());
    sum.add(order.getInstrumentId());
    sum.add(order.getPrice());
    sum.add(order.getQuantity());
    sum.add(order.getSide());
    sum.add(order.getOrderType());
    sum.add(order.getTimestamp());
    sum.add(order.getSequence());
    sum.add(order.getActive());
    const capnp::Text::Reader note = order.getNote();
    sum.add(std::string_view(note.begin(), note.size()));
    return sum.value();
  }

 private:
  void fill(capn::Order::Builder order) const {
    const OrderInput& in = input_;
    order.setOrderId(in.orderId);
    order.setAccountId(in.accountId);
    order.setInstrumentId(in.instrumentId);
    order.setPrice(in.price);
    order.setQuantity(in.quantity);
    order.setSide(static_cast<capn::Side>(in.side));
    order.setOrderType(static_cast<capn::OrderType>(in.orderType));
    order.setTimestamp(in.timestamp);
    order.setSequence(in.sequence);
    order.setActive(in.active);
    order.setNote(capnp::Text::Reader(in.note.data(), in.note.size()));
  }
};

class BlobCase : public CapnprotoCase<BlobInput> {
 public:
  std::size_t encode() {
    capnp::MallocMessageBuilder builder(scratch());
    fill(builder.initRoot<capn::Blob>());
    return wireLength(builder);
  }
  std::vector<std::byte> wire() {
    capnp::MallocMessageBuilder builder(scratch());
    fill(builder.initRoot<capn::Blob>());
    return flatten(builder);
  }

  static std::uint64_t decode(std::span<std::byte> bytes) {
    auto message = reader(bytes);
    const auto blob = message.getRoot<capn::Blob>();
    const capnp::Data::Reader data = blob.getData();
    Checksum sum;
    sum.add(blob.getOffset());
    sum.add(
        std::span<const std::byte>(reinterpret_cast<const std::byte*>(data.begin()), data.size()));
    return sum.value();
  }

 private:
  void fill(capn::Blob::Builder blob) const {
    blob.setOffset(input_.offset);
    blob.setData(capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(input_.data.data()),
                                     input_.data.size()));
  }
};

}  // namespace

void addCapnprotoCases() {
  addCodecCase<OrderCase>("order", "capnproto");
  addCodecCase<BlobCase>("blob", "capnproto");
}

}  // namespace bench::harness
