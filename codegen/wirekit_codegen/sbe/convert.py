# SPDX-License-Identifier: Apache-2.0
"""`wirekit convert`: SBE XML to `.wk` (from the syntax tree the XML front end
makes, descriptions as comments) and `.wk` to SBE XML (from the laid-out
model, every offset and block length written out, so that the wire stays the
same whatever the reader's defaults)."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape, quoteattr

from ..model.types import ArrayType, EnumType, Field, FlagsType, Primitive, Schema, StructType, Type
from ..syntax import tree as ast
from ..syntax.diagnostics import Diagnostics
from ..syntax.lexer import KEYWORDS, PRIMITIVES
from .build import free_name
from .reader import WIREKIT_NAMESPACE

_INDENT = "  "


# -- SBE XML -> .wk ------------------------------------------------------------
def tree_to_wk(tree: ast.SchemaFile) -> str:
    out: list[str] = []
    _comment(out, tree.doc, "")
    out.append(f"package {'.'.join(_name(p) for p in tree.package)};")
    if tree.schema_id is not None:
        out.append(f"schema_id {tree.schema_id.value.text};")
    if tree.version is not None:
        out.append(f"version {tree.version.value.text};")
    if tree.byte_order is not None:
        out.append(f"byte_order {tree.byte_order.value.text};")
    if tree.framing is not None:
        out.append(f'framing "{tree.framing.value.value}";')  # a preset's name: letters, digits, `-`
    for definition in tree.definitions:
        out.append("")
        _comment(out, definition.doc, "")
        if definition.kind == "type":
            out.append(f"type {_name(definition.name)} = {_type(definition.target)};")
        elif definition.kind in ("enum", "flags"):
            out.append(f"{definition.kind} {_name(definition.name)} : {_type(definition.target)} {{")
            for member in definition.members:
                _comment(out, member.doc, _INDENT)
                out.append(f"{_INDENT}{_name(member.name)} = {member.value.text},")
            out.append("}")
        else:
            if definition.kind == "message":
                head = f"message {_name(definition.name)} = {definition.template_id.value}"
            else:
                head = "header" if definition.kind == "header" else f"struct {_name(definition.name)}"
            out.append(head + _annotations(definition.annotations) + " {")
            _fields(out, definition.fields, _INDENT)
            out.append("}")
    return "\n".join(out) + "\n"


def _fields(out: list[str], fields: list[ast.Field], indent: str) -> None:
    for f in fields:
        _comment(out, f.doc, indent)
        notes = _annotations(f.annotations)
        if f.kind == "group":
            out.append(f"{indent}{_name(f.name)}: group<{_type(f.block_length_type)}, {_type(f.count_type)}>{notes} {{")
            _fields(out, f.fields, indent + _INDENT)
            out.append(f"{indent}}}")
        elif f.kind in ("string", "bytes"):
            out.append(f"{indent}{_name(f.name)}: {f.kind}<{_type(f.length_type)}>{notes};")
        elif f.kind == "const":
            out.append(f"{indent}{_name(f.name)}: const {_type(f.type)} = {_literal(f.value)}{notes};")
        else:
            prefix = "optional " if f.kind == "optional" else ""
            out.append(f"{indent}{_name(f.name)}: {prefix}{_type(f.type)}{notes};")


def _annotations(annotations: list[ast.Annotation]) -> str:
    return "".join(f" @{a.name}({_literal(a.value)})" for a in annotations)


def _literal(literal: ast.Literal) -> str:
    if literal.kind == "ident":
        return ".".join(_name(part) for part in literal.text.split("."))
    return literal.text


def _type(ref: ast.TypeRef) -> str:
    name = ref.name if ref.name in PRIMITIVES else _name(ref.name)
    return name + (f"[{ref.array_length.text}]" if ref.array_length is not None else "")


def _name(name: str) -> str:
    return f"`{name}`" if name in KEYWORDS else name


def _comment(out: list[str], doc: str, indent: str) -> None:
    if doc:
        out.append(f"{indent}// {doc}")


# -- .wk -> SBE XML ------------------------------------------------------------
_SBE_PRIMITIVES = {"char": "char", "i8": "int8", "i16": "int16", "i32": "int32", "i64": "int64", "u8": "uint8",
                   "u16": "uint16", "u32": "uint32", "u64": "uint64", "f32": "float", "f64": "double", "bool": "uint8"}


class _XmlWriter:
    def __init__(self, schema: Schema, d: Diagnostics):
        self.schema = schema
        self.d = d
        self.used = {t.name for t in schema.types} | set(schema.aliases) | {m.name for m in schema.messages}
        self.generated: dict[tuple, str] = {}
        self.type_lines: list[str] = []

    def unique(self, wanted: str) -> str:
        return free_name(wanted, self.used)

    def generated_type(self, key: tuple, wanted: str, line: str) -> str:
        """A <type>/<composite> the XML needs for what `.wk` writes inline; one per shape."""
        if key not in self.generated:
            name = self.unique(wanted)
            self.generated[key] = name
            self.type_lines.append(line.replace("{name}", quoteattr(name)))
        return self.generated[key]

    def write(self) -> str:
        s = self.schema
        header_name = self.unique("messageHeader")
        body: list[str] = []
        for message in s.messages:
            body.append(f"{_INDENT}<sbe:message name={quoteattr(message.name)} id=\"{message.template_id}\" "
                        f"blockLength=\"{message.block_length}\">")
            self.block(body, message.fields, message.name, _INDENT * 2)
            body.append(f"{_INDENT}</sbe:message>")
        types = [f"{_INDENT * 2}<composite name={quoteattr(header_name)}>"]
        for f in sorted(s.header.fields, key=lambda f: f.offset):
            types.append(f"{_INDENT * 3}<type name={quoteattr(f.name)} primitiveType=\"{_SBE_PRIMITIVES[f.type.name]}\" offset=\"{f.offset}\"/>")
        types.append(f"{_INDENT * 2}</composite>")
        for name, (target, _) in s.aliases.items():
            if isinstance(target, Primitive) or (isinstance(target, ArrayType) and isinstance(target.element, Primitive)):
                types.append(f"{_INDENT * 2}<type name={quoteattr(name)} {self.primitive_attrs(target)}/>")
        for t in s.types:
            types.extend(self.definition(t))
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 f'<sbe:messageSchema xmlns:sbe="http://fixprotocol.io/2016/sbe" package={quoteattr(".".join(s.package))} '
                 f'id="{s.schema_id}" version="{s.version}" byteOrder="{"bigEndian" if s.byte_order == "big" else "littleEndian"}"'
                 f' headerType={quoteattr(header_name)}{self.framing_attrs(s)}>',
                 f"{_INDENT}<types>"] + types + [_INDENT * 2 + line for line in self.type_lines] + [f"{_INDENT}</types>"] + body
        lines.append("</sbe:messageSchema>")
        return "\n".join(lines) + "\n"

    @staticmethod
    def framing_attrs(s: Schema) -> str:
        if s.framing is None:
            return ""
        return f' xmlns:wirekit="{WIREKIT_NAMESPACE}" wirekit:framing={quoteattr(s.framing)}'

    def primitive_attrs(self, t: Type) -> str:
        if isinstance(t, ArrayType):
            return f"primitiveType=\"{_SBE_PRIMITIVES[t.element.name]}\" length=\"{t.length}\""
        return f"primitiveType=\"{_SBE_PRIMITIVES[t.name]}\""

    def definition(self, t: Type) -> list[str]:
        i2, i3 = _INDENT * 2, _INDENT * 3
        if isinstance(t, EnumType):
            lines = [f"{i2}<enum name={quoteattr(t.name)} encodingType=\"{_SBE_PRIMITIVES[t.underlying.name]}\">"]
            for m in t.members:
                value = chr(m.value) if t.underlying.name == "char" else str(m.value)
                lines.append(f"{i3}<validValue name={quoteattr(m.name)}>{escape(value)}</validValue>")
            return lines + [f"{i2}</enum>"]
        if isinstance(t, FlagsType):
            lines = [f"{i2}<set name={quoteattr(t.name)} encodingType=\"{_SBE_PRIMITIVES[t.underlying.name]}\">"]
            lines += [f"{i3}<choice name={quoteattr(m.name)}>{m.value}</choice>" for m in t.members]
            return lines + [f"{i2}</set>"]
        assert isinstance(t, StructType)
        lines = [f"{i2}<composite name={quoteattr(t.name)}>"]
        for f in t.fields:
            lines.append(i3 + self.member(f, t.name))
        return lines + [f"{i2}</composite>"]

    def member(self, f: Field, owner: str) -> str:
        offset = f' offset="{f.offset}"' if f.on_wire_fixed else ""
        named = self.named_type(f)
        if named is not None and f.kind == "fixed":
            return f"<ref name={quoteattr(f.name)} type={quoteattr(named)}{offset}/>"
        t = f.type
        if f.kind == "const" and isinstance(t, EnumType):
            value = t.member(f.const_value).value
            text = chr(value) if t.underlying.name == "char" else str(value)
            self.d.warning(f.loc, f"`{owner}.{f.name}`: SBE XML has no enum constant inside a composite; written as its {t.underlying.name} value")
            return f"<type name={quoteattr(f.name)} {self.primitive_attrs(t.underlying)} presence=\"constant\">{escape(text)}</type>"
        if isinstance(t, EnumType) or isinstance(t, ArrayType) and not isinstance(t.element, Primitive):
            self.d.warning(f.loc, f"`{owner}.{f.name}`: SBE XML has no {f.kind} enum inside a composite; written as its {t.underlying.name if isinstance(t, EnumType) else 'element'} type")
            t = t.underlying if isinstance(t, EnumType) else ArrayType(t.element.underlying, t.length)
        attrs = self.primitive_attrs(t)
        if f.kind == "const":
            return f"<type name={quoteattr(f.name)} {attrs} presence=\"constant\">{escape(self.const_text(f))}</type>"
        if f.kind == "optional":
            return f"<type name={quoteattr(f.name)} {attrs} presence=\"optional\"{self.null_attr(f)}{offset}/>"
        return f"<type name={quoteattr(f.name)} {attrs}{offset}/>"

    def named_type(self, f: Field) -> str | None:
        """The SBE name of a field's type when it has one (enum, set, composite, alias)."""
        if f.type_name in self.schema.aliases and isinstance(f.type, (Primitive, ArrayType)):
            return f.type_name
        if isinstance(f.type, (EnumType, FlagsType, StructType)):
            return f.type.name
        return None

    def null_attr(self, f: Field) -> str:
        """ nullValue="…", or nothing for the default null, which SBE and .wk share."""
        default = f.type.default_null()
        if f.null_value == default or isinstance(default, float) and math.isnan(f.null_value):
            return ""
        return f" nullValue={quoteattr(self.char_text(f, f.null_value) if f.type.name == 'char' else _number(f.null_value))}"

    def char_text(self, f: Field, value: int) -> str:
        if value < 0x20 and chr(value) not in "\t\n":
            self.d.error(f.loc, f"`{f.name}`: the char {value} cannot be written in XML")
        return chr(value)

    def const_text(self, f: Field) -> str:
        value = f.const_value
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(f.type, Primitive) and f.type.name == "char":
            return self.char_text(f, value)
        return _number(value)

    def block(self, out: list[str], fields: list[Field], owner: str, indent: str) -> None:
        for number, f in enumerate(fields, 1):
            common = f"name={quoteattr(f.name)} id=\"{number}\""
            if f.since:
                common += f" sinceVersion=\"{f.since}\""
            if f.deprecated is not None:
                common += f" deprecated=\"{f.deprecated}\""
            if f.kind == "group":
                dimension = self.dimension(f)
                out.append(f"{indent}<group {common} dimensionType={quoteattr(dimension)} blockLength=\"{f.block_length}\">")
                self.block(out, f.fields, f"{owner}.{f.name}", indent + _INDENT)
                out.append(f"{indent}</group>")
            elif f.is_var:
                out.append(f"{indent}<data {common} type={quoteattr(self.var_data(f))}/>")
            else:
                out.append(f"{indent}<field {common} {self.field_type(f, owner)}/>")

    def field_type(self, f: Field, owner: str) -> str:
        if isinstance(f.type, Primitive) and f.type.name == "bool" or isinstance(f.type, ArrayType) and isinstance(f.type.element, Primitive) and f.type.element.name == "bool":
            self.d.warning(f.loc, f"`{owner}.{f.name}`: SBE has no bool; written as uint8 (the wire is the same, the JSON form shows 0/1)")
        named = self.named_type(f)
        if f.kind == "const":
            if isinstance(f.type, EnumType):
                return f"type={quoteattr(f.type.name)} presence=\"constant\" valueRef={quoteattr(f.type.name + '.' + f.const_value)}"
            text = self.const_text(f)
            attrs = self.primitive_attrs(f.type)
            key = ("const", attrs, text)
            name = self.generated_type(key, f"{f.name}Constant",
                                       f"<type name={{name}} {attrs} presence=\"constant\">{escape(text)}</type>")
            return f"type={quoteattr(name)} presence=\"constant\""
        offset = f" offset=\"{f.offset}\""
        if f.kind == "optional":
            if isinstance(f.type, EnumType):
                return f"type={quoteattr(f.type.name)} presence=\"optional\"{offset}"
            null = self.null_attr(f)
            attrs = self.primitive_attrs(f.type)
            name = self.generated_type(("optional", attrs, null), f"{_SBE_PRIMITIVES[f.type.name]}Optional",
                                       f"<type name={{name}} {attrs} presence=\"optional\"{null}/>")
            return f"type={quoteattr(name)} presence=\"optional\"{offset}"
        if named is not None:
            return f"type={quoteattr(named)}{offset}"
        if isinstance(f.type, ArrayType):
            array = f.type
            if isinstance(array.element, EnumType):
                self.d.warning(f.loc, f"`{owner}.{f.name}`: SBE XML has no arrays of enums; written as an array of "
                               f"{array.element.underlying.name} (the wire is the same, the JSON form shows numbers)")
                array = ArrayType(array.element.underlying, array.length)
            attrs = self.primitive_attrs(array)
            name = self.generated_type(("array", attrs), f"{_SBE_PRIMITIVES[array.element.name]}{array.length}",
                                       f"<type name={{name}} {attrs}/>")
            return f"type={quoteattr(name)}{offset}"
        return f"type=\"{_SBE_PRIMITIVES[f.type.name]}\"{offset}"

    def dimension(self, f: Field) -> str:
        b, c = f.block_length_type.name, f.count_type.name
        packed = f.has_packed_dimension
        wanted = "groupSizeEncoding" if (b, c, f.max, packed) == ("u16", "u16", None, True) else \
            f"groupSize_{b}_{c}" + ("" if packed else f"_{f.dimension_size}bytes") + (f"_max{f.max}" if f.max is not None else "")
        limit = f" maxValue=\"{f.max}\"" if f.max is not None else ""
        at = "" if packed else f" offset=\"{f.count_offset}\""
        padding = f.dimension_size - f.count_offset - f.count_type.width
        tail = f"<type name=\"padding\" primitiveType=\"uint8\" length=\"{padding}\"/>" if padding else ""
        return self.generated_type(("group", b, c, f.max, f.count_offset, f.dimension_size), wanted,
                                   f"<composite name={{name}}><type name=\"blockLength\" primitiveType=\"{_SBE_PRIMITIVES[b]}\"/>"
                                   f"<type name=\"numInGroup\" primitiveType=\"{_SBE_PRIMITIVES[c]}\"{at}{limit}/>{tail}</composite>")

    def var_data(self, f: Field) -> str:
        length = f.length_type.name
        kind = "String" if f.kind == "string" else "Data"
        wanted = f"var{kind}Encoding" + ("" if length == "u32" else f"_{length}") + (f"_max{f.max}" if f.max is not None else "")
        limit = f" maxValue=\"{f.max}\"" if f.max is not None else ""
        encoding = " characterEncoding=\"UTF-8\"" if f.kind == "string" else ""
        return self.generated_type(("var", f.kind, length, f.max), wanted,
                                   f"<composite name={{name}}><type name=\"length\" primitiveType=\"{_SBE_PRIMITIVES[length]}\"{limit}/>"
                                   f"<type name=\"varData\" primitiveType=\"uint8\" length=\"0\"{encoding}/></composite>")


def _number(value) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    return str(int(value))


def schema_to_xml(schema: Schema, d: Diagnostics) -> str:
    """The SBE XML of a laid-out schema; errors in d for what SBE XML cannot say."""
    return _XmlWriter(schema, d).write()

