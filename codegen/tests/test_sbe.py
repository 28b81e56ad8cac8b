# SPDX-License-Identifier: Apache-2.0
"""The SBE XML front end: schemas/sbe/*.xml against their converted .wk (and
back), layouts against offsets worked out by hand from the SBE standard, and
the diagnostics of bad XML."""

import json
import os
import random
import subprocess
import sys

import pytest
from conftest import CODEGEN, REPO

from wirekit_codegen.cli import main
from wirekit_codegen.compiler import front_end, load_schema
from wirekit_codegen.emit.cpp import generate_header
from wirekit_codegen.model.types import walk_fields
from wirekit_codegen.sbe.convert import schema_to_xml, tree_to_wk
from wirekit_codegen.syntax.diagnostics import Diagnostics, SchemaError, SourceFile
from wirekit_codegen.wire.codec import decode_stream, encode_json_lines

sys.path.insert(0, os.path.join(REPO, "tests", "codec"))
from crosscheck import Generator  # noqa: E402

SBE_DIR = os.path.join(REPO, "schemas", "sbe")
SCHEMAS = sorted(n for n in os.listdir(SBE_DIR) if n.endswith(".xml") and not n.endswith("_common.xml"))
WIREKIT = os.path.join(CODEGEN, "bin", "wirekit")


def _convert_to_wk(xml_path: str, out: str) -> str:
    with open(xml_path, encoding="utf-8") as handle:
        tree = front_end(xml_path)(SourceFile(xml_path, handle.read()), Diagnostics())
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(tree_to_wk(tree))
    return out


def _convert_to_xml(schema, out: str) -> str:
    d = Diagnostics()
    text = schema_to_xml(schema, d)
    assert not d.has_errors, d.render()
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(text)
    return out


def _random_lines(schema, count: int, seed: str) -> list[str]:
    rng = random.Random(seed)
    generator = Generator(rng)
    return [json.dumps({m.name: generator.fields(m.fields)}, ensure_ascii=False)
            for m in (rng.choice(schema.messages) for _ in range(count))]


@pytest.mark.parametrize("name", SCHEMAS)
def test_xml_and_converted_wk_are_the_same_wire(name, tmp_path):
    xml = load_schema(os.path.join(SBE_DIR, name), Diagnostics())
    wk_path = _convert_to_wk(os.path.join(SBE_DIR, name), str(tmp_path / (name[:-4] + ".wk")))
    wk = load_schema(wk_path, Diagnostics())
    back = load_schema(_convert_to_xml(wk, str(tmp_path / (name[:-4] + ".back.xml"))), Diagnostics())

    lines = _random_lines(xml, 300, name)
    binary = encode_json_lines(xml, lines)
    assert encode_json_lines(wk, lines) == binary
    assert encode_json_lines(back, lines) == binary
    decoded = list(decode_stream(xml, binary))
    assert len(decoded) == len(lines)
    assert list(decode_stream(wk, binary)) == decoded
    assert list(decode_stream(back, binary)) == decoded

    # The .wk keeps every name, so its C++ is the XML's but for the file it names.
    xml_header = generate_header(xml).split("\n", 1)[1]
    assert generate_header(wk).split("\n", 1)[1] == xml_header


def _offsets(schema, message: str) -> dict:
    m = schema.message(message)
    result = {"<block>": m.block_length}
    for path, f in walk_fields(m.fields):
        if f.kind == "group":
            result[path + "<block>"] = f.block_length
        elif f.on_wire_fixed:
            result[path] = f.offset
    return result


def test_market_data_layout_by_hand():
    schema = load_schema(os.path.join(SBE_DIR, "md_incremental.xml"), Diagnostics())
    assert schema.header.size == 8
    # blockLength="16": an 8-byte timestamp, a 1-byte set, 7 bytes of padding.
    assert _offsets(schema, "MDIncrementalRefresh") == {
        "<block>": 16, "TransactTime": 0, "MatchEventIndicator": 8,
        # blockLength="40" with explicit offsets; 21..23 and 35..39 are padding.
        "NoMDEntries<block>": 40,
        "NoMDEntries.MDEntryPx": 0,  # PRICENULL9: int64 mantissa, constant exponent: 8 bytes
        "NoMDEntries.MDEntrySize": 8, "NoMDEntries.SecurityID": 12, "NoMDEntries.RptSeq": 16,
        "NoMDEntries.MDUpdateAction": 20, "NoMDEntries.MDEntryType": 24,
        "NoMDEntries.padded": 25,  # PaddedQty: uint32, then a byte at offset 7: 8 bytes
        "NoMDEntries.NumberOfOrders": 33,
        "NoMDEntries.NoOrderIDEntries<block>": 9,  # uint64 + uint8 enum
        "NoMDEntries.NoOrderIDEntries.OrderID": 0, "NoMDEntries.NoOrderIDEntries.class": 8,
    }
    padded = schema.message("MDIncrementalRefresh").fields[3].fields[6]
    assert padded.type.size == 8 and [f.offset for f in padded.type.fields] == [0, 7]
    # type(1) symbol(6) Maturity(uint16, 1 byte gap, side at 3, season at 4 = 5)
    # PRICE9(8) Flags32(4) two constants(0) float(4) optional enum(1) uint32(4).
    assert _offsets(schema, "SecurityDefinition") == {
        "<block>": 33, "type": 0, "symbol": 1, "maturity": 7, "minPx": 12, "flags": 20,
        "rate": 24, "optSide": 28, "new": 29,
        "NoEvents<block>": 9, "NoEvents.EventType": 0, "NoEvents.EventTime": 1,
    }
    # groupSize8Byte: uint16 blockLength at 0, uint8 numInGroup at offset="7": 8 bytes.
    events = schema.message("SecurityDefinition").fields[-2]
    assert (events.count_offset, events.dimension_size, events.count_type.name) == (7, 8, "u8")
    maturity = schema.message("SecurityDefinition").fields[2].type
    assert maturity.size == 5 and [f.offset for f in maturity.fields] == [0, 3, 4]
    group = schema.message("MDIncrementalRefresh").fields[3]
    inner = group.fields[8]
    assert (group.block_length_type.name, group.count_type.name) == ("u16", "u16")
    assert (inner.block_length_type.name, inner.count_type.name, inner.max, inner.since) == ("u16", "u8", 50, 1)
    text = group.fields[9]
    assert (text.kind, text.length_type.name, text.max, text.since) == ("string", "u16", 200, 2)
    tag = inner.fields[2]
    assert (tag.kind, tag.length_type.name) == ("bytes", "u8")
    # sinceVersion and presence of the <type> go to the field that uses it.
    number_of_orders = group.fields[7]
    assert (number_of_orders.kind, number_of_orders.since, number_of_orders.null_value) == ("optional", 1, 0xFFFF)
    size = group.fields[1]
    assert (size.kind, size.null_value) == ("optional", 2147483647)
    definition = schema.message("SecurityDefinition")
    by_name = {f.name: f for f in definition.fields}
    assert (by_name["side"].kind, by_name["side"].const_value) == ("const", "Sell")
    assert (by_name["actionChar"].kind, by_name["actionChar"].const_value) == ("const", ord("2"))
    assert by_name["rate"].deprecated == 2 and (by_name["new"].since, by_name["new"].deprecated) == (2, 2)
    assert by_name["new"].cpp_name == "new_"
    assert schema.message("Heartbeat").fields[0].type_name == "Heartbeat_"


def test_order_entry_layout_by_hand():
    schema = load_schema(os.path.join(SBE_DIR, "order_entry_be.xml"), Diagnostics())
    assert schema.byte_order == "big"
    # templateId u8 at 0, schemaId u8 at 1, blockLength u16 at 2, version u8 at 4,
    # flags u8 at offset="6" (5 is padding), numGroups u16 at 7: 9 bytes.
    assert {f.name: (f.offset, f.type.name) for f in schema.header.fields} == {
        "templateId": (0, "u8"), "schemaId": (1, "u8"), "blockLength": (2, "u16"), "version": (4, "u8"),
        "flags": (6, "u8"), "numGroups": (7, "u16")}
    assert schema.header.size == 9
    # uint64, Decimal (9) at 8, a 3-byte gap, uint32 at offset="20", char enum,
    # optional int64, uint16, Instrument (char[3] + uint8 enum); blockLength="40".
    assert _offsets(schema, "NewOrderSingle") == {
        "<block>": 40, "clOrdId": 0, "price": 8, "qty": 20, "side": 24, "stopPx": 25, "delete": 33,
        "instrument": 35, "legs<block>": 6, "legs.ratio": 0, "legs.weight": 2,
        "allocs<block>": 4, "allocs.qty": 0}
    legs, allocs = schema.message("NewOrderSingle").fields[-3:-1]
    assert (legs.block_length_type.name, legs.count_type.name) == ("u32", "u32")
    assert (legs.count_offset, legs.dimension_size) == (4, 8)
    # groupSizeExt: blockLength, numInGroup, numGroups, numVarDataFields, uint16 each.
    assert (allocs.count_offset, allocs.dimension_size, allocs.block_length) == (2, 8, 4)
    instrument = schema.message("NewOrderSingle").fields[6].type
    assert instrument.fields[1].type.name == "Instrument_Side"
    assert schema.message("Reject").template_id == 250


def test_rc2_layout_by_hand():
    schema = load_schema(os.path.join(SBE_DIR, "rc2_minimal.xml"), Diagnostics())
    assert schema.byte_order == "little"  # no byteOrder attribute
    assert schema.header.size == 12  # the four fields, numGroups and numVarDataFields
    assert _offsets(schema, "Quote") == {
        "<block>": 18, "bid": 0, "ask": 8, "code": 16, "small": 17,
        "levels<block>": 8, "levels.px": 0, "levels.orders<block>": 8, "levels.orders.qty": 0}
    code = schema.message("Quote").fields[2]
    assert (code.kind, code.null_value) == ("optional", ord(" "))


def test_extra_header_fields_are_written_as_zero():
    schema = load_schema(os.path.join(SBE_DIR, "order_entry_be.xml"), Diagnostics())
    data = encode_json_lines(schema, ['{"Reject":{"reason":9}}'])
    # templateId 250, schemaId 7, blockLength 1 (big-endian), version 0, pad, flags 0, numGroups 0.
    assert data == bytes([250, 7, 0, 1, 0, 0, 0, 0, 0, 9])


def test_cli_accepts_xml_and_converts_both_ways(tmp_path):
    xml = os.path.join(SBE_DIR, "rc2_minimal.xml")
    message = b'{"Quote":{"bid":1.5,"ask":null,"code":"A","small":-2,"levels":[{"px":2,"orders":[{"qty":3}]}],"payload":"AAE="}}\n'
    binary = subprocess.run([WIREKIT, "encode", xml], input=message, capture_output=True, check=True).stdout
    decoded = subprocess.run([WIREKIT, "decode", xml], input=binary, capture_output=True, check=True).stdout
    assert decoded == message
    wk = tmp_path / "rc2.wk"
    assert main(["convert", xml, "-o", str(wk)]) == 0
    assert "// A two-sided quote\nmessage Quote = 3 {" in wk.read_text()
    back = tmp_path / "rc2.xml"
    assert main(["convert", str(wk), "-o", str(back)]) == 0
    for schema in (str(wk), str(back)):
        assert encode_json_lines(load_schema(schema, Diagnostics()), [message.decode()]) == binary


def test_keywords_as_names_are_quoted_in_wk(write_schema):
    path = write_schema("package p; schema_id 1;\nmessage M = 1 { `type`: u8; `version`: u16; }\n")
    schema = load_schema(path, Diagnostics())
    assert [f.name for f in schema.message("M").fields] == ["type", "version"]


# -- diagnostics ---------------------------------------------------------------
HEAD = '<?xml version="1.0"?>\n<sbe:messageSchema xmlns:sbe="http://fixprotocol.io/2016/sbe" package="p" id="1">\n'
TYPES = ('<types><composite name="messageHeader"><type name="blockLength" primitiveType="uint16"/>'
         '<type name="templateId" primitiveType="uint16"/><type name="schemaId" primitiveType="uint16"/>'
         '<type name="version" primitiveType="uint16"/></composite>\n')
TAIL = "</sbe:messageSchema>\n"

CASES = [
    ("malformed XML", HEAD + TYPES + "</types>\n<sbe:message name='M' id='1'>\n</sbe:messagee>\n" + TAIL,
     (6, 3, "malformed XML: mismatched tag")),
    ("unknown type", HEAD + TYPES + "</types>\n<sbe:message name='M' id='1'>\n  <field name='a' id='1' type='Nope'/>\n</sbe:message>\n" + TAIL,
     (6, 26, 'unknown type "Nope"')),
    ("bad valueRef", HEAD + TYPES + '<enum name="E" encodingType="uint8"><validValue name="A">1</validValue></enum></types>\n'
     "<sbe:message name='M' id='1'>\n  <field name='a' id='1' type='E' presence='constant' valueRef='E.B'/>\n</sbe:message>\n" + TAIL,
     (6, 55, 'valueRef="E.B" is not a value of an enum')),
    ("overlapping offsets", HEAD + TYPES + "</types>\n<sbe:message name='M' id='1'>\n  <field name='a' id='1' type='uint32'/>\n"
     "  <field name='b' id='2' type='uint8' offset='2'/>\n</sbe:message>\n" + TAIL,
     (7, 39, "@offset(2) of `b` overlaps `a`, which ends at byte 4")),
    ("unknown primitive", HEAD + TYPES + '<type name="T" primitiveType="uint128"/></types>\n' + TAIL,
     (4, 16, 'unknown primitive type "uint128"')),
    ("missing header", HEAD + "<types/>\n" + TAIL, (2, 1, 'no composite "messageHeader"')),
    ("unknown namespace", '<messageSchema xmlns="urn:x" package="p" id="1"/>\n', (1, 1, 'unknown SBE namespace "urn:x"')),
    ("dimension without blockLength first", HEAD + TYPES + '<composite name="g8"><type name="numInGroup" primitiveType="uint8"/>'
     '<type name="blockLength" primitiveType="uint16" offset="6"/></composite></types>\n'
     "<sbe:message name='M' id='1'>\n  <group name='g' id='1' dimensionType='g8'><field name='a' id='1' type='uint8'/></group>\n</sbe:message>\n" + TAIL,
     (4, 1, 'group dimension "g8" must begin with blockLength (at offset 0) and have a numInGroup')),
    ("overlapping dimension members", HEAD + TYPES + '<composite name="g8"><type name="blockLength" primitiveType="uint16"/>'
     '<type name="numInGroup" primitiveType="uint8" offset="1"/></composite></types>\n'
     "<sbe:message name='M' id='1'>\n  <group name='g' id='1' dimensionType='g8'><field name='a' id='1' type='uint8'/></group>\n</sbe:message>\n" + TAIL,
     (4, 117, "offset 1 of `numInGroup` overlaps the member before it, which ends at byte 2")),
    ("entity expansion", '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n <!ENTITY lol2 "&lol;&lol;&lol;">\n]>\n'
     '<messageSchema package="&lol2;" id="1"/>\n', (2, 1, "a DTD (<!DOCTYPE …>) is not accepted")),
    ("include by URL", HEAD.replace('id="1">', 'id="1" xmlns:xi="http://www.w3.org/2001/XInclude">') + TYPES + "</types>\n"
     '<xi:include href="http://example.com/types.xml"/>\n' + TAIL,
     (5, 13, 'xi:include href "http://example.com/types.xml" must be a file path relative to this schema')),
    ("include of an absolute path", HEAD.replace('id="1">', 'id="1" xmlns:xi="http://www.w3.org/2001/XInclude">') + TYPES + "</types>\n"
     '<xi:include href="/etc/passwd"/>\n' + TAIL, (5, 13, 'xi:include href "/etc/passwd" must be a file path')),
]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_xml_diagnostic(name, text, expected, write_schema, capsys):
    path = write_schema(text, name="s.xml")
    with pytest.raises(SchemaError) as error:
        load_schema(path, Diagnostics())
    line, col, message = expected
    rendered = str(error.value)
    assert f"{path}:{line}:{col}: error: {message}" in rendered, rendered
    assert "^" in rendered
    assert main(["check", path]) == 1
    assert f"{path}:{line}:{col}: error: {message}" in capsys.readouterr().err


def test_include_cycle_and_missing_file(write_schema):
    header = HEAD.replace('id="1">', 'id="1" xmlns:xi="http://www.w3.org/2001/XInclude">')
    path = write_schema(header + TYPES + '</types>\n<xi:include href="loop.xml"/>\n<xi:include href="missing.xml"/>\n' + TAIL,
                        name="s.xml", loop__xml='<types xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="loop.xml"/></types>\n')
    with pytest.raises(SchemaError) as error:
        load_schema(path, Diagnostics())
    rendered = str(error.value)
    assert 'error: xi:include cycle: "loop.xml" includes itself' in rendered
    assert f'{path}:6:13: error: cannot read included file "missing.xml"' in rendered


def test_billion_laughs_is_not_expanded(write_schema):
    entities = "".join(f' <!ENTITY l{i} "{"".join(f"&l{i - 1};" for _ in range(10))}">\n' for i in range(1, 10))
    text = f'<?xml version="1.0"?>\n<!DOCTYPE s [\n <!ENTITY l0 "lol">\n{entities}]>\n<messageSchema package="&l9;" id="1"/>\n'
    path = write_schema(text, name="s.xml")
    result = subprocess.run([WIREKIT, "check", path], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "is not accepted" in result.stderr


def test_a_backquoted_name_must_be_an_identifier(write_schema):
    path = write_schema("package p; schema_id 1;\nmessage M = 1 { `1x`: u8; }\n")
    with pytest.raises(SchemaError) as error:
        load_schema(path, Diagnostics())
    assert f"{path}:2:17: error: a quoted name is an identifier between backquotes" in str(error.value)


WK_SCHEMAS = sorted(
    os.path.join(folder, n) for folder in (os.path.join(REPO, "schemas", "examples"), os.path.join(REPO, "schemas", "test"))
    for n in os.listdir(folder) if n.endswith(".wk") and not n.endswith("_common.wk"))


@pytest.mark.parametrize("path", WK_SCHEMAS, ids=[os.path.basename(p) for p in WK_SCHEMAS])
def test_every_wk_schema_converts_to_xml_with_the_same_wire(path, tmp_path):
    wk = load_schema(path, Diagnostics())
    xml = load_schema(_convert_to_xml(wk, str(tmp_path / (os.path.basename(path) + ".xml"))), Diagnostics())
    binary = encode_json_lines(wk, _random_lines(wk, 200, path))
    # Through the XML schema's JSON form (bool and enum arrays show as numbers there) and back.
    assert encode_json_lines(xml, list(decode_stream(xml, binary))) == binary
    assert [m.block_length for m in xml.messages] == [m.block_length for m in wk.messages]


def test_the_xml_declaration_cannot_pick_the_encoding(write_schema):
    # The file is read as UTF-8; an unknown encoding in the declaration once
    # raised LookupError out of expat.
    path = write_schema(HEAD.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="NaN"?>') + TYPES + "</types>\n" + TAIL,
                        name="s.xml")
    assert load_schema(path, Diagnostics()).package == ("p",)


def test_a_padded_dimension_is_written_with_zero_padding():
    schema = load_schema(os.path.join(SBE_DIR, "md_incremental.xml"), Diagnostics())
    line = json.dumps({"SecurityDefinition": {"type": "Bid", "symbol": "ES", "maturity": {"year": 2027, "side": "Buy", "Season": "Spring"},
                                              "minPx": {"mantissa": 1}, "flags": [], "rate": 0, "optSide": None, "new": 0,
                                              "NoEvents": [{"EventType": 5, "EventTime": 6}], "description": ""}})
    data = encode_json_lines(schema, [line])
    start = 8 + 33  # header, block
    assert data[start:start + 8] == bytes([9, 0, 0, 0, 0, 0, 0, 1])  # blockLength 9, 5 zeros, count 1 at 7
    assert data[start + 8:start + 17] == bytes([5, 6, 0, 0, 0, 0, 0, 0, 0])
    assert json.loads(next(decode_stream(schema, data)))["SecurityDefinition"]["NoEvents"] == [{"EventType": 5, "EventTime": 6}]


def test_wk_dimension_annotations(write_schema):
    path = write_schema("package p; schema_id 1;\nmessage M = 1 {\n  g: group<u16, u8> @count_offset(1) @dimension_size(2) { a: u8; }\n}\n")
    with pytest.raises(SchemaError) as error:
        load_schema(path, Diagnostics())
    rendered = str(error.value)
    assert f"{path}:3:3: error: @count_offset(1) of group `g` overlaps its block length (u16, bytes 0..1)" in rendered
    assert f"{path}:3:3: error: @dimension_size(2) of group `g` must be 3..255: its count ends at byte 3" in rendered
