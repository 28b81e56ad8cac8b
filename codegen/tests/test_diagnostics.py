# SPDX-License-Identifier: Apache-2.0
"""Every kind of schema error, with its message and line:col; all reported at once."""

import os
import subprocess

import pytest

from conftest import CODEGEN
from wirekit_codegen.compiler import load_schema
from wirekit_codegen.syntax.diagnostics import Diagnostics, SchemaError

HEAD = "package t;\nschema_id 1;\n"  # lines 1-2


def errors(path):
    d = Diagnostics()
    with pytest.raises(SchemaError):
        load_schema(path, d)
    return [(e.location.line if e.location else 0, e.location.col if e.location else 0, e.message) for e in d.sorted() if e.severity == "error"]


CASES = [
    ("syntax: missing type", HEAD + "message M = 1 { a: ; }\n", [(3, 20, "expected a type, found `;`")]),
    ("syntax: missing semicolon", HEAD + "message M = 1 { a: u8 b: u8; }\n", [(3, 23, "expected `;`, found identifier `b`")]),
    ("syntax: bad character", HEAD + "message M = 1 { a: u8; # }\n", [(3, 24, "unexpected character '#'")]),
    ("syntax: unterminated string", HEAD + 'message M = 1 { c: const char[2] = "ab; }\n', [(3, 36, "unterminated string literal"), (4, 1, "expected a value, found end of file"), (4, 1, "expected `}`")]),
    ("keyword as a name", HEAD + "message M = 1 { group: u8; }\n", [(3, 17, "`group` is a keyword and cannot be used as a name")]),
    ("unknown type", HEAD + "message M = 1 { a: Price; }\n", [(3, 20, "unknown type `Price`")]),
    ("duplicate type name", HEAD + "enum E : u8 { A = 1 }\nstruct E { a: u8; }\n", [(4, 8, "duplicate name `E`")]),
    ("duplicate field", HEAD + "message M = 1 { a: u8; a: u16; }\n", [(3, 24, "duplicate field `a`")]),
    ("duplicate template id", HEAD + "message A = 1 { }\nmessage B = 1 { }\n", [(4, 9, "duplicate template id 1 (also used by `A`)")]),
    ("duplicate enum value", HEAD + "enum E : u8 { A = 1, B = 1 }\n", [(3, 26, "duplicate value 1 in enum `E` (also `A`)")]),
    ("enum value out of range", HEAD + "enum E : u8 { A = 256 }\n", [(3, 19, "value 256 is out of range for u8 (0..255)")]),
    ("const out of range", HEAD + "message M = 1 { c: const i8 = -129; }\n", [(3, 31, "constant -129 is out of range for i8 (-128..127)")]),
    ("@null out of range", HEAD + "message M = 1 { o: optional u16 @null(70000); }\n", [(3, 39, "@null value 70000 is out of range for u16 (0..65535)")]),
    ("enum of a float type", HEAD + "enum E : f32 { A = 1 }\n", [(3, 10, "the type of enum `E` must be an integer type or `char`, not `f32`")]),
    ("bad bit number", HEAD + "flags F : u8 { a = 8 }\n", [(3, 20, "bit number 8 of `a` is not in 0..7 (flags `F` is u8)")]),
    ("duplicate bit", HEAD + "flags F : u16 { a = 3, b = 3 }\n", [(3, 28, "duplicate bit 3 in flags `F` (also `a`)")]),
    ("flags of a signed type", HEAD + "flags F : i8 { a = 1 }\n", [(3, 11, "the type of flags `F` must be an unsigned integer type, not `i8`")]),
    ("overlapping @offset", HEAD + "message M = 1 { a: u32; b: u8 @offset(2); }\n", [(3, 31, "@offset(2) of `b` overlaps `a`, which ends at byte 4")]),
    ("fixed field after a group", HEAD + "message M = 1 { g: group { x: u8; } a: u8; }\n", [(3, 37, "fixed field `a` comes after group `g`")]),
    ("fixed field after a string", HEAD + "message M = 1 { s: string; a: u8; }\n", [(3, 28, "fixed field `a` comes after string field `s`")]),
    ("group after a string", HEAD + "message M = 1 { s: bytes; g: group { x: u8; } }\n", [(3, 27, "group `g` comes after bytes field `s`")]),
    ("@since above version", HEAD + "version 1;\nmessage M = 1 { a: u8 @since(2); }\n", [(4, 30, "@since(2) is above the schema version 1")]),
    ("@since out of order", HEAD + "version 2;\nmessage M = 1 { a: u8 @since(2); b: u8 @since(1); }\n", [(4, 34, "`b` (since version 1) comes after `a` (@since(2))")]),
    ("struct containing a group", HEAD + "struct S { g: group { x: u8; } }\n", [(3, 15, "a struct cannot contain a group (`g`)")]),
    ("struct containing a string", HEAD + "struct S { s: string; }\n", [(3, 15, "a struct cannot contain a string field (`s`)")]),
    ("recursive structs", HEAD + "struct A { b: B; }\nstruct B { a: A; }\n", [(3, 8, "struct `A` contains itself: A -> B -> A"), (4, 8, "struct `B` contains itself: B -> A -> B")]),
    ("recursive alias", HEAD + "type A = B;\ntype B = A;\n", [(3, 6, "recursive type alias: A -> B -> A"), (4, 6, "recursive type alias: B -> A -> B")]),
    ("header lacks a field", HEAD + "header { blockLength: u16; templateId: u16; schemaId: u16; }\n", [(3, 1, "header lacks `version`")]),
    ("header with a signed field", HEAD + "header { blockLength: i16; templateId: u16; schemaId: u16; version: u16; }\n", [(3, 10, "header field `blockLength` must be an unsigned integer type, not `i16`")]),
    ("header with a signed extra field", HEAD + "header { blockLength: u16; templateId: u16; schemaId: u16; version: u16; extra: i8; }\n", [(3, 74, "header field `extra` must be an unsigned integer type, not `i8`")]),
    ("template id too big for the header", HEAD + "header { blockLength: u16; templateId: u8; schemaId: u16; version: u16; }\nmessage M = 300 { }\n", [(4, 9, "template id 300 of `M` does not fit the header's templateId (u8)")]),
    ("missing package", "schema_id 1;\nmessage M = 1 { }\n", [(1, 1, "missing `package`")]),
    ("missing schema_id", "package t;\nmessage M = 1 { }\n", [(1, 1, "missing `schema_id` (required when the schema has messages)")]),
    ("optional struct", HEAD + "struct S { a: u8; }\nmessage M = 1 { o: optional S; }\n", [(4, 29, "`optional` takes a scalar or enum type, not `S`")]),
    ("@max on a fixed field", HEAD + "message M = 1 { a: u8 @max(3); }\n", [(3, 23, "@max cannot be used on a fixed field")]),
    ("unknown annotation", HEAD + "message M = 1 { a: u8 @sincee(1); }\n", [(3, 23, "unknown annotation @sincee")]),
    ("@block_length too small", HEAD + "message M = 1 @block_length(2) { a: u32; }\n", [(3, 9, "@block_length(2) is less than the 4 bytes of the fixed fields")]),
    ("string constant too long", HEAD + 'message M = 1 { c: const char[2] = "abc"; }\n', [(3, 36, "string of 3 bytes does not fit in char[2]")]),
    ("length type", HEAD + "message M = 1 { s: string<u64>; }\n", [(3, 27, "the length type of a string must be u8, u16 or u32, not `u64`")]),
    ("misspelt string<L>", HEAD + "message M = 1 { s: strng<u8>; n: u8; }\n", [(3, 20, "unknown type `strng` (did you mean `string`?)")]),
    ("misspelt bytes<L>", HEAD + "message M = 1 { b: byts<u16>; }\n", [(3, 20, "unknown type `byts` (did you mean `bytes`?)")]),
    ("misspelt group<B, C>", HEAD + "message M = 1 { g: grop<u16, u8> { x: u8; } s: string; }\n", [(3, 20, "unknown type `grop` (did you mean `group`?)")]),
    ("unknown type taking <…>", HEAD + "message M = 1 { s: text<u8>; }\n", [(3, 20, "unknown type `text`: only string<L>, bytes<L> and group<B, C> take `<…>`")]),
    ("misspelt type name", HEAD + "type Price = i64;\nmessage M = 1 { a: Prce; b: u3; }\n", [(4, 20, "unknown type `Prce` (did you mean `Price`?)"), (4, 29, "unknown type `u3` (did you mean `u32`?)")]),
]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_diagnostic(write_schema, name, text, expected):
    found = errors(write_schema(text))
    assert [(line, col) for line, col, _ in found] == [(line, col) for line, col, _ in expected], found
    for (_, _, message), (_, _, want) in zip(found, expected):
        assert message.startswith(want), message


def test_every_error_at_once(write_schema):
    text = HEAD + "message M = 1 { a: Nope; b: u8 c: u8; }\nenum E : u8 { A = 1, B = 1 }\nmessage N = 1 { }\n"
    found = errors(write_schema(text))
    messages = [m for _, _, m in found]
    assert any("expected `;`" in m for m in messages)
    assert any("unknown type `Nope`" in m for m in messages)
    assert any("duplicate value 1" in m for m in messages)
    assert any("duplicate template id 1" in m for m in messages)


def test_import_cycle(write_schema):
    path = write_schema(HEAD + 'import "a.wk";\n', a__wk='import "b.wk";\n', b__wk='import "a.wk";\n')
    assert errors(path) == [(1, 1, "import cycle: a.wk -> b.wk -> a.wk")]


def test_missing_import_names_the_directories_searched(write_schema, tmp_path):
    path = write_schema(HEAD + 'import "nowhere.wk";\n')
    d = Diagnostics()
    with pytest.raises(SchemaError):
        load_schema(path, d, import_dirs=["inc", "/opt/wk"])
    ((error),) = d.errors()
    assert (error.location.line, error.location.col) == (3, 1)
    assert error.message == f'imported file "nowhere.wk" not found (searched: {tmp_path}, inc, /opt/wk)'


def test_import_found_in_import_dirs_in_order(tmp_path):
    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()
    (tmp_path / "first" / "c.wk").write_text("struct S { a: u8; }\n")
    (tmp_path / "second" / "c.wk").write_text("struct S { a: u8; b: u32; }\n")
    (tmp_path / "src").mkdir()
    path = tmp_path / "src" / "s.wk"
    path.write_text(HEAD + 'import "c.wk";\nmessage M = 1 { s: S; }\n')
    dirs = [str(tmp_path / "first"), str(tmp_path / "second")]
    assert load_schema(str(path), import_dirs=dirs).messages[0].block_length == 1
    assert load_schema(str(path), import_dirs=dirs[::-1]).messages[0].block_length == 5
    # Next to the importing file comes first.
    (tmp_path / "src" / "c.wk").write_text("struct S { a: u16; }\n")
    assert load_schema(str(path), import_dirs=dirs).messages[0].block_length == 2


def test_unreadable_import(write_schema, tmp_path):
    (tmp_path / "c.wk").mkdir()
    ((line, col, message),) = errors(write_schema(HEAD + 'import "c.wk";\n'))
    assert (line, col) == (3, 1)
    assert message == 'cannot read imported file "' + os.path.relpath(tmp_path / "c.wk") + '": Is a directory'


def test_schema_that_is_not_utf8(tmp_path):
    path = tmp_path / "s.wk"
    path.write_bytes(HEAD.encode() + b"message M = 1 { a\xff: u8; }\n")
    assert errors(str(path)) == [(3, 18, "not UTF-8 text: byte 0xff (invalid start byte)")]


def test_imported_file_holds_only_types(write_schema):
    path = write_schema(HEAD + 'import "c.wk";\n', c__wk="package x;\nmessage Q = 3 { }\nstruct S { a: u8; }\n")
    messages = [m for _, _, m in errors(path)]
    assert "an imported file holds only type definitions: no `package`" in messages
    assert "an imported file holds only type definitions: no `message`" in messages


def test_imported_types_join_the_schema(write_schema):
    path = write_schema(HEAD + 'import "c.wk";\nmessage M = 1 { s: S; }\n', c__wk="struct S { a: u8; b: u16; }\n")
    schema = load_schema(path)
    assert schema.messages[0].block_length == 3


def test_cpp_keyword_gets_an_underscore_and_a_warning(write_schema):
    d = Diagnostics()
    schema = load_schema(write_schema(HEAD + "message M = 1 { class: u8; }\n"), d)
    assert schema.messages[0].fields[0].cpp_name == "class_"
    assert [w.message for w in d.items if w.severity == "warning"] == [
        "field `class` is a C++ keyword; the generated code calls it `class_`"]


def test_rendering_and_exit_status(write_schema):
    path = write_schema(HEAD + "message M = 1 {\n  a: Price;\n}\n")
    result = subprocess.run([os.path.join(CODEGEN, "bin", "wirekit"), "check", path], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == f"{path}:4:6: error: unknown type `Price`\n  a: Price;\n     ^\n"


def test_misspelt_string_is_an_unknown_type_with_a_caret(write_schema):
    # Was "expected `;`, found `<`", with the caret under the `<`.
    path = write_schema(HEAD + "message M = 1 {\n  name: strng<u8>;\n}\n")
    result = subprocess.run([os.path.join(CODEGEN, "bin", "wirekit"), "check", path], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == (
        f"{path}:4:9: error: unknown type `strng` (did you mean `string`?)\n  name: strng<u8>;\n        ^\n")
