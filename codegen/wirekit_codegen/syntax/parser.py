# SPDX-License-Identifier: Apache-2.0
"""The parser: tokens to a SchemaFile. After a syntax error it skips to the next
`;` or `}` and goes on, so that one run reports every error."""

from __future__ import annotations

from . import tree as ast
from .diagnostics import Diagnostics, SourceFile, did_you_mean
from .lexer import PRIMITIVES, Token, tokenize

_SETTINGS = ("schema_id", "version", "byte_order")
_DEFINITIONS = ("type", "enum", "flags", "struct", "message", "header")
# The field types written with `<…>`.
_GENERIC_TYPES = ("string", "bytes", "group")


class _Recover(Exception):
    pass


class Parser:
    def __init__(self, source: SourceFile, diagnostics: Diagnostics):
        self.source = source
        self.diagnostics = diagnostics
        self.tokens = tokenize(source, diagnostics)
        self.pos = 0

    # -- token helpers ------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def peek(self, ahead: int = 1) -> Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        if token.kind != "eof":
            self.pos += 1
        return token

    def at(self, kind: str, text: str | None = None) -> bool:
        return self.tok.is_(kind, text)

    def accept(self, kind: str, text: str | None = None) -> Token | None:
        if self.at(kind, text):
            return self.advance()
        return None

    def fail(self, expected: str, token: Token | None = None):
        token = token or self.tok
        self.diagnostics.error(token.loc, f"expected {expected}, found {token.describe()}")
        raise _Recover()

    def expect(self, kind: str, text: str | None = None, what: str | None = None) -> Token:
        if self.at(kind, text):
            return self.advance()
        self.fail(what or (f"`{text}`" if text else kind))

    def name(self, what: str, allow: tuple[str, ...] = ()) -> Token:
        token = self.tok
        if token.kind == "ident" or (token.kind == "keyword" and token.text in allow):
            return self.advance()
        if token.kind == "keyword":
            self.diagnostics.error(token.loc, f"`{token.text}` is a keyword and cannot be used as a name")
            raise _Recover()
        self.fail(what)

    def skip_statement(self) -> None:
        """Skips to just after the next `;` or the `}` closing the current block,
        stepping over nested braces."""
        depth = 0
        while not self.at("eof"):
            token = self.advance()
            if token.is_("punct", "{"):
                depth += 1
            elif token.is_("punct", "}"):
                if depth <= 1:
                    return
                depth -= 1
            elif token.is_("punct", ";") and depth == 0:
                return

    def skip_to_field_end(self) -> None:
        """Inside a block: skips to after the next `;` (or a nested block), stopping
        before the `}` that closes the block."""
        depth = 0
        while not self.at("eof"):
            if self.at("punct", "}") and depth == 0:
                return
            token = self.advance()
            if token.is_("punct", "{"):
                depth += 1
            elif token.is_("punct", "}"):
                depth -= 1
                if depth == 0:
                    return
            elif token.is_("punct", ";") and depth == 0:
                return

    # -- grammar ------------------------------------------------------------
    def parse(self, imported: bool = False) -> ast.SchemaFile:
        schema = ast.SchemaFile(self.source.path)
        seen_definition = False
        while not self.at("eof"):
            token = self.tok
            try:
                if token.is_("keyword", "package"):
                    self.advance()
                    if schema.package is not None:
                        self.diagnostics.error(token.loc, "`package` given twice")
                    if seen_definition or schema.imports or any(
                        getattr(schema, s) for s in _SETTINGS
                    ):
                        self.diagnostics.error(token.loc, "`package` must be the first statement")
                    parts = [self.name("a package name").text]
                    while self.accept("punct", "."):
                        parts.append(self.name("a package name").text)
                    self.expect("punct", ";")
                    schema.package = tuple(parts)
                    schema.package_loc = token.loc
                elif token.is_("keyword", "import"):
                    self.advance()
                    path = self.expect("string", what="a file name in quotes")
                    self.expect("punct", ";")
                    if seen_definition:
                        self.diagnostics.error(token.loc, "`import` must come before the definitions")
                    schema.imports.append(ast.Import(path.value, token.loc))
                elif token.kind == "keyword" and token.text in _SETTINGS:
                    self.advance()
                    if token.text == "byte_order":
                        if self.at("keyword", "little") or self.at("keyword", "big"):
                            word = self.advance()
                            value = ast.Literal("ident", word.text, word.text, word.loc)
                        else:
                            self.fail("`little` or `big`")
                    else:
                        value = self.literal()
                        if value.kind != "int":
                            self.diagnostics.error(value.loc, f"`{token.text}` takes an integer")
                    self.expect("punct", ";")
                    if getattr(schema, token.text) is not None:
                        self.diagnostics.error(token.loc, f"`{token.text}` given twice")
                    elif seen_definition:
                        self.diagnostics.error(token.loc, f"`{token.text}` must come before the definitions")
                    setattr(schema, token.text, ast.Setting(value, token.loc))
                elif token.is_("ident", "framing"):
                    # A word here only, not a keyword: fields and types may still be called `framing`.
                    self.advance()
                    name = self.expect("string", what="a framing's name in quotes")
                    self.expect("punct", ";")
                    if schema.framing is not None:
                        self.diagnostics.error(token.loc, "`framing` given twice")
                    elif seen_definition:
                        self.diagnostics.error(token.loc, "`framing` must come before the definitions")
                    schema.framing = ast.Setting(ast.Literal("string", name.value, name.text, name.loc), token.loc)
                elif token.kind == "keyword" and token.text in _DEFINITIONS:
                    seen_definition = True
                    schema.definitions.append(self.definition())
                else:
                    self.fail("`package`, `import`, a setting or a definition")
            except _Recover:
                self.skip_statement()
        return schema

    def definition(self) -> ast.Definition:
        keyword = self.advance()
        kind = keyword.text
        if kind == "header":
            definition = ast.Definition("header", "header", keyword.loc)
            definition.fields = self.block(header=True)
            self.accept("punct", ";")
            return definition
        name = self.name(f"a name for the {kind}")
        definition = ast.Definition(kind, name.text, name.loc)
        if kind == "type":
            self.expect("punct", "=")
            definition.target = self.type_ref()
            self.expect("punct", ";")
        elif kind in ("enum", "flags"):
            self.expect("punct", ":")
            definition.target = self.type_ref(array=False)
            self.expect("punct", "{")
            while not self.at("punct", "}"):
                member = self.name("a member name")
                self.expect("punct", "=")
                definition.members.append(ast.Member(member.text, self.literal(), member.loc))
                if not self.accept("punct", ","):
                    break
            self.expect("punct", "}", what="`,` or `}`")
            self.accept("punct", ";")
        elif kind == "struct":
            definition.fields = self.block()
            self.accept("punct", ";")
        elif kind == "message":
            self.expect("punct", "=")
            definition.template_id = self.literal()
            definition.annotations = self.annotations()
            definition.fields = self.block()
            self.accept("punct", ";")
        return definition

    def block(self, header: bool = False) -> list[ast.Field]:
        self.expect("punct", "{")
        fields: list[ast.Field] = []
        while not self.at("punct", "}"):
            if self.at("eof"):
                self.fail("`}`")
            try:
                fields.append(self.field(header))
            except _Recover:
                self.skip_to_field_end()
        self.advance()
        return fields

    def field(self, header: bool) -> ast.Field:
        name = self.name("a field name", allow=("version",) if header else ())
        self.expect("punct", ":")
        kind_token = self.tok
        field = ast.Field(name.text, name.loc, "fixed", kind_loc=kind_token.loc)
        if self.accept("keyword", "group"):
            field.kind = "group"
            if self.accept("punct", "<"):
                field.block_length_type = self.type_ref(array=False)
                self.expect("punct", ",")
                field.count_type = self.type_ref(array=False)
                self.expect("punct", ">")
            field.annotations = self.annotations()
            field.fields = self.block()
            self.accept("punct", ";")
            return field
        if self.at("keyword", "string") or self.at("keyword", "bytes"):
            field.kind = self.advance().text
            if self.accept("punct", "<"):
                field.length_type = self.type_ref(array=False)
                self.expect("punct", ">")
        elif self.accept("keyword", "optional"):
            field.kind = "optional"
            field.type = self.type_ref()
        elif self.accept("keyword", "const"):
            field.kind = "const"
            field.type = self.type_ref()
            self.expect("punct", "=")
            field.value = self.literal()
        else:
            field.type = self.type_ref()
            if self.at("punct", "<"):
                self.unknown_generic(field.type)
        field.annotations = self.annotations()
        self.expect("punct", ";")
        return field

    def unknown_generic(self, ref: ast.TypeRef) -> None:
        """`strng<u8>`: a misspelt string, bytes or group, reported as the
        unknown type it is rather than as the `;` expected after a type."""
        hint = did_you_mean(ref.name, _GENERIC_TYPES)
        if not hint:
            hint = ": only string<L>, bytes<L> and group<B, C> take `<…>`"
        self.diagnostics.error(ref.loc, f"unknown type `{ref.name}`{hint}")
        raise _Recover()

    def type_ref(self, array: bool = True) -> ast.TypeRef:
        token = self.tok
        if token.kind == "ident" or (token.kind == "keyword" and token.text in _PRIMITIVE_WORDS):
            self.advance()
        else:
            self.fail("a type")
        ref = ast.TypeRef(token.text, token.loc)
        if array and self.accept("punct", "["):
            ref.array_length = self.literal()
            self.expect("punct", "]")
        return ref

    def annotations(self) -> list[ast.Annotation]:
        result = []
        while self.at("punct", "@"):
            at = self.advance()
            name = self.tok
            if name.kind not in ("ident", "keyword"):
                self.fail("an annotation name")
            self.advance()
            value = None
            if self.accept("punct", "("):
                value = self.literal()
                self.expect("punct", ")")
            result.append(ast.Annotation(name.text, value, at.loc))
        return result

    def literal(self) -> ast.Literal:
        token = self.tok
        negative = None
        if token.is_("punct", "-"):
            negative = self.advance()
            token = self.tok
        if token.kind in ("int", "float"):
            self.advance()
            value = -token.value if negative else token.value
            text = ("-" if negative else "") + token.text
            return ast.Literal(token.kind, value, text, (negative or token).loc)
        if token.kind == "ident":
            self.advance()
            text = token.text
            if self.at("punct", ".") and self.peek().kind == "ident" and not negative:
                self.advance()
                text += "." + self.advance().text
            if text in ("nan", "inf"):
                value = float(text)
                return ast.Literal("float", -value if negative else value, ("-" if negative else "") + text, (negative or token).loc)
            if negative:
                self.fail("a number after `-`", token)
            return ast.Literal("ident", text, text, token.loc)
        if negative:
            self.fail("a number after `-`")
        if token.kind in ("char", "string"):
            self.advance()
            return ast.Literal(token.kind, token.value, token.text, token.loc)
        self.fail("a value")


_PRIMITIVE_WORDS = frozenset(PRIMITIVES)


def parse_source(source: SourceFile, diagnostics: Diagnostics) -> ast.SchemaFile:
    return Parser(source, diagnostics).parse()
