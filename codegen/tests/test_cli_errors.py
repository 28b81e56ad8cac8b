# SPDX-License-Identifier: Apache-2.0
"""Every command on wrong arguments and bad files: one `error:` line (or a
schema's diagnostics), the documented exit status, never a traceback."""

import io
import os
import re
import subprocess
import sys
from unittest import mock

import pytest

from conftest import CODEGEN, REPO
from wirekit_codegen import __version__
from wirekit_codegen.cli import main

WIREKIT = os.path.join(CODEGEN, "bin", "wirekit")
CAR = os.path.join(REPO, "schemas", "examples", "car.wk")
COMMANDS = ["generate", "check", "layout", "encode", "decode"]
HELLO = "package t;\nschema_id 1;\nmessage Hello = 1 { n: u32; }\n"


class Result:
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def run(*args, input=b"", env=None, cwd=None):
    """main() in this process (a subprocess each is too slow on a busy machine):
    an exception that escapes it fails the test as a traceback would."""
    streams = [io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="") for data in (input, b"", b"")]
    saved = sys.stdin, sys.stdout, sys.stderr
    previous_dir = os.getcwd()
    sys.stdin, sys.stdout, sys.stderr = streams
    try:
        with mock.patch.dict(os.environ, env or {}):
            if cwd is not None:
                os.chdir(cwd)
            try:
                status = main(list(args))
            except SystemExit as done:  # argparse: usage errors, --help, --version
                status = done.code
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        os.chdir(previous_dir)
    for stream in streams[1:]:
        stream.flush()
    return Result(status, streams[1].buffer.getvalue(), streams[2].buffer.getvalue())


def fill(text, files):
    """text with each {name} replaced by the path of that file."""
    for name, path in files.items():
        text = text.replace("{" + name + "}", path)
    return text


@pytest.fixture
def files(tmp_path):
    """Bad inputs of every kind, by name."""
    (tmp_path / "a_directory").mkdir()
    (tmp_path / "a_file").write_text("x")
    (tmp_path / "not_utf8.wk").write_bytes(b"package t;\n\xff\xfe\n")
    (tmp_path / "empty.wk").write_bytes(b"")
    (tmp_path / "binary.wk").write_bytes(bytes(range(1, 128)))
    (tmp_path / "deep.wk").write_text("package t;\nschema_id 1;\nmessage M = 1 {" + " g: group {" * 2000 + "\n")
    (tmp_path / "hello.wk").write_text(HELLO)
    (tmp_path / "not_utf8.jsonl").write_bytes(b'{"Hello":{"n":"\xff"}}\n')
    (tmp_path / "deep.jsonl").write_text("[" * 100000 + "\n")
    (tmp_path / "garbage.bin").write_bytes(b"\x01\x02\x03")
    unreadable = tmp_path / "unreadable.wk"
    unreadable.write_text(HELLO)
    unreadable.chmod(0)
    return {path.name: str(path) for path in tmp_path.iterdir()} | {"missing": str(tmp_path / "missing.wk"), "dir": str(tmp_path)}


def test_no_arguments_prints_usage_and_exits_2():
    # Through the launcher, as a user runs it.
    result = subprocess.run([WIREKIT], capture_output=True)
    assert result.returncode == 2
    assert result.stderr.startswith(b"usage: wirekit") and b"generate" in result.stderr


@pytest.mark.parametrize("option", ["--version", "-V"])
def test_version(option):
    result = run(option)
    assert result.returncode == 0
    assert result.stdout == f"wirekit {__version__}\n".encode()


@pytest.mark.parametrize("command", COMMANDS)
def test_help_is_a_manual_page(command):
    result = run(command, "--help")
    assert result.returncode == 0
    for section in (b"usage: wirekit " + command.encode(), b"examples:\n  wirekit " + command.encode(),
                    b"imports:", b"exit status:", b"-I DIR"):
        assert section in result.stdout


USAGE_ERRORS = [
    ["bogus"],
    ["--bogus"],
    ["-I"],
    ["generate"],
    ["generate", CAR],  # no -o
    ["generate", CAR, "-o"],
    ["generate", "-", "-o", "{dir}/out"],
    ["generate", CAR, "-o", "{dir}/out", "--lang", "cobol"],
    ["check"],
    ["check", "-", "-"],
    ["check", "--against", CAR, CAR, CAR],
    ["check", "--against", "-", "-"],
    ["layout"],
    ["layout", "-", "-"],
    ["layout", CAR, "--message"],
    ["layout", CAR, "Car"],  # the message by --message now
    ["encode"],
    ["encode", CAR, CAR],  # one schema only
    ["encode", "-"],  # schema and data both on standard input
    ["encode", "-", "-i", "-"],
    ["encode", CAR, "--bogus"],
    ["decode"],
    ["decode", CAR, CAR],
    ["decode", "-"],
    ["decode", CAR, "-i"],
]


@pytest.mark.parametrize("argv", USAGE_ERRORS, ids=" ".join)
def test_usage_errors_exit_2(argv, files):
    result = run(*[fill(a, files) for a in argv])
    assert result.returncode == 2, result.stderr
    assert b"usage: wirekit" in result.stderr and b"error: " in result.stderr


BAD_SCHEMAS = {
    "missing": "No such file or directory",
    "a_directory": "Is a directory",
    "not_utf8.wk": ":2:1: error: not UTF-8 text: byte 0xff",
    "empty.wk": ":1:1: error: missing `package`",
    "binary.wk": "error: unexpected character",
    "deep.wk": "error: ",
    "unreadable.wk": "Permission denied",
}


def _schema_argv(command, schema, files):
    out = files["dir"] + "/out"
    return {
        "generate": ["generate", schema, "-o", out],
        "check": ["check", schema],
        "layout": ["layout", schema],
        "encode": ["encode", schema, "-o", out],
        "decode": ["decode", schema],
    }[command]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("bad", sorted(BAD_SCHEMAS))
def test_bad_schema_files_exit_1(command, bad, files):
    if bad == "unreadable.wk" and os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode")
    result = run(*_schema_argv(command, files[bad], files))
    assert result.returncode == 1, result.stderr
    assert BAD_SCHEMAS[bad].encode() in result.stderr
    assert not os.path.exists(files["dir"] + "/out")


@pytest.mark.parametrize("command", ["check", "layout"])
def test_bad_schema_on_standard_input(command):
    result = run(command, "-", input=b"package t;\nmessage M = 1 { a: Price; }\n")
    assert result.returncode == 1
    assert b"<stdin>:2:20: error: unknown type `Price`\n" in result.stderr


BAD_FILES = [
    # (argv, text in the one error line)
    (["generate", CAR, "-o", "{a_file}"], "-o {a_file}: not a directory"),
    (["generate", CAR, "-o", "{a_file}/sub"], "{a_file}/sub: Not a directory"),
    (["generate", CAR, "-o", "{dir}/gen", "--depfile", "{dir}/missing/x.d"], "{dir}/missing/x.d: No such file or directory"),
    (["generate", CAR, "{dir}/sub/car.wk", "-o", "{dir}/gen"], "No such file or directory"),
    (["layout", CAR, "--message", "Bike"], "no message `Bike` in " + CAR),
    (["encode", "{hello.wk}", "-i", "{missing}"], "{missing}: No such file or directory"),
    (["encode", "{hello.wk}", "-i", "{a_directory}"], "{a_directory}: Is a directory"),
    (["encode", "{hello.wk}", "-i", "{not_utf8.jsonl}"], "not UTF-8"),
    (["encode", "{hello.wk}", "-i", "{deep.jsonl}"], "error: "),
    (["encode", "{hello.wk}", "-o", "{a_directory}"], "{a_directory}: Is a directory"),
    (["decode", "{hello.wk}", "-i", "{missing}"], "{missing}: No such file or directory"),
    (["decode", "{hello.wk}", "-i", "{a_directory}"], "{a_directory}: Is a directory"),
    (["decode", "{hello.wk}", "-i", "{garbage.bin}"], "header of 8 bytes at byte 0 runs past the end (3 bytes)"),
    (["decode", "{hello.wk}", "-o", "{a_directory}"], "{a_directory}: Is a directory"),
]


@pytest.mark.parametrize("argv,message", BAD_FILES, ids=[" ".join(a) for a, _ in BAD_FILES])
def test_bad_files_exit_1_with_one_line(argv, message, files):
    result = run(*[fill(a, files) for a in argv], input=b'{"Hello":{"n":1}}\n' if argv[0] == "encode" else b"")
    assert result.returncode == 1, result.stderr
    stderr = result.stderr.decode()
    assert fill(message, files) in stderr
    assert stderr.startswith("wirekit: error: ") and stderr.count("\n") == 1, stderr


def test_several_schemas_report_every_error_and_write_nothing(files):
    out = files["dir"] + "/gen"
    result = run("generate", CAR, files["empty.wk"], files["missing"], "-o", out)
    assert result.returncode == 1
    assert b"empty.wk:1:1: error: missing `package`" in result.stderr and b"missing.wk: No such file" in result.stderr
    assert not os.path.exists(out)


def test_generate_several_schemas(files, tmp_path):
    out = tmp_path / "gen"
    result = run("generate", CAR, files["hello.wk"], "-o", str(out), "--depfile", str(tmp_path / "all.d"))
    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(out)) == ["car.wk.hpp", "hello.wk.hpp"]
    assert (tmp_path / "all.d").read_text().startswith(f"{out}/car.wk.hpp {out}/hello.wk.hpp: ")


def test_generate_refuses_two_schemas_of_one_name(files, tmp_path):
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "hello.wk").write_text(HELLO.replace("schema_id 1", "schema_id 2"))
    result = run("generate", files["hello.wk"], str(tmp_path / "other" / "hello.wk"), "-o", str(tmp_path / "gen"))
    assert result.returncode == 1
    assert result.stderr.decode().endswith("would both write hello.wk.hpp\n")


def test_check_and_layout_take_several_schemas(files):
    assert run("check", CAR, files["hello.wk"]).returncode == 0
    result = run("layout", CAR, files["hello.wk"])
    assert result.returncode == 0
    assert b"message Car = 1" in result.stdout and b"message Hello = 1" in result.stdout
    result = run("layout", CAR, files["hello.wk"], "-m", "Hello")
    assert b"message Hello = 1" in result.stdout and b"Car" not in result.stdout


def test_schema_and_data_from_standard_input(files, tmp_path):
    data = tmp_path / "in.jsonl"
    data.write_text('{"Hello":{"n":7}}\n')
    encoded = run("encode", "-", "-i", str(data), input=HELLO.encode())
    assert encoded.returncode == 0, encoded.stderr
    assert encoded.stdout == bytes([4, 0, 1, 0, 1, 0, 0, 0, 7, 0, 0, 0])
    decoded = run("decode", files["hello.wk"], "-i", "-", "-o", str(tmp_path / "out.jsonl"), input=encoded.stdout)
    assert decoded.returncode == 0 and decoded.stdout == b""
    assert (tmp_path / "out.jsonl").read_text() == '{"Hello":{"n":7}}\n'
    assert run("check", "--against", files["hello.wk"], "-", input=HELLO.encode()).returncode == 0


def test_import_dirs_and_wirekit_path(tmp_path):
    for name, size in (("one", "u8"), ("two", "u16"), ("three", "u32")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "common.wk").write_text(f"struct S {{ a: {size}; }}\n")
    schema = tmp_path / "s.wk"
    schema.write_text("package t;\nschema_id 1;\nimport \"common.wk\";\nmessage M = 1 { s: S; }\n")
    env = {"WIREKIT_PATH": os.pathsep.join([str(tmp_path / "nowhere"), "", str(tmp_path / "three")])}

    def block(*args, env=None):
        result = run("layout", str(schema), *args, env=env or {"WIREKIT_PATH": ""})
        assert result.returncode == 0, result.stderr
        return re.search(rb"message M = 1: block (\d+) bytes", result.stdout).group(1)

    assert block("-I", str(tmp_path / "two"), "--import-path", str(tmp_path / "one")) == b"2"
    assert block("-I", str(tmp_path / "one"), env=env) == b"1"  # -I before WIREKIT_PATH
    assert block(env=env) == b"4"
    missing = run("check", str(schema), "-I", str(tmp_path / "nowhere"))
    assert missing.returncode == 1
    assert missing.stderr.decode().startswith(
        f"{schema}:3:1: error: imported file \"common.wk\" not found (searched: {tmp_path}, {tmp_path / 'nowhere'})\n")


def test_stdin_schema_imports_relative_to_the_working_directory(tmp_path):
    (tmp_path / "common.wk").write_text("struct S { a: u16; }\n")
    result = run("check", "-", input=b'package t;\nschema_id 1;\nimport "common.wk";\nmessage M = 1 { s: S; }\n', cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_output_cut_short_is_quiet(files):
    # `wirekit decode ... | head -c1`: the reader leaves; no traceback, no "Exception ignored".
    pipe = subprocess.Popen(f"'{WIREKIT}' layout '{CAR}' '{CAR}' '{CAR}' | head -c1 >/dev/null", shell=True,
                            stderr=subprocess.PIPE)
    _, stderr = pipe.communicate(timeout=60)
    assert stderr == b""
