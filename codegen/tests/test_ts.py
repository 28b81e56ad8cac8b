# SPDX-License-Identifier: Apache-2.0
"""The TypeScript back end (`generate --lang ts`): what it writes. Its behaviour
is tested in js/ (npm test) and by tests/codec/crosscheck.py against the CLI
(CTest: ts.*)."""

import os
import re
import subprocess

from conftest import CODEGEN, REPO

WIREKIT = os.path.join(CODEGEN, "bin", "wirekit")
TRADING = os.path.join(REPO, "schemas", "examples", "trading.wk")


def generate(schema, out, *extra):
    return subprocess.run([WIREKIT, "generate", "--lang", "ts", schema, "-o", str(out), *extra], capture_output=True, text=True)


def test_writes_the_module_and_the_shared_code_with_a_depfile(tmp_path):
    result = generate(TRADING, tmp_path, "--depfile", str(tmp_path / "t.d"))
    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(tmp_path)) == ["t.d", "trading.wk.ts", "wirekit_codec.ts"]
    depfile = (tmp_path / "t.d").read_text()
    assert depfile.startswith(f"{tmp_path / 'trading.wk.ts'} {tmp_path / 'wirekit_codec.ts'}: ")
    assert "module.ts.j2" in depfile and "emit/ts.py" in depfile


def test_browser_safe_imports_and_no_any(tmp_path):
    assert generate(TRADING, tmp_path).returncode == 0
    module = (tmp_path / "trading.wk.ts").read_text()
    runtime = (tmp_path / "wirekit_codec.ts").read_text()
    assert set(re.findall(r'from "([^"]+)"', module)) == {"./wirekit_codec.js"}
    assert "import" not in runtime
    for text in (module, runtime):
        code = re.sub(r"//.*|/\*.*?\*/", "", text, flags=re.S)
        assert not re.search(r"\bany\b", code)
        assert not re.search(r"\b(Buffer|process|require|global)\b", code)


def test_a_field_named_like_a_member_gets_an_underscore(tmp_path, write_schema):
    schema = write_schema("package p; schema_id 1; version 0;\nmessage M = 1 { toJSON: u8; templateId: u16; }\n")
    assert generate(schema, tmp_path).returncode == 0
    module = (tmp_path / "s.wk.ts").read_text()
    assert "get toJSON_(): number" in module and "get templateId_(): number" in module
    assert 's += "\\"toJSON\\":" + String(x);' in module  # the JSON form keeps the schema's name


def test_unknown_language_is_refused(tmp_path):
    result = subprocess.run([WIREKIT, "generate", "--lang", "rust", TRADING, "-o", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 2 and "invalid choice: 'rust'" in result.stderr


def test_header_fields_of_its_own_are_written_as_zero(tmp_path, write_schema):
    # Found by test_cli_fuzz.py: SBE 2.0's numGroups/numVarDataFields in the
    # header (schemas/sbe/rc2_minimal.xml) made the back end raise KeyError.
    schema = write_schema("package p; schema_id 1; version 0;\n"
                          "header { blockLength: u16; templateId: u16; schemaId: u16; `version`: u16;"
                          " numGroups: u16; extra: u64; }\n"
                          "message M = 1 { x: u8; }\n")
    result = generate(schema, tmp_path)
    assert result.returncode == 0, result.stderr
    module = (tmp_path / "s.wk.ts").read_text()
    # The header is written four bytes at a time: blockLength 1 and templateId 1,
    # schemaId 1 and version 0, then numGroups and extra as zeros up to byte 18.
    assert "view.setUint32(offset + 0, 65537, true);" in module
    assert "view.setUint32(offset + 4, 1, true);" in module
    for store in ("setUint32(offset + 8, 0, true)", "setUint32(offset + 12, 0, true)", "setUint16(offset + 16, 0, true)"):
        assert f"view.{store};" in module
    assert generate(os.path.join(REPO, "schemas", "sbe", "rc2_minimal.xml"), tmp_path).returncode == 0


def test_plain_object_types_take_names_no_other_export_has(tmp_path, write_schema):
    # A struct called MObject: message M's object type becomes MObject_, the struct's own MObjectObject.
    schema = write_schema("package p; schema_id 1; version 0;\nstruct MObject { x: u8; }\n"
                          "message M = 1 { s: MObject; g: group { y: u8; } }\n")
    assert generate(schema, tmp_path).returncode == 0
    module = (tmp_path / "s.wk.ts").read_text()
    assert "export interface MObjectObject {\n  x: number;\n}" in module
    assert "export interface MObject_ {\n  s: MObjectObject;\n  g: MGObject[];\n}" in module
    assert "export interface MGObject {\n  y: number;\n}" in module
    assert "export const M: MessageType<MDecoder, MEncoder, MObject_> = {" in module


def test_plain_object_writer_zeroes_only_the_bytes_no_field_covers(tmp_path, write_schema):
    schema = write_schema("package p; schema_id 1; version 0;\n"
                          "message L = 1 @block_length(24) { a: u8; b: u32 @offset(4); c: u16 @offset(10); }\n")
    assert generate(schema, tmp_path).returncode == 0
    module = (tmp_path / "s.wk.ts").read_text()
    write = module[module.index("function writeM_L(view: DataView, offset: number, end: number, o: LObject): number {"):]
    write = write[:write.index("\n}")]
    # Bytes 1-3, 8-9 and 12-23: padding, written as zero; the fields' bytes once each, and no zeroing loop.
    stores = re.findall(r"view\.set\w+\(b \+ \d+, [^;]*\);", write)
    assert stores == ["view.setUint16(b + 1, 0);", "view.setUint8(b + 3, 0);", "view.setUint16(b + 8, 0);",
                      "view.setFloat64(b + 12, 0);", "view.setUint32(b + 20, 0);",
                      "view.setUint8(b + 0, o.a);", "view.setUint32(b + 4, o.b, true);", "view.setUint16(b + 10, o.c, true);"]
