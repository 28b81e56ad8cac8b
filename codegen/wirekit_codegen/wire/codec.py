# SPDX-License-Identifier: Apache-2.0
"""The JSON form of schema-language.md: binary messages to JSON Lines and back,
interpreting the layout model (the CLI's `decode` and `encode`).

Decoding checks what generated C++ decoders check, in the same order, and
reports the same DecodeError text; the JSON text is the one that
`fmt::format("{}", decoder)` prints. Encoding writes the bytes generated C++
encoders write (zeroed blocks, optional fields null, gaps and padding zero)."""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import struct

from ..layout.compute import required_block_length
from ..model.types import (
    PRIMITIVE_TYPES, ArrayType, EnumType, Field, FlagsType, Message, Primitive, Schema, StructType, Type, f32,
)
from .jsnumber import js_number


class WireError(Exception):
    pass


# -- JSON text ---------------------------------------------------------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]')


def _escape(match: re.Match) -> str:
    ch = match.group()
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04x}"


def json_string(text: str) -> str:
    # A regular expression, not a loop over characters: `decode --pcap` prints
    # every text field of every message of a capture.
    return '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'


def json_number(value: float, width: int) -> str:
    if math.isnan(value):
        return '"NaN"'
    if math.isinf(value):
        return '"Infinity"' if value > 0 else '"-Infinity"'
    return js_number(value, width)


def _latin1(data: bytes) -> str:
    return json_string(data.decode("latin-1"))


# -- decoding ----------------------------------------------------------------

class _Path:
    def __init__(self, parent: "_Path | None", name: str, index: int | None = None):
        self.parent, self.name, self.index = parent, name, index

    def text(self, field: str = "") -> str:
        parts = []
        node = self
        while node is not None:
            parts.append(node.name + (f"[{node.index}]" if node.index is not None else ""))
            node = node.parent
        text = ".".join(reversed(parts))
        if field:
            text = f"{text}.{field}" if text else field
        return text


class Decoder:
    def __init__(self, schema: Schema):
        self.schema = schema
        self.order = "<" if schema.byte_order == "little" else ">"
        self.package = ".".join(schema.package)
        # Made once, not per field read: `decode --pcap` decodes captures of millions of messages.
        self.unpack = {name: struct.Struct(self.order + p.struct_code).unpack_from for name, p in PRIMITIVE_TYPES.items()}
        self.required: dict[tuple[int, int], int] = {}  # (id of a field list, version) -> required block length
        self.keys: dict[str, str] = {}

    def key(self, name: str) -> str:
        """A field's or message's name as JSON text, escaped once per name."""
        text = self.keys.get(name)
        if text is None:
            text = self.keys[name] = json_string(name)
        return text

    def load(self, data: bytes, offset: int, prim: Primitive):
        return self.unpack[prim.name](data, offset)[0]

    def required_block_length(self, fields: list[Field], version: int) -> int:
        key = (id(fields), version)
        if key not in self.required:
            self.required[key] = required_block_length(fields, version)
        return self.required[key]

    def template_id(self, data: bytes) -> int | None:
        """The template id in the header at the start of data, to filter
        messages before decoding them; None if the header does not fit."""
        field = next(f for f in self.schema.header.fields if f.name == "templateId")
        if self.schema.header.size > len(data):
            return None
        return self.load(data, field.offset, field.type)

    def decode(self, data: bytes) -> tuple[str, int]:
        """The JSON text of the message at the start of data, and its length."""
        header = self.schema.header
        size = len(data)
        if header.size > size:
            raise WireError(f"{self.package}: header of {header.size} bytes at byte 0 runs past the end ({size} bytes)")
        fields = {f.name: f for f in header.fields}
        schema_id = self.load(data, fields["schemaId"].offset, fields["schemaId"].type)
        if schema_id != self.schema.schema_id:
            raise WireError(f"{self.package}: schema id {schema_id} at byte {fields['schemaId'].offset} is not {self.schema.schema_id}")
        template_id = self.load(data, fields["templateId"].offset, fields["templateId"].type)
        message = next((m for m in self.schema.messages if m.template_id == template_id), None)
        if message is None:
            raise WireError(f"{self.package}: unknown template id {template_id} at byte {fields['templateId'].offset}")
        block_length = self.load(data, fields["blockLength"].offset, fields["blockLength"].type)
        version = self.load(data, fields["version"].offset, fields["version"].type)
        path = _Path(None, message.name)
        required = self.required_block_length(message.fields, version)
        if block_length < required:
            raise WireError(f"{message.name}: block length {block_length} at byte {fields['blockLength'].offset} is shorter than the {required} bytes that version {version} needs")
        if block_length > size - header.size:
            raise WireError(f"{message.name}: block of {block_length} bytes at byte {header.size} runs past the end ({size} bytes)")
        self.version = version
        self.data = data
        body, end = self._block(message.fields, header.size, block_length, path)
        return f'{{{self.key(message.name)}:{body}}}', end

    def _block(self, fields: list[Field], start: int, block_length: int, path: _Path) -> tuple[str, int]:
        """An object for the block at start and the parts after it, and where they end."""
        items = []
        for f in fields:
            if f.kind in ("fixed", "optional", "const"):
                items.append(f"{self.key(f.name)}:{self._fixed(f, start, versioned=True)}")
        pos = start + block_length
        for f in fields:
            if f.kind == "group":
                text, pos = self._group(f, pos, path)
            elif f.is_var:
                text, pos = self._var(f, pos, path)
            else:
                continue
            items.append(f"{self.key(f.name)}:{text}")
        return "{" + ",".join(items) + "}", pos

    def _group(self, f: Field, pos: int, parent: _Path) -> tuple[str, int]:
        if self.version < f.since:
            return "[]", pos
        data, size = self.data, len(self.data)
        dimension = f.dimension_size
        if dimension > size - pos:
            raise WireError(f"{parent.text(f.name)}: group dimension of {dimension} bytes at byte {pos} runs past the end ({size} bytes)")
        block_length = self.load(data, pos, f.block_length_type)
        count = self.load(data, pos + f.count_offset, f.count_type)
        required = self.required_block_length(f.fields, self.version)
        if block_length < required:
            raise WireError(f"{parent.text(f.name)}: entry block length {block_length} at byte {pos} is shorter than the {required} bytes that version {self.version} needs")
        limit = f.max if f.max is not None else f.count_type.max
        if count > limit:
            raise WireError(f"{parent.text(f.name)}: count {count} at byte {pos + f.count_offset} exceeds @max({limit})")
        pos += dimension
        has_parts = any(g.is_part for g in f.fields)
        entries = []
        if not has_parts:
            room = size - pos
            if block_length != 0 and count > room // block_length:
                raise WireError(f"{parent.text(f.name)}: {count} entries of {block_length} bytes at byte {pos} run past the end ({size} bytes)")
            for i in range(count):
                text, _ = self._block(f.fields, pos + i * block_length, block_length, _Path(parent, f.name, i))
                entries.append(text)
            return "[" + ",".join(entries) + "]", pos + count * block_length
        for i in range(count):
            entry = _Path(parent, f.name, i)
            if block_length > size - pos:
                raise WireError(f"{entry.text()}: block of {block_length} bytes at byte {pos} runs past the end ({size} bytes)")
            text, pos = self._block(f.fields, pos, block_length, entry)
            entries.append(text)
        return "[" + ",".join(entries) + "]", pos

    def _var(self, f: Field, pos: int, parent: _Path) -> tuple[str, int]:
        if self.version < f.since:
            return "null", pos
        data, size = self.data, len(self.data)
        width = f.length_type.width
        if width > size - pos:
            raise WireError(f"{parent.text(f.name)}: length of {width} bytes at byte {pos} runs past the end ({size} bytes)")
        length = self.load(data, pos, f.length_type)
        limit = f.max if f.max is not None else f.length_type.max
        if length > limit:
            raise WireError(f"{parent.text(f.name)}: length {length} at byte {pos} exceeds @max({limit})")
        if length > size - pos - width:
            raise WireError(f"{parent.text(f.name)}: length {length} at byte {pos} runs past the end ({size} bytes)")
        value = bytes(data[pos + width: pos + width + length])
        if f.kind == "string":
            text = json_string(value.decode("utf-8", errors="replace"))
        else:
            text = json_string(base64.b64encode(value).decode("ascii"))
        return text, pos + width + length

    def _fixed(self, f: Field, block: int, versioned: bool) -> str:
        if f.kind == "const":
            return const_json(f)
        if versioned and self.version < f.since:
            return "null"
        at = block + f.offset
        t = f.type
        if f.kind == "optional":
            prim = t.underlying if isinstance(t, EnumType) else t
            raw = self.load(self.data, at, PRIMITIVE_U8 if prim.name == "bool" else prim)
            if prim.is_float:
                if math.isnan(raw):
                    return "null"
            elif raw == f.null_value:
                return "null"
        return self._value(t, at)

    def _value(self, t: Type, at: int) -> str:
        data = self.data
        if isinstance(t, Primitive):
            raw = self.load(data, at, t)
            if t.name == "bool":
                return "true" if raw else "false"
            if t.name == "char":
                return _latin1(b"" if raw == 0 else bytes([raw]))
            if t.is_float:
                return json_number(raw, t.width)
            return str(raw)
        if isinstance(t, EnumType):
            raw = self.load(data, at, t.underlying)
            member = t.by_value(raw)
            return json_string(member.name) if member else str(raw)
        if isinstance(t, FlagsType):
            raw = self.load(data, at, t.underlying)
            return flags_json(t, raw)
        if isinstance(t, ArrayType):
            if t.is_text:
                return _latin1(bytes(data[at: at + t.length]).rstrip(b"\0"))
            step = t.element.size
            return "[" + ",".join(self._value(t.element, at + i * step) for i in range(t.length)) + "]"
        if isinstance(t, StructType):
            items = [f"{self.key(f.name)}:{self._fixed(f, at, versioned=False)}" for f in t.fields]
            return "{" + ",".join(items) + "}"
        raise AssertionError(t)


PRIMITIVE_U8 = Primitive("u8", 1)


def flags_json(t: FlagsType, raw: int) -> str:
    names = {m.value: m.name for m in t.members}
    items = []
    for bit in range(8 * t.underlying.width):
        if raw >> bit & 1:
            items.append(json_string(names[bit]) if bit in names else str(bit))
    return "[" + ",".join(items) + "]"


def const_json(f: Field) -> str:
    t, v = f.type, f.const_value
    if isinstance(t, ArrayType):
        return _latin1(v.encode("latin-1").rstrip(b"\0"))
    if isinstance(t, EnumType):
        return json_string(v)
    if t.name == "bool":
        return "true" if v else "false"
    if t.name == "char":
        return _latin1(b"" if v == 0 else bytes([v]))
    if t.is_float:
        return json_number(v, t.width)
    return str(v)


def decode_stream(schema: Schema, data: bytes):
    """The JSON line of each message in data, one after another."""
    decoder = Decoder(schema)
    pos = 0
    view = memoryview(data)
    while pos < len(data):
        try:
            text, length = decoder.decode(view[pos:])
        except WireError as error:
            raise WireError(f"message at byte {pos} of the input: {error}") from None
        yield text
        pos += length


def decode_message(schema: Schema, data: bytes) -> tuple[str, int]:
    """The JSON text of the one message at the start of data (errors as DecodeError text)."""
    return Decoder(schema).decode(memoryview(data))


# -- encoding ----------------------------------------------------------------

class Encoder:
    def __init__(self, schema: Schema):
        self.schema = schema
        self.order = "<" if schema.byte_order == "little" else ">"

    def pack(self, prim: Primitive, value) -> bytes:
        return struct.pack(self.order + prim.struct_code, value)

    def encode(self, obj) -> bytes:
        if not isinstance(obj, dict) or len(obj) != 1:
            raise WireError('a message is one JSON object {"MessageName": {fields…}}')
        (name, fields), = obj.items()
        message = self.schema.message(name)
        if message is None:
            raise WireError(f"no message `{name}` in the schema")
        header = self.schema.header
        out = bytearray(header.size)
        values = {"blockLength": message.block_length, "templateId": message.template_id,
                  "schemaId": self.schema.schema_id, "version": self.schema.version}
        for f in header.fields:
            out[f.offset: f.offset + f.type.size] = self.pack(f.type, values.get(f.name, 0))
        self._block(out, message.fields, message.block_length, fields, message.name)
        return bytes(out)

    def _block(self, out: bytearray, fields: list[Field], block_length: int, values, path: str) -> None:
        if not isinstance(values, dict):
            raise WireError(f"{path}: expected an object")
        known = {f.name for f in fields}
        for key in values:
            if key not in known:
                raise WireError(f"{path}: no field `{key}`")
        block = bytearray(block_length)
        self._fill(block, 0, fields, values, path)
        out += block
        for f in fields:
            if f.kind == "group":
                entries = values.get(f.name, [])
                if not isinstance(entries, list):
                    raise WireError(f"{path}.{f.name}: expected an array of entries")
                limit = f.max if f.max is not None else f.count_type.max
                if len(entries) > limit:
                    raise WireError(f"{path}.{f.name}: count {len(entries)} exceeds {limit}")
                dimension = bytearray(f.dimension_size)  # padding, if any, is zero
                dimension[:f.block_length_type.width] = self.pack(f.block_length_type, f.block_length)
                dimension[f.count_offset:f.count_offset + f.count_type.width] = self.pack(f.count_type, len(entries))
                out += dimension
                for i, entry in enumerate(entries):
                    self._block(out, f.fields, f.block_length, entry, f"{path}.{f.name}[{i}]")
            elif f.is_var:
                value = values.get(f.name, "")
                if not isinstance(value, str):
                    raise WireError(f"{path}.{f.name}: expected a string")
                if f.kind == "string":
                    data = value.encode("utf-8", errors="surrogatepass")
                else:
                    try:
                        data = base64.b64decode(value, validate=True)
                    except (binascii.Error, ValueError):
                        raise WireError(f"{path}.{f.name}: not base64: {value!r}") from None
                limit = f.max if f.max is not None else f.length_type.max
                if len(data) > limit:
                    raise WireError(f"{path}.{f.name}: length {len(data)} exceeds {limit}")
                out += self.pack(f.length_type, len(data)) + data

    def _fill(self, block: bytearray, base: int, fields: list[Field], values: dict, path: str) -> None:
        for f in fields:
            here = f"{path}.{f.name}"
            if f.kind == "const":
                if f.name in values and values[f.name] is not None:
                    expected = json.loads(const_json(f))
                    if _normalize(values[f.name]) != _normalize(expected):
                        raise WireError(f"{here}: a constant; it is {const_json(f)}")
                continue
            if f.kind not in ("fixed", "optional"):
                continue
            at = base + f.offset
            value = values.get(f.name)
            if f.kind == "optional":
                prim = f.type.underlying if isinstance(f.type, EnumType) else f.type
                wire = PRIMITIVE_U8 if prim.name == "bool" else prim
                if value is None:
                    block[at: at + wire.size] = self.pack(wire, f.null_value)
                    continue
                raw = self._scalar(f.type, value, here)
                if prim.name == "bool":
                    raw = int(raw)
                elif not prim.is_float and raw == f.null_value:
                    raise WireError(f"{here}: the value is the null value of the field")
                block[at: at + wire.size] = self.pack(wire, raw)
                continue
            if f.name not in values or value is None:
                raise WireError(f"{here}: missing")
            self._value(block, at, f.type, value, here)

    def _value(self, block: bytearray, at: int, t: Type, value, path: str) -> None:
        if isinstance(t, StructType):
            if not isinstance(value, dict):
                raise WireError(f"{path}: expected an object")
            known = {f.name for f in t.fields}
            for key in value:
                if key not in known:
                    raise WireError(f"{path}: no field `{key}`")
            self._fill(block, at, t.fields, value, path)
        elif isinstance(t, ArrayType):
            if t.is_text:
                if not isinstance(value, str):
                    raise WireError(f"{path}: expected a string")
                try:
                    data = value.encode("latin-1")
                except UnicodeEncodeError:
                    raise WireError(f"{path}: char text holds one byte per character") from None
                if len(data) > t.length:
                    raise WireError(f"{path}: {len(data)} bytes do not fit in char[{t.length}]")
                block[at: at + len(data)] = data
                return
            if not isinstance(value, list) or len(value) > t.length:
                raise WireError(f"{path}: expected an array of at most {t.length} elements")
            for i, element in enumerate(value):
                self._value(block, at + i * t.element.size, t.element, element, f"{path}[{i}]")
        elif isinstance(t, FlagsType):
            if not isinstance(value, list):
                raise WireError(f"{path}: expected an array of flag names")
            bits = 0
            names = {m.name: m.value for m in t.members}
            for item in value:
                if isinstance(item, str) and item in names:
                    bits |= 1 << names[item]
                elif isinstance(item, int) and not isinstance(item, bool) and 0 <= item < 8 * t.underlying.width:
                    bits |= 1 << item
                else:
                    raise WireError(f"{path}: no flag {json.dumps(item)} in `{t.name}`")
            block[at: at + t.size] = self.pack(t.underlying, bits)
        else:
            prim = t.underlying if isinstance(t, EnumType) else t
            raw = self._scalar(t, value, path)
            block[at: at + prim.size] = self.pack(prim, int(raw) if prim.name == "bool" else raw)

    def _scalar(self, t: Type, value, path: str):
        if isinstance(t, EnumType):
            if isinstance(value, str):
                member = t.member(value)
                if member is None:
                    raise WireError(f"{path}: no member `{value}` in enum `{t.name}`")
                return member.value
            return self._scalar(t.underlying, value, path)
        prim = t
        if prim.name == "bool":
            if not isinstance(value, bool):
                raise WireError(f"{path}: expected true or false")
            return value
        if prim.name == "char" and isinstance(value, str):
            if value == "":
                return 0
            if len(value) != 1 or ord(value) > 0xFF:
                raise WireError(f"{path}: expected one character")
            return ord(value)
        if prim.is_float:
            if isinstance(value, str) and value in ("NaN", "Infinity", "-Infinity"):
                return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[value]
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise WireError(f"{path}: expected a number")
            result = float(value)
            if prim.name == "f32":
                if math.isfinite(result) and abs(result) > 3.4028235677973366e38:
                    raise WireError(f"{path}: {value} is out of range for f32")
                result = f32(result)
            return result
        if isinstance(value, bool) or not isinstance(value, int):
            raise WireError(f"{path}: expected an integer")
        if not prim.min <= value <= prim.max:
            raise WireError(f"{path}: {value} is out of range for {prim.name} ({prim.min}..{prim.max})")
        return value


def _normalize(value):
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    return value


def encode_json_lines(schema: Schema, lines) -> bytes:
    """lines: of text, or of bytes (UTF-8, checked here: a file read in binary)."""
    encoder = Encoder(schema)
    out = bytearray()
    for number, line in enumerate(lines, 1):
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError as error:
                raise WireError(f"line {number}: not UTF-8: {error}") from None
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except RecursionError:
            raise WireError(f"line {number}: not JSON: nested too deeply") from None
        except ValueError as error:  # JSONDecodeError, or an integer of too many digits
            raise WireError(f"line {number}: not JSON: {error}") from None
        try:
            out += encoder.encode(obj)
        except WireError as error:
            raise WireError(f"line {number}: {error}") from None
    return bytes(out)
