# SPDX-License-Identifier: Apache-2.0
"""Offsets, block lengths and sizes, by the wire rules of schema-language.md:
fixed fields packed in declaration order with no implicit alignment, `@offset`
gaps, `@block_length` padding; constants take no bytes."""

from __future__ import annotations

from ..model.types import Field, Schema, StructType
from ..syntax.diagnostics import Diagnostics


def compute_layout(schema: Schema, d: Diagnostics) -> None:
    done: set[int] = set()
    active: set[int] = set()

    def struct_size(struct: StructType) -> None:
        if id(struct) in done or id(struct) in active:
            return
        active.add(id(struct))
        for f in struct.fields:
            if isinstance(f.type, StructType):
                struct_size(f.type)
        struct.byte_size = _layout_fields(struct.fields, f"struct `{struct.name}`", d)
        active.discard(id(struct))
        done.add(id(struct))

    for t in schema.types:
        if isinstance(t, StructType):
            struct_size(t)

    header = schema.header
    header.size = _layout_fields(header.fields, "the header", d)
    block_length_type = header.field("blockLength").type
    for message in schema.messages:
        end = _layout_fields(message.fields, f"message `{message.name}`", d)
        message.block_length = _padded(end, message.explicit_block_length, message.loc, d)
        if message.block_length > block_length_type.max:
            d.error(message.loc, f"block length {message.block_length} of `{message.name}` does not fit the header's blockLength ({block_length_type.name})")
        _layout_parts(message.fields, d)


def _layout_parts(fields: list[Field], d: Diagnostics) -> None:
    for f in fields:
        if f.kind == "group":
            end = _layout_fields(f.fields, f"group `{f.name}`", d)
            f.block_length = _padded(end, f.explicit_block_length, f.loc, d)
            if f.block_length > f.block_length_type.max:
                d.error(f.loc, f"entry block length {f.block_length} of group `{f.name}` does not fit its block length type {f.block_length_type.name}")
            _dimension(f, d)
            _layout_parts(f.fields, d)


def _dimension(f: Field, d: Diagnostics) -> None:
    """The count's offset and the size of a group's dimension: packed unless
    @count_offset / @dimension_size (at most 255 bytes) say otherwise."""
    length = f.block_length_type.width
    f.count_offset = length if f.explicit_count_offset is None else f.explicit_count_offset
    if f.count_offset < length:
        d.error(f.loc, f"@count_offset({f.count_offset}) of group `{f.name}` overlaps its block length ({f.block_length_type.name}, bytes 0..{length - 1})")
        f.count_offset = length
    end = f.count_offset + f.count_type.width
    f.dimension_size = end if f.explicit_dimension_size is None else f.explicit_dimension_size
    if not end <= f.dimension_size <= 255:
        d.error(f.loc, f"@dimension_size({f.dimension_size}) of group `{f.name}` must be {end}..255: its count ends at byte {end}")
        f.dimension_size = end


def _padded(end: int, explicit: int | None, loc, d: Diagnostics) -> int:
    if explicit is None:
        return end
    if explicit < end:
        d.error(loc, f"@block_length({explicit}) is less than the {end} bytes of the fixed fields")
        return end
    return explicit


def _layout_fields(fields: list[Field], owner: str, d: Diagnostics) -> int:
    end = 0
    previous: Field | None = None
    for f in fields:
        if f.kind not in ("fixed", "optional"):
            continue
        size = f.type.size
        if f.explicit_offset is not None:
            if f.explicit_offset < end:
                d.error(f.offset_loc, f"@offset({f.explicit_offset}) of `{f.name}` overlaps `{previous.name}`, which ends at byte {end}")
                f.offset = end
            else:
                f.offset = f.explicit_offset
        else:
            f.offset = end
        end = f.offset + size
        previous = f
    return end


def required_block_length(fields: list[Field], version: int) -> int:
    """The bytes of a block that a sender of `version` must have written: the end
    of the last fixed field that version has."""
    end = 0
    for f in fields:
        if f.kind in ("fixed", "optional") and f.since <= version:
            end = max(end, f.offset + f.type.size)
    return end


def version_thresholds(fields: list[Field]) -> list[tuple[int, int]]:
    """(version, required block length) for each version at which the required
    block length grows, lowest first."""
    versions = sorted({0} | {f.since for f in fields if f.kind in ("fixed", "optional")})
    result = []
    for v in versions:
        length = required_block_length(fields, v)
        if not result or result[-1][1] != length:
            result.append((v, length))
    return result
