# SPDX-License-Identifier: Apache-2.0
"""The resolved schema: every name bound, every alias followed."""

from __future__ import annotations

import math
import struct as _struct
from dataclasses import dataclass, field

from ..syntax.diagnostics import Location


@dataclass(eq=False)
class Type:
    @property
    def size(self) -> int:
        raise NotImplementedError

    @property
    def is_scalar(self) -> bool:
        return False


@dataclass(eq=False)
class Primitive(Type):
    name: str
    width: int
    signed: bool = False
    is_float: bool = False

    @property
    def size(self) -> int:
        return self.width

    @property
    def is_scalar(self) -> bool:
        return True

    @property
    def is_integer(self) -> bool:
        return not self.is_float and self.name not in ("char", "bool")

    @property
    def is_unsigned_integer(self) -> bool:
        return self.is_integer and not self.signed

    @property
    def min(self) -> int:
        if self.name == "bool":
            return 0
        if self.name == "char":
            return 0
        return -(1 << (8 * self.width - 1)) if self.signed else 0

    @property
    def max(self) -> int:
        if self.name == "bool":
            return 1
        if self.name == "char":
            return 0xFF
        return (1 << (8 * self.width - 1)) - 1 if self.signed else (1 << (8 * self.width)) - 1

    def default_null(self):
        """The null sentinel of `optional T`: signed min, unsigned max, NaN, char 0."""
        if self.is_float:
            return math.nan
        if self.name == "char":
            return 0
        if self.name == "bool":
            return 0xFF
        return self.min if self.signed else self.max

    @property
    def struct_code(self) -> str:
        return {
            "u8": "B", "u16": "H", "u32": "I", "u64": "Q",
            "i8": "b", "i16": "h", "i32": "i", "i64": "q",
            "f32": "f", "f64": "d", "char": "B", "bool": "B",
        }[self.name]

    def describe(self) -> str:
        return self.name


PRIMITIVE_TYPES = {
    p.name: p
    for p in (
        Primitive("u8", 1), Primitive("u16", 2), Primitive("u32", 4), Primitive("u64", 8),
        Primitive("i8", 1, True), Primitive("i16", 2, True), Primitive("i32", 4, True),
        Primitive("i64", 8, True), Primitive("f32", 4, True, True), Primitive("f64", 8, True, True),
        Primitive("char", 1), Primitive("bool", 1),
    )
}


def f32(value: float) -> float:
    """value rounded to the nearest float32 (as a Python float)."""
    try:
        return _struct.unpack("<f", _struct.pack("<f", value))[0]
    except OverflowError:
        return math.copysign(math.inf, value)


@dataclass(eq=False)
class Member:
    name: str
    value: int
    loc: Location
    cpp_name: str = ""


@dataclass(eq=False)
class EnumType(Type):
    name: str
    underlying: Primitive
    members: list[Member]
    loc: Location
    cpp_name: str = ""

    @property
    def size(self) -> int:
        return self.underlying.width

    @property
    def is_scalar(self) -> bool:
        return True

    def member(self, name: str) -> Member | None:
        return next((m for m in self.members if m.name == name), None)

    def by_value(self, value: int) -> Member | None:
        return next((m for m in self.members if m.value == value), None)

    def describe(self) -> str:
        return f"enum {self.name} : {self.underlying.name}"


@dataclass(eq=False)
class FlagsType(Type):
    name: str
    underlying: Primitive
    members: list[Member]  # value = bit number
    loc: Location
    cpp_name: str = ""

    @property
    def size(self) -> int:
        return self.underlying.width

    def describe(self) -> str:
        return f"flags {self.name} : {self.underlying.name}"


@dataclass(eq=False)
class ArrayType(Type):
    element: Type  # Primitive or EnumType
    length: int

    @property
    def size(self) -> int:
        return self.element.size * self.length

    @property
    def is_text(self) -> bool:
        return isinstance(self.element, Primitive) and self.element.name == "char"

    def describe(self) -> str:
        element = self.element.name if hasattr(self.element, "name") else "?"
        return f"{element}[{self.length}]"


@dataclass(eq=False)
class StructType(Type):
    name: str
    fields: list["Field"]
    loc: Location
    cpp_name: str = ""
    byte_size: int = 0  # set by layout

    @property
    def size(self) -> int:
        return self.byte_size

    def describe(self) -> str:
        return f"struct {self.name}"


@dataclass(eq=False)
class Field:
    name: str
    loc: Location
    kind: str  # fixed | optional | const | group | string | bytes
    type: Type | None = None
    type_name: str = ""  # as written (alias names kept, for display)
    since: int = 0
    since_loc: Location | None = None
    deprecated: int | None = None
    explicit_offset: int | None = None
    offset_loc: Location | None = None
    null_value: object = None  # optional: the wire value that means absent
    const_value: object = None  # const: int | float | bool | enum member name | str (char[N])
    max: int | None = None
    # string/bytes
    length_type: Primitive | None = None
    # group
    block_length_type: Primitive | None = None
    count_type: Primitive | None = None
    fields: list["Field"] = field(default_factory=list)
    explicit_block_length: int | None = None
    explicit_count_offset: int | None = None  # @count_offset: the count's offset in the dimension
    explicit_dimension_size: int | None = None  # @dimension_size: the dimension's bytes (padding included)
    # layout results
    offset: int = 0
    block_length: int = 0  # group: entry block length
    count_offset: int = 0  # group: where the count is in the dimension
    dimension_size: int = 0  # group: the dimension's bytes
    cpp_name: str = ""
    class_name: str = ""  # group: the C++ class of its entries

    @property
    def on_wire_fixed(self) -> bool:
        return self.kind in ("fixed", "optional")

    @property
    def is_var(self) -> bool:
        return self.kind in ("string", "bytes")

    @property
    def has_packed_dimension(self) -> bool:
        """A group whose dimension is its block length then its count, nothing else."""
        return self.count_offset == self.block_length_type.width and \
            self.dimension_size == self.block_length_type.width + self.count_type.width

    @property
    def is_part(self) -> bool:
        """A group or string/bytes field: the variable-length parts after a block."""
        return self.kind in ("group", "string", "bytes")


@dataclass(eq=False)
class Message:
    name: str
    template_id: int
    loc: Location
    fields: list[Field]
    explicit_block_length: int | None = None
    block_length: int = 0
    cpp_name: str = ""


@dataclass(eq=False)
class Header:
    fields: list[Field]
    loc: Location | None
    size: int = 0

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


@dataclass(eq=False)
class Schema:
    path: str
    package: tuple[str, ...]
    schema_id: int
    version: int
    byte_order: str  # little | big
    header: Header
    types: list[Type]  # enums, flags, structs, in definition order (imports first)
    aliases: dict[str, tuple[Type, Location]]
    messages: list[Message]
    files: list[str]  # every file read (the schema and its imports)
    locations: dict = field(default_factory=dict)
    framing: str | None = None  # a preset of capture/framing.py: `decode --pcap` without --framing

    @property
    def cpp_namespace(self) -> str:
        return "::".join(self.package)

    def message(self, name: str) -> Message | None:
        return next((m for m in self.messages if m.name == name), None)


def walk_fields(fields: list[Field], prefix: str = ""):
    """Every field with its dotted path, groups' fields included."""
    for f in fields:
        yield prefix + f.name, f
        if f.kind == "group":
            yield from walk_fields(f.fields, prefix + f.name + ".")
