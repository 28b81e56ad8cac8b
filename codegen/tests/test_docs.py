# SPDX-License-Identifier: Apache-2.0
"""The user references keep to the code: every fenced block of the docs below
is either quoted from a file that the build compiles and runs (C++, schemas,
expected output), the output of a command run here, or a schema that
`wirekit check` accepts.

Before a block, a marker line says where it comes from:
  <!-- file: docs/examples/cpp_api_tour.cpp#encode -->   the file, or the lines
      between its `// [encode]` and `// [/encode]` lines, dedented
  <!-- command: wirekit layout docs/examples/shop.wk --message Ping -->   its standard output
A ```wk block without a marker is checked with `wirekit check`; one without a
`package` line is checked inside `package docs; schema_id 1;`. A ```cpp block
must have a marker: C++ in these docs is always compiled (tests/docs)."""

import os
import re
import shlex
import subprocess
import textwrap

import pytest

from conftest import CODEGEN, REPO

DOCS = ["docs/schema-language.md", "docs/cpp-api.md", "docs/clients.md", "docs/scale.md"]
WIREKIT = os.path.join(CODEGEN, "bin", "wirekit")
MARKER = re.compile(r"<!-- (file|command): (.+?) -->")
FENCE = re.compile(r"^```(\w*)$")


def blocks(doc):
    """(line number, language, marker or None, text) of each fenced block."""
    lines = open(os.path.join(REPO, doc), encoding="utf-8").read().split("\n")
    found = []
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        end = lines.index("```", i + 1)
        marker = MARKER.fullmatch(lines[i - 1]) if i > 0 else None
        found.append((i + 1, opening.group(1), marker, "\n".join(lines[i + 1:end]) + "\n"))
        i = end + 1
    return found


def quoted(reference):
    path, _, region = reference.partition("#")
    text = open(os.path.join(REPO, path), encoding="utf-8").read()
    if not region:
        return text
    match = re.search(rf"^[ \t]*// \[{region}\]\n(.*?)^[ \t]*// \[/{region}\]\n", text, re.M | re.S)
    assert match, f"no region [{region}] in {path}"
    return textwrap.dedent(match.group(1))


def run_command(command, tmp_path):
    words = shlex.split(command)
    assert words[0] == "wirekit", command
    result = subprocess.run([WIREKIT, *words[1:]], cwd=REPO, capture_output=True, text=True)
    return result.stdout + result.stderr


CASES = [(doc, *block) for doc in DOCS for block in blocks(doc)]


@pytest.mark.parametrize("doc,line,language,marker,text", CASES,
                         ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_block(doc, line, language, marker, text, tmp_path):
    check_block(doc, line, language, marker, text, tmp_path)


def check_block(doc, line, language, marker, text, tmp_path):
    if marker and marker.group(1) == "file":
        assert text == quoted(marker.group(2)), f"{doc}:{line} differs from {marker.group(2)}"
    elif marker:
        assert text == run_command(marker.group(2), tmp_path), f"{doc}:{line}: output of {marker.group(2)}"
    elif language == "wk":
        schema = text if re.search(r"^package ", text, re.M) else "package docs;\nschema_id 1;\n" + text
        path = tmp_path / "block.wk"
        path.write_text(schema)
        result = subprocess.run([WIREKIT, "check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0 and result.stderr == "", f"{doc}:{line}:\n{result.stderr}"
    else:
        assert language not in ("cpp", "c++"), f"{doc}:{line}: C++ without a file the build compiles"


def test_every_doc_has_blocks():
    for doc in DOCS:
        assert blocks(doc), doc


def test_quoted_binary_is_what_encode_writes(tmp_path):
    # docs/schema-language.md decodes orders.bin and says it is orders.jsonl encoded.
    out = tmp_path / "orders.bin"
    subprocess.run([WIREKIT, "encode", "docs/examples/shop.wk", "-i", "docs/examples/orders.jsonl",
                    "-o", str(out)], cwd=REPO, check=True)
    assert out.read_bytes() == open(os.path.join(REPO, "docs/examples/orders.bin"), "rb").read()


def test_a_changed_block_is_caught(tmp_path):
    # The check itself: a quote that drifted from its file, a command's output
    # that changed, a bad schema and unquoted C++ each fail.
    marker = MARKER.fullmatch("<!-- file: docs/examples/cpp_api_tour.cpp#encode -->")
    text = quoted("docs/examples/cpp_api_tour.cpp#encode")
    check_block("doc", 1, "cpp", marker, text, tmp_path)
    with pytest.raises(AssertionError):
        check_block("doc", 1, "cpp", marker, text.replace("42", "43"), tmp_path)
    command = MARKER.fullmatch("<!-- command: wirekit layout docs/examples/shop.wk --message Ping -->")
    with pytest.raises(AssertionError):
        check_block("doc", 1, "text", command, "message Ping = 2\n", tmp_path)
    with pytest.raises(AssertionError):
        check_block("doc", 1, "wk", None, "message M = 1 { a: strng<u8>; }\n", tmp_path)
    with pytest.raises(AssertionError):
        check_block("doc", 1, "cpp", None, "int main() {}\n", tmp_path)
