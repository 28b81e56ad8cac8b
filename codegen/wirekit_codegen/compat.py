# SPDX-License-Identifier: Apache-2.0
"""`wirekit check --against OLD NEW`: every change from OLD to NEW that breaks
old decoders (reading what new encoders write) or old encoders (whose messages
new decoders read), each reported at its place in NEW (or, for what was
removed, in OLD)."""

from __future__ import annotations

from .layout.table import _type_text
from .model.types import ArrayType, EnumType, Field, FlagsType, Schema, StructType
from .syntax.diagnostics import Diagnostics
from .wire.codec import const_json


def _signature(t) -> tuple:
    """What a type is on the wire, names of enum members and flags included."""
    if isinstance(t, EnumType):
        return ("enum", t.underlying.name, tuple(sorted((m.name, m.value) for m in t.members)))
    if isinstance(t, FlagsType):
        return ("flags", t.underlying.name, tuple(sorted((m.name, m.value) for m in t.members)))
    if isinstance(t, ArrayType):
        return ("array", _signature(t.element), t.length)
    if isinstance(t, StructType):
        return ("struct", tuple((f.name, f.kind, f.offset, _signature(f.type), repr(f.null_value), repr(f.const_value)) for f in t.fields))
    return (t.name,)


def _wire_size(t) -> int:
    return t.size


class _Comparer:
    def __init__(self, old: Schema, new: Schema):
        self.old, self.new = old, new
        self.d = Diagnostics()

    def error(self, loc, message: str) -> None:
        self.d.error(loc, message)

    def run(self) -> Diagnostics:
        old, new = self.old, self.new
        loc = new.locations
        if old.schema_id != new.schema_id:
            self.error(loc["schema_id"], f"schema_id changed from {old.schema_id} to {new.schema_id}: decoders of one reject every message of the other")
        if old.byte_order != new.byte_order:
            self.error(loc["byte_order"], f"byte order changed from {old.byte_order} to {new.byte_order}: every multi-byte value reads differently")
        if new.version < old.version:
            self.error(loc["version"], f"version went down from {old.version} to {new.version}")
        old_header = [(f.name, f.offset, f.type.name) for f in old.header.fields]
        new_header = [(f.name, f.offset, f.type.name) for f in new.header.fields]
        if sorted(old_header) != sorted(new_header):
            self.error(new.header.loc or loc["package"], "the message header changed: every message breaks")
        for m in old.messages:
            n = new.message(m.name)
            if n is None:
                same_id = next((x for x in new.messages if x.template_id == m.template_id), None)
                if same_id is not None:
                    self.error(same_id.loc, f"message `{m.name}` (template id {m.template_id}) renamed to `{same_id.name}`: the JSON form and the C++ names change")
                    self._block(m.fields, same_id.fields, same_id.name, in_group=False)
                else:
                    self.error(m.loc, f"message `{m.name}` (template id {m.template_id}) removed: new decoders reject what old encoders send")
                continue
            if n.template_id != m.template_id:
                self.error(n.loc, f"message `{m.name}`: template id changed from {m.template_id} to {n.template_id}")
            self._block(m.fields, n.fields, m.name, in_group=False)
        return self.d

    def _block(self, old_fields: list[Field], new_fields: list[Field], path: str, in_group: bool) -> None:
        old_version = self.old.version
        new_by_name = {f.name: f for f in new_fields}
        old_by_name = {f.name: f for f in old_fields}
        # Fixed fields and constants.
        for f in old_fields:
            if f.is_part:
                continue
            g = new_by_name.get(f.name)
            where = f"{path}.{f.name}"
            if g is None:
                renamed = next((x for x in new_fields if x.name not in old_by_name and x.kind == f.kind
                                and x.kind != "const" and x.offset == f.offset and _signature(x.type) == _signature(f.type)), None)
                if renamed is not None:
                    self.d.warning(renamed.loc, f"`{where}` renamed to `{renamed.name}`: the same bytes, but the JSON form and the C++ names change")
                elif f.kind == "const":
                    self.d.warning(f.loc, f"constant `{where}` removed (constants are not on the wire; code that reads it breaks)")
                else:
                    self.error(f.loc, f"field `{where}` removed: old decoders read it from bytes that now hold something else (or nothing)")
                continue
            if g.is_part:
                self.error(g.loc, f"`{where}` changed from a fixed field to a {g.kind}")
                continue
            if f.kind == "const" or g.kind == "const":
                if f.kind != g.kind:
                    self.error(g.loc, f"`{where}` changed from {f.kind} to {g.kind}: its bytes are {'gone' if g.kind == 'const' else 'new'}")
                elif const_json(f) != const_json(g) or _signature(f.type) != _signature(g.type):
                    self.d.warning(g.loc, f"constant `{where}` changed from {const_json(f)} to {const_json(g)}")
                continue
            if _signature(f.type) != _signature(g.type):
                self.error(g.loc, f"field `{where}` retyped from {_type_text(f)} to {_type_text(g)}")
            elif f.kind != g.kind or repr(f.null_value) != repr(g.null_value):
                self.error(g.loc, f"field `{where}` changed from {_type_text(f)} (null {f.null_value}) to {_type_text(g)} (null {g.null_value})")
            if f.offset != g.offset:
                self.error(g.loc, f"field `{where}` moved from byte {f.offset} to byte {g.offset} of its block")
            if f.since != g.since:
                self.error(g.since_loc or g.loc, f"field `{where}`: @since changed from {f.since} to {g.since}")
        old_fixed_end = max((f.offset + f.type.size for f in old_fields if f.kind in ("fixed", "optional")), default=0)
        for g in new_fields:
            if g.is_part or g.name in old_by_name or g.kind == "const":
                continue
            if any(x.name not in new_by_name and x.kind == g.kind and x.offset == g.offset for x in old_fields):
                continue  # reported as a rename
            where = f"{path}.{g.name}"
            if g.since <= old_version:
                self.error(g.loc, f"new field `{where}` without @since above the old version {old_version}: new decoders require it in old messages")
            if g.offset < old_fixed_end:
                self.error(g.loc, f"new field `{where}` at byte {g.offset}, inside the old block (which ends at {old_fixed_end})")

        # Groups and string/bytes fields: same order, then new ones at the end.
        old_parts = [f for f in old_fields if f.is_part]
        new_parts = [f for f in new_fields if f.is_part]
        common = [f.name for f in old_parts if f.name in {g.name for g in new_parts}]
        new_order = [g.name for g in new_parts if g.name in common]
        if common != new_order:
            first = next(a for a, b in zip(common, new_order) if a != b)
            self.error(new_by_name[first].loc, f"`{path}.{first}` reordered: groups and string/bytes fields are read in schema order ({', '.join(common)} before; now {', '.join(new_order)})")
        for f in old_parts:
            g = new_by_name.get(f.name)
            where = f"{path}.{f.name}"
            if g is None or not g.is_part:
                if g is None:
                    self.error(f.loc, f"{f.kind} `{where}` removed: old decoders expect it in the message")
                else:
                    self.error(g.loc, f"`{where}` changed from a {f.kind} to a fixed field")
                continue
            if f.kind != g.kind:
                if {f.kind, g.kind} == {"string", "bytes"} and f.length_type.name == g.length_type.name:
                    self.d.warning(g.loc, f"`{where}` changed from {f.kind} to {g.kind}: the same bytes, another JSON form and C++ type")
                else:
                    self.error(g.loc, f"`{where}` changed from a {f.kind} to a {g.kind}")
                continue
            if f.since != g.since:
                self.error(g.since_loc or g.loc, f"`{where}`: @since changed from {f.since} to {g.since}")
            if f.max != g.max:
                self.error(g.loc, f"`{where}`: @max changed from {f.max} to {g.max}: what one side accepts the other rejects")
            if f.kind == "group":
                if (f.block_length_type.name, f.count_type.name) != (g.block_length_type.name, g.count_type.name):
                    self.error(g.loc, f"group `{where}`: dimension changed from <{f.block_length_type.name}, {f.count_type.name}> to <{g.block_length_type.name}, {g.count_type.name}>")
                elif (f.count_offset, f.dimension_size) != (g.count_offset, g.dimension_size):
                    self.error(g.loc, f"group `{where}`: dimension changed from {f.dimension_size} bytes (count at {f.count_offset}) to {g.dimension_size} bytes (count at {g.count_offset})")
                self._block(f.fields, g.fields, where, in_group=True)
            elif f.length_type.name != g.length_type.name:
                self.error(g.loc, f"`{where}`: length type changed from {f.length_type.name} to {g.length_type.name}")
        last_common = max((new_parts.index(g) for g in new_parts if g.name in common), default=-1)
        for index, g in enumerate(new_parts):
            if g.name in old_by_name:
                continue
            where = f"{path}.{g.name}"
            if g.since <= old_version:
                self.error(g.loc, f"new {g.kind} `{where}` without @since above the old version {old_version}")
            if in_group:
                self.error(g.loc, f"new {g.kind} `{where}` in a group entry: old decoders cannot skip it, so they misread the entries after it")
            elif index < last_common:
                after = new_parts[last_common].name
                self.error(g.loc, f"new {g.kind} `{where}` comes before `{after}`: old decoders read it as `{after}`")


def compare(old: Schema, new: Schema) -> Diagnostics:
    return _Comparer(old, new).run()
