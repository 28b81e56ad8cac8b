# SPDX-License-Identifier: Apache-2.0
"""`wirekit check --against`: pairs of schemas and the changes reported."""

import os
import subprocess

from conftest import CODEGEN, REPO
from wirekit_codegen.compat import compare
from wirekit_codegen.compiler import load_schema

BASE = """package t;
schema_id 1;
version {version};
message Order = 1 {{
{fields}
}}
"""
OLD_FIELDS = """  id: u64;
  qty: u32;
  fills: group {
    px: i64;
  }
  venue: string<u8>;"""


def report(write_schema, new_fields, version=1, old_fields=OLD_FIELDS):
    old = load_schema(write_schema(BASE.format(version=0, fields=old_fields), name="old.wk"))
    new = load_schema(write_schema(BASE.format(version=version, fields=new_fields), name="new.wk"))
    d = compare(old, new)
    return [(e.severity, e.location.line, e.message) for e in d.sorted()]


def test_compatible_evolution(write_schema):
    new = OLD_FIELDS.replace("  qty: u32;", "  qty: u32;\n  stop: optional i64 @since(1);")
    new = new.replace("    px: i64;", "    px: i64;\n    size: u32 @since(1);")
    new += "\n  memo: string @since(1);"
    assert report(write_schema, new) == []


def test_retyped_moved_removed(write_schema):
    new = OLD_FIELDS.replace("  id: u64;", "  id: u32;")
    found = report(write_schema, new)
    assert ("error", 5, "field `Order.id` retyped from u64 to u32") in found
    assert ("error", 6, "field `Order.qty` moved from byte 8 to byte 4 of its block") in found
    found = report(write_schema, OLD_FIELDS.replace("  qty: u32;\n", ""))
    assert found == [("error", 6, "field `Order.qty` removed: old decoders read it from bytes that now hold something else (or nothing)")]


def test_new_fields_need_since(write_schema):
    found = report(write_schema, OLD_FIELDS.replace("  qty: u32;", "  qty: u32;\n  extra: u8;"))
    assert ("error", 7, "new field `Order.extra` without @since above the old version 0: new decoders require it in old messages") in found


def test_parts_reordered_or_new_in_the_wrong_place(write_schema):
    # (With @since(1) the schema itself would be rejected: a newer part before an older one.)
    found = report(write_schema, OLD_FIELDS.replace("  venue: string<u8>;", "  extra: bytes;\n  venue: string<u8>;"))
    assert [m for _, _, m in found] == ["new bytes `Order.extra` without @since above the old version 0",
                                        "new bytes `Order.extra` comes before `venue`: old decoders read it as `venue`"]
    found = report(write_schema, OLD_FIELDS.replace("    px: i64;", "    px: i64;\n    note: string @since(1);"))
    assert [m for _, _, m in found] == ["new string `Order.fills.note` in a group entry: old decoders cannot skip it, so they misread the entries after it"]


def test_changed_ids(write_schema):
    old = load_schema(write_schema(BASE.format(version=0, fields=OLD_FIELDS), name="old.wk"))
    new = load_schema(write_schema(BASE.format(version=0, fields=OLD_FIELDS).replace("= 1 {", "= 2 {").replace("schema_id 1", "schema_id 5"), name="new.wk"))
    messages = [e.message for e in compare(old, new).sorted()]
    assert "schema_id changed from 1 to 5: decoders of one reject every message of the other" in messages
    assert "message `Order`: template id changed from 1 to 2" in messages


def test_cli_reports_with_location_and_exit_status(write_schema):
    old = write_schema(BASE.format(version=0, fields=OLD_FIELDS), name="old.wk")
    new = write_schema(BASE.format(version=1, fields=OLD_FIELDS.replace("u32", "i32")), name="new.wk")
    result = subprocess.run([os.path.join(CODEGEN, "bin", "wirekit"), "check", "--against", old, new], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{new}:6:3: error: field `Order.qty` retyped from u32 to i32\n  qty: i32;\n  ^\n")
    ok = subprocess.run([os.path.join(CODEGEN, "bin", "wirekit"), "check", "--against", old, old], capture_output=True, text=True)
    assert ok.returncode == 0 and ok.stderr == ""


def test_versioned_test_schemas_are_compatible():
    v1 = load_schema(os.path.join(REPO, "schemas", "test", "versioned_v1.wk"))
    v2 = load_schema(os.path.join(REPO, "schemas", "test", "versioned_v2.wk"))
    assert [e for e in compare(v1, v2).items if e.severity == "error"] == []
