# SPDX-License-Identifier: Apache-2.0
"""The TypeScript emitter: computes every name, type, offset, accessor
expression and JSON fragment in Python; the Jinja2 templates in templates/ts/
only lay them out. One ES module per schema, plus wirekit_codec.ts, the code
the modules share (errors, part checks, text, JSON numbers)."""

from __future__ import annotations

import json
import os

import jinja2

from ..layout.compute import version_thresholds
from ..model.types import ArrayType, EnumType, Field, FlagsType, Primitive, Schema, StructType, Type
from ..wire.codec import const_json, json_string

TEMPLATE_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "templates", "ts")
RUNTIME_MODULE = "wirekit_codec"

_VIEW_METHODS = {
    "u8": "Uint8", "u16": "Uint16", "u32": "Uint32",
    "i8": "Int8", "i16": "Int16", "i32": "Int32",
    "f32": "Float32", "f64": "Float64", "char": "Uint8", "bool": "Uint8",
}

# 64-bit integers go through the runtime's getter and setter, not DataView's
# (see wirekit_codec.ts.j2: DataView's are builtin calls V8 does not inline).
_RUNTIME_64 = {"u64": "u64", "i64": "i64"}

# Members every generated block class has: a field of the same name gets a `_`.
_RESERVED = {
    "constructor", "toJSON", "toString", "encodedLength", "templateId", "actingBlockLength", "actingVersion",
}


def module_name(schema_path: str) -> str:
    return os.path.basename(schema_path)


def _environment() -> jinja2.Environment:
    from . import template_environment

    return template_environment(TEMPLATE_DIR)


def generate_files(schema: Schema, schema_path: str, options: dict) -> list:
    """The `ts` back end: <schema file name>.ts and wirekit_codec.ts (with the
    `transcoder` option also <schema file name>.transcode.ts, wirekit's own test
    support: a field-by-field copy of decoded messages through the encoders)."""
    from . import OutputFile

    env = _environment()
    model = TsModel(schema, module_name(schema_path)).build()
    files = [
        OutputFile(module_name(schema_path) + ".ts", env.get_template("module.ts.j2").render(**model)),
        OutputFile(RUNTIME_MODULE + ".ts", env.get_template("wirekit_codec.ts.j2").render()),
    ]
    if options.get("transcoder"):
        files.append(OutputFile(module_name(schema_path) + ".transcode.ts",
                                env.get_template("transcode.ts.j2").render(**model)))
    return files


def _pascal(name: str) -> str:
    return name[:1].upper() + name[1:]


def _member(name: str) -> str:
    return name + "_" if name in _RESERVED else name


def _primitive(t: Type) -> Primitive:
    return t.underlying if isinstance(t, (EnumType, FlagsType)) else t


def _literal(text: str) -> str:
    """A TypeScript string literal."""
    return json.dumps(text, ensure_ascii=False)


def int_literal(value: int, prim: Primitive) -> str:
    return f"{value}n" if prim.width == 8 and prim.is_integer else str(value)


class TsModel:
    def __init__(self, schema: Schema, module: str):
        self.schema = schema
        self.module = module
        self.le = "true" if schema.byte_order == "little" else "false"

    # -- types ----------------------------------------------------------------

    def ts_type(self, t: Type) -> str:
        if isinstance(t, (EnumType, StructType)):
            return t.name
        if isinstance(t, FlagsType):
            return "bigint" if t.underlying.width == 8 else "number"
        if isinstance(t, ArrayType):
            return "string" if t.is_text else f"{self.ts_type(t.element)}[]"
        if t.name in ("u64", "i64"):
            return "bigint"
        if t.name == "bool":
            return "boolean"
        if t.name == "char":
            return "string"
        return "number"

    def halves(self, at: str) -> tuple[str, str]:
        """The byte expressions of the low and the high 32 bits of a 64-bit integer at `at`."""
        base, plus, offset = at.rpartition(" + ")
        if not plus or not offset.isdigit():
            base, offset = at, "0"
        first, second = f"{base} + {offset}", f"{base} + {int(offset) + 4}"
        return (first, second) if self.le == "true" else (second, first)

    def raw_get(self, prim: Primitive, at: str, view: str = "this.$v") -> str:
        if prim.name in _RUNTIME_64:
            low, high = self.halves(at)
            return f"{_RUNTIME_64[prim.name]}({view}.getUint32({low}, {self.le}), {view}.getUint32({high}, {self.le}))"
        method = _VIEW_METHODS[prim.name]
        le = "" if prim.width == 1 else f", {self.le}"
        return f"{view}.get{method}({at}{le})"

    def raw_set(self, prim: Primitive, at: str, value: str, view: str = "this.$v") -> str:
        if prim.name in _RUNTIME_64:
            low, high = self.halves(at)
            return f"set64({view}, {low}, {high}, {value}, {self.le});"
        method = _VIEW_METHODS[prim.name]
        le = "" if prim.width == 1 else f", {self.le}"
        return f"{view}.set{method}({at}, {value}{le});"

    def get_expr(self, t: Type, at: str, view: str = "this.$v", objects: bool = False) -> str:
        """The value of type t at byte expression `at` (not optional); a
        struct is a flyweight of `view`, or with `objects` read into its object."""
        if isinstance(t, StructType):
            return f"readS_{t.name}({view}, {at})" if objects else f"new {t.name}({view}, {at})"
        if isinstance(t, ArrayType):
            if t.is_text:
                return f"latin1({view}, {at}, {t.length})"
            step = t.element.size
            items = ", ".join(self.get_expr(t.element, f"{at} + {i * step}", view) for i in range(t.length))
            return f"[{items}]"
        prim = _primitive(t)
        raw = self.raw_get(prim, at, view)
        if isinstance(t, EnumType):
            return f"{raw} as {t.name}"
        if prim.name == "bool":
            return f"{raw} !== 0"
        if prim.name == "char":
            return f"charText({raw})"
        return raw

    def set_stmt(self, t: Type, at: str, value: str, path: str, view: str = "this.$v") -> str:
        if isinstance(t, StructType):
            return f"writeS_{t.name}({view}, {at}, {value});"
        if isinstance(t, ArrayType):
            if t.is_text:
                return f'setLatin1({view}, {at}, {t.length}, {value}, "{path}");'
            step = t.element.size
            return (f'if ({value}.length > {t.length}) throw new EncodeError(`{path}: ${{{value}.length}} values do not fit in {t.length}`); '
                    f"for (let i = 0; i < {t.length}; i++) {{ const x = i < {value}.length ? {value}[i]! : {self.zero(t.element)}; "
                    f"{self.set_stmt(t.element, f'{at} + i * {step}', 'x', path, view)} }}")
        prim = _primitive(t)
        if isinstance(t, EnumType):
            return self.raw_set(prim, at, value, view)
        if prim.name == "bool":
            return self.raw_set(prim, at, f"{value} ? 1 : 0", view)
        if prim.name == "char":
            return self.raw_set(prim, at, f'charCode({value}, "{path}")', view)
        return self.raw_set(prim, at, value, view)

    def zero(self, t: Type) -> str:
        if isinstance(t, EnumType):
            return f"{int_literal(0, t.underlying)} as {t.name}"
        prim = _primitive(t)
        if prim.name == "bool":
            return "false"
        if prim.name == "char":
            return '""'
        return int_literal(0, prim)

    def json_expr(self, t: Type, value: str) -> str:
        """The JSON text of a present value (a TS expression of ts_type(t))."""
        if isinstance(t, StructType):
            return f"{value}.toJSON()"
        if isinstance(t, EnumType):
            return f"json{t.name}({value})"
        if isinstance(t, FlagsType):
            return f"json{t.name}({value})"
        if isinstance(t, ArrayType):
            if t.is_text:
                return f"jsonString({value})"
            return f'"[" + {value}.map((x) => {self.json_expr(t.element, "x")}).join(",") + "]"'
        if t.name == "bool":
            return f'({value} ? "true" : "false")'
        if t.name == "char":
            return f"jsonString({value})"
        if t.name == "f32":
            return f"jsonF32({value})"
        if t.name == "f64":
            return f"jsonF64({value})"
        return f"String({value})"

    # -- fields ---------------------------------------------------------------

    def fixed_field(self, f: Field, path: str, versioned: bool) -> dict:
        at = f"this.$b + {f.offset}"
        t = f.type
        ts_type = self.ts_type(t)
        name = _member(f.name)
        since = f.since if versioned else 0
        if f.kind == "const":
            return {"kind": "const", "name": name, "field": f.name, "json_name": f'"{f.name}"', "json": const_json(f),
                    "ts_type": ts_type, "since": 0}
        field = {"kind": f.kind, "name": name, "field": f.name, "json_name": f'"{f.name}"', "since": since,
                 "ts_type": ts_type, "is_struct": isinstance(t, StructType),
                 "is_array": isinstance(t, ArrayType) and not t.is_text, "struct": getattr(t, "name", "")}
        if f.kind == "optional":
            raw, null_literal, value_of = self.optional_read(f, at)
            field["getter"] = f"const raw = {raw}; return {value_of('raw')};"
            field["setter"] = self.optional_write(f, at, path)
            field["null_init"] = self.raw_set(self.optional_wire(f), f"b + {f.offset}", null_literal, "view")
            field["optional"] = True
        else:
            field["getter"] = f"return {self.get_expr(t, at)};"
            field["setter"] = "" if isinstance(t, StructType) else self.set_stmt(t, at, "value", f"{path}.{f.name}")
            field["optional"] = False
            if isinstance(t, ArrayType) and not t.is_text:
                step = t.element.size
                element = t.element
                field["element_type"] = self.ts_type(element)
                field["length"] = t.length
                field["get_at"] = f"return {self.get_expr(element, f'this.$b + {f.offset} + index * {step}')};"
                field["set_at"] = self.set_stmt(element, f"this.$b + {f.offset} + index * {step}", "value", f"{path}.{f.name}")
        field["json"] = self.json_expr(t, "x")
        field["null_init"] = field.get("null_init", "")
        if isinstance(t, StructType):
            field["struct_nulls"] = self.struct_nulls(t, f.offset)
        return field

    @staticmethod
    def optional_wire(f: Field) -> Primitive:
        prim = _primitive(f.type)
        return Primitive("u8", 1) if prim.name == "bool" else prim

    def optional_null(self, f: Field) -> str:
        """An optional field's null value, a literal of its raw read's type."""
        return "NaN" if _primitive(f.type).is_float else int_literal(int(f.null_value), self.optional_wire(f))

    def optional_read(self, f: Field, at: str, view: str = "this.$v"):
        """An optional field's raw read at `at`, its null value, and a function
        of the name holding the raw value giving the field's value expression
        (undefined when null)."""
        t = f.type
        prim = _primitive(t)
        null_literal = self.optional_null(f)

        def value_of(raw: str) -> str:
            absent = f"Number.isNaN({raw})" if prim.is_float else f"{raw} === {null_literal}"
            if isinstance(t, EnumType):
                present = f"{raw} as {t.name}"
            elif prim.name == "bool":
                present = f"{raw} !== 0"
            elif prim.name == "char":
                present = f"charText({raw})"
            else:
                present = raw
            return f"{absent} ? undefined : {present}"

        return self.raw_get(self.optional_wire(f), at, view), null_literal, value_of

    def optional_write(self, f: Field, at: str, path: str, view: str = "this.$v") -> str:
        """Writes `value` (T | undefined) to optional field f at `at`: undefined as the null value."""
        t = f.type
        prim = _primitive(t)
        wire = self.optional_wire(f)
        null_literal = self.optional_null(f)
        if prim.name == "bool":
            wire_value = "value ? 1 : 0"
        else:
            wire_value = "value"
        compared = f"(value as {'bigint' if prim.width == 8 else 'number'})" if isinstance(t, EnumType) else "value"
        check = "" if prim.is_float or prim.name == "bool" else (
            f'if ({compared} === {null_literal}) throw new EncodeError("{path}.{f.name}: the value is the null value of the field"); ')
        if prim.name == "char" and not isinstance(t, EnumType):
            check = (f'const code = charCode(value, "{path}.{f.name}"); if (code === {null_literal}) '
                     f'throw new EncodeError("{path}.{f.name}: the value is the null value of the field"); ')
            wire_value = "code"
        return (f"if (value === undefined) {{ {self.raw_set(wire, at, null_literal, view)} }} "
                f"else {{ {check}{self.raw_set(wire, at, wire_value, view)} }}")

    def struct_nulls(self, t: StructType, base: int) -> list[str]:
        """The stores of the null values of a struct's optional members (at a block offset)."""
        out = []
        for m in t.fields:
            if m.kind == "optional":
                out.append(self.raw_set(self.optional_wire(m), f"b + {base + m.offset}", self.optional_null(m), "view"))
            elif m.kind == "fixed" and isinstance(m.type, StructType):
                out += self.struct_nulls(m.type, base + m.offset)
        return out

    def zero_stores(self, length: int) -> list[str]:
        """Statements that zero bytes [0, length) of a block (at `b` in `view`,
        the constructor's locals). A loop of 8-byte stores, the rest one more
        8-byte store overlapping them: one store per 8 bytes written out made
        the constructor of a 43-byte block too long for V8 to inline it."""
        if length < 16:
            out, at = [], 0
            for width, method in ((8, "Float64"), (4, "Uint32"), (2, "Uint16"), (1, "Uint8")):
                while length - at >= width:
                    out.append(f"view.set{method}(b + {at}, 0);")
                    at += width
            return out
        whole = length - length % 8
        out = [f"for (let at = b; at < b + {whole}; at += 8) view.setFloat64(at, 0);"]
        if whole != length:
            out.append(f"view.setFloat64(b + {length - 8}, 0);")
        return out

    def constant_stores(self, data: bytes, at: str) -> list[str]:
        """Stores that write `data` at byte expression `at` of `view`, four bytes
        at a time (the header: two stores where one per field took four)."""
        order = "little" if self.le == "true" else "big"
        out, i = [], 0
        for width, method in ((4, "Uint32"), (2, "Uint16"), (1, "Uint8")):
            while len(data) - i >= width:
                value = int.from_bytes(data[i:i + width], order)
                le = "" if width == 1 else f", {self.le}"
                out.append(f"view.set{method}({at} + {i}, {value}{le});")
                i += width
        return out

    def block(self, fields: list[Field], block_length: int, path: str, class_name: str, is_message: bool) -> dict:
        fixed = [self.fixed_field(f, path, versioned=True) for f in fields if f.kind in ("fixed", "optional", "const")]
        parts = []
        nested = []
        for f in fields:
            if f.kind == "group":
                entry = self.block(f.fields, f.block_length, f"{path}.{f.name}[]", class_name + _pascal(f.name), False)
                nested.append(entry)
                thresholds = version_thresholds(f.fields)
                required = "0"
                for version, length in thresholds:
                    required = str(length) if version == 0 else f"version >= {version} ? {length} : {required}"
                limit = f.max if f.max is not None else f.count_type.max
                parts.append({
                    "kind": "group", "name": _member(f.name), "field": f.name, "field_literal": _literal(f.name), "since": f.since,
                    "spec": f"G_{class_name}_{f.name}", "entry": entry,
                    "block_length_width": f.block_length_type.width, "count_width": f.count_type.width,
                    "block_length": f.block_length, "max": limit, "required": required,
                    "has_parts": entry["has_parts"],
                    "dimension": f.block_length_type.width + f.count_type.width,
                    # The room a group needs up front: its dimension, and its entries when they are all fixed.
                    "room": str(f.block_length_type.width + f.count_type.width)
                            + ("" if entry["has_parts"] else f" + count * {f.block_length}"),
                })
            elif f.is_var:
                limit = f.max if f.max is not None else f.length_type.max
                parts.append({
                    "kind": f.kind, "name": _member(f.name), "field": f.name, "field_literal": _literal(f.name), "since": f.since,
                    "spec": f"V_{class_name}_{f.name}", "width": f.length_type.width, "max": limit,
                    "length_get": self.raw_get(f.length_type, "at"),
                    "length_set": self.raw_set(f.length_type, "at", "length"),
                })
        for i, p in enumerate(parts):
            p["index"] = i
        optional_inits = [f["null_init"] for f in fixed if f["kind"] == "optional"]
        for f in fixed:
            if f.get("struct_nulls"):
                optional_inits += f["struct_nulls"]
        thresholds = version_thresholds(fields)
        required = "0"
        for version, length in thresholds:
            required = str(length) if version == 0 else f"version >= {version} ? {length} : {required}"
        return {
            "json": self.json_lines(fixed, parts),
            "path_literal": self.path_literal(path),
            "json_open": _literal("{" + json_string(path) + ":{"),
            "class_name": class_name, "path": path.replace("[]", ""), "block_length": block_length,
            "fixed": fixed, "parts": parts, "nested": nested, "has_parts": bool(parts),
            "zero": self.zero_stores(block_length), "inits": optional_inits, "required": required,
            "is_message": is_message,
            "object": self.block_object(fields, block_length, path, class_name, is_message, parts),
        }

    def json_lines(self, fixed: list[dict], parts: list[dict]) -> list[str]:
        """The statements of a block's JSON text: fixed fields in declaration
        order (constants included), then the parts, as wire/codec.py prints them."""
        lines = []
        for i, f in enumerate(fixed + parts):
            raw_key = ("," if i else "") + json_string(f["field"]) + ":"
            key = _literal(raw_key)
            if f["kind"] == "const":
                lines.append(f"s += {_literal(raw_key + f['json'])};")
                continue
            if f["kind"] == "group":
                value = f"this.{f['name']}.toJSON()"
            elif f["kind"] == "string":
                value = f"jsonString(x)"
            elif f["kind"] == "bytes":
                value = f"jsonString(base64(x))"
            else:
                value = f["json"]
            nullable = f["kind"] in ("string", "bytes") and f["since"] or f["kind"] == "optional" or f["since"]
            if f["kind"] == "group":
                lines.append(f"s += {key} + {value};")
            elif nullable:
                lines.append(f'{{ const x = this.{f["name"]}; s += {key} + (x === undefined ? "null" : {value}); }}')
            else:
                lines.append(f"{{ const x = this.{f['name']}; s += {key} + {value}; }}")
        return lines

    # -- types ------------------------------------------------------------------

    def enum(self, t: EnumType) -> dict:
        seen, cases = set(), []
        for m in t.members:
            if m.value not in seen:
                seen.add(m.value)
                cases.append((int_literal(m.value, t.underlying), _literal(json_string(m.name))))
        return {"name": t.name, "members": [(m.name, int_literal(m.value, t.underlying)) for m in t.members],
                "cases": cases}

    def flags(self, t: FlagsType) -> dict:
        wide = t.underlying.width == 8
        names = {m.value: m.name for m in t.members}
        return {"name": t.name, "wide": wide, "bits": 8 * t.underlying.width,
                "members": [(m.name, f"{1 << m.value}n" if wide else str(1 << m.value)) for m in t.members],
                "names": ", ".join(_literal(json_string(names[b])) if b in names else "undefined"
                                   for b in range(8 * t.underlying.width))}

    def struct(self, t: StructType) -> dict:
        fields = [self.fixed_field(f, t.name, versioned=False) for f in t.fields]
        props, locals_, reads, writes = self.object_fields(t.fields, t.size, t.name, "b", versioned=False)
        return {"name": t.name, "size": t.size, "fields": fields, "json": self.json_lines(fields, []),
                "object": {"name": self.object_names[t.name], "props": props, "read_locals": locals_, "read": reads,
                           "write": writes}}

    # -- the plain-object form ------------------------------------------------
    # One straight-line function per message type (and per group entry and
    # struct) reads or writes every field from or into a plain object: every
    # byte of the block is written, so nothing is zeroed first, and nothing
    # goes through property accessors (which V8 inlines last).

    def object_type(self, t: Type) -> str:
        return self.object_names[t.name] if isinstance(t, StructType) else self.ts_type(t)

    def zero_value(self, t: Type) -> str:
        """The value a field the flyweight encoder leaves unset reads as (the
        object form writes it for a field newer than the acting version left undefined)."""
        if isinstance(t, StructType):
            members = ", ".join(f"{_member(m.name)}: {'undefined' if m.kind == 'optional' else self.zero_value(m.type)}"
                                for m in t.fields if m.kind != "const")
            return f"{{ {members} }}"
        if isinstance(t, ArrayType):
            return '""' if t.is_text else "[]"
        return self.zero(t)

    @staticmethod
    def gap_stores(fields: list[Field], length: int) -> list[str]:
        """Stores of zero into the bytes [0, length) of a block (at `b` in
        `view`) that no field covers: padding, and blocks longer than their fields."""
        covered = bytearray(length)
        for f in fields:
            if f.kind in ("fixed", "optional"):
                covered[f.offset:f.offset + f.type.size] = b"\1" * f.type.size
        out, at = [], 0
        while at < length:
            if covered[at]:
                at += 1
                continue
            end = at
            while end < length and not covered[end]:
                end += 1
            for width, method in ((8, "Float64"), (4, "Uint32"), (2, "Uint16"), (1, "Uint8")):
                while end - at >= width:
                    out.append(f"view.set{method}(b + {at}, 0);")
                    at += width
        return out

    def object_fields(self, fields: list[Field], length: int, path: str, base: str, versioned: bool):
        """The fixed fields of a block or struct in the object form: the
        interface's properties, the reader's locals and properties (reading
        `view` at block `base`, by the reader's `version`), and the writer's
        statements (writing `o` into `view` at block `b`)."""
        props, locals_, reads = [], [], []
        writes = self.gap_stores(fields, length)
        for n, f in enumerate(fields):
            if f.kind not in ("fixed", "optional"):
                continue
            name = _member(f.name)
            since = f.since if versioned else 0
            t = f.type
            optional = f.kind == "optional" or since > 0
            props.append((name, self.object_type(t) + (" | undefined" if optional else "")))
            at = f"{base} + {f.offset}"
            if f.kind == "optional":
                raw, null_literal, value_of = self.optional_read(f, at, "view")
                locals_.append(f"const r{n} = {f'version < {since} ? {null_literal} : ' if since else ''}{raw};")
                reads.append((name, value_of(f"r{n}")))
                writes.append(f"{{ const value = o.{name}; {self.optional_write(f, f'b + {f.offset}', path, 'view')} }}")
                continue
            value = self.get_expr(t, at, "view", objects=True)
            reads.append((name, f"version < {since} ? undefined : {value}" if since else value))
            given = f"(o.{name} ?? {self.zero_value(t)})" if since else f"o.{name}"
            write = self.set_stmt(t, f"b + {f.offset}", "value", f"{path}.{f.name}", "view")
            if isinstance(t, (ArrayType, StructType)) or since:
                writes.append(f"{{ const value = {given}; {write} }}")
            else:
                writes.append(self.set_stmt(t, f"b + {f.offset}", given, f"{path}.{f.name}", "view"))
        return props, locals_, reads, writes

    def block_object(self, fields: list[Field], block_length: int, path: str, class_name: str, is_message: bool,
                     parts: list[dict]) -> dict:
        """A message's or group entry's object form. The parts are read from
        the positions the checks found (p0, p1, … in a message, q0, q1, … in an
        entry) and written at `pos`; error paths name the block as `owner`."""
        props, locals_, reads, writes = self.object_fields(fields, block_length, path, "at" if is_message else "b",
                                                           versioned=True)
        # An entry's path is made only when an error names it: `owner` is its group's owner.
        owner = self.path_literal(path) if is_message else f"`${{owner}}.{path.rsplit('.', 1)[1].removesuffix('[]')}[${{i}}]`"
        base = "offset" if is_message else "base"
        position = "p" if is_message else "q"
        part_writes = []
        for p, f in zip(parts, [f for f in fields if f.kind == "group" or f.is_var]):
            i = p["index"]
            name = p["name"]
            since = f.since
            at = f"{position}{i}"
            if p["kind"] == "group":
                entry = p["entry"]["object"]["name"]
                props.append((name, f"{entry}[]"))
                read = f"readG_{p['entry']['class_name']}(view, {at}, version)"
                reads.append((name, f"version < {since} ? [] : {read}" if since else read))
                part_writes.append(f"pos = writeG_{p['entry']['class_name']}(view, {base}, end, pos, o.{name}, {owner});")
                continue
            width = p["width"]
            value_type = "string" if p["kind"] == "string" else "Uint8Array"
            props.append((name, value_type + (" | undefined" if since else "")))
            length = self.raw_get(f.length_type, at, "view")
            read = (f"utf8(view, {at} + {width}, {length})" if p["kind"] == "string"
                    else f"bytesAt(view, {at} + {width}, {length})")
            reads.append((name, f"version < {since} ? undefined : {read}" if since else read))
            limit = f"end - pos - {width}" if p["max"] >= 0xFFFFFFFF else f"Math.min(end - pos - {width}, {p['max']})"
            empty = ' ?? ""' if since else ""  # a part the acting version had not: written empty
            part_writes.append(
                f"{{ const value = o.{name}{empty}; const size = putVar(view, pos + {width}, {limit}, value); "
                f"if (size < 0) badVarValue({base}, end, pos, value, {p['spec']}, {owner}); "
                f"{self.raw_set(f.length_type, 'pos', 'size', 'view')} pos += {width} + size; }}")
        return {
            "name": self.object_names[class_name], "props": props, "read_locals": locals_, "read": reads,
            "write": writes, "part_writes": part_writes,
        }

    @staticmethod
    def path_literal(path: str) -> str:
        return _literal(path.replace("[]", ""))

    def name_objects(self) -> None:
        """The object types' names: <Message>Object, <Struct>Object and
        <Message><Group>Object, each with a `_` more while it is a name the
        module already exports (a schema type called OrderObject, say)."""
        taken = {t.name for t in self.schema.types}
        classes = []

        def entries(prefix: str, fields: list[Field]) -> None:
            for f in fields:
                if f.kind == "group":
                    classes.append(prefix + _pascal(f.name))
                    entries(prefix + _pascal(f.name), f.fields)

        for m in self.schema.messages:
            taken.add(m.name)
            classes.append(m.name)
            entries(m.name, m.fields)
        for c in classes:
            taken |= {c + "Decoder", c + "Encoder"}
        taken |= {"Schema", "AnyMessage", "DecodeError", "EncodeError", "Bytes", "MessageType"}
        self.object_names = {}
        for c in [t.name for t in self.schema.types if isinstance(t, StructType)] + classes:
            name = c + "Object"
            while name in taken:
                name += "_"
            taken.add(name)
            self.object_names[c] = name

    def build(self) -> dict:
        s = self.schema
        self.name_objects()
        header = s.header
        hf = {f.name: f for f in header.fields}
        header_read = {name: (hf[name].offset, self.raw_get(hf[name].type, f"offset + {hf[name].offset}").replace("this.$v", "view"))
                       for name in hf}
        messages = []
        package_literal = _literal(".".join(s.package))
        for m in s.messages:
            block = self.block(m.fields, m.block_length, m.name, m.name, True)
            block["template_id"] = m.template_id
            block["name"] = m.name
            # Header fields of the schema's own (SBE's numGroups, numVarDataFields) are written as 0.
            values = {"blockLength": m.block_length, "templateId": m.template_id, "schemaId": s.schema_id,
                      "version": s.version}
            order = "little" if self.le == "true" else "big"
            data = bytearray(header.size)
            for f in header.fields:
                width = f.type.width
                data[f.offset:f.offset + width] = (values.get(f.name, 0) % (1 << (8 * width))).to_bytes(width, order)
            block["header_write"] = self.constant_stores(bytes(data), "offset")
            messages.append(block)
        return {
            "package_literal": package_literal, "module": self.module, "runtime": RUNTIME_MODULE, "package": ".".join(s.package),
            "schema_id": s.schema_id, "version": s.version, "le": self.le, "header_length": header.size,
            "header": header_read,
            "enums": [self.enum(t) for t in s.types if isinstance(t, EnumType)],
            "flags": [self.flags(t) for t in s.types if isinstance(t, FlagsType)],
            "structs": [self.struct(t) for t in s.types if isinstance(t, StructType)],
            "messages": messages,
        }
