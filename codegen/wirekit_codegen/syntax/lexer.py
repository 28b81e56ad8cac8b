# SPDX-License-Identifier: Apache-2.0
"""The lexer: `.wk` text to tokens. Errors are reported and skipped, never fatal."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .diagnostics import Diagnostics, Location, SourceFile

PRIMITIVES = ("u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "f32", "f64", "char", "bool")

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

KEYWORDS = frozenset(
    (
        "package schema_id version byte_order little big import type enum flags struct "
        "message header group optional const string bytes"
    ).split()
) | frozenset(PRIMITIVES)

PUNCTUATION = set(";:={}<>[](),.@-")


@dataclass
class Token:
    kind: str  # ident | keyword | int | float | char | string | punct | eof
    text: str  # the source text (for punct/keyword/ident: the symbol itself)
    value: object
    loc: Location

    def is_(self, kind: str, text: str | None = None) -> bool:
        return self.kind == kind and (text is None or self.text == text)

    def describe(self) -> str:
        if self.kind == "eof":
            return "end of file"
        if self.kind in ("punct", "keyword"):
            return f"`{self.text}`"
        if self.kind == "ident":
            return f"identifier `{self.text}`"
        return f"{self.kind} literal {self.text}"


_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "n": "\n", "t": "\t", "0": "\0", "r": "\r"}


def tokenize(source: SourceFile, diagnostics: Diagnostics) -> list[Token]:
    text = source.text
    tokens: list[Token] = []
    i = 0
    line = 1
    line_start = 0
    n = len(text)

    def loc_at(pos: int) -> Location:
        return source.at(line, pos - line_start + 1)

    while i < n:
        c = text[i]
        if c == "\n":
            i += 1
            line += 1
            line_start = i
            continue
        if c in " \t\r\ufeff":
            i += 1
            continue
        if text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if text.startswith("/*", i):
            start = loc_at(i)
            end = text.find("*/", i + 2)
            if end < 0:
                diagnostics.error(start, "unterminated comment")
                end = n
            else:
                end += 2
            while i < end:
                if text[i] == "\n":
                    line += 1
                    line_start = i + 1
                i += 1
            continue
        start = i
        loc = loc_at(i)
        if c.isascii() and (c.isalpha() or c == "_"):
            while i < n and text[i].isascii() and (text[i].isalnum() or text[i] == "_"):
                i += 1
            word = text[start:i]
            tokens.append(Token("keyword" if word in KEYWORDS else "ident", word, word, loc))
            continue
        if c == "`":
            # `name`: a keyword used as a name (SBE XML schemas have fields called `type`, `version`).
            end = text.find("`", i + 1)
            word = text[i + 1:end] if end > 0 else ""
            if end < 0 or "\n" in word or not _IDENTIFIER.fullmatch(word):
                diagnostics.error(loc, "a quoted name is an identifier between backquotes, e.g. `type`")
                i = end + 1 if end > 0 and "\n" not in word else i + 1
                continue
            i = end + 1
            tokens.append(Token("ident", word, word, loc))
            continue
        if c.isdigit():
            i, token = _number(text, i, loc, diagnostics)
            tokens.append(token)
            continue
        if c == "'" or c == '"':
            i, value, ok = _quoted(text, i, loc, diagnostics)
            raw = text[start:i]
            if not ok:
                continue
            if c == "'":
                if len(value) != 1:
                    diagnostics.error(loc, "a character literal holds exactly one character")
                    continue
                if ord(value) > 0xFF:
                    diagnostics.error(loc, "a character literal must be one byte (ASCII)")
                    continue
                tokens.append(Token("char", raw, ord(value), loc))
            else:
                tokens.append(Token("string", raw, value, loc))
            continue
        if c in PUNCTUATION:
            tokens.append(Token("punct", c, c, loc))
            i += 1
            continue
        diagnostics.error(loc, f"unexpected character {c!r}")
        i += 1
    tokens.append(Token("eof", "", None, loc_at(i)))
    return tokens


def _number(text: str, i: int, loc: Location, diagnostics: Diagnostics):
    n = len(text)
    start = i
    if text.startswith(("0x", "0X"), i) or text.startswith(("0b", "0B"), i):
        base = 16 if text[i + 1] in "xX" else 2
        i += 2
        while i < n and (text[i].isalnum() or text[i] == "_"):
            i += 1
        raw = text[start:i]
        try:
            return i, Token("int", raw, int(raw[2:].replace("_", ""), base), loc)
        except ValueError:
            diagnostics.error(loc, f"invalid integer literal `{raw}`")
            return i, Token("int", raw, 0, loc)
    while i < n and text[i].isdigit():
        i += 1
    is_float = False
    if i < n and text[i] == "." and i + 1 < n and text[i + 1].isdigit():
        is_float = True
        i += 1
        while i < n and text[i].isdigit():
            i += 1
    if i < n and text[i] in "eE":
        j = i + 1
        if j < n and text[j] in "+-":
            j += 1
        if j < n and text[j].isdigit():
            is_float = True
            i = j
            while i < n and text[i].isdigit():
                i += 1
    end = i
    while i < n and (text[i].isalnum() or text[i] == "_"):
        i += 1
    raw = text[start:i]
    if i != end:
        diagnostics.error(loc, f"invalid number literal `{raw}`")
        return i, Token("int", raw, 0, loc)
    if is_float:
        return i, Token("float", raw, float(raw), loc)
    return i, Token("int", raw, int(raw), loc)


def _quoted(text: str, i: int, loc: Location, diagnostics: Diagnostics):
    quote = text[i]
    i += 1
    n = len(text)
    out = []
    ok = True
    while True:
        if i >= n or text[i] == "\n":
            diagnostics.error(loc, "unterminated " + ("string" if quote == '"' else "character") + " literal")
            return i, "", False
        c = text[i]
        if c == quote:
            i += 1
            break
        if c == "\\":
            if i + 1 >= n:
                i += 1
                continue
            e = text[i + 1]
            if e in _ESCAPES:
                out.append(_ESCAPES[e])
                i += 2
            elif e == "x" and _is_hex2(text[i + 2 : i + 4]):
                out.append(chr(int(text[i + 2 : i + 4], 16)))
                i += 4
            else:
                diagnostics.error(loc, f"invalid escape `\\{e}` (use \\\" \\\\ \\n \\t \\0 \\xHH)")
                ok = False
                i += 2
            continue
        out.append(c)
        i += 1
    return i, "".join(out), ok


def _is_hex2(digits: str) -> bool:
    return len(digits) == 2 and all(h in "0123456789abcdefABCDEF" for h in digits)
