# SPDX-License-Identifier: Apache-2.0
"""The generated Wireshark dissectors, checked by tshark against `wirekit decode`.

For every schema under schemas/: random messages of every type (the generator of
tests/codec/crosscheck.py), encoded by the codec `wirekit encode` runs (in this
process: test_cli*.py test the CLI), framed with SOFH and
cut into TCP segments that split messages and segments that carry several;
text2pcap makes the capture, `tshark -X lua_script:<generated> -T json -x`
dissects it, and each message tshark shows is turned back into the JSON form
and compared with the `wirekit decode` line (its Decoder) of the same message, field by field
and entry by entry. The raw bytes tshark gives for each field are checked
against the field's size and value too (byte ranges and byte order).
Damaged messages must show the decoder's own error text as expert info; they
are a second TCP stream in the same capture, so one tshark run serves both
tests (a tshark start is about 0.5 s of CPU)."""

from __future__ import annotations

import base64
import importlib.util
import json
import math
import os
import random
import re
import shutil
import struct
import subprocess
import tempfile
import time

import pytest

from conftest import REPO
from wirekit_codegen.compiler import load_schema
from wirekit_codegen.emit.wireshark import SOFH_ENCODING, generate_files
from wirekit_codegen.model.types import ArrayType, EnumType, FlagsType, StructType
from wirekit_codegen.wire.codec import Decoder, WireError, encode_json_lines, flags_json, json_number

TSHARK = shutil.which("tshark")
TEXT2PCAP = shutil.which("text2pcap")
MERGECAP = shutil.which("mergecap")
pytestmark = pytest.mark.skipif(not (TSHARK and TEXT2PCAP and MERGECAP), reason="tshark/text2pcap/mergecap not installed")

WIREKIT = os.path.join(REPO, "codegen", "bin", "wirekit")
MESSAGES_PER_SCHEMA = int(os.environ.get("WIREKIT_WIRESHARK_MESSAGES", "2000"))
PORT = 9000  # the generated dissectors' default port
DAMAGED_PORT = PORT + 1  # the damaged messages' stream, in the capture of the random messages


def _schemas() -> list[str]:
    """Every schema file that is a schema of its own (not only imported or
    XInclude'd types): .wk files with a package, SBE XML files whose root is
    a messageSchema."""
    out = []
    for folder in ("examples", "test", "sbe"):
        root = os.path.join(REPO, "schemas", folder)
        for name in sorted(os.listdir(root)):
            path = os.path.join(root, name)
            text = open(path, encoding="utf-8").read()
            if name.endswith(".wk") and re.search(r"^package\s", text, re.M) or \
                    name.endswith(".xml") and re.search(r"<(\w+:)?messageSchema\b", text):
                out.append(path)
    return out


def _crosscheck_generator():
    spec = importlib.util.spec_from_file_location("crosscheck", os.path.join(REPO, "tests", "codec", "crosscheck.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Generator


def _run(command, data: bytes | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(command, input=data, capture_output=True, timeout=300)
    assert result.returncode == 0, f"{' '.join(command)}: {result.stderr.decode(errors='replace')}"
    return result


def _sofh(schema, message: bytes) -> bytes:
    return struct.pack(">IH", len(message) + 6, SOFH_ENCODING[schema.byte_order]) + message


def _messages(schema, binary: bytes) -> list[tuple[bytes, str]]:
    """Each message of a stream with its JSON line, decoded once."""
    decoder, messages, pos = Decoder(schema), [], 0
    while pos < len(binary):
        text, length = decoder.decode(memoryview(binary)[pos:])
        messages.append((binary[pos:pos + length], text))
        pos += length
    return messages


def _segments(stream: bytes, rng: random.Random) -> list[bytes]:
    """Cuts at random: many tiny and mid-sized segments (messages split across
    them) and full-sized ones (several messages each)."""
    out, pos = [], 0
    while pos < len(stream):
        size = rng.choice([rng.randint(1, 8), rng.randint(9, 200), rng.randint(200, 1460), 1460])
        out.append(stream[pos:pos + size])
        pos += size
    return out


def _pcap(tmp_path, name: str, segments: list[bytes], ports: tuple[int, int] = (40000, PORT)) -> str:
    """A capture made by Wireshark's own text2pcap: one TCP segment per item."""
    text = tmp_path / f"{name}.txt"
    with open(text, "w") as out:
        for segment in segments:
            for at in range(0, len(segment), 16):
                out.write(f"{at:06x} {segment[at:at + 16].hex(' ')}\n")
    capture = str(tmp_path / f"{name}.pcap")
    _run([TEXT2PCAP, "-q", "-T", f"{ports[0]},{ports[1]}", str(text), capture])
    return capture


def _streams(tmp_path, name: str, streams: list[tuple[tuple[int, int], list[bytes]]]) -> str:
    """One capture of several TCP streams (ports, segments), one after the other."""
    parts = [_pcap(tmp_path, f"{name}-{i}", segments, ports) for i, (ports, segments) in enumerate(streams)]
    capture = str(tmp_path / f"{name}.pcap")
    _run([MERGECAP, "-a", "-w", capture, *parts])
    return capture


def _port(packet) -> int:
    """The TCP destination port of a packet tshark printed."""
    layers = dict(dict(packet)["_source"])["layers"]
    return int(dict(dict(layers)["tcp"])["tcp.dstport"])


def _keys(pairs):
    """Every key anywhere in a tree."""
    for key, value in pairs:
        yield key
        if isinstance(value, list) and value and isinstance(value[0], tuple):
            yield from _keys(value)


def _dissector(schema_path: str, tmp_path, ports: str = str(PORT)) -> str:
    """The dissector `wirekit generate --lang wireshark` writes, made in this
    process (a CLI start per test is CPU the CI pays; test_cli*.py test the CLI)."""
    [output] = generate_files(load_schema(schema_path), schema_path, {"ports": ports})
    path = tmp_path / output.name
    path.write_text(output.text, encoding="utf-8")
    return str(path)


def _tshark(lua: str, capture: str, *options: str) -> tuple[list, bytes]:
    """The packets tshark prints as JSON (objects as lists of pairs: keys repeat),
    and that JSON. tshark writes it to a file, read once: through a pipe, tens
    of MB cost thousands of reads and wake-ups on both sides."""
    with tempfile.TemporaryFile() as output:
        result = subprocess.run([TSHARK, "-X", f"lua_script:{lua}", "-r", capture, "-T", "json", "-x", *options],
                                stdout=output, stderr=subprocess.PIPE, timeout=300)
        output.seek(0)
        text = output.read()
    stderr = result.stderr.decode(errors="replace")
    assert result.returncode == 0, stderr
    assert "Lua" not in stderr and b"_ws.lua.error" not in text and b"Lua Error" not in text, stderr
    return json.loads(text, object_pairs_hook=lambda pairs: pairs), text


def _dissected(packets: list, package: str) -> list:
    """Each SOFH frame the dissector showed, in capture order."""
    frames = []
    for packet in packets:
        layers = dict(dict(packet)["_source"])["layers"]
        frames += [value for key, value in layers if key == package]
    return frames


def _experts(pairs) -> list[str]:
    """The expert info messages anywhere in a tree."""
    found = []
    for key, value in pairs:
        if key == "_ws.expert" and isinstance(value, list):
            found += [v for k, v in value if k == "_ws.expert.message"]
        elif isinstance(value, list) and value and isinstance(value[0], tuple):
            found += _experts(value)
    return found


# -- tshark's tree back to the JSON form ---------------------------------------

class Converter:
    """Turns the pairs of one message item into the JSON form, checking each
    field's raw bytes on the way."""

    def __init__(self, schema):
        self.schema = schema
        self.order = schema.byte_order
        # key -> values of each pairs list looked at, so that finding every
        # field of a block is not a scan of the block per field: (pairs, index)
        # by id, the list kept so that its id is not reused.
        self.indexes = {}

    def message(self, frame: list):
        self.indexes.clear()
        package = ".".join(self.schema.package).lower()
        for key, value in frame:
            for m in self.schema.messages:
                if key == f"{package}.{m.name.lower()}":
                    return {m.name: self.block(m.fields, value, key)}
        return None

    def header(self, frame: list, message: bytes, path: str, differences: list) -> None:
        """Every header field (the schema's own ones too: padding, ids of one
        byte, extra fields) shown with its bytes at its offset in the message."""
        package = ".".join(self.schema.package).lower()
        items = [v for k, v in frame if k == "_ws.lua.text" and any(
            key.startswith(f"{package}.header.") for key, _ in v)]
        if len(items) != 1:
            differences.append(f"{path}: {len(items)} message headers shown")
            return
        for f in self.schema.header.fields:
            value, raw = self.find(items[0], f"{package}.header.{f.name.lower()}")
            wire = message[f.offset:f.offset + f.type.size]
            if raw is None or raw[0] != wire.hex() or int(value) != int.from_bytes(wire, self.order, signed=f.type.signed):
                differences.append(f"{path}: header.{f.name} shown as {value} {raw}, bytes {wire.hex()} at {f.offset}")

    def block(self, fields, pairs, path: str) -> dict:
        out = {}
        for f in fields:
            key = f"{path}.{f.name.lower()}"
            if f.kind == "group":
                out[f.name] = self.group(f, pairs, key)
            elif f.kind in ("string", "bytes"):
                out[f.name] = self.var(f, pairs, key)
            else:
                out[f.name] = self.fixed(f, pairs, key)
        return out

    def find(self, pairs, key: str, default=None):
        """The value and raw [hex, pos, len, ...] of the one item named key."""
        kept = self.indexes.get(id(pairs))
        if kept is None:
            index = {}
            for k, v in pairs:
                index.setdefault(k, []).append(v)
            kept = self.indexes[id(pairs)] = (pairs, index)
        values = kept[1].get(key, [])
        raws = kept[1].get(key + "_raw", [])
        assert len(values) <= 1, f"{key} appears {len(values)} times"
        if not values:
            return default, None
        return values[0], (raws[0] if raws else None)

    def fixed(self, f, pairs, key):
        value, raw = self.find(pairs, key)
        if value is None:
            return None
        if f.kind == "const":
            assert raw is None, f"{key}: a constant takes no bytes"
            return self.const(f, value)
        tree, _ = self.find(pairs, key + "_tree", [])
        return self.value(f.type, value, raw, tree, key)

    def const(self, f, value):
        t = f.type
        if isinstance(t, ArrayType):
            return value
        return self.scalar(t, value, None, key=f.name)

    def value(self, t, value, raw, tree, key):
        if isinstance(t, StructType):
            assert len(bytes.fromhex(raw[0])) == t.size, key
            return {m.name: self.fixed(m, value, f"{key}.{m.name.lower()}") for m in t.fields}
        if isinstance(t, ArrayType):
            data = bytes.fromhex(raw[0])
            assert len(data) == t.size, key
            if t.is_text:
                text = data.rstrip(b"\0").decode("latin-1")
                assert value == _as_wireshark_string(text), f"{key}: {value!r} for {text!r}"
                return text
            elements = [v for k, v in value if k == f"{key}.element"]
            raws = [v for k, v in value if k == f"{key}.element_raw"]
            assert len(elements) == len(raws) == t.length, key
            return [self.scalar(t.element, v, r, key=key) for v, r in zip(elements, raws)]
        if isinstance(t, FlagsType):
            bits = int(value, 16)
            self.check_raw(raw, t.underlying, bits, key)
            for m in t.members:
                child, _ = self.find(tree, f"{key}.{m.name.lower()}")
                assert child == str(bits >> m.value & 1), f"{key}.{m.name}: {child} in {bits:#x}"
            return json.loads(flags_json(t, bits))
        return self.scalar(t, value, raw, key=key)

    def check_raw(self, raw, prim, value, key):
        if raw is None:
            return
        data = bytes.fromhex(raw[0])
        assert len(data) == prim.width == raw[2], f"{key}: {raw} for a {prim.name}"
        if prim.is_float:
            code = ("<" if self.order == "little" else ">") + prim.struct_code
            wire = struct.unpack(code, data)[0]
            assert (wire != wire and value != value) or wire == value, f"{key}: {wire} on the wire, {value} shown"
        else:
            wire = int.from_bytes(data, self.order, signed=prim.signed and prim.name not in ("char", "bool"))
            assert wire == value, f"{key}: {wire} on the wire, {value} shown"

    def scalar(self, t, value: str, raw, key):
        if isinstance(t, EnumType):
            number = int(value, 16) if value.startswith("0x") else int(value)
            self.check_raw(raw, t.underlying, number, key)
            member = t.by_value(number)
            return member.name if member else number
        if t.name == "bool":
            if raw is not None:
                assert bool(int(bytes.fromhex(raw[0]).hex(), 16)) == (value == "1"), key
            return value == "1"
        if t.name == "char":
            if raw is not None:
                text = bytes.fromhex(raw[0]).rstrip(b"\0").decode("latin-1")
                assert value == _as_wireshark_string(text), key
                return text
            return value
        if t.is_float:
            shown = {"nan": math.nan, "-nan": math.nan, "inf": math.inf, "-inf": -math.inf}.get(value)
            shown = float(value) if shown is None else shown
            if raw is not None:
                # Wireshark prints FLT_DIG / DBL_DIG significant digits; the
                # field's value (filters, raw bytes) is the exact one.
                code = ("<" if self.order == "little" else ">") + t.struct_code
                wire = struct.unpack(code, bytes.fromhex(raw[0]))[0]
                digits = 6 if t.width == 4 else 15
                assert len(bytes.fromhex(raw[0])) == t.width, key
                assert (math.isnan(wire) and math.isnan(shown)) or float(f"{wire:.{digits}g}") == shown, \
                    f"{key}: {value} shown for {wire!r}"
                shown = wire
            return json.loads(json_number(shown, t.width))
        number = int(value)
        self.check_raw(raw, t, number, key)
        return number

    def group(self, f, pairs, key):
        value, _ = self.find(pairs, key)
        if value is None:
            return []
        count, _ = self.find(value, f"{key}.dimension.count")
        entries = []
        for k, v in value:
            if k == f"{key}.entry":
                assert v == str(len(entries)), f"{key}: entry {v} after {len(entries)} entries"
                entries.append([])
            elif k == f"{key}.entry_tree":
                entries[-1] = v
        assert len(entries) == int(count), f"{key}: {len(entries)} entries, count {count}"
        return [self.block(f.fields, entry, key) for entry in entries]

    def var(self, f, pairs, key):
        value, raw = self.find(pairs, key)
        length, length_raw = self.find(pairs, key + ".length")
        if value is None:
            assert length is None, key
            return None
        data = bytes.fromhex(raw[0]) if raw else b""
        assert len(data) == int(length), f"{key}: {len(data)} bytes, length {length}"
        self.check_raw(length_raw, f.length_type, int(length), key + ".length")
        if f.kind == "bytes":
            assert value == ":".join(f"{b:02x}" for b in data), key
            return base64.b64encode(data).decode("ascii")
        text = data.decode("utf-8", errors="replace")
        assert value == _as_wireshark_string(text), f"{key}: {value!r} for {text!r}"
        return text


def _as_wireshark_string(text: str) -> str:
    """A string as tshark's JSON prints a string field: up to the first NUL."""
    return text.split("\0")[0]


def _same(expected, actual, path: str, differences: list) -> None:
    if isinstance(expected, dict) and isinstance(actual, dict):
        if list(expected) != list(actual):
            differences.append(f"{path}: fields {list(actual)}, expected {list(expected)}")
            return
        for k in expected:
            _same(expected[k], actual[k], f"{path}.{k}", differences)
    elif isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            differences.append(f"{path}: {len(actual)} entries, expected {len(expected)}")
            return
        for i, (e, a) in enumerate(zip(expected, actual)):
            _same(e, a, f"{path}[{i}]", differences)
    elif isinstance(expected, float) or isinstance(actual, float):
        if not (isinstance(actual, (int, float)) and isinstance(expected, (int, float)) and float(expected) == float(actual)):
            differences.append(f"{path}: {actual!r}, expected {expected!r}")
    elif expected != actual or type(expected) is not type(actual):
        differences.append(f"{path}: {actual!r}, expected {expected!r}")


# -- the tests ------------------------------------------------------------------

SCHEMAS = _schemas()


@pytest.fixture(scope="module")
def timings():
    results = {}
    yield results
    if results:
        total_messages = sum(n for n, _ in results.values())
        total_seconds = sum(s for _, s in results.values())
        print(f"\ntshark with the generated dissectors: {total_messages} messages in {total_seconds:.1f} s, "
              f"{1e6 * total_seconds / total_messages:.0f} us per message (startup included)")


@pytest.fixture(scope="module")
def damaged_runs():
    """schema path -> (damaged messages, tshark's packets of them): dissected
    in the same tshark run as the schema's random messages (a tshark start
    costs about 0.5 s of CPU), for the damaged-messages test to check."""
    return {}


@pytest.mark.parametrize("schema_path", SCHEMAS, ids=os.path.basename)
def test_tshark_shows_what_wirekit_decode_prints(schema_path, tmp_path, timings, damaged_runs):
    schema = load_schema(schema_path)
    rng = random.Random(f"wireshark:{os.path.basename(schema_path)}")
    generator = _crosscheck_generator()(rng)
    lines = []
    for i in range(MESSAGES_PER_SCHEMA):
        message = schema.messages[i % len(schema.messages)]
        lines.append(json.dumps({message.name: generator.fields(message.fields)}, ensure_ascii=False))
    messages = _messages(schema, encode_json_lines(schema, lines))
    assert len(messages) == len(lines)
    expected = [text for _, text in messages]
    frames = [_sofh(schema, message) for message, _ in messages]
    segments = _segments(b"".join(frames), rng)
    assert any(len(s) < 8 for s in segments) and any(len(s) == 1460 for s in segments)
    damaged, damaged_segments = _damaged_stream(schema, schema_path)
    capture = _streams(tmp_path, "messages", [((40000, PORT), segments), ((40001, DAMAGED_PORT), damaged_segments)])
    lua = _dissector(schema_path, tmp_path, f"{PORT}-{DAMAGED_PORT}")

    started = time.monotonic()
    packets, _ = _tshark(lua, capture)
    timings[os.path.basename(schema_path)] = (len(lines), time.monotonic() - started)
    damaged_runs[schema_path] = (damaged, [p for p in packets if _port(p) == DAMAGED_PORT])
    packets = [p for p in packets if _port(p) == PORT]
    assert not {"_ws.expert", "_ws.malformed"} & {key for packet in packets for key in _keys(packet)}
    shown = _dissected(packets, ".".join(schema.package).lower())
    assert len(shown) == len(expected)
    converter = Converter(schema)
    differences = []
    for i, (frame, line, sofh_frame) in enumerate(zip(shown, expected, frames)):
        _same(json.loads(line), converter.message(frame), f"message {i}", differences)
        converter.header(frame, sofh_frame[6:], f"message {i}", differences)
    assert differences == [], "\n".join(differences[:20])


def _damaged(schema, binary_messages: list[bytes], rng: random.Random) -> list[bytes]:
    """Truncated messages (each frame's SOFH length matching), byte changes and
    bad template ids, each as a message the decoder may accept or reject."""
    out = []
    for message in binary_messages:
        choice = rng.random()
        data = bytearray(message)
        if choice < 0.4:
            data = data[:rng.randrange(len(data))]
        elif choice < 0.8:
            for _ in range(rng.randint(1, 3)):
                data[rng.randrange(len(data))] = rng.choice([0, 0xFF, rng.getrandbits(8)])
        else:
            template = schema.header.field("templateId")
            t = template.type
            unused = max(m.template_id for m in schema.messages) + 1
            order = "<" if schema.byte_order == "little" else ">"
            data[template.offset:template.offset + t.size] = struct.pack(order + t.struct_code, unused & ((1 << 8 * t.size) - 1))
        out.append(bytes(data))
    return out


def _damaged_stream(schema, schema_path: str) -> tuple[list[bytes], list[bytes]]:
    """The damaged messages of a schema, and the TCP segments carrying them."""
    rng = random.Random(f"wireshark-damaged:{os.path.basename(schema_path)}")
    generator = _crosscheck_generator()(rng)
    lines = [json.dumps({m.name: generator.fields(m.fields)}, ensure_ascii=False)
             for m in schema.messages for _ in range(40)]
    messages = [message for message, _ in _messages(schema, encode_json_lines(schema, lines))]
    damaged = _damaged(schema, messages, rng)
    return damaged, _segments(b"".join(_sofh(schema, m) for m in damaged), rng)


@pytest.mark.parametrize("schema_path", SCHEMAS, ids=os.path.basename)
def test_damaged_messages_show_the_decoders_error_as_expert_info(schema_path, tmp_path, damaged_runs):
    schema = load_schema(schema_path)
    if schema_path in damaged_runs:
        damaged, packets = damaged_runs.pop(schema_path)
    else:  # the random messages' test did not run (-k) or failed before tshark
        damaged, segments = _damaged_stream(schema, schema_path)
        packets, _ = _tshark(_dissector(schema_path, tmp_path), _pcap(tmp_path, "damaged", segments))
    shown = _dissected(packets, ".".join(schema.package).lower())
    assert len(shown) == len(damaged)
    converter = Converter(schema)
    differences = []
    rejected = 0
    for i, (frame, data) in enumerate(zip(shown, damaged)):
        experts = _experts(frame)
        try:
            text, length = Decoder(schema).decode(memoryview(data))
        except WireError as error:
            rejected += 1
            if str(error) not in experts:
                differences.append(f"message {i}: expert info {experts}, expected {str(error)!r}")
            continue
        if length < len(data):
            experts = [e for e in experts if e != "Bytes after the message in its frame"]
            if len(experts) != len(_experts(frame)) - 1:
                differences.append(f"message {i}: {len(data) - length} bytes after the message not marked")
        # Wireshark's own note on a string field with bytes after a NUL in it,
        # which the JSON form keeps (as \u0000).
        experts = [e for e in experts if e != "Trailing stray characters"]
        if experts:
            differences.append(f"message {i}: expert info {experts} for a message the decoder accepts")
        _same(json.loads(text), converter.message(frame), f"message {i}", differences)
    assert differences == [], "\n".join(differences[:20])
    assert rejected > len(damaged) // 4


def test_bad_frames_are_malformed_without_lua_errors(tmp_path):
    """SOFH frames with a wrong encoding type, a length shorter than the SOFH
    header or beyond the maximum frame length, and a capture that ends inside a
    message: tshark exits 0, marks each malformed, and the stream goes on."""
    schema_path = os.path.join(REPO, "schemas", "examples", "trading.wk")
    schema = load_schema(schema_path)
    good = _sofh(schema, encode_json_lines(schema, ['{"Heartbeat":{"sentAt":5}}']))
    bad = [
        good[:4] + b"\x12\x34" + good[6:],          # encoding type
        b"\x00\x00\x00\x03" + good[4:],             # length shorter than SOFH
        b"\x7f\xff\xff\xff" + good[4:],             # beyond max_frame_length
        good[:-3],                                  # ends inside the message (last segment)
    ]
    segments = []
    for frame in bad[:-1]:
        segments += [frame, good]                   # each bad frame alone in its segment
    segments.append(good + bad[-1])
    lua = _dissector(schema_path, tmp_path)
    packets, _ = _tshark(lua, _pcap(tmp_path, "bad", segments))
    shown = _dissected(packets, "demo.trading")
    experts = [_experts(frame) for frame in shown]
    assert experts == [
        ["SOFH encoding type 0x1234 is not 0xEB50"], [],
        ["SOFH length 3 is not between 6 and the maximum frame length 1048576"], [],
        ["SOFH length 2147483647 is not between 6 and the maximum frame length 1048576"], [],
        [],
    ], experts


def test_heuristic_and_port_preference(tmp_path):
    """On a port the dissector was not told about, the heuristic finds the
    schema's messages (SOFH encoding type + schema id), and the tcp_ports
    preference registers another port; a schema with another id is not claimed."""
    schema_path = os.path.join(REPO, "schemas", "examples", "trading.wk")
    schema = load_schema(schema_path)
    frame = _sofh(schema, encode_json_lines(schema, ['{"Heartbeat":{"sentAt":5}}']))
    lua = _dissector(schema_path, tmp_path)
    capture = _pcap(tmp_path, "other-port", [frame, frame + frame], ports=(40000, 7777))
    packets, _ = _tshark(lua, capture)
    assert len(_dissected(packets, "demo.trading")) == 3
    packets, _ = _tshark(lua, capture, "-o", "demo.trading.heuristic:FALSE")
    assert _dissected(packets, "demo.trading") == []
    packets, _ = _tshark(lua, capture, "-o", "demo.trading.heuristic:FALSE", "-o", "demo.trading.tcp_ports:7000-7777")
    assert len(_dissected(packets, "demo.trading")) == 3
    car = os.path.join(REPO, "schemas", "examples", "car.wk")
    packets, _ = _tshark(_dissector(car, tmp_path), capture)
    assert _dissected(packets, ".".join(load_schema(car).package).lower()) == []
    assert len(_dissected(packets, "data")) == 2


def test_a_field_named_like_a_dissector_item_is_a_schema_error(write_schema, tmp_path):
    path = write_schema("package p;\nschema_id 1;\nversion 0;\nmessage M = 1 {\n  legs: group {\n    entry: u8;\n  }\n}\n")
    result = subprocess.run([WIREKIT, "generate", "--lang", "wireshark", path, "-o", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{path}:6:5: error: `M.legs.entry` and `M.legs entry` would both be the Wireshark field `p.m.legs.entry`\n")
    assert "Traceback" not in result.stderr and "^" in result.stderr


def test_generated_fields_are_named_after_the_package_message_and_field(tmp_path):
    lua = open(_dissector(os.path.join(REPO, "schemas", "examples", "trading.wk"), tmp_path)).read()
    assert 'ProtoField.uint64("demo.trading.neworder.orderid", "orderId", base.DEC)' in lua
    assert 'ProtoField.int64("demo.trading.neworder.price.mantissa", "mantissa", base.DEC)' in lua
    assert 'ProtoField.uint8("demo.trading.neworder.side", "side", base.DEC, VS[1])' in lua
    assert 'ProtoField.bool("demo.trading.neworder.tif.fok", "Fok", 8, nil, 8)' in lua
    assert 'ProtoField.uint16("demo.trading.neworder.account.length", "account length", base.DEC)' in lua


@pytest.mark.parametrize("sender, receiver", [("versioned_v2.wk", "versioned_v1.wk"), ("versioned_v1.wk", "versioned_v2.wk")])
def test_other_versions_decode_as_the_decoder_does(sender, receiver, tmp_path):
    """Messages of a newer version (longer blocks, more parts: skipped) and of
    an older one (@since fields, groups and strings absent) through the other
    version's dissector: what `wirekit decode` of the receiving schema prints."""
    sender_path = os.path.join(REPO, "schemas", "test", sender)
    receiver_path = os.path.join(REPO, "schemas", "test", receiver)
    schema, receiving = load_schema(sender_path), load_schema(receiver_path)
    generator = _crosscheck_generator()(random.Random(f"wireshark-versions:{sender}"))
    lines = [json.dumps({m.name: generator.fields(m.fields)}) for m in schema.messages for _ in range(200)]
    # Frames cut where the sender's messages end; what the receiving schema's
    # decoder makes of each (a v1 decoder does not know v2's trailing string:
    # those bytes are left after the message, which the dissector marks).
    frames, expected, trailing = [], [], []
    for message, _ in _messages(schema, encode_json_lines(schema, lines)):
        text, used = Decoder(receiving).decode(memoryview(message))
        frames.append(_sofh(receiving, message))
        expected.append(text)
        trailing.append(used < len(message))
    packets, _ = _tshark(_dissector(receiver_path, tmp_path),
                         _pcap(tmp_path, "versions", _segments(b"".join(frames), random.Random(1))))
    shown = _dissected(packets, ".".join(receiving.package).lower())
    assert len(shown) == len(expected) == len(lines)
    converter = Converter(receiving)
    differences = []
    for i, (frame, line) in enumerate(zip(shown, expected)):
        marked = _experts(frame) == ["Bytes after the message in its frame"] if trailing[i] else _experts(frame) == []
        if not marked:
            differences.append(f"message {i}: expert info {_experts(frame)}")
        _same(json.loads(line), converter.message(frame), f"message {i}", differences)
    assert differences == [], "\n".join(differences[:20])
    assert any(trailing) == (sender == "versioned_v2.wk")
