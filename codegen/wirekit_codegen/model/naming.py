# SPDX-License-Identifier: Apache-2.0
"""C++ names: the schema's spelling, with a trailing `_` (and a warning) for a C++
keyword or a name the generated code uses itself."""

from __future__ import annotations

from ..syntax.diagnostics import Diagnostics
from .types import EnumType, Field, FlagsType, Schema, StructType

CPP_KEYWORDS = frozenset(
    """alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t
    char16_t char32_t class compl concept const consteval constexpr constinit const_cast
    continue co_await co_return co_yield decltype default delete do double dynamic_cast else
    enum explicit export extern false float for friend goto if inline int long mutable
    namespace new noexcept not not_eq nullptr operator or or_eq private protected public
    register reinterpret_cast requires return short signed sizeof static static_assert
    static_cast struct switch template this thread_local throw true try typedef typeid
    typename union unsigned using virtual void volatile wchar_t while xor xor_eq
    NULL assert errno offsetof""".split()
)

# Names the generated code declares in each kind of scope.
NAMESPACE_RESERVED = frozenset("Schema decode AnyMessage to_string std fmt wirekit detail".split())
MESSAGE_RESERVED = frozenset(
    "Encoder Decoder encode decode templateId schemaId schemaVersion blockLength name requiredBlockLength".split()
)
FIELD_RESERVED = frozenset(
    """Encoder Decoder EntryEncoder EntryDecoder encodedLength actingVersion actingBlockLength
    writeJson data_ block_ state_ serial_ parts_ end_ version_ blockLength_ offset_ path_
    initBlock completeUnset written_ claim_ marks_ fieldMarks_ unset_ complete_ start_""".split()
)
FLAGS_RESERVED = frozenset("bits Underlying namesByBit".split())


def assign_names(schema: Schema, d: Diagnostics) -> None:
    used: set[str] = set()
    for t in schema.types:
        t.cpp_name = _name(t.name, t.loc, NAMESPACE_RESERVED, used, d, "type")
        if isinstance(t, EnumType):
            scope: set[str] = set()
            for m in t.members:
                m.cpp_name = _name(m.name, m.loc, frozenset(), scope, d, "enum member")
        elif isinstance(t, FlagsType):
            scope = set()
            for m in t.members:
                m.cpp_name = _name(m.name, m.loc, FLAGS_RESERVED | {t.cpp_name}, scope, d, "flag")
        elif isinstance(t, StructType):
            _fields(t.fields, d)
    for alias, (target, loc) in schema.aliases.items():
        pass
    for message in schema.messages:
        message.cpp_name = _name(message.name, message.loc, NAMESPACE_RESERVED, used, d, "message")
        _fields(message.fields, d)
        _group_classes(message.fields, MESSAGE_RESERVED | {message.cpp_name}, d)


def _fields(fields: list[Field], d: Diagnostics) -> None:
    scope: set[str] = set()
    for f in fields:
        f.cpp_name = _name(f.name, f.loc, FIELD_RESERVED, scope, d, "field")
        if f.kind == "group":
            _fields(f.fields, d)


def _group_classes(fields: list[Field], reserved: frozenset, d: Diagnostics) -> None:
    scope: set[str] = set()
    for f in fields:
        if f.kind == "group":
            wanted = f.name[:1].upper() + f.name[1:]
            name = wanted
            while name in reserved or name in scope or name in CPP_KEYWORDS:
                name += "_"
            scope.add(name)
            f.class_name = name
            _group_classes(f.fields, reserved | frozenset(("EntryEncoder", "EntryDecoder", name)), d)


def _name(name: str, loc, reserved: frozenset, scope: set[str], d: Diagnostics, what: str) -> str:
    result = name
    if name in CPP_KEYWORDS:
        d.warning(loc, f"{what} `{name}` is a C++ keyword; the generated code calls it `{name}_`")
        result = name + "_"
    elif name in reserved:
        d.warning(loc, f"{what} `{name}` is a name the generated code uses itself; it is called `{name}_` there")
        result = name + "_"
    while result in scope:
        result += "_"
    scope.add(result)
    return result
