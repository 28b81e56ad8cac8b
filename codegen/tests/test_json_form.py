# SPDX-License-Identifier: Apache-2.0
"""The JSON form: numbers as JavaScript prints them, encode/decode of messages,
and the DecodeError texts of damaged input."""

import math
import os
import struct

import pytest

from conftest import REPO
from wirekit_codegen.compiler import load_schema
from wirekit_codegen.wire.codec import WireError, decode_message, encode_json_lines
from wirekit_codegen.wire.jsnumber import js_number

CAR = os.path.join(REPO, "schemas", "examples", "car.wk")


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


@pytest.mark.parametrize("value,width,text", [
    (0.1, 8, "0.1"), (f32(0.1), 4, "0.1"), (f32(0.1), 8, "0.10000000149011612"),
    (1e21, 8, "1e+21"), (1e20, 8, "100000000000000000000"), (1.5e-7, 8, "1.5e-7"),
    (1e-6, 8, "0.000001"), (-2.5, 8, "-2.5"), (5e-324, 8, "5e-324"), (f32(3.4028234663852886e38), 4, "3.4028235e+38"),
    (123.0, 8, "123"), (-0.0, 8, "0"), (math.nan, 8, "NaN"), (-math.inf, 4, "-Infinity"),
    (f32(-2429119.75), 4, "-2429119.8"),  # a tie: fmt (and this) keep the correctly rounded digits
])
def test_js_number(value, width, text):
    assert js_number(value, width) == text


def hand_car() -> bytes:
    """A Car by the layout rules, written out field by field."""
    b = struct.pack("<HHHH", 49, 1, 1, 0)
    b += struct.pack("<QHB", 1234, 2013, 1) + b"A" + struct.pack("<5I", 1, 2, 3, 4, 0) + b"abcdef" + bytes([6])
    b += struct.pack("<HB", 2000, 4) + b"123" + struct.pack("<bB", 35, 1) + b"N" + bytes([200])
    b += struct.pack("<HH", 6, 1) + struct.pack("<Hf", 30, 35.9) + struct.pack("<I", 5) + b"Urban"
    b += struct.pack("<HH", 1, 0)
    b += struct.pack("<I", 5) + b"Honda" + struct.pack("<I", 0) + struct.pack("<I", 2) + b"\xff\xfe"
    return b


def test_decode_car_by_hand():
    schema = load_schema(CAR)
    data = hand_car()
    text, length = decode_message(schema, data)
    assert length == len(data)
    assert text == (
        '{"Car":{"serialNumber":1234,"modelYear":2013,"available":"T","code":"A","someNumbers":[1,2,3,4,0],'
        '"vehicleCode":"abcdef","extras":["sportsPack","cruiseControl"],"discountedModel":"C",'
        '"engine":{"capacity":2000,"numCylinders":4,"maxRpm":9000,"manufacturerCode":"123","fuel":"Petrol",'
        '"efficiency":35,"boosterEnabled":"T","booster":{"boostType":"NITROUS","horsePower":200}},'
        '"fuelFigures":[{"speed":30,"mpg":35.9,"usageDescription":"Urban"}],"performanceFigures":[],'
        '"manufacturer":"Honda","model":"","activationCode":"\ufffd\ufffd"}}')
    # Encoding the JSON form gives the same bytes back, except the invalid UTF-8.
    again = encode_json_lines(schema, [text])
    assert again[: len(data) - 6] == data[:-6]


def test_decode_errors_name_field_and_byte():
    schema = load_schema(CAR)
    data = bytearray(hand_car())
    struct.pack_into("<I", data, 67, 4000000)  # the usageDescription length: 57 + 4 + 6
    with pytest.raises(WireError, match=r"^Car.fuelFigures\[0\].usageDescription: length 4000000 at byte 67 runs past the end \(\d+ bytes\)$"):
        decode_message(schema, bytes(data))
    with pytest.raises(WireError, match=r"^baseline: header of 8 bytes at byte 0 runs past the end \(3 bytes\)$"):
        decode_message(schema, bytes(3))
    for n in range(len(hand_car())):
        with pytest.raises(WireError):
            decode_message(schema, hand_car()[:n])


def test_encode_checks_values():
    schema = load_schema(os.path.join(REPO, "schemas", "test", "kinds.wk"))
    with pytest.raises(WireError, match=r"Scalars.u8v: 256 is out of range for u8"):
        encode_json_lines(schema, ['{"Scalars":{"u8v":256}}'])
    with pytest.raises(WireError, match=r"Scalars.u16v: missing"):
        encode_json_lines(schema, ['{"Scalars":{"u8v":1}}'])
    with pytest.raises(WireError, match=r"no field `nope`"):
        encode_json_lines(schema, ['{"Empty":{"nope":1}}'])
    with pytest.raises(WireError, match=r"Optionals.ou8: the value is the null value"):
        encode_json_lines(schema, ['{"Optionals":{"ou8":255}}'])
    data = encode_json_lines(schema, ['{"Optionals":{"ou8":null,"of64":"NaN","ocolor":"Blue"}}'])
    assert data[8] == 0xFF  # a null u8 is 255
    text, _ = decode_message(schema, data)
    assert '"ou8":null' in text and '"of64":null' in text and '"ocolor":"Blue"' in text


def test_json_text_escapes_and_flags():
    schema = load_schema(os.path.join(REPO, "schemas", "test", "kinds.wk"))
    line = ('{"Composites":{"text":"a\\"\\u0001","numbers":[1,2,3,4],"floats":[1.5,"Infinity"],'
            '"colors":["Red",7,"Blue"],"grades":["Good","Bad"],"flags8":["b",6],"flags16":[],"flags64":["last"],'
            '"box":{"corner":{"x":1,"y":2},"size":{"x":3,"y":4},"color":"Blue","label":"é"},'
            '"withOptional":{"id":1,"maybe":null},"temperature":-5,"bigValue":"Huge","bools":[true,false]}}')
    text, _ = decode_message(schema, encode_json_lines(schema, [line]))
    assert '"text":"a\\"\\u0001"' in text
    assert '"flags8":["b",6]' in text
    assert '"colors":["Red",7,"Blue"]' in text
    assert '"floats":[1.5,"Infinity"]' in text
    assert '"label":"é"' in text
    assert '"temperature":-5' in text
    assert '"withOptional":{"id":1,"maybe":null,"fixed":7}' in text
