# SPDX-License-Identifier: Apache-2.0
"""SBE XML to the syntax tree of a `.wk` file: the same tree that `.wk`'s parser
makes, so the model, validation, layout and emitters are the ones `.wk` uses.

What XML says on a `type` (presence, nullValue, sinceVersion, a constant's
value) `.wk` says on the field that uses it: each field takes it from its type.
Types written inside a composite become top-level definitions; a type whose
name is taken (by a message, or by another hoisted type) gets a new name
(docs/sbe-xml.md, "Names"). Locations point into the XML."""

from __future__ import annotations

import math
import re

from ..syntax import tree as ast
from ..syntax.diagnostics import Diagnostics, Location, SourceFile
from .reader import Element, read_xml

SBE_NAMESPACES = ("http://fixprotocol.io/2016/sbe", "http://fixprotocol.io/2017/sbe")
SBE_RC_NAMESPACE_PREFIX = "http://www.fixprotocol.org/ns/simple/"

PRIMITIVES = {
    "char": "char", "int8": "i8", "int16": "i16", "int32": "i32", "int64": "i64",
    "uint8": "u8", "uint16": "u16", "uint32": "u32", "uint64": "u64", "float": "f32", "double": "f64",
}
_WIDTHS = {"char": 1, "i8": 1, "u8": 1, "i16": 2, "u16": 2, "i32": 4, "u32": 4, "i64": 8, "u64": 8, "f32": 4, "f64": 8}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse_xml(source: SourceFile, diagnostics: Diagnostics) -> ast.SchemaFile:
    """The front end's entry, as `.wk`'s parse_source: SourceFile -> syntax tree."""
    root, included = read_xml(source, diagnostics)
    tree = ast.SchemaFile(source.path)
    tree.included = included
    if root is not None:
        _Converter(root, diagnostics).fill(tree)
    else:
        tree.package = ("_",)  # the XML error says it all: no "missing package" after it
    return tree


def _doc(element: Element) -> str:
    parts = []
    description = element.attrs.get("description", "").strip()
    if description:
        parts.append(" ".join(description.split()))
    for attribute in ("semanticType", "characterEncoding", "minValue", "maxValue"):
        if attribute in element.attrs:
            parts.append(f"{attribute}: {element.attrs[attribute]}")
    return "; ".join(parts)


class _Converter:
    def __init__(self, root: Element, d: Diagnostics):
        self.root = root
        self.d = d
        self.types: dict[str, Element] = {}  # top-level type elements by SBE name
        self.type_names: dict[int, str] = {}  # id(element) -> name in the tree
        self.definitions: list[ast.Definition] = []
        self.used: set[str] = set()
        self.enum_values: dict[str, dict[str, str]] = {}
        self.header_name = "messageHeader"
        self.skipped: set[str] = set()  # composites that are header, dimension or varData

    # -- helpers ------------------------------------------------------------
    def lit_int(self, element: Element, attribute: str, low: int, high: int) -> int | None:
        text = element.attrs[attribute].strip()
        try:
            value = int(text, 0) if text.lower().startswith(("0x", "-0x")) else int(text)
        except ValueError:
            self.d.error(element.attr_loc(attribute), f"{attribute}=\"{text}\" must be an integer")
            return None
        if not low <= value <= high:
            self.d.error(element.attr_loc(attribute), f"{attribute}={value} is out of range ({low}..{high})")
            return None
        return value

    def int_attr(self, element: Element, attribute: str, default: int | None = None, high: int = 0xFFFF) -> int | None:
        if attribute not in element.attrs:
            return default
        value = self.lit_int(element, attribute, 0, high)
        return default if value is None else value

    def name_of(self, element: Element, what: str) -> str | None:
        name = element.attrs.get("name")
        if name is None:
            self.d.error(element.loc, f"<{element.tag}> needs a name")
            return None
        if not _NAME.fullmatch(name):
            self.d.error(element.attr_loc("name"), f"{what} name \"{name}\" is not an identifier ([A-Za-z_][A-Za-z0-9_]*)")
            return None
        return name

    def value_literal(self, text: str, primitive: str, loc: Location, what: str) -> ast.Literal | None:
        """An XML value (a constant, a nullValue, an enum value) as a literal of primitive."""
        raw = text.strip() if primitive != "char" else text
        if primitive == "char":
            if len(raw) == 1:
                return _char_literal(raw, loc)
            if raw.strip() and len(raw.strip()) == 1:
                return _char_literal(raw.strip(), loc)
            return ast.Literal("string", raw, _quote(raw), loc)
        if primitive in ("f32", "f64"):
            try:
                value = float(raw)
            except ValueError:
                self.d.error(loc, f"{what} \"{raw}\" is not a number")
                return None
            return ast.Literal("float", value, _float_text(value), loc)
        try:
            value = int(raw, 0) if raw.lower().startswith(("0x", "-0x")) else int(raw)
        except ValueError:
            self.d.error(loc, f"{what} \"{raw}\" is not an integer")
            return None
        return ast.Literal("int", value, str(value), loc)

    def unique(self, wanted: str) -> str:
        return free_name(wanted, self.used)

    # -- schema -------------------------------------------------------------
    def fill(self, tree: ast.SchemaFile) -> None:
        root = self.root
        if root.tag != "messageSchema":
            self.d.error(root.loc, f"not an SBE schema: the root element is <{root.tag}>, not <messageSchema>")
            return
        if root.namespace and root.namespace not in SBE_NAMESPACES and not root.namespace.startswith(SBE_RC_NAMESPACE_PREFIX):
            self.d.error(root.loc, f"unknown SBE namespace \"{root.namespace}\" (known: {', '.join(SBE_NAMESPACES)}, {SBE_RC_NAMESPACE_PREFIX}…)")
            return
        tree.doc = _doc(root)
        package = root.attrs.get("package", "").strip()
        if not package:
            self.d.error(root.loc, "<messageSchema> needs a package")
            package = "sbe"
        parts = tuple(re.sub(r"\W", "_", p) or "_" for p in package.split("."))
        tree.package = tuple("_" + p if p[0].isdigit() else p for p in parts)
        tree.package_loc = root.attr_loc("package") if "package" in root.attrs else root.loc
        if "id" in root.attrs:
            tree.schema_id = ast.Setting(self.setting(root, "id"), root.attr_loc("id"))
        if "version" in root.attrs:
            tree.version = ast.Setting(self.setting(root, "version"), root.attr_loc("version"))
        order = root.attrs.get("byteOrder", "littleEndian")
        if order not in ("littleEndian", "bigEndian"):
            self.d.error(root.attr_loc("byteOrder"), f"byteOrder=\"{order}\" must be littleEndian or bigEndian")
            order = "littleEndian"
        order_loc = root.attr_loc("byteOrder") if "byteOrder" in root.attrs else root.loc
        word = "big" if order == "bigEndian" else "little"
        tree.byte_order = ast.Setting(ast.Literal("ident", word, word, order_loc), order_loc)
        self.header_name = root.attrs.get("headerType", "messageHeader")
        if "wirekit:framing" in root.attrs:
            loc = root.attr_loc("wirekit:framing")
            name = root.attrs["wirekit:framing"].strip()
            tree.framing = ast.Setting(ast.Literal("string", name, f'"{name}"', loc), loc)

        type_elements: list[Element] = []
        messages: list[Element] = []
        for child in root.children:
            if child.tag == "types":
                type_elements.extend(c for c in child.children if c.tag in ("type", "composite", "enum", "set"))
                for other in child.children:
                    if other.tag not in ("type", "composite", "enum", "set"):
                        self.d.error(other.loc, f"unexpected <{other.tag}> in <types>")
            elif child.tag == "message":
                messages.append(child)
            else:
                self.d.error(child.loc, f"unexpected <{child.tag}> in <messageSchema> (expected <types> or <message>)")

        for message in messages:
            name = self.name_of(message, "message")
            if name is not None:
                self.used.add(name)
        for element in type_elements:
            name = self.name_of(element, element.tag)
            if name is None:
                continue
            if name in self.types:
                self.d.error(element.attr_loc("name"), f"duplicate type \"{name}\" (first at {self.types[name].loc})")
                continue
            self.types[name] = element
        # Types keep their names unless a message has taken it.
        for name, element in self.types.items():
            self.type_names[id(element)] = self.unique(name)
        for element in type_elements:
            if element.tag == "enum" and self.types.get(element.attrs.get("name")) is element:
                self.enum_values[element.attrs["name"]] = {
                    v.attrs.get("name", ""): v.text for v in element.children if v.tag == "validValue"}

        header = self.types.get(self.header_name)
        if header is None or header.tag != "composite":
            self.d.error(root.attr_loc("headerType") if "headerType" in root.attrs else root.loc,
                         f"no composite \"{self.header_name}\" for the message header in <types>")
        else:
            self.skipped.add(self.header_name)
            tree.definitions.append(self.header(header))
        for message in messages:
            self.mark_layout_composites(message)
        for element in type_elements:
            name = element.attrs.get("name")
            if self.types.get(name) is not element or name in self.skipped:
                continue
            self.definition(element, self.type_names[id(element)])
        tree.definitions[len(tree.definitions):] = self.definitions
        for message in messages:
            definition = self.message(message)
            if definition is not None:
                tree.definitions.append(definition)

    def setting(self, element: Element, attribute: str) -> ast.Literal:
        loc = element.attr_loc(attribute)
        value = self.lit_int(element, attribute, 0, (1 << 64) - 1)
        return ast.Literal("int", value or 0, str(value or 0), loc)

    def mark_layout_composites(self, element: Element) -> None:
        """Dimension and varData composites are parts of the layout, not structs."""
        for child in element.children:
            if child.tag == "group":
                self.skipped.add(child.attrs.get("dimensionType", "groupSizeEncoding"))
                self.mark_layout_composites(child)
            elif child.tag == "data" and "type" in child.attrs:
                self.skipped.add(child.attrs["type"])

    # -- types --------------------------------------------------------------
    def primitive_of(self, element: Element, attribute: str = "primitiveType") -> str | None:
        text = element.attrs.get(attribute)
        if text is None:
            self.d.error(element.loc, f"<{element.tag}> needs a {attribute}")
            return None
        if text in PRIMITIVES:
            return PRIMITIVES[text]
        self.d.error(element.attr_loc(attribute), f"unknown primitive type \"{text}\" (known: {', '.join(PRIMITIVES)})")
        return None

    def encoding_of(self, element: Element) -> str | None:
        """An enum's or set's encodingType: a primitive, or a type that has one."""
        text = element.attrs.get("encodingType")
        if text is None:
            self.d.error(element.loc, f"<{element.tag}> needs an encodingType")
            return None
        if text in PRIMITIVES:
            return PRIMITIVES[text]
        target = self.types.get(text)
        if target is None or target.tag != "type":
            self.d.error(element.attr_loc("encodingType"), f"unknown encodingType \"{text}\" (a primitive type or a <type>)")
            return None
        return self.primitive_of(target)

    def definition(self, element: Element, name: str) -> None:
        loc = element.attr_loc("name") if "name" in element.attrs else element.loc
        if element.tag == "type":
            primitive = self.primitive_of(element)
            length = self.int_attr(element, "length", 1)
            if primitive is None:
                return
            if length == 0:
                self.d.error(element.attr_loc("length"), f"type \"{name}\" of length 0 is only for a varData composite's data")
                return
            target = ast.TypeRef(primitive, loc, ast.Literal("int", length, str(length), loc) if length != 1 else None)
            self.definitions.append(ast.Definition("type", name, loc, target=target, doc=_doc(element)))
        elif element.tag in ("enum", "set"):
            encoding = self.encoding_of(element)
            if encoding is None:
                return
            definition = ast.Definition("enum" if element.tag == "enum" else "flags", name, loc,
                                        target=ast.TypeRef(encoding, loc), doc=_doc(element))
            member_tag = "validValue" if element.tag == "enum" else "choice"
            for child in element.children:
                if child.tag != member_tag:
                    self.d.error(child.loc, f"unexpected <{child.tag}> in <{element.tag}> (expected <{member_tag}>)")
                    continue
                member = self.name_of(child, member_tag)
                if member is None:
                    continue
                value = self.value_literal(child.text, encoding if element.tag == "enum" else "u8",
                                           child.text_loc(), f"the value of {member}")
                if value is not None:
                    definition.members.append(ast.Member(member, value, child.attr_loc("name"), _doc(child)))
            self.definitions.append(definition)
        else:
            definition = ast.Definition("struct", name, loc, doc=_doc(element))
            definition.fields = self.members(element, name)
            self.definitions.append(definition)

    def members(self, composite: Element, owner: str) -> list[ast.Field]:
        fields = []
        for child in composite.children:
            name = self.name_of(child, "member")
            if name is None:
                continue
            loc = child.attr_loc("name")
            if child.tag == "ref":
                field = self.field(child, name, child.attrs.get("type", ""), "member")
            elif child.tag == "type":
                field = self.inline_type(child, name)
            elif child.tag in ("enum", "set", "composite"):
                hoisted = self.unique(name if name not in self.types else f"{owner}_{name}")
                self.definition(child, hoisted)
                field = ast.Field(name, loc, "fixed", ast.TypeRef(hoisted, loc), kind_loc=loc, doc=_doc(child))
                self.offset(child, field)
            else:
                self.d.error(child.loc, f"unexpected <{child.tag}> in <composite>")
                continue
            if field is not None:
                if "sinceVersion" in child.attrs and child.attrs["sinceVersion"] != "0":
                    self.d.warning(child.attr_loc("sinceVersion"), "sinceVersion inside a composite is ignored: a composite never changes size")
                fields.append(field)
        return fields

    def inline_type(self, element: Element, name: str) -> ast.Field | None:
        loc = element.attr_loc("name")
        primitive = self.primitive_of(element)
        length = self.int_attr(element, "length", 1)
        if primitive is None:
            return None
        if length == 0:
            self.d.error(element.attr_loc("length"), f"`{name}` of length 0 is only for a varData composite's data")
            return None
        ref = ast.TypeRef(primitive, loc, ast.Literal("int", length, str(length), loc) if length != 1 else None)
        return self.with_presence(element, element, name, ref, primitive, length)

    def with_presence(self, field_element: Element, type_element: Element | None, name: str, ref: ast.TypeRef,
                      primitive: str | None, length: int) -> ast.Field | None:
        """A field of ref, whose presence, null value and constant come from the
        field's own attributes, else from its type's."""
        loc = field_element.attr_loc("name")
        attrs = dict(type_element.attrs) if type_element is not None else {}
        attrs.update({k: v for k, v in field_element.attrs.items() if k in ("presence", "valueRef")})
        presence = attrs.get("presence", "required")
        where = field_element if "presence" in field_element.attrs else type_element
        field = ast.Field(name, loc, "fixed", ref, kind_loc=loc, doc=_doc(field_element))
        if presence == "optional":
            if primitive is not None and length == 1:
                field.kind = "optional"
                if type_element is not None and "nullValue" in type_element.attrs:
                    value = self.value_literal(type_element.attrs["nullValue"], primitive,
                                               type_element.attr_loc("nullValue"), "nullValue")
                    if value is not None:
                        field.annotations.append(ast.Annotation("null", value, type_element.attr_loc("nullValue")))
            elif type_element is not None and type_element.tag == "enum":
                field.kind = "optional"
        elif presence == "constant":
            field.kind = "const"
            field.value = self.constant(field_element, type_element, attrs, ref, primitive)
            if field.value is None:
                return None
        elif presence != "required":
            self.d.error(where.attr_loc("presence"), f"presence=\"{presence}\" must be required, optional or constant")
            return None
        if field.kind != "const":
            self.offset(field_element, field)
        return field

    def constant(self, field_element: Element, type_element: Element | None, attrs: dict, ref: ast.TypeRef,
                 primitive: str | None) -> ast.Literal | None:
        loc = field_element.attr_loc("name")
        if "valueRef" in attrs:
            holder = field_element if "valueRef" in field_element.attrs else type_element
            value_loc = holder.attr_loc("valueRef")
            enum_name, _, member = attrs["valueRef"].partition(".")
            values = self.enum_values.get(enum_name)
            if values is None or member not in values:
                self.d.error(value_loc, f"valueRef=\"{attrs['valueRef']}\" is not a value of an enum (Enum.Member)")
                return None
            if type_element is not None and type_element.tag == "enum":
                if type_element.attrs.get("name") != enum_name:
                    self.d.error(value_loc, f"valueRef=\"{attrs['valueRef']}\" is not a member of enum `{type_element.attrs.get('name')}`")
                    return None
                return ast.Literal("ident", member, member, value_loc)
            if primitive is None:
                self.d.error(value_loc, "valueRef needs a field of an enum or a primitive type")
                return None
            return self.value_literal(values[member], primitive, value_loc, f"the value of {attrs['valueRef']}")
        if type_element is None or not type_element.text.strip() and primitive != "char":
            self.d.error(loc, "a constant needs a value: valueRef=\"Enum.Member\" or the value as the <type>'s text")
            return None
        if primitive is None:
            self.d.error(loc, "a constant must be of a primitive type or an enum (with valueRef)")
            return None
        return self.value_literal(type_element.text, primitive, type_element.text_loc(), "constant")

    def offset(self, element: Element, field: ast.Field) -> None:
        if "offset" in element.attrs:
            value = self.int_attr(element, "offset", None, (1 << 32) - 1)
            if value is not None:
                loc = element.attr_loc("offset")
                field.annotations.append(ast.Annotation("offset", ast.Literal("int", value, str(value), loc), loc))

    def versions(self, element: Element, field: ast.Field, type_element: Element | None = None) -> None:
        since = max(self.int_attr(element, "sinceVersion", 0),
                    self.int_attr(type_element, "sinceVersion", 0) if type_element is not None else 0)
        if since:
            holder = element if "sinceVersion" in element.attrs else type_element
            loc = holder.attr_loc("sinceVersion")
            field.annotations.append(ast.Annotation("since", ast.Literal("int", since, str(since), loc), loc))
        for holder in (element, type_element):
            if holder is not None and "deprecated" in holder.attrs:
                value = self.int_attr(holder, "deprecated", 0)
                loc = holder.attr_loc("deprecated")
                field.annotations.append(ast.Annotation("deprecated", ast.Literal("int", value, str(value), loc), loc))
                break

    # -- fields -------------------------------------------------------------
    def field(self, element: Element, name: str, type_name: str, where: str) -> ast.Field | None:
        loc = element.attr_loc("type") if "type" in element.attrs else element.loc
        if not type_name:
            self.d.error(element.loc, f"<{element.tag}> `{name}` needs a type")
            return None
        target = self.types.get(type_name)
        if target is None and type_name in PRIMITIVES:
            primitive = PRIMITIVES[type_name]
            field = self.with_presence(element, None, name, ast.TypeRef(primitive, loc), primitive, 1)
            if field is not None and where != "member":
                self.versions(element, field)
            return field
        if target is None:
            self.d.error(loc, f"unknown type \"{type_name}\"")
            return None
        if type_name in self.skipped:
            self.d.error(loc, f"\"{type_name}\" is the message header, a group dimension or a varData composite, not a field type")
            return None
        ref = ast.TypeRef(self.type_names[id(target)], loc)
        if target.tag == "type":
            primitive = PRIMITIVES.get(target.attrs.get("primitiveType", ""))
            length = self.int_attr(target, "length", 1)
            field = self.with_presence(element, target, name, ref, primitive, length)
        else:
            field = self.with_presence(element, target, name, ref, None, 1)
        if field is not None and where != "member":
            self.versions(element, field, target)
        return field

    def block(self, element: Element, owner: str) -> list[ast.Field]:
        fields = []
        for child in element.children:
            name = self.name_of(child, child.tag)
            if name is None:
                continue
            if child.tag == "field":
                field = self.field(child, name, child.attrs.get("type", ""), "block")
            elif child.tag == "group":
                field = self.group(child, name, owner)
            elif child.tag == "data":
                field = self.data(child, name)
            else:
                self.d.error(child.loc, f"unexpected <{child.tag}> in <{element.tag}> (expected <field>, <group> or <data>)")
                continue
            if field is not None:
                fields.append(field)
        return fields

    def composite_members(self, element: Element, type_name: str, what: str) -> list[tuple[Element, str, int]] | None:
        """The members of a dimension or varData composite: (element, primitive, length)."""
        loc = element.attr_loc("dimensionType" if element.tag == "group" else "type") \
            if ("dimensionType" in element.attrs or "type" in element.attrs) else element.loc
        composite = self.types.get(type_name)
        if composite is None or composite.tag != "composite":
            self.d.error(loc, f"unknown {what} composite \"{type_name}\"")
            return None
        members = []
        for child in composite.children:
            target = child
            if child.tag == "ref":
                target = self.types.get(child.attrs.get("type", ""))
                if target is None or target.tag != "type":
                    self.d.error(child.loc, f"a {what} member must be a primitive <type>")
                    return None
            elif child.tag != "type":
                self.d.error(child.loc, f"a {what} member must be a primitive <type>")
                return None
            primitive = self.primitive_of(target)
            if primitive is None:
                return None
            members.append((child, primitive, self.int_attr(target, "length", 1)))
        return members

    def group(self, element: Element, name: str, owner: str) -> ast.Field | None:
        loc = element.attr_loc("name")
        dimension = element.attrs.get("dimensionType", "groupSizeEncoding")
        members = self.composite_members(element, dimension, "group dimension")
        if members is None:
            return None
        # blockLength first, at 0; numInGroup anywhere after it; other members
        # (padding, SBE 2.0's numGroups/numVarDataFields) are written as 0, not read.
        placed, end = {}, 0
        for member, primitive, length in members:
            at = end
            if "offset" in member.attrs:
                at = self.int_attr(member, "offset", end, 255)
                if at < end:
                    self.d.error(member.attr_loc("offset"), f"offset {at} of `{member.attrs.get('name')}` overlaps the member before it, which ends at byte {end}")
                    return None
            placed[member.attrs.get("name")] = (member, primitive, at)
            end = at + _WIDTHS[primitive] * max(length, 1)
        names = [m.attrs.get("name") for m, _, _ in members]
        if names[:1] != ["blockLength"] or "numInGroup" not in placed or placed["blockLength"][2] != 0:
            self.d.error(self.types[dimension].loc, f"group dimension \"{dimension}\" must begin with blockLength (at offset 0) "
                         "and have a numInGroup (docs/sbe-xml.md)")
            return None
        field = ast.Field(name, loc, "group", kind_loc=loc, doc=_doc(element))
        field.block_length_type = ast.TypeRef(placed["blockLength"][1], loc)
        count, count_type, count_at = placed["numInGroup"]
        field.count_type = ast.TypeRef(count_type, loc)
        dimension_loc = self.types[dimension].attr_loc("name")
        if count_at != _WIDTHS[placed["blockLength"][1]] or end != count_at + _WIDTHS[count_type]:
            for annotation, value in (("count_offset", count_at), ("dimension_size", end)):
                field.annotations.append(ast.Annotation(annotation, ast.Literal("int", value, str(value), dimension_loc), dimension_loc))
        if "maxValue" in count.attrs:
            value = self.int_attr(count, "maxValue", None, (1 << 64) - 1)
            if value is not None:
                field.annotations.append(ast.Annotation("max", ast.Literal("int", value, str(value), count.attr_loc("maxValue")), count.attr_loc("maxValue")))
        if "blockLength" in element.attrs:
            value = self.int_attr(element, "blockLength", None, (1 << 32) - 1)
            if value is not None:
                at = element.attr_loc("blockLength")
                field.annotations.append(ast.Annotation("block_length", ast.Literal("int", value, str(value), at), at))
        self.versions(element, field)
        field.fields = self.block(element, f"{owner}.{name}")
        return field

    def data(self, element: Element, name: str) -> ast.Field | None:
        loc = element.attr_loc("name")
        type_name = element.attrs.get("type", "")
        members = self.composite_members(element, type_name, "varData")
        if members is None:
            return None
        standard = len(members) == 2 and members[0][1] in ("u8", "u16", "u32") and members[1][2] == 0 \
            and members[1][1] in ("u8", "char") and all("offset" not in m.attrs or m.attrs["offset"] == str(o)
                                                         for (m, _, _), o in zip(members, (0, _WIDTHS[members[0][1]])))
        if not standard:
            self.d.error(self.types[type_name].loc, f"varData composite \"{type_name}\" must be a length (uint8, uint16 or "
                         "uint32) then the data (uint8 or char, length=\"0\"), packed")
            return None
        length, data = members[0][0], members[1][0]
        text = members[1][1] == "char" or "characterEncoding" in data.attrs
        field = ast.Field(name, loc, "string" if text else "bytes", kind_loc=loc, doc=_doc(element))
        field.length_type = ast.TypeRef(members[0][1], loc)
        if "maxValue" in length.attrs:
            value = self.int_attr(length, "maxValue", None, (1 << 32) - 1)
            if value is not None:
                at = length.attr_loc("maxValue")
                field.annotations.append(ast.Annotation("max", ast.Literal("int", value, str(value), at), at))
        self.versions(element, field)
        return field

    def message(self, element: Element) -> ast.Definition | None:
        name = self.name_of(element, "message")
        if name is None:
            return None
        loc = element.attr_loc("name")
        if "id" not in element.attrs:
            self.d.error(element.loc, f"message `{name}` needs an id")
            return None
        definition = ast.Definition("message", name, loc, doc=_doc(element))
        definition.template_id = ast.Literal("int", self.int_attr(element, "id", 0, (1 << 64) - 1), element.attrs["id"], element.attr_loc("id"))
        if "blockLength" in element.attrs:
            value = self.int_attr(element, "blockLength", None, (1 << 32) - 1)
            if value is not None:
                at = element.attr_loc("blockLength")
                definition.annotations.append(ast.Annotation("block_length", ast.Literal("int", value, str(value), at), at))
        definition.fields = self.block(element, name)
        return definition

    def header(self, composite: Element) -> ast.Definition:
        loc = composite.attr_loc("name")
        definition = ast.Definition("header", "header", loc, doc=_doc(composite))
        for child in composite.children:
            name = self.name_of(child, "header field")
            if name is None:
                continue
            if child.tag == "ref":
                field = self.field(child, name, child.attrs.get("type", ""), "member")
            elif child.tag == "type":
                field = self.inline_type(child, name)
            else:
                self.d.error(child.loc, f"a message header member must be a <type> or a <ref>, not <{child.tag}>")
                continue
            if field is not None:
                definition.fields.append(field)
        return definition


def free_name(wanted: str, used: set[str]) -> str:
    """wanted, or wanted with `_`s added until no name in used has it; then used."""
    name = wanted
    while name in used:
        name += "_"
    used.add(name)
    return name


def _char_literal(char: str, loc: Location) -> ast.Literal:
    code = ord(char)
    text = f"'{char}'" if 0x20 <= code < 0x7F and char not in "'\\" else (f"'\\x{code:02x}'" if code <= 0xFF else char)
    return ast.Literal("char", code, text, loc)


def _quote(text: str) -> str:
    out = []
    for c in text:
        if c in "\"\\":
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif ord(c) < 0x20 or 0x7F <= ord(c) <= 0xFF:
            out.append(f"\\x{ord(c):02x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _float_text(value: float) -> str:
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(value)
