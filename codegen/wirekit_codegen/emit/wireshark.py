# SPDX-License-Identifier: Apache-2.0
"""The Wireshark back end: a Lua dissector (Wireshark 4.0's Lua API) for the
messages of one schema in SOFH frames over TCP.

Every name, field type, offset, null value and version threshold is computed
here; templates/wireshark/ lays them out as Lua tables that the dissector's
fixed walker (in the template) follows."""

from __future__ import annotations

import math
import os

from ..layout.compute import version_thresholds
from ..model.types import ArrayType, EnumType, Field, FlagsType, Primitive, Schema, StructType
from ..syntax.diagnostics import Diagnostics, SchemaError

TEMPLATE_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "templates", "wireshark")

# The SOFH encoding types of SBE (framing.md).
SOFH_ENCODING = {"little": 0xEB50, "big": 0x5BE0}
SOFH_SIZE = 6
DEFAULT_PORTS = "9000"


def dissector_name(schema_path: str) -> str:
    return os.path.basename(schema_path) + ".lua"


def generate_files(schema: Schema, schema_path: str, options: dict) -> list:
    """The `wireshark` back end: <schema file name>.lua. Option `ports`: the
    TCP port range the dissector registers by default (a Wireshark range, e.g.
    "9000,9100-9110"); the `tcp_ports` preference changes it later."""
    from . import OutputFile

    model = WiresharkModel(schema, os.path.basename(schema_path), options.get("ports") or DEFAULT_PORTS).build()
    text = _environment().get_template("dissector.lua.j2").render(**model)
    return [OutputFile(dissector_name(schema_path), text)]


def _environment():
    from . import template_environment

    return template_environment(TEMPLATE_DIR)


# -- Lua literals -------------------------------------------------------------

def lua_string(text: str) -> str:
    out = ['"']
    for byte in text.encode("utf-8"):
        ch = chr(byte)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= byte < 0x7F:
            out.append(ch)
        else:
            out.append(f"\\{byte:03d}")
    out.append('"')
    return "".join(out)


def lua_int(value: int, prim: Primitive) -> str:
    """An integer as the Lua value the dissector compares against: a number up to
    32 bits, UInt64/Int64 (exact) for 64-bit types."""
    if prim.width < 8:
        return str(value)
    bits = value & 0xFFFFFFFFFFFFFFFF
    kind = "Int64" if prim.signed else "UInt64"
    return f"{kind}.new({bits & 0xFFFFFFFF}, {bits >> 32})"


def lua_float(value: float) -> str:
    if math.isnan(value):
        return "(0/0)"
    if math.isinf(value):
        return "math.huge" if value > 0 else "-math.huge"
    return repr(float(value))


# -- the model ----------------------------------------------------------------

_INT_FIELDS = {
    "u8": "uint8", "u16": "uint16", "u32": "uint32", "u64": "uint64",
    "i8": "int8", "i16": "int16", "i32": "int32", "i64": "int64",
}


def _reader(prim: Primitive, little: bool) -> str:
    """The TvbRange method that reads prim's raw value."""
    prefix = "le_" if little else ""
    if prim.is_float:
        return prefix + "float"
    if prim.width == 8:
        return prefix + ("int64" if prim.signed else "uint64")
    return prefix + ("int" if prim.signed else "uint")


class WiresharkModel:
    def __init__(self, schema: Schema, source_name: str, ports: str):
        self.schema = schema
        self.source_name = source_name
        self.ports = ports
        self.little = schema.byte_order == "little"
        self.package = ".".join(schema.package).lower()
        self.fields: list[dict] = []
        self.abbrevs: dict[str, str] = {}
        self.value_strings: list[dict] = []
        self.location = None  # of the schema element being named, for errors

    # ProtoFields ----------------------------------------------------------------

    def _proto_field(self, abbrev: str, label: str, ctor: str, args: list[str], owner: str) -> str:
        """Registers a ProtoField; returns the Lua expression naming it. Two
        parts of the schema whose names differ only in case, or a field named
        like the dissector's own items (`entry`, `dimension`, `length`), would
        be one field: an error at the schema's field."""
        abbrev = abbrev.lower()
        if abbrev in self.abbrevs:
            d = Diagnostics()
            d.error(self.location, f"`{owner}` and `{self.abbrevs[abbrev]}` would both be the Wireshark field `{abbrev}`")
            raise SchemaError(d.render())
        self.abbrevs[abbrev] = owner
        self.fields.append({"ctor": ctor, "abbrev": abbrev, "label": lua_string(label), "args": args})
        return f"F[{len(self.fields)}]"

    def _value_string(self, t: EnumType) -> str:
        for vs in self.value_strings:
            if vs["type"] is t:
                return vs["name"]
        name = f"VS[{len(self.value_strings) + 1}]"
        self.value_strings.append({"type": t, "name": name,
                                   "entries": [(str(m.value), lua_string(m.name)) for m in t.members]})
        return name

    def _scalar_field(self, abbrev: str, label: str, t, owner: str) -> tuple[str, dict]:
        """The ProtoField of a scalar, enum or flags value and how to read it."""
        if isinstance(t, EnumType):
            prim = t.underlying
            base = "base.HEX" if prim.name == "char" else "base.DEC"
            ctor = "uint8" if prim.name == "char" else _INT_FIELDS[prim.name]
            # Lua numbers cannot key a 64-bit value string exactly: the walker
            # appends the member's name to those itself.
            args = [base] if prim.width == 8 else [base, self._value_string(t)]
            extra = {"members": [(lua_int(m.value, prim), lua_string(m.name)) for m in t.members]} if prim.width == 8 else {}
            return self._proto_field(abbrev, label, ctor, args, owner), {"kind": "int", "prim": prim, **extra}
        if isinstance(t, FlagsType):
            prim = t.underlying
            pf = self._proto_field(abbrev, label, _INT_FIELDS[prim.name], ["base.HEX"], owner)
            bits = []
            for m in t.members:
                # Wireshark 4.0's Lua takes 32-bit masks: the walker sets a
                # higher bit's value itself (`shift`).
                if m.value < 32:
                    args, how = [str(8 * prim.width), "nil", str(1 << m.value)], []
                else:
                    args, how = ["base.NONE"], [("shift", str(m.value))]
                bit = self._proto_field(f"{abbrev}.{m.name}", m.name, "bool", args, f"{owner}.{m.name}")
                bits.append([("pf", bit)] + how)
            return pf, {"kind": "flags", "prim": prim, "bits": bits}
        prim = t
        if prim.is_float:
            ctor = "float" if prim.width == 4 else "double"
            return self._proto_field(abbrev, label, ctor, [], owner), {"kind": "float", "prim": prim}
        if prim.name == "bool":
            return self._proto_field(abbrev, label, "bool", ["base.NONE"], owner), {"kind": "bool", "prim": prim}
        if prim.name == "char":
            return self._proto_field(abbrev, label, "string", [], owner), {"kind": "char", "prim": prim}
        return self._proto_field(abbrev, label, _INT_FIELDS[prim.name], ["base.DEC"], owner), {"kind": "int", "prim": prim}

    # descriptors ------------------------------------------------------------------

    def _entry(self, pairs: list[tuple[str, str]], **nested) -> dict:
        return {"pairs": pairs, "nested": [(k, v) for k, v in nested.items()]}

    def _fixed(self, f: Field, path: str, owner: str) -> dict:
        """The descriptor of a fixed, optional or const field at its offset."""
        abbrev = f"{path}.{f.name}"
        t = f.type
        name = lua_string(f.name)
        self.location = f.loc
        if f.kind == "const":
            return self._const(f, abbrev, owner)
        if isinstance(t, StructType):
            pf = self._proto_field(abbrev, f.name, "none", [], owner)
            members = [self._fixed(m, abbrev, f"{owner}.{m.name}") for m in t.fields]
            return self._entry([("kind", '"struct"'), ("name", name), ("pf", pf), ("off", str(f.offset)),
                                ("size", str(t.size)), ("since", str(f.since))], fields=members)
        if isinstance(t, ArrayType):
            if t.is_text:
                pf = self._proto_field(abbrev, f.name, "string", [], owner)
                return self._entry([("kind", '"text"'), ("name", name), ("pf", pf), ("off", str(f.offset)),
                                    ("size", str(t.size)), ("since", str(f.since))])
            pf = self._proto_field(abbrev, f.name, "none", [], owner)
            element_pf, how = self._scalar_field(f"{abbrev}.element", f.name, t.element, owner + "[]")
            element = self._value_entry(how, element_pf, name, 0, t.element.size, 0, None)
            return self._entry([("kind", '"array"'), ("name", name), ("pf", pf), ("off", str(f.offset)),
                                ("size", str(t.size)), ("step", str(t.element.size)), ("count", str(t.length)),
                                ("since", str(f.since))], element=[element])
        pf, how = self._scalar_field(abbrev, f.name, t, owner)
        null = None
        if f.kind == "optional":
            prim = how["prim"]
            if prim.is_float:
                null = "nan"
            elif prim.name == "bool":
                null = str(f.null_value)
            else:
                null = lua_int(int(f.null_value), prim)
        return self._value_entry(how, pf, name, f.offset, t.size, f.since, null)

    def _value_entry(self, how: dict, pf: str, name: str, offset: int, size: int, since: int, null) -> dict:
        prim = how["prim"]
        pairs = [("kind", f'"{how["kind"]}"'), ("name", name), ("pf", pf), ("off", str(offset)),
                 ("size", str(size)), ("since", str(since)), ("read", f'"{_reader(PRIMITIVE_U8 if prim.name in ("bool", "char") else prim, self.little)}"')]
        if null == "nan":
            pairs.append(("null_nan", "true"))
        elif null is not None:
            pairs.append(("null", null))
        nested = {}
        if "bits" in how:
            nested["bits"] = [self._entry(b) for b in how["bits"]]
        if "members" in how:
            nested["members"] = [self._entry([("value", v), ("name", n)]) for v, n in how["members"]]
        return self._entry(pairs, **nested)

    def _const(self, f: Field, abbrev: str, owner: str) -> dict:
        t, v = f.type, f.const_value
        name = lua_string(f.name)
        if isinstance(t, ArrayType):
            pf = self._proto_field(abbrev, f.name, "string", [], owner)
            text = v.encode("latin-1").rstrip(b"\0").decode("latin-1")
            value = lua_string(text)
        elif isinstance(t, EnumType):
            pf, _ = self._scalar_field(abbrev, f.name, t, owner)
            value = lua_int(t.member(v).value, t.underlying)
        else:
            pf, _ = self._scalar_field(abbrev, f.name, t, owner)
            if t.is_float:
                value = lua_float(v)
            elif t.name == "bool":
                value = "true" if v else "false"
            elif t.name == "char":
                value = lua_string("" if v == 0 else chr(v))
            else:
                value = lua_int(int(v), t)
        return self._entry([("kind", '"const"'), ("name", name), ("pf", pf), ("value", value)])

    def _block(self, fields: list[Field], path: str, owner: str) -> tuple[list[dict], list[dict]]:
        fixed = [self._fixed(f, path, f"{owner}.{f.name}") for f in fields if f.kind in ("fixed", "optional", "const")]
        parts = [self._part(f, path, f"{owner}.{f.name}") for f in fields if f.is_part]
        return fixed, parts

    def _thresholds(self, fields: list[Field]) -> list[dict]:
        return [self._entry([("version", str(v)), ("length", str(n))]) for v, n in version_thresholds(fields)]

    def _part(self, f: Field, path: str, owner: str) -> dict:
        abbrev = f"{path}.{f.name}"
        name = lua_string(f.name)
        self.location = f.loc
        if f.kind == "group":
            pf = self._proto_field(abbrev, f.name, "none", [], owner)
            bl = self._proto_field(f"{abbrev}.dimension.blocklength", "blockLength",
                                   _INT_FIELDS[f.block_length_type.name], ["base.DEC"], owner + " dimension")
            count = self._proto_field(f"{abbrev}.dimension.count", "count",
                                      _INT_FIELDS[f.count_type.name], ["base.DEC"], owner + " dimension")
            entry = self._proto_field(f"{abbrev}.entry", "entry", "uint32", ["base.DEC"], owner + " entry")
            fixed, parts = self._block(f.fields, abbrev, owner)
            limit = f.max if f.max is not None else f.count_type.max
            return self._entry([("kind", '"group"'), ("name", name), ("pf", pf), ("pf_blocklength", bl),
                                ("pf_count", count), ("pf_entry", entry), ("since", str(f.since)),
                                ("bl_size", str(f.block_length_type.width)), ("bl_read", f'"{_reader(f.block_length_type, self.little)}"'),
                                ("count_size", str(f.count_type.width)), ("count_read", f'"{_reader(f.count_type, self.little)}"'),
                                ("count_off", str(f.count_offset)), ("dimension", str(f.dimension_size)),
                                ("max", str(limit)), ("has_parts", "true" if any(g.is_part for g in f.fields) else "false")],
                               thresholds=self._thresholds(f.fields), fields=fixed, parts=parts)
        length = self._proto_field(f"{abbrev}.length", f"{f.name} length", _INT_FIELDS[f.length_type.name],
                                   ["base.DEC"], owner + " length")
        pf = self._proto_field(abbrev, f.name, "string" if f.kind == "string" else "bytes", [], owner)
        limit = f.max if f.max is not None else f.length_type.max
        return self._entry([("kind", f'"{f.kind}"'), ("name", name), ("pf", pf), ("pf_length", length),
                            ("since", str(f.since)), ("len_size", str(f.length_type.width)),
                            ("len_read", f'"{_reader(f.length_type, self.little)}"'), ("max", str(limit))])

    def build(self) -> dict:
        schema = self.schema
        pkg = self.package
        sofh_length = self._proto_field(f"{pkg}.sofh.length", "SOFH message length", "uint32", ["base.DEC"], "SOFH")
        sofh_encoding = self._proto_field(f"{pkg}.sofh.encoding", "SOFH encoding type", "uint16", ["base.HEX"], "SOFH")
        header = []
        header_reads = {}
        for f in schema.header.fields:
            self.location = f.loc
            pf = self._proto_field(f"{pkg}.header.{f.name}", f.name, _INT_FIELDS[f.type.name], ["base.DEC"], f"header.{f.name}")
            header.append(self._entry([("name", lua_string(f.name)), ("pf", pf), ("off", str(f.offset)),
                                       ("size", str(f.type.size)), ("read", f'"{_reader(f.type, self.little)}"')]))
            header_reads[f.name] = {"off": f.offset, "size": f.type.size, "read": _reader(f.type, self.little)}
        messages = []
        for m in schema.messages:
            path = f"{pkg}.{m.name}"
            self.location = m.loc
            pf = self._proto_field(path, m.name, "none", [], m.name)
            fixed, parts = self._block(m.fields, path, m.name)
            entry = self._entry([("name", lua_string(m.name)), ("pf", pf)],
                                thresholds=self._thresholds(m.fields), fields=fixed, parts=parts)
            messages.append({**entry, "template_id": m.template_id})
        order = "little" if self.little else "big"
        return {
            "source_name": self.source_name,
            "package": pkg,
            "proto_name": lua_string(pkg),
            "description": lua_string(f"wirekit {pkg} (SBE schema {schema.schema_id}, version {schema.version}, {order}-endian)"),
            "short_name": lua_string(pkg.upper()),
            "schema_id": schema.schema_id,
            "version": schema.version,
            "order": order,
            "add": "add_le" if self.little else "add",
            "sofh_encoding": f"0x{SOFH_ENCODING[schema.byte_order]:04X}",
            "sofh_size": SOFH_SIZE,
            "header_size": schema.header.size,
            "header": header,
            "header_fields": header_reads,
            "sofh_length": sofh_length,
            "sofh_encoding_pf": sofh_encoding,
            "messages": messages,
            "fields": self.fields,
            "value_strings": self.value_strings,
            "ports": lua_string(self.ports),
            "pref_prefix": pkg.replace(".", "_"),
        }


PRIMITIVE_U8 = Primitive("u8", 1)
