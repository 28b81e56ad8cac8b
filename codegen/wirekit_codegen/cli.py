"""The `wirekit` command line."""

from __future__ import annotations

import argparse
import os
import sys

from .compiler import load_schema
from .emit import BACK_ENDS
from .syntax.diagnostics import Diagnostics, SchemaError


def _load(path: str) -> tuple[object, Diagnostics]:
    d = Diagnostics()
    schema = load_schema(path, d)
    return schema, d


def _own_files() -> list[str]:
    """The compiler's own sources and templates: a generated header depends on them."""
    root = os.path.dirname(os.path.abspath(__file__))
    result = []
    for directory, _, names in os.walk(root):
        for name in names:
            if name.endswith((".py", ".j2")):
                result.append(os.path.join(directory, name))
    return sorted(result)


def _depfile_escape(path: str) -> str:
    return path.replace("\\", "/").replace(" ", "\\ ").replace("#", "\\#").replace("$", "$$")


def cmd_generate(args) -> int:
    from .emit import back_end

    schema, d = _load(args.schema)
    _print_warnings(d)
    files = back_end(args.lang)(schema, args.schema, {"transcoder": args.transcoder, "ports": args.ports})
    os.makedirs(args.output, exist_ok=True)
    targets = []
    for output in files:
        target = os.path.join(args.output, output.name)
        _write_if_changed(target, output.text)
        targets.append(target)
    if args.depfile:
        deps = [os.path.abspath(p) for p in schema.files] + _own_files()
        with open(args.depfile, "w", encoding="utf-8") as handle:
            handle.write(" ".join(_depfile_escape(os.path.abspath(t)) for t in targets) + ": "
                         + " \\\n  ".join(_depfile_escape(p) for p in deps) + "\n")
    return 0


def _write_if_changed(target: str, text: str) -> None:
    """Only rewrites a file whose text changed, so that builds stay incremental."""
    try:
        with open(target, encoding="utf-8") as handle:
            unchanged = handle.read() == text
    except OSError:
        unchanged = False
    if not unchanged:
        with open(target, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    else:
        os.utime(target)


def cmd_check(args) -> int:
    if args.against:
        from .compat import compare

        old_path, new_path = args.against, args.schema
        old, _ = _load(old_path)
        new, d = _load(new_path)
        _print_warnings(d)
        report = compare(old, new)
        if report.items:
            print(report.render(), file=sys.stderr)
        return 1 if report.has_errors else 0
    _, d = _load(args.schema)
    _print_warnings(d)
    return 0


def cmd_layout(args) -> int:
    from .layout.table import layout_text

    schema, d = _load(args.schema)
    _print_warnings(d)
    if args.message and schema.message(args.message) is None:
        print(f"wirekit: error: no message `{args.message}` in {args.schema}", file=sys.stderr)
        return 1
    sys.stdout.write(layout_text(schema, args.message))
    return 0


def cmd_encode(args) -> int:
    from .wire.codec import WireError, encode_json_lines

    schema, d = _load(args.schema)
    _print_warnings(d)
    source = open(args.input, encoding="utf-8") if args.input else sys.stdin
    try:
        data = encode_json_lines(schema, source)
    except WireError as error:
        print(f"wirekit: error: {error}", file=sys.stderr)
        return 1
    finally:
        if args.input:
            source.close()
    if args.output:
        with open(args.output, "wb") as handle:
            handle.write(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0


def cmd_decode(args) -> int:
    from .wire.codec import WireError, decode_stream

    schema, d = _load(args.schema)
    _print_warnings(d)
    if args.input:
        with open(args.input, "rb") as handle:
            data = handle.read()
    else:
        data = sys.stdin.buffer.read()
    out = sys.stdout
    try:
        for line in decode_stream(schema, data):
            out.write(line + "\n")
    except WireError as error:
        out.flush()
        print(f"wirekit: error: {error}", file=sys.stderr)
        return 1
    return 0


def _print_warnings(d: Diagnostics) -> None:
    for diagnostic in d.sorted():
        print(diagnostic.render(), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wirekit", description="The wirekit schema compiler.")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("generate", help="generate the codec of a schema (C++ by default)")
    p.add_argument("schema")
    p.add_argument("--lang", default="cpp", choices=sorted(BACK_ENDS), help="the language to generate (default: cpp)")
    p.add_argument("-o", "--output", required=True, help="directory for <schema>.hpp")
    p.add_argument("--depfile", help="also write a Makefile-style list of the files the header depends on")
    p.add_argument("--ports", help="--lang wireshark: the TCP port range the dissector claims (default 9000)")
    p.add_argument("--transcoder", action="store_true", help=argparse.SUPPRESS)  # wirekit's own tests
    p.set_defaults(run=cmd_generate)

    p = commands.add_parser("check", help="report the errors of a schema; with --against, the changes that break compatibility")
    p.add_argument("--against", metavar="OLD", help="the previous version of the schema")
    p.add_argument("schema", help="the schema (with --against: the new version)")
    p.set_defaults(run=cmd_check)

    p = commands.add_parser("layout", help="print every field's offset, size and type")
    p.add_argument("schema")
    p.add_argument("message", nargs="?")
    p.set_defaults(run=cmd_layout)

    p = commands.add_parser("encode", help="JSON Lines in, binary messages out")
    p.add_argument("schema")
    p.add_argument("-i", "--input", help="JSON Lines file (default: standard input)")
    p.add_argument("-o", "--output", help="binary file (default: standard output)")
    p.set_defaults(run=cmd_encode)

    p = commands.add_parser("decode", help="binary messages in, JSON Lines out")
    p.add_argument("schema")
    p.add_argument("-i", "--input", help="binary file (default: standard input)")
    p.set_defaults(run=cmd_decode)

    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except SchemaError as error:
        print(str(error), file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 1
