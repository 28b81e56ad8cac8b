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

    def raw_get(self, prim: Primitive, at: str) -> str:
        if prim.name in _RUNTIME_64:
            low, high = self.halves(at)
            return f"{_RUNTIME_64[prim.name]}(this.$v.getUint32({low}, {self.le}), this.$v.getUint32({high}, {self.le}))"
        method = _VIEW_METHODS[prim.name]
        le = "" if prim.width == 1 else f", {self.le}"
        return f"this.$v.get{method}({at}{le})"

    def raw_set(self, prim: Primitive, at: str, value: str, view: str = "this.$v") -> str:
        if prim.name in _RUNTIME_64:
            low, high = self.halves(at)
            return f"set64({view}, {low}, {high}, {value}, {self.le});"
        method = _VIEW_METHODS[prim.name]
        le = "" if prim.width == 1 else f", {self.le}"
        return f"{view}.set{method}({at}, {value}{le});"

    def get_expr(self, t: Type, at: str) -> str:
        """The value of type t at byte expression `at` (not optional)."""
        if isinstance(t, StructType):
            return f"new {t.name}(this.$v, {at})"
        if isinstance(t, ArrayType):
            if t.is_text:
                return f"latin1(this.$v, {at}, {t.length})"
            step = t.element.size
            items = ", ".join(self.get_expr(t.element, f"{at} + {i * step}") for i in range(t.length))
            return f"[{items}]"
        prim = _primitive(t)
        raw = self.raw_get(prim, at)
        if isinstance(t, EnumType):
            return f"{raw} as {t.name}"
        if prim.name == "bool":
            return f"{raw} !== 0"
        if prim.name == "char":
            return f"charText({raw})"
        return raw

    def set_stmt(self, t: Type, at: str, value: str, path: str) -> str:
        if isinstance(t, ArrayType):
            if t.is_text:
                return f'setLatin1(this.$v, {at}, {t.length}, {value}, "{path}");'
            step = t.element.size
            return (f'if ({value}.length > {t.length}) throw new EncodeError(`{path}: ${{{value}.length}} values do not fit in {t.length}`); '
                    f"for (let i = 0; i < {t.length}; i++) {{ const x = i < {value}.length ? {value}[i]! : {self.zero(t.element)}; "
                    f"{self.set_stmt(t.element, f'{at} + i * {step}', 'x', path)} }}")
        prim = _primitive(t)
        if isinstance(t, EnumType):
            return self.raw_set(prim, at, value)
        if prim.name == "bool":
            return self.raw_set(prim, at, f"{value} ? 1 : 0")
        if prim.name == "char":
            return self.raw_set(prim, at, f'charCode({value}, "{path}")')
        return self.raw_set(prim, at, value)

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
            prim = _primitive(t)
            wire = Primitive("u8", 1) if prim.name == "bool" else prim
            raw = self.raw_get(wire, at)
            if prim.is_float:
                absent = "Number.isNaN(raw)"
                null_literal = "NaN"
            else:
                null_literal = int_literal(int(f.null_value), wire)
                absent = f"raw === {null_literal}"
            if isinstance(t, EnumType):
                present = f"raw as {t.name}"
            elif prim.name == "bool":
                present = "raw !== 0"
            elif prim.name == "char":
                present = "charText(raw)"
            else:
                present = "raw"
            field["getter"] = f"const raw = {raw}; return {absent} ? undefined : {present};"
            if prim.name == "bool":
                wire_value = "value ? 1 : 0"
            elif prim.name == "char" and not isinstance(t, EnumType):
                wire_value = f'charCode(value, "{path}.{f.name}")'
            else:
                wire_value = "value"
            compared = f"(value as {'bigint' if prim.width == 8 else 'number'})" if isinstance(t, EnumType) else "value"
            check = "" if prim.is_float or prim.name == "bool" else (
                f'if ({compared} === {null_literal}) throw new EncodeError("{path}.{f.name}: the value is the null value of the field"); ')
            if prim.name == "char" and not isinstance(t, EnumType):
                check = (f'const code = charCode(value, "{path}.{f.name}"); if (code === {null_literal}) '
                         f'throw new EncodeError("{path}.{f.name}: the value is the null value of the field"); ')
                wire_value = "code"
            field["setter"] = (f"if (value === undefined) {{ {self.raw_set(wire, at, null_literal)} return; }} "
                            f"{check}{self.raw_set(wire, at, wire_value)}")
            field["null_init"] = self.raw_set(wire, f"b + {f.offset}", null_literal, "view")
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

    def struct_nulls(self, t: StructType, base: int) -> list[str]:
        """The stores of the null values of a struct's optional members (at a block offset)."""
        out = []
        for m in t.fields:
            if m.kind == "optional":
                prim = _primitive(m.type)
                wire = Primitive("u8", 1) if prim.name == "bool" else prim
                literal = "NaN" if prim.is_float else int_literal(int(m.null_value), wire)
                out.append(self.raw_set(wire, f"b + {base + m.offset}", literal, "view"))
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
            "path_literal": _literal(path.replace("[]", "")),
            "json_open": _literal("{" + json_string(path) + ":{"),
            "class_name": class_name, "path": path.replace("[]", ""), "block_length": block_length,
            "fixed": fixed, "parts": parts, "nested": nested, "has_parts": bool(parts),
            "zero": self.zero_stores(block_length), "inits": optional_inits, "required": required,
            "is_message": is_message,
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
        return {"name": t.name, "size": t.size, "fields": fields, "json": self.json_lines(fields, [])}

    def build(self) -> dict:
        s = self.schema
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
