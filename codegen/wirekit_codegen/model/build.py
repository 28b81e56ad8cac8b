# SPDX-License-Identifier: Apache-2.0
"""From syntax trees to the model: reads the schema and its imports, binds every
name, follows aliases and converts literals to values of their types.

Problems of meaning found here (unknown and duplicate names, values out of
range, misplaced fields and annotations) are reported with their location; the
checks that span the whole schema are in validate.py, offsets in layout/."""

from __future__ import annotations

import math
import os

from ..syntax import tree as ast
from ..syntax.diagnostics import Diagnostics, Location, SourceFile, did_you_mean
from ..syntax.parser import parse_source
from .types import (
    PRIMITIVE_TYPES, ArrayType, EnumType, Field, FlagsType, Header, Member, Message, Primitive,
    Schema, StructType, Type, f32,
)

DEFAULT_HEADER = ("blockLength", "templateId", "schemaId", "version")
LENGTH_TYPES = ("u8", "u16", "u32")

_FIELD_ANNOTATIONS = {
    "offset": ("fixed", "optional"),
    "since": ("fixed", "optional", "const", "group", "string", "bytes"),
    "deprecated": ("fixed", "optional", "const", "group", "string", "bytes"),
    "null": ("optional",),
    "max": ("group", "string", "bytes"),
    "block_length": ("group",),
    "count_offset": ("group",),
    "dimension_size": ("group",),
}


class _Files:
    """Reads the schema file and, depth first, every file it imports. A relative
    import is looked for next to the importing file, then in each of
    `import_dirs` in order (the CLI's -I directories, then WIREKIT_PATH)."""

    def __init__(self, diagnostics: Diagnostics, parse, import_dirs: tuple[str, ...] = ()):
        self.diagnostics = diagnostics
        self.parse = parse
        self.import_dirs = import_dirs
        self.parsed: dict[str, ast.SchemaFile] = {}
        self.order: list[str] = []  # imports before the files that import them

    def load(self, path: str, via: Location | None = None, stack: tuple[str, ...] = (),
             text: str | None = None) -> ast.SchemaFile | None:
        real = os.path.realpath(path)
        if real in stack:
            cycle = [os.path.basename(p) for p in stack[stack.index(real):]] + [os.path.basename(real)]
            self.diagnostics.error(via, "import cycle: " + " -> ".join(cycle))
            return None
        if real in self.parsed:
            return self.parsed[real]
        if text is None:
            text = self._read(path, via)
            if text is None:
                return None
        tree = self.parse(SourceFile(path, text), self.diagnostics)
        self.parsed[real] = tree
        for imp in tree.imports:
            target = self._find(imp, os.path.dirname(path))
            if target is not None:
                self.load(target, imp.loc, stack + (real,))
        self.order.append(real)
        return tree

    def _find(self, imp: ast.Import, importer_dir: str) -> str | None:
        if os.path.isabs(imp.path):
            return imp.path  # read as it is, so that a missing one says why
        directories = (importer_dir or ".", *self.import_dirs)
        for directory in directories:
            candidate = os.path.join(directory, imp.path)
            if os.path.exists(candidate):
                return candidate
        self.diagnostics.error(imp.loc, f"imported file \"{imp.path}\" not found (searched: {', '.join(directories)})")
        return None

    def _read(self, path: str, via: Location | None) -> str | None:
        what = f"imported file \"{os.path.relpath(path)}\"" if via is not None else path
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as error:
            self.diagnostics.error(via, f"cannot read {what}: {error.strerror or error}")
            return None
        return decode_source(path, data, self.diagnostics)


def decode_source(path: str, data: bytes, diagnostics: Diagnostics) -> str | None:
    """The text of a schema file, or None (and an error at the first byte that
    is not UTF-8, by line and column)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start].decode("utf-8")
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        source = SourceFile(path, before)
        diagnostics.error(source.at(line, col), f"not UTF-8 text: byte 0x{data[error.start]:02x} ({error.reason})")
        return None


class Builder:
    def __init__(self, diagnostics: Diagnostics):
        self.d = diagnostics
        self.definitions: dict[str, ast.Definition] = {}
        self.resolved: dict[str, Type] = {}
        self.aliases: dict[str, tuple[Type, Location]] = {}
        self.resolving: list[str] = []
        self.version = 0

    # -- entry --------------------------------------------------------------
    def build(self, path: str, import_dirs: tuple[str, ...] = (), text: str | None = None,
              parse=parse_source) -> Schema | None:
        """The schema at path (whose text is `text` if given, e.g. read from
        standard input), its imports searched as _Files says; parse: the front
        end, SourceFile -> syntax tree (`.wk`'s parser, or SBE XML's)."""
        files = _Files(self.d, parse, import_dirs)
        root = files.load(path, text=text)
        if root is None:
            return None
        root_real = os.path.realpath(path)
        header_def = None
        message_defs: list[ast.Definition] = []
        type_defs: list[ast.Definition] = []
        for real in files.order:
            tree = files.parsed[real]
            imported = real != root_real
            if imported:
                self._check_imported(tree)
            for definition in tree.definitions:
                if definition.kind == "header":
                    if imported:
                        continue
                    if header_def is not None:
                        self.d.error(definition.loc, "`header` given twice")
                    else:
                        header_def = definition
                    continue
                if definition.kind == "message" and imported:
                    continue
                previous = self.definitions.get(definition.name)
                if previous is not None:
                    self.d.error(definition.loc, f"duplicate name `{definition.name}` (first defined at {previous.loc})")
                    continue
                self.definitions[definition.name] = definition
                (message_defs if definition.kind == "message" else type_defs).append(definition)

        if root.package is None:
            first = files.parsed[root_real]
            self.d.error(Location(path, 1, 1, _source_of(first, path)), "missing `package` (the first statement, e.g. `package demo.trading;`)")
        self.version = self._setting_int(root.version, 0, 0xFFFF, "version")

        # Types: make the shells first so that definitions may refer to each other in any order.
        for definition in type_defs:
            if definition.kind == "enum":
                self.resolved[definition.name] = EnumType(definition.name, PRIMITIVE_TYPES["u8"], [], definition.loc)
            elif definition.kind == "flags":
                self.resolved[definition.name] = FlagsType(definition.name, PRIMITIVE_TYPES["u8"], [], definition.loc)
            elif definition.kind == "struct":
                self.resolved[definition.name] = StructType(definition.name, [], definition.loc)
        types: list[Type] = []
        for definition in type_defs:
            if definition.kind == "type":
                self._alias(definition.name)
            elif definition.kind == "enum":
                types.append(self._enum(definition))
            elif definition.kind == "flags":
                types.append(self._flags(definition))
        for definition in type_defs:
            if definition.kind == "struct":
                struct = self.resolved[definition.name]
                struct.fields = self._fields(definition.fields, "struct")
                types.append(struct)
        # Keep definition order for the header (C++ needs enums before structs that use them
        # only as members, which holds since enums never refer to structs; structs are sorted
        # by the emitter so that a struct comes after the structs it contains).
        types.sort(key=lambda t: type_defs.index(self.definitions[t.name]))

        header = self._header(header_def, root)
        messages = []
        for definition in message_defs:
            template_id = self._int_value(definition.template_id, 0, (1 << 64) - 1, "template id")
            message = Message(definition.name, template_id, definition.loc, self._fields(definition.fields, "message"))
            message.explicit_block_length = self._block_length_annotation(definition.annotations, "message")
            messages.append(message)

        schema_id = 0
        if root.schema_id is not None:
            schema_id = self._setting_int(root.schema_id, 0, (1 << 64) - 1, "schema_id")
        elif messages:
            self.d.error(root.package_loc or Location(path, 1, 1, _source_of(root, path)),
                         "missing `schema_id` (required when the schema has messages)")
        byte_order = "little"
        if root.byte_order is not None:
            byte_order = root.byte_order.value.value
        framing = None
        if root.framing is not None:
            from ..capture.framing import PRESETS

            framing = root.framing.value.value
            if framing not in PRESETS:
                self.d.error(root.framing.value.loc, f"unknown framing \"{framing}\" (known: {', '.join(PRESETS)})")
        return Schema(
            path=path,
            package=root.package or ("wirekit_unnamed",),
            schema_id=schema_id,
            version=self.version,
            byte_order=byte_order,
            header=header,
            types=types,
            aliases=self.aliases,
            messages=messages,
            files=[p for r in files.order for p in [files.parsed[r].path] + files.parsed[r].included],
            locations={
                "schema_id": root.schema_id.loc if root.schema_id else root.package_loc,
                "version": root.version.loc if root.version else root.package_loc,
                "byte_order": root.byte_order.loc if root.byte_order else root.package_loc,
                "package": root.package_loc,
            },
            framing=framing,
        )

    def _check_imported(self, tree: ast.SchemaFile) -> None:
        what = "an imported file holds only type definitions"
        if tree.package is not None:
            self.d.error(tree.package_loc, f"{what}: no `package`")
        for setting in ("schema_id", "version", "byte_order", "framing"):
            value = getattr(tree, setting)
            if value is not None:
                self.d.error(value.loc, f"{what}: no `{setting}`")
        for definition in tree.definitions:
            if definition.kind in ("message", "header"):
                self.d.error(definition.loc, f"{what}: no `{definition.kind}`")

    # -- settings and literals ----------------------------------------------
    def _setting_int(self, setting: ast.Setting | None, low: int, high: int, what: str) -> int:
        if setting is None:
            return low
        return self._int_value(setting.value, low, high, what)

    def _int_value(self, literal: ast.Literal, low: int, high: int, what: str, type_name: str | None = None) -> int:
        if literal.kind == "char" and type_name == "char":
            value = literal.value
        elif literal.kind != "int":
            self.d.error(literal.loc, f"{what} must be an integer, found {literal.text}")
            return low
        else:
            value = literal.value
        if not low <= value <= high:
            suffix = f" for {type_name}" if type_name else ""
            self.d.error(literal.loc, f"{what} {literal.text} is out of range{suffix} ({low}..{high})")
            return low
        return value

    def scalar_value(self, literal: ast.Literal, type_: Type, what: str):
        """A literal as a value of a scalar or enum type: int, float, bool, or an
        enum member's name. None (and an error) when it does not fit."""
        if isinstance(type_, EnumType):
            if literal.kind == "ident":
                name = literal.value
                if "." in name:
                    prefix, _, name = name.partition(".")
                    if prefix != type_.name:
                        self.d.error(literal.loc, f"`{literal.text}` is not a member of enum `{type_.name}`")
                        return None
                if type_.member(name) is None:
                    self.d.error(literal.loc, f"`{literal.text}` is not a member of enum `{type_.name}`")
                    return None
                return name
            underlying = type_.underlying
            value = self.scalar_value(literal, underlying, what)
            return value
        assert isinstance(type_, Primitive)
        if type_.name == "bool":
            if literal.kind == "ident" and literal.value in ("true", "false"):
                return literal.value == "true"
            if literal.kind == "int" and literal.value in (0, 1):
                return bool(literal.value)
            self.d.error(literal.loc, f"{what} must be `true` or `false`, found {literal.text}")
            return None
        if type_.is_float:
            if literal.kind not in ("int", "float"):
                self.d.error(literal.loc, f"{what} must be a number, found {literal.text}")
                return None
            value = float(literal.value)
            if type_.name == "f32" and math.isfinite(value) and abs(value) > 3.4028234663852886e38:
                self.d.error(literal.loc, f"{what} {literal.text} is out of range for f32")
                return None
            return f32(value) if type_.name == "f32" else value
        if type_.name == "char":
            if literal.kind == "char":
                return literal.value
            if literal.kind == "string" and len(literal.value) == 1 and ord(literal.value) <= 0xFF:
                return ord(literal.value)
        return self._int_value(literal, type_.min, type_.max, what, type_.name) if literal.kind in ("int", "char") else self._not_int(literal, what)

    def _not_int(self, literal: ast.Literal, what: str):
        self.d.error(literal.loc, f"{what} must be an integer, found {literal.text}")
        return None

    # -- types --------------------------------------------------------------
    def _alias(self, name: str) -> Type | None:
        if name in self.aliases:
            return self.aliases[name][0]
        definition = self.definitions[name]
        if name in self.resolving:
            cycle = self.resolving[self.resolving.index(name):] + [name]
            self.d.error(definition.loc, "recursive type alias: " + " -> ".join(cycle))
            return None
        self.resolving.append(name)
        try:
            target = self.type(definition.target)
        finally:
            self.resolving.pop()
        if target is not None:
            self.aliases[name] = (target, definition.loc)
        return target

    def type(self, ref: ast.TypeRef) -> Type | None:
        name = ref.name
        if name in PRIMITIVE_TYPES:
            base = PRIMITIVE_TYPES[name]
        else:
            definition = self.definitions.get(name)
            if definition is None:
                known = [n for n, d in self.definitions.items() if d.kind != "message"]
                hint = did_you_mean(name, [*PRIMITIVE_TYPES, *known])
                self.d.error(ref.loc, f"unknown type `{name}`{hint}")
                return None
            if definition.kind == "message":
                self.d.error(ref.loc, f"`{name}` is a message, not a type")
                return None
            base = self._alias(name) if definition.kind == "type" else self.resolved[name]
            if base is None:
                return None
        if ref.array_length is None:
            return base
        length = self._int_value(ref.array_length, 1, 0xFFFF, "array length")
        if isinstance(base, ArrayType):
            self.d.error(ref.loc, f"arrays of arrays are not supported (`{name}` is already an array)")
            return None
        if not (isinstance(base, Primitive) or isinstance(base, EnumType)):
            self.d.error(ref.loc, f"array elements must be a primitive or enum type, not `{name}`")
            return None
        return ArrayType(base, length)

    def _underlying(self, definition: ast.Definition, unsigned_only: bool) -> Primitive | None:
        target = self.type(definition.target)
        if target is None:
            return None
        ok = isinstance(target, Primitive) and (
            target.is_unsigned_integer if unsigned_only else (target.is_integer or target.name == "char")
        )
        if not ok:
            need = "an unsigned integer type" if unsigned_only else "an integer type or `char`"
            self.d.error(definition.target.loc, f"the type of {definition.kind} `{definition.name}` must be {need}, not `{definition.target.name}`")
            return None
        return target

    def _enum(self, definition: ast.Definition) -> EnumType:
        enum = self.resolved[definition.name]
        underlying = self._underlying(definition, unsigned_only=False)
        if underlying is not None:
            enum.underlying = underlying
        names: dict[str, Member] = {}
        values: dict[int, Member] = {}
        for m in definition.members:
            if underlying is None:
                break
            if underlying.name == "char":
                value = self._int_value(m.value, 0, 0x7F, "value", "char") if m.value.kind in ("char", "int") else self._not_int(m.value, "value")
            else:
                value = self._int_value(m.value, underlying.min, underlying.max, "value", underlying.name)
            if value is None:
                continue
            if m.name in names:
                self.d.error(m.loc, f"duplicate member `{m.name}` in enum `{enum.name}`")
                continue
            member = Member(m.name, value, m.loc)
            if value in values:
                self.d.error(m.value.loc, f"duplicate value {m.value.text} in enum `{enum.name}` (also `{values[value].name}`)")
            else:
                values[value] = member
            names[m.name] = member
            enum.members.append(member)
        if not definition.members:
            self.d.error(definition.loc, f"enum `{enum.name}` has no members")
        return enum

    def _flags(self, definition: ast.Definition) -> FlagsType:
        flags = self.resolved[definition.name]
        underlying = self._underlying(definition, unsigned_only=True)
        if underlying is not None:
            flags.underlying = underlying
        names: set[str] = set()
        bits: dict[int, str] = {}
        for m in definition.members:
            if underlying is None:
                break
            width = 8 * underlying.width
            if m.value.kind != "int" or not 0 <= m.value.value < width:
                self.d.error(m.value.loc, f"bit number {m.value.text} of `{m.name}` is not in 0..{width - 1} (flags `{flags.name}` is {underlying.name})")
                continue
            if m.name in names:
                self.d.error(m.loc, f"duplicate member `{m.name}` in flags `{flags.name}`")
                continue
            if m.value.value in bits:
                self.d.error(m.value.loc, f"duplicate bit {m.value.value} in flags `{flags.name}` (also `{bits[m.value.value]}`)")
                continue
            names.add(m.name)
            bits[m.value.value] = m.name
            flags.members.append(Member(m.name, m.value.value, m.loc))
        return flags

    # -- fields -------------------------------------------------------------
    def _block_length_annotation(self, annotations: list[ast.Annotation], where: str) -> int | None:
        result = None
        for a in annotations:
            if a.name == "block_length":
                if a.value is None:
                    self.d.error(a.loc, "@block_length takes a byte count: @block_length(n)")
                else:
                    result = self._int_value(a.value, 0, (1 << 32) - 1, "@block_length")
            else:
                self.d.error(a.loc, f"@{a.name} cannot be used on a {where}" if a.name in _FIELD_ANNOTATIONS else f"unknown annotation @{a.name}")
        return result

    def _length_type(self, ref: ast.TypeRef | None, default: str, what: str) -> Primitive:
        if ref is None:
            return PRIMITIVE_TYPES[default]
        t = self.type(ref)
        if t is None:
            return PRIMITIVE_TYPES[default]
        if not (isinstance(t, Primitive) and t.name in LENGTH_TYPES):
            self.d.error(ref.loc, f"{what} must be u8, u16 or u32, not `{ref.name}`")
            return PRIMITIVE_TYPES[default]
        return t

    def _fields(self, nodes: list[ast.Field], where: str) -> list[Field]:
        """where: struct | message | group | header"""
        fields: list[Field] = []
        seen: dict[str, Field] = {}
        for node in nodes:
            f = self._field(node, where)
            if f is None:
                continue
            if node.name in seen:
                self.d.error(node.loc, f"duplicate field `{node.name}` (first at {seen[node.name].loc})")
                continue
            seen[node.name] = f
            fields.append(f)
        return fields

    def _field(self, node: ast.Field, where: str) -> Field | None:
        f = Field(node.name, node.loc, node.kind)
        if node.kind in ("group", "string", "bytes") and where in ("struct", "header"):
            what = "a group" if node.kind == "group" else f"a {node.kind} field"
            self.d.error(node.kind_loc, f"a {where} cannot contain {what} (`{node.name}`): only fixed-size fields")
            return None
        if node.kind == "group":
            f.block_length_type = self._length_type(node.block_length_type, "u16", "a group's block length type")
            f.count_type = self._length_type(node.count_type, "u16", "a group's count type")
            f.fields = self._fields(node.fields, "group")
        elif node.kind in ("string", "bytes"):
            f.length_type = self._length_type(node.length_type, "u32", f"the length type of a {node.kind}")
        else:
            f.type = self.type(node.type)
            f.type_name = node.type.name + (f"[{node.type.array_length.text}]" if node.type.array_length else "")
            if f.type is None:
                return None
            if node.kind == "optional" and not f.type.is_scalar:
                self.d.error(node.type.loc, f"`optional` takes a scalar or enum type, not `{f.type_name}`")
                return None
            if node.kind == "const":
                f.const_value = self._const_value(node, f.type)
                if f.const_value is None:
                    return None
            if where == "header" and node.kind != "fixed":
                self.d.error(node.kind_loc, f"a header field must be a plain unsigned integer, not {node.kind}")
                return None
        self._annotations(node, f, where)
        return f

    def _const_value(self, node: ast.Field, type_: Type):
        literal = node.value
        if isinstance(type_, ArrayType):
            if not type_.is_text:
                self.d.error(node.type.loc, f"`const` takes a scalar, an enum member or a char[N] string, not `{node.type.name}[...]`")
                return None
            if literal.kind != "string":
                self.d.error(literal.loc, f"a const char[{type_.length}] takes a string, found {literal.text}")
                return None
            try:
                encoded = literal.value.encode("latin-1")
            except UnicodeEncodeError:
                self.d.error(literal.loc, "a char[N] constant must be one byte per character")
                return None
            if len(encoded) > type_.length:
                self.d.error(literal.loc, f"string of {len(encoded)} bytes does not fit in char[{type_.length}]")
                return None
            return literal.value
        if not type_.is_scalar:
            self.d.error(node.type.loc, f"`const` takes a scalar, an enum member or a char[N] string, not `{node.type.name}`")
            return None
        if isinstance(type_, EnumType) and literal.kind != "ident":
            self.d.error(literal.loc, f"a const {type_.name} takes a member name, found {literal.text}")
            return None
        return self.scalar_value(literal, type_, "constant")

    def _annotations(self, node: ast.Field, f: Field, where: str) -> None:
        seen = set()
        for a in node.annotations:
            if a.name not in _FIELD_ANNOTATIONS:
                self.d.error(a.loc, f"unknown annotation @{a.name} (known: @offset, @since, @deprecated, @null, @max, @block_length, @count_offset, @dimension_size)")
                continue
            if a.name in seen:
                self.d.error(a.loc, f"@{a.name} given twice")
                continue
            seen.add(a.name)
            if f.kind not in _FIELD_ANNOTATIONS[a.name]:
                self.d.error(a.loc, f"@{a.name} cannot be used on a {_kind_name(f.kind)}")
                continue
            if where in ("struct", "header") and a.name in ("since",):
                self.d.error(a.loc, f"@since cannot be used inside a {where}: a {where} never changes size")
                continue
            if where == "header" and a.name != "offset":
                self.d.error(a.loc, f"@{a.name} cannot be used in a header")
                continue
            if a.value is None:
                self.d.error(a.loc, f"@{a.name} takes a value: @{a.name}(...)")
                continue
            if a.name == "offset":
                f.explicit_offset = self._int_value(a.value, 0, (1 << 32) - 1, "@offset")
                f.offset_loc = a.loc
            elif a.name in ("since", "deprecated"):
                value = self._int_value(a.value, 0, 0xFFFF, f"@{a.name}")
                if value > self.version:
                    self.d.error(a.value.loc, f"@{a.name}({value}) is above the schema version {self.version}")
                if a.name == "since":
                    f.since = value
                    f.since_loc = a.loc
                else:
                    f.deprecated = value
            elif a.name == "null":
                value = self.scalar_value(a.value, f.type, "@null value")
                if isinstance(value, str) and isinstance(f.type, EnumType):
                    value = f.type.member(value).value
                if value is not None:
                    f.null_value = int(value) if isinstance(value, bool) else value
            elif a.name == "max":
                limit_type = f.count_type if f.kind == "group" else f.length_type
                f.max = self._int_value(a.value, 0, limit_type.max, "@max", limit_type.name)
            elif a.name == "block_length":
                f.explicit_block_length = self._int_value(a.value, 0, f.block_length_type.max, "@block_length", f.block_length_type.name)
            elif a.name == "count_offset":
                f.explicit_count_offset = self._int_value(a.value, 0, 255, "@count_offset")
            elif a.name == "dimension_size":
                f.explicit_dimension_size = self._int_value(a.value, 0, 255, "@dimension_size")
        if f.kind == "optional" and f.null_value is None:
            f.null_value = _default_null(f.type)

    # -- header -------------------------------------------------------------
    def _header(self, definition: ast.Definition | None, root: ast.SchemaFile) -> Header:
        if definition is None:
            fields = []
            for name in DEFAULT_HEADER:
                f = Field(name, None, "fixed", PRIMITIVE_TYPES["u16"], "u16")
                fields.append(f)
            return Header(fields, None)
        fields = self._fields(definition.fields, "header")
        ok = True
        for f in fields:
            # Other fields (SBE's numGroups, numVarDataFields) are written as 0 and not read.
            if not (isinstance(f.type, Primitive) and f.type.is_unsigned_integer):
                self.d.error(f.loc, f"header field `{f.name}` must be an unsigned integer type, not `{f.type_name}`")
                ok = False
        names = {f.name for f in fields}
        missing = [n for n in DEFAULT_HEADER if n not in names]
        if missing:
            self.d.error(definition.loc, "header lacks " + ", ".join(f"`{n}`" for n in missing))
            ok = False
        if not ok:
            fields = [Field(n, None, "fixed", PRIMITIVE_TYPES["u16"], "u16") for n in DEFAULT_HEADER]
        return Header(fields, definition.loc)


def _default_null(type_: Type):
    if isinstance(type_, EnumType):
        null = type_.underlying.default_null()
        return null
    return type_.default_null()


def _kind_name(kind: str) -> str:
    return {
        "fixed": "fixed field", "optional": "optional field", "const": "constant",
        "group": "group", "string": "string field", "bytes": "bytes field",
    }[kind]


def _source_of(tree: ast.SchemaFile, path: str) -> SourceFile | None:
    loc = tree.package_loc or (tree.definitions[0].loc if tree.definitions else None)
    return loc.source if loc is not None else None
