# SPDX-License-Identifier: Apache-2.0
"""The syntax tree of one `.wk` file, as written (names not yet resolved)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .diagnostics import Location


@dataclass
class Literal:
    kind: str  # int | float | char | string | ident (an enum member, nan, inf, true, false)
    value: object
    text: str
    loc: Location


@dataclass
class TypeRef:
    name: str
    loc: Location
    array_length: Literal | None = None  # T[N]


@dataclass
class Annotation:
    name: str
    value: Literal | None
    loc: Location


@dataclass
class Field:
    name: str
    loc: Location
    kind: str  # fixed | optional | const | group | string | bytes
    type: TypeRef | None = None  # fixed, optional, const
    value: Literal | None = None  # const
    length_type: TypeRef | None = None  # string/bytes prefix
    block_length_type: TypeRef | None = None  # group
    count_type: TypeRef | None = None  # group
    fields: list["Field"] = field(default_factory=list)  # group
    annotations: list[Annotation] = field(default_factory=list)
    kind_loc: Location | None = None
    doc: str = ""  # SBE XML's description: a comment when converted to .wk


@dataclass
class Member:
    name: str
    value: Literal
    loc: Location
    doc: str = ""


@dataclass
class Definition:
    kind: str  # type | enum | flags | struct | message | header
    name: str
    loc: Location
    target: TypeRef | None = None  # type alias; enum/flags underlying type
    members: list[Member] = field(default_factory=list)  # enum, flags
    fields: list[Field] = field(default_factory=list)  # struct, message, header
    template_id: Literal | None = None  # message
    annotations: list[Annotation] = field(default_factory=list)
    doc: str = ""


@dataclass
class Setting:
    value: Literal
    loc: Location


@dataclass
class Import:
    path: str
    loc: Location


@dataclass
class SchemaFile:
    path: str
    package: tuple[str, ...] | None = None
    package_loc: Location | None = None
    imports: list[Import] = field(default_factory=list)
    schema_id: Setting | None = None
    version: Setting | None = None
    byte_order: Setting | None = None
    framing: Setting | None = None  # what surrounds messages in captures (`decode --pcap`)
    definitions: list[Definition] = field(default_factory=list)
    included: list[str] = field(default_factory=list)  # files read for it besides imports (XInclude)
    doc: str = ""
