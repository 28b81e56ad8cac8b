# SPDX-License-Identifier: Apache-2.0
"""Checks that span the schema: ids, field order, versions, recursion, header."""

from __future__ import annotations

from ..syntax.diagnostics import Diagnostics
from .types import EnumType, Field, Schema, StructType


def validate(schema: Schema, d: Diagnostics) -> None:
    header = schema.header
    template_type = header.field("templateId").type
    schema_id_type = header.field("schemaId").type
    version_type = header.field("version").type
    if schema.messages and schema.schema_id > schema_id_type.max:
        d.error(schema.locations["schema_id"], f"schema_id {schema.schema_id} does not fit the header's schemaId ({schema_id_type.name})")
    if schema.version > version_type.max:
        d.error(schema.locations["version"], f"version {schema.version} does not fit the header's version ({version_type.name})")

    ids: dict[int, str] = {}
    for message in schema.messages:
        if message.template_id > template_type.max:
            d.error(message.loc, f"template id {message.template_id} of `{message.name}` does not fit the header's templateId ({template_type.name})")
        if message.template_id in ids:
            d.error(message.loc, f"duplicate template id {message.template_id} (also used by `{ids[message.template_id]}`)")
        else:
            ids[message.template_id] = message.name
        _check_block(message.fields, message.name, d)

    for t in schema.types:
        if isinstance(t, StructType):
            _check_recursion(t, [], d, set())

    for t in schema.types:
        if isinstance(t, StructType):
            _check_optionals(t.fields, d)
    for message in schema.messages:
        _check_optionals(message.fields, d)


def _check_block(fields: list[Field], owner: str, d: Diagnostics) -> None:
    """Order inside a message or group: fixed fields, then groups, then string/bytes;
    inside each, fields added in later versions after the older ones."""
    rank = {"fixed": 0, "optional": 0, "const": 0, "group": 1, "string": 2, "bytes": 2}
    last_by_rank: dict[int, Field] = {}
    last_fixed: Field | None = None
    last_part: Field | None = None
    for f in fields:
        r = rank[f.kind]
        later = [last_by_rank[k] for k in last_by_rank if k > r]
        if later:
            other = later[0]
            what = {0: "fixed field", 1: "group", 2: "string/bytes field"}
            d.error(f.loc, f"{what[r]} `{f.name}` comes after {_describe(other)} `{other.name}`: fixed fields go first, then groups, then string/bytes fields")
        last_by_rank[r] = f
        if f.kind in ("fixed", "optional"):
            if last_fixed is not None and f.since < last_fixed.since:
                d.error(f.loc, f"`{f.name}` (since version {f.since}) comes after `{last_fixed.name}` (@since({last_fixed.since})): fields added in a later version go after the older ones")
            last_fixed = f
        elif f.is_part:
            if last_part is not None and f.since < last_part.since:
                d.error(f.loc, f"`{f.name}` (since version {f.since}) comes after `{last_part.name}` (@since({last_part.since})): fields added in a later version go after the older ones")
            last_part = f
        if f.kind == "group":
            _check_block(f.fields, f"{owner}.{f.name}", d)


def _describe(f: Field) -> str:
    return {"group": "group", "string": "string field", "bytes": "bytes field"}.get(f.kind, "fixed field")


def _check_recursion(struct: StructType, stack: list[StructType], d: Diagnostics, reported: set) -> None:
    if struct in stack:
        start = stack.index(struct)
        cycle = stack[start:] + [struct]
        if stack[0] is struct and struct.name not in reported:
            reported.add(struct.name)
            d.error(struct.loc, f"struct `{struct.name}` contains itself: " + " -> ".join(s.name for s in cycle))
        return
    for f in struct.fields:
        if isinstance(f.type, StructType):
            _check_recursion(f.type, stack + [struct], d, reported)


def _check_optionals(fields: list[Field], d: Diagnostics) -> None:
    for f in fields:
        if f.kind == "group":
            _check_optionals(f.fields, d)
        if f.kind == "optional" and isinstance(f.type, EnumType):
            member = f.type.by_value(f.null_value)
            if member is not None:
                d.error(f.loc, f"the null value {f.null_value} of optional `{f.name}` is the value of `{f.type.name}.{member.name}`; choose another with @null(v)")
