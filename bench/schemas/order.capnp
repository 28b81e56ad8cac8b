# SPDX-License-Identifier: Apache-2.0
# Order and Blob of bench/schemas/bench.wk for Cap'n Proto 0.9.2.
@0xc0c7d944493a4ee1;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("bench::capn");

enum Side {
  unspecified @0;
  buy @1;
  sell @2;
}

enum OrderType {
  unspecified @0;
  market @1;
  limit @2;
  stop @3;
}

struct Order {
  orderId @0 :UInt64;
  accountId @1 :UInt32;
  instrumentId @2 :UInt32;
  price @3 :Float64;
  quantity @4 :UInt32;
  side @5 :Side;
  orderType @6 :OrderType;
  timestamp @7 :UInt64;
  sequence @8 :UInt32;
  active @9 :Bool;
  note @10 :Text;
}

struct Blob {
  offset @0 :UInt64;
  data @1 :Data;
}
