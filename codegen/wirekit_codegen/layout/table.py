# SPDX-License-Identifier: Apache-2.0
"""`wirekit layout`: every field's offset, size and type, block lengths and null
values, as a protocol engineer reads them."""

from __future__ import annotations

import math
import os

from ..model.types import ArrayType, EnumType, Field, FlagsType, Message, Schema, StructType
from ..wire.codec import const_json


def _type_text(f: Field) -> str:
    t = f.type
    written = f.type_name
    if isinstance(t, EnumType):
        text = f"enum {t.name} : {t.underlying.name}"
    elif isinstance(t, FlagsType):
        text = f"flags {t.name} : {t.underlying.name}"
    elif isinstance(t, StructType):
        text = f"struct {t.name}"
    elif isinstance(t, ArrayType):
        text = t.describe()
    else:
        text = t.name
    if written and written != text and written not in text:
        text += f" ({written})"
    if f.kind == "optional":
        text = "optional " + text
    elif f.kind == "const":
        text = "const " + text
    return text


def _null_text(f: Field) -> str:
    if f.kind == "const":
        return "= " + const_json(f)
    if f.kind != "optional":
        return ""
    v = f.null_value
    if isinstance(v, float) and math.isnan(v):
        return "null NaN"
    prim = f.type.underlying if isinstance(f.type, EnumType) else f.type
    if prim.name == "char":
        return f"null {v} (NUL)" if v == 0 else f"null {v}"
    if isinstance(v, int) and v > 9 and not prim.signed:
        return f"null {v} (0x{v:X})"
    return f"null {v}"


class _Table:
    def __init__(self):
        self.rows: list[tuple[str, ...]] = []

    def add(self, *cells: str) -> None:
        self.rows.append(tuple(cells))

    def render(self, indent: str = "  ") -> str:
        header = ("offset", "size", "field", "type", "null / value", "notes")
        rows = [header] + self.rows
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        lines = []
        for r in rows:
            cells = [r[0].rjust(widths[0]), r[1].rjust(widths[1])] + [r[i].ljust(widths[i]) for i in range(2, len(header))]
            lines.append((indent + "  ".join(cells)).rstrip())
        return "\n".join(lines)


def _notes(f: Field) -> str:
    notes = []
    if f.since:
        notes.append(f"since {f.since}")
    if f.deprecated is not None:
        notes.append(f"deprecated {f.deprecated}")
    if f.max is not None:
        notes.append(f"max {f.max}")
    if f.explicit_offset is not None:
        notes.append("@offset")
    return ", ".join(notes)


def _fixed_rows(table: _Table, fields: list[Field], base: int, depth: int, absolute: bool) -> None:
    pad = "  " * depth
    for f in fields:
        if f.kind == "const":
            table.add("-", "0", pad + f.name, _type_text(f), _null_text(f), _notes(f))
        elif f.kind in ("fixed", "optional"):
            offset = base + f.offset
            table.add(str(offset), str(f.type.size), pad + f.name, _type_text(f), _null_text(f), _notes(f))
            if isinstance(f.type, StructType):
                _fixed_rows(table, f.type.fields, offset, depth + 1, absolute)


def _block_text(fields: list[Field], block_length: int, title: str, depth: int) -> list[str]:
    indent = "  " * (depth + 1)
    out = [f"{'  ' * depth}{title}"]
    table = _Table()
    _fixed_rows(table, fields, 0, 0, False)
    if table.rows:
        out.append(table.render(indent))
    end = max((f.offset + f.type.size for f in fields if f.kind in ("fixed", "optional")), default=0)
    if block_length > end:
        out.append(f"{indent}{block_length - end} bytes of padding at {end}..{block_length - 1}")
    for f in fields:
        if f.kind == "group":
            extra = f" ({_notes(f)})" if _notes(f) else ""
            count_at = "" if f.has_packed_dimension else f" at {f.count_offset}"
            out.append("")
            out += _block_text(
                f.fields, f.block_length,
                f"group {f.name}: dimension {f.dimension_size} bytes (blockLength {f.block_length_type.name}, "
                f"count {f.count_type.name}{count_at}), entry block {f.block_length} bytes{extra}",
                depth + 1,
            )
        elif f.is_var:
            extra = f", {_notes(f)}" if _notes(f) else ""
            out.append(f"{indent}{f.kind} {f.name}: {f.length_type.name} length ({f.length_type.width} bytes), then the bytes{extra}")
    return out


def layout_text(schema: Schema, message_name: str | None = None) -> str:
    out = []
    order = "little-endian" if schema.byte_order == "little" else "big-endian"
    out.append(f"schema {'.'.join(schema.package)} ({os.path.basename(schema.path)}): "
               f"id {schema.schema_id}, version {schema.version}, {order}")
    header = schema.header
    out.append(f"header: {header.size} bytes")
    table = _Table()
    for f in sorted(header.fields, key=lambda f: f.offset):
        table.add(str(f.offset), str(f.type.size), f.name, f.type.name, "", "")
    out.append(table.render("  "))
    messages = [m for m in schema.messages if message_name in (None, m.name)]
    for m in messages:
        out.append("")
        out += _block_text(m.fields, m.block_length,
                           f"message {m.name} = {m.template_id}: block {m.block_length} bytes "
                           f"(header + block = {header.size + m.block_length})", 0)
    return "\n".join(out) + "\n"
