# SPDX-License-Identifier: Apache-2.0
"""A fuzzer for the command line: mutated schemas (.wk and SBE XML), bytes and
JSON against every subcommand (generate, check, layout, convert, encode, decode).

Whatever the input, the CLI answers with exit status 0, 1 or 2 and, on error,
messages of its own: never a Python traceback, never a hang. Inputs it accepts
are checked against themselves (decode, encode, decode gives the same JSON) and,
when CTest passes WIREKIT_CROSSCHECK (the codec_crosscheck program of
tests/codec), against the generated C++ decoders. SBE XML schemas that `check`
accepts convert to .wk and back with the same layout.

Deterministic (fixed seeds) and bounded: each group stops after its time
budget, so the whole file takes about 40 seconds. Most cases run in this
process (cli.main with its output captured, under an alarm); a sample runs
the real `wirekit` executable in a subprocess with a timeout.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import random
import re
import shutil
import signal
import struct
import subprocess
import sys
import time

import pytest

from conftest import CODEGEN, REPO

sys.path.insert(0, os.path.join(REPO, "tests", "codec"))

from crosscheck import Generator  # noqa: E402
from wirekit_codegen import cli  # noqa: E402
from wirekit_codegen.compiler import load_schema  # noqa: E402
from wirekit_codegen.wire.codec import WireError, decode_message, decode_stream, encode_json_lines  # noqa: E402

WIREKIT = os.path.join(CODEGEN, "bin", "wirekit")
SCHEMA_DIRS = [os.path.join(REPO, "schemas", "examples"), os.path.join(REPO, "schemas", "test")]
SCHEMAS = sorted(os.path.join(d, n) for d in SCHEMA_DIRS for n in os.listdir(d)
                 if n.endswith(".wk") and not n.endswith("_common.wk"))
# Seconds each group may take; a case that runs longer than CASE_TIMEOUT is a hang.
BUDGET = 4.0
CASE_TIMEOUT = 10


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def run_in_process(argv: list[str], stdin: bytes = b"") -> tuple[int, str, bytes]:
    """cli.main(argv) with stdin, stdout and stderr in memory: (status, stderr, stdout)."""
    out, err = io.BytesIO(), io.StringIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    stdin_wrapper = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    old = sys.stdin, sys.stdout, sys.stderr
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(CASE_TIMEOUT)
    try:
        sys.stdin, sys.stdout, sys.stderr = stdin_wrapper, stdout, err
        try:
            status = cli.main(argv)
        except SystemExit as exit_:  # argparse
            status = exit_.code if isinstance(exit_.code, int) else 2
        except Hang:
            pytest.fail(f"wirekit {' '.join(argv)} ran longer than {CASE_TIMEOUT} s")
        except BaseException as error:  # noqa: BLE001 - any escape is the bug reported
            raise AssertionError(f"wirekit {' '.join(argv)} raised {error!r}\nstdin: {stdin[:200]!r}") from error
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        sys.stdin, sys.stdout, sys.stderr = old
    stdout.flush()
    assert status in (0, 1, 2), f"wirekit {' '.join(argv)} exited {status}"
    message = err.getvalue()
    assert "Traceback" not in message, message
    if status != 0:
        assert message.strip(), f"wirekit {' '.join(argv)} failed without saying why"
    return status, message, out.getvalue()


def run_subprocess(argv: list[str], stdin: bytes = b"") -> int:
    try:
        result = subprocess.run([WIREKIT, *argv], input=stdin, capture_output=True, timeout=CASE_TIMEOUT * 3)
    except subprocess.TimeoutExpired:
        pytest.fail(f"wirekit {' '.join(argv)} hung")
    assert result.returncode in (0, 1, 2), (argv, result.returncode, result.stderr)
    assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")
    return result.returncode


def budget():
    """Counts cases until the group's time is up (at least 20 cases)."""
    start = time.monotonic()
    count = 0
    while count < 20 or time.monotonic() - start < BUDGET:
        yield count
        count += 1


# --- Schemas ---

TOKENS = ["{", "}", ";", ":", "=", "<", ">", "(", ")", "@max(", "@since(", "message", "group", "enum", "flags",
          "struct", "type", "import", "package", "schema_id", "version", "byte_order", "const", "optional",
          "u8", "u64", "i32", "f32", "char", "bool", "string<u8>", "bytes<u32>", "[4]", "char[0]", "0", "-1",
          "65535", "4294967296", "99999999999999999999999", "1e9", "0x", "\"", "//", "/*", "\x00", "\t", "é",
          "\U0001d11e", "\\", "\n", " "]


def mutate_text(rng: random.Random, text: str, tokens: list[str]) -> str:
    for _ in range(rng.randint(1, 4)):
        if not text:
            text = rng.choice(tokens)
        at = rng.randrange(len(text) + 1)
        kind = rng.random()
        if kind < 0.3:
            text = text[:at] + text[at + rng.randint(1, 12):]
        elif kind < 0.6:
            text = text[:at] + rng.choice(tokens) + text[at:]
        elif kind < 0.75:
            start = rng.randrange(len(text))
            text = text[:at] + text[start:start + rng.randint(1, 40)] + text[at:]
        elif kind < 0.9:
            text = text[:at]
        else:
            digits = [i for i, c in enumerate(text) if c.isdigit()]
            if digits:
                i = rng.choice(digits)
                text = text[:i] + rng.choice(["0", "9" * 25, "-3", "256", "65536"]) + text[i + 1:]
    return text


def test_mutated_schemas_against_generate_check_layout(tmp_path):
    rng = random.Random(11)
    out = tmp_path / "out"
    for case in budget():
        source = rng.choice(SCHEMAS)
        with open(source, encoding="utf-8") as handle:
            text = mutate_text(rng, handle.read(), TOKENS)
        work = tmp_path / f"s{case}"
        work.mkdir()
        for common in os.listdir(os.path.dirname(source)):
            if common.endswith("_common.wk"):
                shutil.copy(os.path.join(os.path.dirname(source), common), work / common)
        path = work / os.path.basename(source)
        path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        command = rng.choice([["check", str(path)], ["layout", str(path)],
                              ["generate", str(path), "-o", str(out)],
                              ["check", "--against", source, str(path)]])
        status, message, _ = run_in_process(command)
        if status == 1 and command[0] != "check":
            assert "error" in message, message


def test_schema_bytes_that_are_not_utf8(tmp_path):
    path = tmp_path / "s.wk"
    path.write_bytes(b"package a;\nschema_id 1;\nversion 1;\nmessage M = 1 { x: u8; }\n// \xff\xfe\n")
    for command in (["check"], ["layout"], ["generate", "-o", str(tmp_path)]):
        assert run_subprocess(command + [str(path)] if command[0] != "generate" else
                              ["generate", str(path), "-o", str(tmp_path)]) in (0, 1)


# --- Bytes and JSON ---

def valid_lines(rng: random.Random, schema, count: int) -> list[str]:
    generator = Generator(rng)
    return [json.dumps({m.name: generator.fields(m.fields)}, ensure_ascii=False)
            for m in (rng.choice(schema.messages) for _ in range(count))]


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        kind = rng.random()
        at = rng.randrange(len(data) + 1)
        if kind < 0.3 and data:
            data[min(at, len(data) - 1)] = rng.choice([0, 0xFF, 0x7F, 0x80, rng.getrandbits(8)])
        elif kind < 0.5:
            del data[at:at + rng.randint(1, 8)]
        elif kind < 0.7:
            data[at:at] = rng.randbytes(rng.randint(1, 8))
        elif kind < 0.85 and len(data) > 4:
            at = min(at, len(data) - 4)
            data[at:at + 4] = struct.pack("<I", rng.choice([0xFFFFFFFF, 0x7FFFFFFF, 0x10000, 255]))
        else:
            data = data[:at]
    return bytes(data)


JSON_VALUES = [None, True, 0, -1, 2 ** 64, -(2 ** 63) - 1, 1.5, 1e308, "NaN", "Infinity", "", "x" * 300,
               "é𝄞", [], [1, 2], {}, {"a": 1}, "AAAA", "!!not base64", [[[]]], 10 ** 30]


def mutate_json(rng: random.Random, value):
    """A copy of value with one leaf, key or list changed."""
    if isinstance(value, dict) and value and rng.random() < 0.8:
        key = rng.choice(list(value))
        copy = dict(value)
        kind = rng.random()
        if kind < 0.1:
            del copy[key]
        elif kind < 0.2:
            copy[key + "x"] = copy.pop(key)
        else:
            copy[key] = mutate_json(rng, value[key])
        return copy
    if isinstance(value, list) and value and rng.random() < 0.8:
        copy = list(value)
        i = rng.randrange(len(copy))
        if rng.random() < 0.2:
            copy += copy * rng.randint(1, 300)
        else:
            copy[i] = mutate_json(rng, copy[i])
        return copy
    return rng.choice(JSON_VALUES)


@pytest.mark.parametrize("schema_path", SCHEMAS, ids=os.path.basename)
def test_mutated_bytes_and_json_against_encode_decode(schema_path):
    schema = load_schema(schema_path)
    name = os.path.basename(schema_path)
    rng = random.Random(f"11:{name}")
    lines = valid_lines(rng, schema, 30)
    binary = encode_json_lines(schema, lines)
    accepted = []
    for _ in budget_of(BUDGET / len(SCHEMAS)):
        # Bytes: decode either fails with its error or gives JSON that encodes
        # back to bytes that decode to the same JSON.
        data = mutate_bytes(rng, binary[:rng.randint(0, len(binary))] if rng.random() < 0.3 else binary)
        status, message, out = run_in_process(["decode", schema_path], data)
        if status == 0:
            status, message, again = run_in_process(["encode", schema_path], out)
            assert status == 0, f"the JSON that decode printed does not encode: {message}"
            assert run_in_process(["decode", schema_path], again)[2] == out
        else:
            assert message.startswith("wirekit: error: ") and message.count("\n") == 1, message
        # JSON: text mutations and value mutations.
        line = rng.choice(lines)
        if rng.random() < 0.5:
            text = mutate_text(rng, line, ['"', "{", "}", "[", "]", ",", ":", "null", "1e999", "-", "\\u", "\ud800"])
            data = text.encode("utf-8", errors="surrogatepass")
        else:
            data = json.dumps(mutate_json(rng, json.loads(line)), ensure_ascii=rng.random() < 0.5).encode()
        if rng.random() < 0.1:
            data = data[:rng.randrange(len(data) + 1)] + rng.randbytes(3)
        status, message, out = run_in_process(["encode", schema_path], data + b"\n")
        if status == 0:
            accepted.append(out)
            assert run_in_process(["decode", schema_path], out)[0] == 0
        else:
            assert message.startswith("wirekit: error: line 1: ") and message.count("\n") == 1, message
    crosscheck(schema, name, accepted + split_messages(schema, binary))


def budget_of(seconds: float):
    start = time.monotonic()
    count = 0
    while count < 10 or time.monotonic() - start < seconds:
        yield count
        count += 1


def split_messages(schema, binary: bytes) -> list[bytes]:
    messages, pos = [], 0
    while pos < len(binary):
        _, length = decode_message(schema, binary[pos:])
        messages.append(binary[pos:pos + length])
        pos += length
    return messages


def crosscheck(schema, name: str, messages: list[bytes]) -> None:
    """The C++ decoders (codec_crosscheck, when CTest names it) against Python's,
    on the messages and damaged copies of them: the same JSON or the same error."""
    program = os.environ.get("WIREKIT_CROSSCHECK")
    if not program:
        return
    rng = random.Random(f"cross:{name}")
    records = []
    for message in messages:
        records.append(message)
        records.append(mutate_bytes(rng, message))
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"wirekit-cli-fuzz-{os.getpid()}-{name}.records")
    with open(path, "wb") as handle:
        for data in records:
            handle.write(struct.pack("<I", len(data)) + data)
    try:
        result = subprocess.run([program, name, path], capture_output=True, timeout=60)
    finally:
        os.unlink(path)
    assert result.returncode == 0, result.stderr
    output = result.stdout.decode("utf-8").split("\n")
    for k, data in enumerate(records):
        try:
            text, length = decode_message(schema, data)
            assert output[k].startswith(f"ok {length} ") and output[k].endswith(" " + text), (data.hex(), output[k], text)
        except WireError as error:
            assert output[k] == f"error {error}", (data.hex(), output[k], str(error))


def test_the_real_executable_on_a_sample():
    """The same kinds of input through `wirekit` itself: exit codes and stderr
    as a user sees them (a sample: each run starts Python)."""
    rng = random.Random(12)
    schema_path = os.path.join(REPO, "schemas", "examples", "trading.wk")
    schema = load_schema(schema_path)
    binary = encode_json_lines(schema, valid_lines(rng, schema, 5))
    for _ in range(4):
        run_subprocess(["decode", schema_path], mutate_bytes(rng, binary))
        run_subprocess(["encode", schema_path], mutate_bytes(rng, b'{"Heartbeat":{"sentAt":1}}\n'))
    assert run_subprocess(["encode", schema_path], b"[" * 100_000 + b"\n") == 1
    assert run_subprocess(["decode"]) == 2
    assert run_subprocess(["encode", "/nonexistent.wk"]) in (1, 2)


# --- SBE XML schemas ---

SBE_DIR = os.path.join(REPO, "schemas", "sbe")
SBE_FILES = sorted(n for n in os.listdir(SBE_DIR) if n.endswith(".xml"))
# An included fragment is fuzzed through the schema that includes it.
SBE_INCLUDED_BY = {"md_common.xml": "md_incremental.xml"}
SBE_BUDGET = 12.0
XML_TOKENS = ["<", ">", "/>", "</", "\"", "'", "=", "&", "&amp;", "&#0;", "&#x110000;", "<![CDATA[", "]]>",
              "<!--", "-->", "<?xml version=\"1.0\"?>", "xmlns=\"\"", "sbe:", "xi:", "é", "\U0001d11e", "\x00",
              "<type name=\"t\" primitiveType=\"uint8\"/>", "<field name=\"f\" id=\"99\" type=\"uint8\"/>",
              "<group name=\"g\" id=\"98\">", "</group>", "<data name=\"d\" id=\"97\" type=\"varBlob\"/>",
              "<composite name=\"c\">", "</composite>", "<enum name=\"e\" encodingType=\"uint8\">", "</enum>",
              "<validValue name=\"v\">1</validValue>", "<choice name=\"c\">0</choice>"]
# Attributes whose value is a number that the layout depends on.
XML_NUMBER = re.compile(r'\b(offset|blockLength|length|sinceVersion|id|version|deprecated|maxValue|minValue|'
                        r'nullValue|headerType|semanticVersion)="[^"]*"')
XML_NUMBERS = ["0", "-1", "-2147483649", "1", "7", "65535", "65536", "4294967296", "18446744073709551616",
               "9" * 30, "", " 1", "1.5", "0x10", "1e3"]
XML_ELEMENT = re.compile(r"<(?![?!/])[^<>]*/>|<(\w[\w:.-]*)[^<>]*(?<!/)>.*?</\1>", re.S)
XML_ATTRIBUTE = re.compile(r'\s[\w:.-]+="[^"]*"')
XML_ROOT = re.compile(r"<(\w+:)?messageSchema\b[^>]*>")
XINCLUDE = '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{}"/>'
XINCLUDE_HREFS = ["{self}", "missing.xml", "/etc/passwd", "file:///etc/passwd", "http://127.0.0.1:1/x.xml",
                  "../sbe/{self}", "loop.xml", "", "\\\\server\\x.xml", "md_common.xml#xpointer(/)"]
XML_PROLOGUES = ['<!DOCTYPE messageSchema [<!ENTITY e "x">]>',
                 '<!DOCTYPE messageSchema SYSTEM "/etc/passwd">',
                 '<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
                 '<!ENTITY e SYSTEM "file:///etc/passwd">', "<?xml-stylesheet href=\"x\"?>"]


def mutate_xml(rng: random.Random, text: str, name: str) -> str:
    """Structure-level damage to an SBE XML schema: elements and attributes
    dropped, duplicated or swapped, numbers the layout depends on made 0,
    negative or huge, namespaces changed, XIncludes and DTDs added."""
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(9)
        elements = list(XML_ELEMENT.finditer(text))
        attributes = list(XML_ATTRIBUTE.finditer(text))
        if kind == 0 and elements:  # drop an element
            match = rng.choice(elements)
            text = text[:match.start()] + text[match.end():]
        elif kind == 1 and elements:  # duplicate one, here or elsewhere
            match, where = rng.choice(elements), rng.choice(elements)
            at = rng.choice([match.end(), where.start()])
            text = text[:at] + match.group() + text[at:]
        elif kind == 2 and len(elements) > 1:  # swap two that do not overlap
            a, b = sorted(rng.sample(elements, 2), key=lambda m: m.start())
            if a.end() <= b.start():
                text = text[:a.start()] + b.group() + text[a.end():b.start()] + a.group() + text[b.end():]
        elif kind == 3 and attributes:  # drop, duplicate or move an attribute
            match = rng.choice(attributes)
            action = rng.randrange(3)
            if action == 0:
                text = text[:match.start()] + text[match.end():]
            elif action == 1:
                text = text[:match.end()] + match.group() + text[match.end():]
            else:
                other = rng.choice(attributes)
                text = text[:other.end()] + match.group() + text[other.end():]
        elif kind == 4 and len(attributes) > 1:  # swap two attributes' values
            a, b = sorted(rng.sample(attributes, 2), key=lambda m: m.start())
            name_a, value_a = a.group().split("=", 1)
            name_b, value_b = b.group().split("=", 1)
            text = (text[:a.start()] + f"{name_a}={value_b}" + text[a.end():b.start()] + f"{name_b}={value_a}"
                    + text[b.end():])
        elif kind == 5:  # a number the layout depends on
            numbers = list(XML_NUMBER.finditer(text))
            if numbers:
                match = rng.choice(numbers)
                text = text[:match.start()] + f'{match.group(1)}="{rng.choice(XML_NUMBERS)}"' + text[match.end():]
            else:
                text = text.replace("<field ", f'<field offset="{rng.choice(XML_NUMBERS)}" ', 1)
        elif kind == 6:  # wrong or missing namespaces
            text = re.sub(r'xmlns:(\w+)="[^"]*"', lambda m: rng.choice(
                [f'xmlns:{m.group(1)}="http://example.com/not-sbe"', 'xmlns=""', m.group(),
                 f'xmlns:{m.group(1)}="http://www.w3.org/2003/XInclude"', f'xmlns:{m.group(1)}=""']), text)
            if rng.random() < 0.3:
                text = text.replace("sbe:", rng.choice(["", "xi:", "nope:"]))
        elif kind == 7:  # an XInclude after the root's start tag
            href = rng.choice(XINCLUDE_HREFS).format(self=name)
            root = XML_ROOT.search(text)
            at = root.end() if root else rng.randrange(len(text) + 1)
            text = text[:at] + XINCLUDE.format(href) + text[at:]
        elif kind == 8:  # a DTD, entity declaration or processing instruction
            prologue = rng.choice(XML_PROLOGUES)
            at = text.find("?>") + 2 if text.startswith("<?xml") and rng.random() < 0.8 else 0
            text = text[:at] + prologue + text[at:]
            if "ENTITY e" in prologue:
                text = text.replace('description="', 'description="&e;', 1)
            elif "ENTITY b" in prologue:
                text = text.replace('description="', 'description="&b;', 1)
    return text


def wire_layout(path: str) -> list[list[str]]:
    """`wirekit layout` less what is not the wire: the line naming the file, the
    names of type aliases and the note saying an offset is written out (a .wk
    converted to XML names its aliases after their primitives and writes every
    offset)."""
    status, message, out = run_in_process(["layout", path])
    assert status == 0, message
    text = re.sub(r" \([\w.]+\)|(, )?@offset(, )?", "", out.decode("utf-8").split("\n", 1)[1])
    return [line.split() for line in text.split("\n")]


def convert_keeps_the_wire(work, xml_path: str) -> None:
    """A schema check accepts converts to .wk and that back to XML, and
    all three have the same layout."""
    wire = wire_layout(xml_path)
    wk = str(work / "converted.wk")
    status, message, _ = run_in_process(["convert", xml_path, "-o", wk])
    assert status == 0, message
    assert wire_layout(wk) == wire, (xml_path, wk)
    back = str(work / "converted.back.xml")
    status, message, _ = run_in_process(["convert", wk, "-o", back])
    if status == 0:  # a .wk may say what SBE XML cannot (an error, not a different wire)
        assert wire_layout(back) == wire, (wk, back)


def test_mutated_sbe_xml_against_every_command(tmp_path):
    rng = random.Random(13)
    counts = {"cases": 0, "accepted": 0}
    start = time.monotonic()
    case = 0
    while case < 40 or time.monotonic() - start < SBE_BUDGET:
        source = rng.choice(SBE_FILES)
        with open(os.path.join(SBE_DIR, source), "rb") as handle:
            data = handle.read()
        kind = rng.random()
        if kind < 0.5:
            data = mutate_xml(rng, data.decode("utf-8"), source).encode("utf-8", errors="surrogatepass")
        elif kind < 0.7:
            data = mutate_text(rng, data.decode("utf-8"), XML_TOKENS).encode("utf-8", errors="surrogatepass")
        elif kind < 0.9:
            data = mutate_bytes(rng, data)
        else:  # not UTF-8: Latin-1 text, a lone byte, a UTF-16 file
            data = rng.choice([data.replace("é".encode(), b"\xe9") + b"<!-- \xe9 -->",
                               data[:len(data) // 2] + b"\xff\xfe\x80" + data[len(data) // 2:],
                               data.decode("utf-8").encode("utf-16")])
        work = tmp_path / f"x{case}"
        work.mkdir()
        for name in SBE_FILES:
            shutil.copy(os.path.join(SBE_DIR, name), work / name)
        (work / source).write_bytes(data)
        (work / "loop.xml").write_text(f"<types>{XINCLUDE.format('loop.xml')}</types>", encoding="utf-8")
        path = str(work / SBE_INCLUDED_BY.get(source, source))
        status, message, _ = run_in_process(["check", path])
        counts["cases"] += 1
        if status == 0:
            counts["accepted"] += 1
            convert_keeps_the_wire(work, path)
        command = rng.choice([["layout", path], ["convert", path, "-o", str(work / "out.wk")],
                              *(["generate", "--lang", lang, path, "-o", str(work / "out")]
                                for lang in ("cpp", "ts", "wireshark"))])
        other, message, _ = run_in_process(command)
        assert other == status or command[0] == "generate" and other == 1, (command, status, other, message)
        if status != 0:
            assert "error" in message, message
        case += 1
    print(f"SBE XML: {counts['cases']} mutated schemas, {counts['accepted']} accepted by check")


def test_mutated_sbe_xml_through_the_real_executable(tmp_path):
    """A sample through `wirekit` itself, as a user runs it."""
    rng = random.Random(14)
    for name in SBE_FILES:
        shutil.copy(os.path.join(SBE_DIR, name), tmp_path / name)
    for case in range(4):
        source = SBE_FILES[case % len(SBE_FILES)]
        with open(os.path.join(SBE_DIR, source), encoding="utf-8") as handle:
            text = handle.read()
        path = tmp_path / f"m{case}.xml"
        path.write_bytes(mutate_xml(rng, text, path.name).encode("utf-8"))
        run_subprocess(["check", str(path)])
        run_subprocess(["convert", str(path), "-o", str(tmp_path / f"m{case}.wk")])


# --- Captures (decode --pcap) ---

CAPTURE_BUDGET = 6.0


def _captures(rng: random.Random, tmp_path) -> list[tuple[str, str, bytes, list[tuple[int, bytes]]]]:
    """Valid captures as (framing, schema, file bytes, packets): trading.wk's
    messages in cme-mdp3 datagrams, and md_incremental.xml's in SOFH over a
    TCP connection cut into segments."""
    import packet_builder as pb
    from wirekit_codegen.capture import libpcap

    out = []
    for framing, schema_path in (("cme-mdp3", SCHEMAS[[os.path.basename(s) for s in SCHEMAS].index("trading.wk")]),
                                 ("sofh", os.path.join(SBE_DIR, "md_incremental.xml"))):
        schema = load_schema(schema_path)
        messages = [encode_json_lines(schema, [line]) for line in valid_lines(rng, schema, 12)]
        if framing == "sofh":
            stream = b"".join(pb.framed("sofh", m) for m in messages)
            cuts = sorted({0, len(stream), *(rng.randrange(1, len(stream)) for _ in range(8))})
            packets = [pb.tcp_packet("10.0.0.1", "10.0.0.2", 5000, 9000, 99, pb.SYN)]
            packets += [pb.tcp_packet("10.0.0.1", "10.0.0.2", 5000, 9000, 100 + a, pb.PSH, stream[a:b])
                        for a, b in zip(cuts, cuts[1:])]
        else:
            packets = [pb.udp_packet("10.0.0.1", "239.0.0.1", 5000, 14310, pb.datagram(framing, messages[i:i + 3], i))
                       for i in range(0, len(messages), 3)]
        path = tmp_path / f"valid-{framing}.pcap"
        with libpcap.Writer(str(path)) as writer:
            for i, packet in enumerate(packets):
                writer.write(1_796_496_650_000_000_000 + i, packet)
        out.append((framing, schema_path, path.read_bytes(), packets))
    return out


def test_mutated_captures_against_decode_pcap(tmp_path):
    """Captures damaged as files (libpcap's headers, records cut short or
    garbled) and inside packets (link, IP, UDP, TCP headers, the framing, the
    messages): `decode --pcap` prints a line per message it decoded, then at
    most one error line of its own, never a traceback. (A damaged message
    that decodes, e.g. as an older version, need not encode back at the
    schema's version: encode/decode round trips are the bytes test's.)"""
    from wirekit_codegen.capture import libpcap

    try:
        libpcap.library()
    except libpcap.LibpcapMissing as missing:
        pytest.skip(str(missing))
    rng = random.Random(15)
    captures = _captures(rng, tmp_path)
    counts = {"cases": 0, "decoded": 0}
    path = tmp_path / "mutated.pcap"
    for case in budget_of(CAPTURE_BUDGET):
        framing, schema_path, data, packets = rng.choice(captures)
        if rng.random() < 0.4:
            path.write_bytes(mutate_bytes(rng, data))
        else:
            damaged = list(packets)
            k = rng.randrange(len(damaged))
            damaged[k] = mutate_bytes(rng, damaged[k])
            with libpcap.Writer(str(path)) as writer:
                for i, packet in enumerate(damaged):
                    writer.write(1_796_496_650_000_000_000 + i, packet)
        status, message, out = run_in_process(["decode", "--pcap", str(path), "--framing", framing, schema_path])
        counts["cases"] += 1
        assert status in (0, 1), message
        if status == 1:
            error = message.strip().split("\n")[-1]
            assert error.startswith(f"wirekit: error: {path}: ") and "Traceback" not in message, message
        for line in out.decode("utf-8").split("\n")[:-1]:
            decoded = json.loads(line)
            assert list(decoded)[:3] == ["packet", "time", "proto"] and list(decoded)[-1] == "message", line
        counts["decoded"] += status == 0
    print(f"captures: {counts['cases']} mutated, {counts['decoded']} decoded whole")
    # A sample through `wirekit` itself.
    framing, schema_path, data, _ = captures[0]
    for _ in range(2):
        path.write_bytes(mutate_bytes(rng, data))
        assert run_subprocess(["decode", "--pcap", str(path), "--framing", framing, schema_path]) in (0, 1)
