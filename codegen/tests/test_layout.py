# SPDX-License-Identifier: Apache-2.0
"""Layouts of known schemas, with offsets worked out by hand from the spec's rules."""

import os

from conftest import REPO
from wirekit_codegen.compiler import load_schema
from wirekit_codegen.layout.compute import required_block_length
from wirekit_codegen.layout.table import layout_text

EXAMPLES = os.path.join(REPO, "schemas", "examples")


def offsets(fields):
    return {f.name: f.offset for f in fields if f.kind in ("fixed", "optional")}


def test_car_matches_sbe():
    car = load_schema(os.path.join(EXAMPLES, "car.wk")).message("Car")
    # u64, u16, u8 enum, char enum, u32[5], char[6], u8 flags, struct of 10: SBE's 49-byte block.
    assert offsets(car.fields) == {"serialNumber": 0, "modelYear": 8, "available": 10, "code": 11,
                                   "someNumbers": 12, "vehicleCode": 32, "extras": 38, "engine": 39}
    assert car.block_length == 49
    engine = next(f for f in car.fields if f.name == "engine").type
    # capacity u16, numCylinders u8, (const), char[3], i8, u8 enum, Booster (char enum, u8)
    assert offsets(engine.fields) == {"capacity": 0, "numCylinders": 2, "manufacturerCode": 3,
                                      "efficiency": 6, "boosterEnabled": 7, "booster": 8}
    assert engine.size == 10
    fuel = next(f for f in car.fields if f.name == "fuelFigures")
    assert fuel.block_length == 6 and offsets(fuel.fields) == {"speed": 0, "mpg": 2}


def test_trading_new_order():
    schema = load_schema(os.path.join(EXAMPLES, "trading.wk"))
    order = schema.message("NewOrder")
    # u64 0, char[8] 8, u8 16, char 17, u8 flags 18, Decimal (i64 + i8 = 9) 19, u32 28,
    # optional i64 32, const, u32 @since(1) 40 -> 44.
    assert offsets(order.fields) == {"orderId": 0, "symbol": 8, "side": 16, "ordType": 17, "tif": 18,
                                     "price": 19, "quantity": 28, "stopPrice": 32, "clientTag": 40}
    assert order.block_length == 44
    assert required_block_length(order.fields, 0) == 40
    assert required_block_length(order.fields, 1) == 44
    stop = next(f for f in order.fields if f.name == "stopPrice")
    assert stop.null_value == -(1 << 63)
    market = schema.message("MarketDataIncremental")
    assert market.block_length == 16  # @block_length(16) pads 12 bytes of fields


def test_offsets_and_padding(write_schema):
    schema = load_schema(write_schema(
        "package t;\nschema_id 1;\nmessage M = 1 @block_length(24) { a: u8; b: u32 @offset(4); c: u16; d: char[3] @offset(12); }\n"))
    m = schema.messages[0]
    assert offsets(m.fields) == {"a": 0, "b": 4, "c": 8, "d": 12}
    assert m.block_length == 24


def test_custom_header_layout():
    schema = load_schema(os.path.join(REPO, "schemas", "test", "custom_header.wk"))
    assert {f.name: (f.offset, f.type.name) for f in schema.header.fields} == {
        "templateId": (0, "u8"), "version": (1, "u8"), "schemaId": (2, "u16"), "blockLength": (4, "u32")}
    assert schema.header.size == 8


def test_layout_table_lists_offsets_sizes_types_and_nulls():
    text = layout_text(load_schema(os.path.join(EXAMPLES, "trading.wk")), "NewOrder")
    lines = [line.split() for line in text.splitlines()]
    assert ["32", "8", "stopPrice", "optional", "i64", "null", "-9223372036854775808"] in lines
    assert ["40", "4", "clientTag", "u32", "since", "1"] in lines
    assert ["-", "0", "venue", "const", "char[4]", '=', '"XLON"'] in lines
    assert "message NewOrder = 1: block 44 bytes (header + block = 52)" in text
    assert "  group legs: dimension 4 bytes (blockLength u16, count u16), entry block 7 bytes" in text
    assert "  string account: u16 length (2 bytes), then the bytes, max 64" in text
    assert "ExecutionReport" not in text
