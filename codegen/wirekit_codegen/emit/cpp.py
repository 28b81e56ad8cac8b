# SPDX-License-Identifier: Apache-2.0
"""The C++ emitter: computes every name, type, offset and literal of the header
in Python; the Jinja2 templates in templates/cpp/ only lay them out."""

from __future__ import annotations

import math
import os

from ..layout.compute import version_thresholds
from ..model.build import DEFAULT_HEADER
from ..model.types import (
    ArrayType, EnumType, Field, FlagsType, Message, Primitive, Schema, StructType, Type,
)
from ..wire.jsnumber import shortest_float32

# Fields of a block whose being set is tracked: the bits of UnsetFields.
MAX_TRACKED_FIELDS = 64

TEMPLATE_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "templates", "cpp")

_CPP_PRIMITIVES = {
    "u8": "std::uint8_t", "u16": "std::uint16_t", "u32": "std::uint32_t", "u64": "std::uint64_t",
    "i8": "std::int8_t", "i16": "std::int16_t", "i32": "std::int32_t", "i64": "std::int64_t",
    "f32": "float", "f64": "double", "char": "char", "bool": "bool",
}


def header_name(schema_path: str) -> str:
    return os.path.basename(schema_path) + ".hpp"


def template_files() -> list[str]:
    return sorted(os.path.join(TEMPLATE_DIR, f) for f in os.listdir(TEMPLATE_DIR) if f.endswith(".j2"))


def _environment() -> jinja2.Environment:
    from . import template_environment

    return template_environment(TEMPLATE_DIR)


def generate_header(schema: Schema) -> str:
    model = CppModel(schema).build()
    return _environment().get_template("header.hpp.j2").render(**model)


def generate_files(schema: Schema, schema_path: str, options: dict) -> list:
    """The `cpp` back end: <schema file name>.hpp (or, with the `transcoder`
    option, wirekit's own test support <schema file name>.transcode.hpp)."""
    from . import OutputFile

    if options.get("transcoder"):
        return [OutputFile(os.path.basename(schema_path) + ".transcode.hpp", generate_transcoder(schema))]
    return [OutputFile(header_name(schema_path), generate_header(schema))]


def generate_transcoder(schema: Schema) -> str:
    """Test support: <schema>.transcode.hpp, a field-by-field copy of decoded
    messages through the encoder API."""
    model = CppModel(schema).build()
    return _environment().get_template("transcoder.hpp.j2").render(**model)


# -- literals ---------------------------------------------------------------

def int_literal(value: int, prim: Primitive) -> str:
    cpp = _CPP_PRIMITIVES[prim.name]
    if prim.name == "bool":
        return "true" if value else "false"
    if prim.name == "char":
        return char_literal(value)
    if prim.signed and value == prim.min:
        return f"::std::numeric_limits<{cpp}>::min()"
    if not prim.signed and value == prim.max and prim.width >= 4:
        return f"::std::numeric_limits<{cpp}>::max()"
    suffix = "ULL" if value > 0x7FFFFFFFFFFFFFFF else ("LL" if prim.width == 8 else "")
    if prim.width >= 4 or prim.signed:
        return f"{cpp}{{{value}{suffix}}}" if value >= 0 else f"{cpp}{{{value}{suffix}}}"
    return f"{cpp}{{{value}}}"


def char_literal(value: int) -> str:
    if 0x20 <= value < 0x7F and chr(value) not in "'\\":
        return f"'{chr(value)}'"
    return f"static_cast<char>({value})"


def float_literal(value: float, prim: Primitive) -> str:
    cpp = _CPP_PRIMITIVES[prim.name]
    if math.isnan(value):
        return f"::std::numeric_limits<{cpp}>::quiet_NaN()"
    if math.isinf(value):
        return ("-" if value < 0 else "") + f"::std::numeric_limits<{cpp}>::infinity()"
    text = shortest_float32(value) if prim.name == "f32" else repr(value)
    if "e" not in text and "." not in text and "inf" not in text:
        text += ".0"
    return text + ("f" if prim.name == "f32" else "")


def scalar_literal(value, prim: Primitive) -> str:
    if prim.is_float:
        return float_literal(float(value), prim)
    return int_literal(int(value), prim)


def string_literal(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        else:
            out.append(f'\\x{code:02x}""')  # "" ends the escape before a following hex digit
    return '"' + "".join(out) + '"'


class CppModel:
    def __init__(self, schema: Schema):
        self.schema = schema
        self.ns = "::" + schema.cpp_namespace
        self.order = f"::wirekit::ByteOrder::{schema.byte_order}"

    # -- types --------------------------------------------------------------
    def qualified(self, t: Type) -> str:
        if isinstance(t, Primitive):
            return _CPP_PRIMITIVES[t.name]
        return f"{self.ns}::{t.cpp_name}"

    def build(self) -> dict:
        schema = self.schema
        header = schema.header
        types = []
        for t in self._ordered_types():
            if isinstance(t, EnumType):
                types.append(self._enum(t))
            elif isinstance(t, FlagsType):
                types.append(self._flags(t))
            else:
                types.append(self._struct(t))
        aliases = [
            {"name": name, "type": _CPP_PRIMITIVES[target.name]}
            for name, (target, _) in schema.aliases.items()
            if isinstance(target, Primitive)
        ]
        header_fields = {f.name: {"offset": f.offset, "type": _CPP_PRIMITIVES[f.type.name]} for f in header.fields}
        messages = [self._message(m) for m in schema.messages]
        return {
            "source_name": os.path.basename(schema.path),
            "namespace": schema.cpp_namespace,
            "ns": self.ns,
            "package": ".".join(schema.package),
            "order": self.order,
            "schema_id": schema.schema_id,
            "version": schema.version,
            "header_size": header.size,
            "header": header_fields,
            "header_has_other_bytes": sum(f.type.size for f in header.fields if f.name in DEFAULT_HEADER) != header.size,
            "types": types,
            "aliases": aliases,
            "messages": messages,
        }

    def _ordered_types(self) -> list[Type]:
        """Enums and flags first, then structs after the structs they contain."""
        result = [t for t in self.schema.types if not isinstance(t, StructType)]
        placed: set[int] = set()

        def place(s: StructType):
            if id(s) in placed:
                return
            placed.add(id(s))
            for f in s.fields:
                if isinstance(f.type, StructType):
                    place(f.type)
            result.append(s)

        for t in self.schema.types:
            if isinstance(t, StructType):
                place(t)
        return result

    def _enum(self, t: EnumType) -> dict:
        underlying = t.underlying
        return {
            "kind": "enum",
            "name": t.cpp_name,
            "underlying": _CPP_PRIMITIVES[underlying.name],
            "members": [
                {"name": m.cpp_name, "json": m.name, "value": int_literal(m.value, underlying)}
                for m in t.members
            ],
        }

    def _flags(self, t: FlagsType) -> dict:
        width = 8 * t.underlying.width
        names = [""] * width
        for m in t.members:
            names[m.value] = m.name
        return {
            "kind": "flags",
            "name": t.cpp_name,
            "underlying": _CPP_PRIMITIVES[t.underlying.name],
            "width": width,
            "names_by_bit": names,
            "members": [{"name": m.cpp_name, "bit": m.value} for m in t.members],
        }

    def _struct(self, t: StructType) -> dict:
        fixed = self._fixed_fields(t.fields, t.name, versioned=False)
        return {
            "kind": "struct",
            "name": t.cpp_name,
            "size": t.byte_size,
            "fixed": fixed,
            **self._setter_needs(fixed),
        }

    # -- fields left unset (wirekit/codec/unset_fields.hpp) -----------------
    # Each field of a block that takes bytes has a number, its bit in the
    # block's UnsetFields; the members of a struct field are numbered each
    # (they can be set one by one), from the struct field's number on.

    @staticmethod
    def _setter_needs(fixed: list[dict]) -> dict:
        """Which of the encoder's written_/claim_/marks_ its setters call:
        claim_ for setting an array element, marks_ for a struct field."""
        return {
            "claims": any(f["value_kind"] == "array" and f["kind"] != "const" for f in fixed),
            "nests": any(f["value_kind"] == "struct" and f["kind"] != "const" for f in fixed),
        }

    def _fixed_fields(self, fields: list[Field], owner_path: str, versioned: bool) -> list[dict]:
        result = []
        number = 0
        for f in fields:
            if f.kind not in ("fixed", "optional", "const"):
                continue
            d = self._fixed(f, owner_path, versioned)
            d["field"] = number
            number += len(self._unset_fields([f], owner_path))
            result.append(d)
        return result

    def _unset_fields(self, fields: list[Field], path: str, offset: int = 0, first: int = 0) -> list[dict]:
        """The block's fields by number, each with where it lies (from the start
        of the block) and what completeUnset writes there: zero, or the null
        value of an optional field."""
        result = []
        for f in fields:
            number = first + len(result)
            if f.kind == "fixed" and isinstance(f.type, StructType):
                result += self._unset_fields(f.type.fields, f"{path}.{f.name}", offset + f.offset, number)
            elif f.kind in ("fixed", "optional"):
                d = {"field": number, "offset": offset + f.offset, "size": f.type.size, "path": f"{path}.{f.name}"}
                if f.kind == "optional":
                    d.update(kind="null", wire=self._wire_type(f.type), value=self._null_literal(f))
                else:
                    d["kind"] = "zero"
                result.append(d)
        return result

    def _unset_tracking(self, fields: list[Field], path: str, block_length: int) -> dict:
        unset = self._unset_fields(fields, path)
        covered = sorted((u["offset"], u["offset"] + u["size"]) for u in unset)
        gaps = []
        end = 0
        for start, stop in covered + [(block_length, block_length)]:
            if start > end:
                gaps.append({"offset": end, "size": start - end})
            end = max(end, stop)
        return {
            # Up to 64 fields, one bit each in a std::uint64_t; a block of
            # more is zeroed (and its optional fields set null) up front.
            "tracked": len(unset) <= MAX_TRACKED_FIELDS,
            "unset": unset,
            "all_unset": f"0x{(1 << len(unset)) - 1:x}ULL",
            # Bytes that no field covers (@offset gaps, @block_length padding):
            # zeroed when the block begins, as no setter writes them.
            "gaps": gaps,
        }

    def _wire_type(self, t: Type) -> str:
        if isinstance(t, (EnumType, FlagsType)):
            return _CPP_PRIMITIVES[t.underlying.name]
        if t.name == "bool":
            return "std::uint8_t"
        return _CPP_PRIMITIVES[t.name]

    def _null_literal(self, f: Field) -> str:
        t = f.type
        prim = t.underlying if isinstance(t, EnumType) else t
        if prim.name == "bool":
            return f"std::uint8_t{{{int(f.null_value)}}}"
        if prim.name == "char":
            return char_literal(int(f.null_value))
        return scalar_literal(f.null_value, prim)

    # -- fields -------------------------------------------------------------
    def _value_kind(self, t: Type) -> str:
        if isinstance(t, EnumType):
            return "enum"
        if isinstance(t, FlagsType):
            return "flags"
        if isinstance(t, StructType):
            return "struct"
        if isinstance(t, ArrayType):
            return "text" if t.is_text else "array"
        if t.is_float:
            return "float"
        if t.name in ("char", "bool"):
            return t.name
        return "int"

    def _fixed(self, f: Field, owner_path: str, versioned: bool) -> dict:
        t = f.type
        d = {
            "name": f.cpp_name,
            "json": f.name,
            "kind": f.kind,
            "offset": f.offset,
            "since": f.since if versioned else 0,
            "deprecated": f.deprecated,
            "path": f"{owner_path}.{f.name}",
            "value_kind": self._value_kind(t),
            "schema_type": f.type_name,
        }
        if isinstance(t, ArrayType):
            d["element"] = self.qualified(t.element)
            d["element_kind"] = self._value_kind(t.element)
            d["length"] = t.length
            d["size"] = t.size
            d["enum_underlying"] = _CPP_PRIMITIVES[t.element.underlying.name] if isinstance(t.element, EnumType) else ""
        elif isinstance(t, StructType):
            d["type"] = self.qualified(t)
        elif isinstance(t, FlagsType):
            d["type"] = self.qualified(t)
            d["wire"] = _CPP_PRIMITIVES[t.underlying.name]
        else:
            d["type"] = self.qualified(t)
            d["wire"] = self._wire_type(t)
            if isinstance(t, EnumType):
                d["enum_underlying"] = _CPP_PRIMITIVES[t.underlying.name]
        if f.kind == "optional":
            d["null"] = self._null_literal(f)
            prim = t.underlying if isinstance(t, EnumType) else t
            d["null_is_nan"] = prim.is_float and math.isnan(f.null_value)
        if f.kind == "const":
            d["const"] = self._const(f)
        return d

    def _const(self, f: Field) -> dict:
        t = f.type
        v = f.const_value
        if isinstance(t, ArrayType):
            return {"cpp": string_literal(v), "type": "std::string_view"}
        if isinstance(t, EnumType):
            return {"cpp": f"{self.qualified(t)}::{t.member(v).cpp_name}", "type": self.qualified(t)}
        return {"cpp": scalar_literal(v, t), "type": _CPP_PRIMITIVES[t.name]}

    def _block(self, fields: list[Field], owner_path: str, struct_path: str, block_length: int) -> dict:
        fixed = self._fixed_fields(fields, owner_path, versioned=True)
        parts = []
        for f in fields:
            if f.kind == "group":
                parts.append(self._group(f, owner_path, struct_path, len(parts)))
            elif f.is_var:
                parts.append({
                    "kind": f.kind,
                    "name": f.cpp_name,
                    "json": f.name,
                    "index": len(parts),
                    "since": f.since,
                    "length_type": _CPP_PRIMITIVES[f.length_type.name],
                    "length_size": f.length_type.width,
                    "max": f.max if f.max is not None else f.length_type.max,
                    "deprecated": f.deprecated,
                })
        _chain_checks(parts)
        thresholds = version_thresholds(fields)
        return {
            # decode()'s usual path: the head of the first part (its length
            # prefix or dimension), checked with the block.
            "block_need": parts[0]["head"] if parts and parts[0]["head_checked"] else 0,
            "min_required": thresholds[0][1],
            "fixed": fixed,
            "parts": parts,
            **self._setter_needs(fixed),
            **self._unset_tracking(fields, owner_path, block_length),
            "thresholds": [{"version": v, "length": n} for v, n in reversed(thresholds)],
            "depth": 1 + max((p["depth"] for p in parts if p["kind"] == "group"), default=0),
        }

    def _group(self, f: Field, owner_path: str, struct_path: str, index: int) -> dict:
        path = f"{owner_path}.{f.name}"
        qualified = f"{struct_path}::{f.class_name}"
        block = self._block(f.fields, path, qualified, f.block_length)
        return {
            "kind": "group",
            "name": f.cpp_name,
            "json": f.name,
            "index": index,
            "since": f.since,
            "class_name": f.class_name,
            "qualified": qualified,
            "path": path,
            "block_length": f.block_length,
            "block_length_type": _CPP_PRIMITIVES[f.block_length_type.name],
            "count_type": _CPP_PRIMITIVES[f.count_type.name],
            "length_size": f.block_length_type.width,
            "count_size": f.count_type.width,
            "count_offset": f.count_offset,
            "dimension_size": f.dimension_size,
            # Template arguments of the runtime's dimension functions, for a padded dimension only.
            "dimension_args": "" if f.has_packed_dimension else f", {f.count_offset}, {f.dimension_size}",
            "max": f.max if f.max is not None else f.count_type.max,
            "deprecated": f.deprecated,
            "depth": block["depth"],
            **{k: v for k, v in block.items() if k != "depth"},
        }

    def _message(self, m: Message) -> dict:
        qualified = f"{self.ns}::{m.cpp_name}"
        block = self._block(m.fields, m.name, qualified, m.block_length)
        return {
            "name": m.cpp_name,
            "json": m.name,
            "qualified": qualified,
            "template_id": m.template_id,
            "block_length": m.block_length,
            "path": m.name,
            **block,
        }


def _chain_checks(parts: list[dict]) -> None:
    """For decode()'s usual path, which checks that a part's head (length prefix
    or group dimension) fits together with what comes before it: the block,
    the bytes of a string/bytes field, the entries of a group of blocks only.
    A part present in every version whose predecessor is such a check has
    head_checked; need is the head that a part's own last check covers."""
    for p in parts:
        p["head"] = p.get("dimension_size", p["length_size"])
    for k, p in enumerate(parts):
        before = parts[k - 1] if k > 0 else None
        ends_checked = before is None or (
            before["since"] == 0 and (before["kind"] != "group" or not before["parts"])
        )
        p["head_checked"] = p["since"] == 0 and ends_checked
    for k, p in enumerate(parts):
        after = parts[k + 1] if k + 1 < len(parts) else None
        p["need"] = after["head"] if after is not None and after["head_checked"] else 0
