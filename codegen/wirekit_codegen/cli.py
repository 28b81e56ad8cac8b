# SPDX-License-Identifier: Apache-2.0
"""The `wirekit` command line, after protoc's and flatc's conventions: `-I` import
directories, several schemas per call, `-` for standard input, and the exit
status 0 (done), 1 (an error in a schema, the data or a file) or 2 (the command
line itself is wrong). Whatever the input, an error is one `wirekit: error:`
line (or a schema's `file:line:col: error:` diagnostics), never a traceback."""

from __future__ import annotations

import argparse
import os
import re
import sys
import textwrap

from . import __version__
from .compiler import load_schema
from .emit import BACK_ENDS
from .model.build import decode_source
from .syntax.diagnostics import Diagnostics, SchemaError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
STDIN = "-"
STDIN_NAME = "<stdin>"  # how diagnostics name a schema read from standard input

EXIT_STATUS = """\
exit status:
  0  done
  1  an error in a schema, in the data, or in reading or writing a file
  2  a wrong command line (unknown option, missing argument)"""

IMPORTS = """\
imports:
  A relative `import "x.wk";` is looked for next to the importing file, then in
  each -I directory in the order given, then in each directory of $WIREKIT_PATH
  (separated by '%s')."""


def _help(description: str, examples: str, imports: bool = True) -> str:
    """A subcommand's man-page-style epilog: what it does, examples, imports, exit status."""
    parts = [description, "examples:\n" + examples]
    if imports:
        parts.append(IMPORTS % os.pathsep)
    parts.append(EXIT_STATUS)
    return "\n\n".join(parts)


def _import_dirs(args) -> tuple[str, ...]:
    from_env = [d for d in os.environ.get("WIREKIT_PATH", "").split(os.pathsep) if d]
    return (*args.import_dirs, *from_env)


def _load(args, path: str) -> tuple[object, Diagnostics]:
    """The schema at path (`-`: standard input); raises SchemaError."""
    d = Diagnostics()
    text = None
    if path == STDIN:
        path = STDIN_NAME
        text = decode_source(path, sys.stdin.buffer.read(), d)
        if text is None:
            raise SchemaError(d.render())
    schema = load_schema(path, d, _import_dirs(args), text)
    return schema, d


def _load_all(args, paths: list[str]) -> list[object] | None:
    """Every schema, reporting the errors of all of them; None if any has one."""
    schemas = []
    failed = False
    for path in paths:
        try:
            schema, d = _load(args, path)
        except SchemaError as error:
            print(str(error), file=sys.stderr)
            failed = True
            continue
        _print_warnings(d)
        schemas.append(schema)
    return None if failed else schemas


def _check_stdin_once(args, paths: list[str]) -> None:
    if paths.count(STDIN) > 1:
        args.parser.error("standard input (`-`) can be read only once")


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

    if STDIN in args.schemas:
        args.parser.error("generate names each output after its schema file, so it cannot read standard input (`-`)")
    if os.path.exists(args.output) and not os.path.isdir(args.output):
        print(f"wirekit: error: -o {args.output}: not a directory (generate writes its files into one)", file=sys.stderr)
        return EXIT_ERROR
    schemas = _load_all(args, args.schemas)
    if schemas is None:
        return EXIT_ERROR
    generate = back_end(args.lang)
    outputs: dict[str, tuple[str, str]] = {}  # name -> (schema path, text)
    for schema, path in zip(schemas, args.schemas):
        for output in generate(schema, path, {"transcoder": args.transcoder, "ports": args.ports}):
            # A back end may write a file every schema shares (the same text each time).
            if output.name in outputs and outputs[output.name][1] != output.text:
                print(f"wirekit: error: {outputs[output.name][0]} and {path} would both write {output.name}", file=sys.stderr)
                return EXIT_ERROR
            outputs.setdefault(output.name, (path, output.text))
    os.makedirs(args.output, exist_ok=True)
    targets = []
    for name, (_, text) in outputs.items():
        target = os.path.join(args.output, name)
        _write_if_changed(target, text)
        targets.append(target)
    if args.depfile:
        deps = sorted({os.path.abspath(p) for schema in schemas for p in schema.files}) + _own_files()
        with open(args.depfile, "w", encoding="utf-8") as handle:
            handle.write(" ".join(_depfile_escape(os.path.abspath(t)) for t in targets) + ": "
                         + " \\\n  ".join(_depfile_escape(p) for p in deps) + "\n")
    return EXIT_OK


def _write_if_changed(target: str, text: str) -> None:
    """Only rewrites a file whose text changed, so that builds stay incremental."""
    try:
        with open(target, encoding="utf-8") as handle:
            unchanged = handle.read() == text
    except (OSError, UnicodeDecodeError):
        unchanged = False
    if not unchanged:
        with open(target, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    else:
        os.utime(target)


def cmd_check(args) -> int:
    _check_stdin_once(args, args.schemas + ([args.against] if args.against else []))
    if args.against:
        from .compat import compare

        if len(args.schemas) != 1:
            args.parser.error("--against compares one new schema with its old version")
        loaded = _load_all(args, [args.against, args.schemas[0]])
        if loaded is None:
            return EXIT_ERROR
        report = compare(*loaded)
        if report.items:
            print(report.render(), file=sys.stderr)
        return EXIT_ERROR if report.has_errors else EXIT_OK
    return EXIT_ERROR if _load_all(args, args.schemas) is None else EXIT_OK


def cmd_layout(args) -> int:
    from .layout.table import layout_text

    _check_stdin_once(args, args.schemas)
    for path in args.schemas[1:]:
        if path.isidentifier() and not os.path.exists(path):
            args.parser.error(f"{path}: no such file; to show one message, use --message {path}")
    schemas = _load_all(args, args.schemas)
    if schemas is None:
        return EXIT_ERROR
    if args.message:
        schemas = [s for s in schemas if s.message(args.message) is not None]
        if not schemas:
            print(f"wirekit: error: no message `{args.message}` in {', '.join(args.schemas)}", file=sys.stderr)
            return EXIT_ERROR
    sys.stdout.write("\n".join(layout_text(schema, args.message) for schema in schemas))
    return EXIT_OK


def _standard_stream(path: str | None) -> str | None:
    """`-` and no file at all both mean standard input or output."""
    return None if path == STDIN else path


def _check_one_stdin(args) -> None:
    if args.schema == STDIN and args.input is None:
        args.parser.error("the schema and the data cannot both come from standard input; give the data with -i FILE")


def cmd_encode(args) -> int:
    from .wire.codec import WireError, encode_json_lines

    args.input, args.output = _standard_stream(args.input), _standard_stream(args.output)
    _check_one_stdin(args)
    schema, d = _load(args, args.schema)
    _print_warnings(d)
    source = open(args.input, "rb") if args.input else sys.stdin.buffer
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


# decode's options that only a capture takes: destination -> option
CAPTURE_OPTIONS = {"framing": "--framing", "templates": "--template", "since": "--since", "until": "--until",
                   "bpf": "--filter", "max_frame_length": "--max-frame-length", "max_tcp_pending": "--max-tcp-pending"}


def cmd_decode(args) -> int:
    from .wire.codec import WireError, decode_stream

    if args.pcap is not None:
        return _decode_capture(args)
    for name, option in CAPTURE_OPTIONS.items():
        if getattr(args, name) is not None:
            args.parser.error(f"{option} is an option of captures: give the capture with --pcap FILE")
    args.input, args.output = _standard_stream(args.input), _standard_stream(args.output)
    _check_one_stdin(args)
    schema, d = _load(args, args.schema)
    _print_warnings(d)
    if args.input:
        with open(args.input, "rb") as handle:
            data = handle.read()
    else:
        data = sys.stdin.buffer.read()
    out = open(args.output, "w", encoding="utf-8", newline="\n") if args.output else sys.stdout
    try:
        for line in decode_stream(schema, data):
            out.write(line + "\n")
    except WireError as error:
        out.flush()
        print(f"wirekit: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        if args.output:
            out.close()
    return EXIT_OK


def _decode_capture(args) -> int:
    """`decode --pcap`: the messages of a capture, each with its packet."""
    from .capture import decode as capture
    from .capture.framing import PRESETS
    from .capture.libpcap import CaptureError, SetupError

    if args.input is not None:
        args.parser.error("--pcap is the input: -i cannot be given with it")
    if args.pcap == STDIN and args.schema == STDIN:
        args.parser.error("the schema and the capture cannot both come from standard input")
    options = capture.Options(None, bpf=args.bpf)
    for name in ("since", "until"):
        text = getattr(args, name)
        if text is not None:
            try:
                setattr(options, f"{name}_ns", capture.parse_time(text))
            except ValueError as error:
                args.parser.error(f"--{name}: {error}")
    for name in ("max_frame_length", "max_tcp_pending"):
        if getattr(args, name) is not None:
            setattr(options, name, getattr(args, name))
    args.output = _standard_stream(args.output)
    schema, d = _load(args, args.schema)
    _print_warnings(d)
    framing = args.framing or schema.framing
    if framing is None:
        args.parser.error(f"--pcap needs --framing NAME (or a `framing` in the schema), one of: {', '.join(PRESETS)}")
    options.framing = PRESETS[framing]
    if args.templates is not None:
        names = [m.name for m in schema.messages]
        unknown = [t for t in args.templates if t not in names]
        if unknown:
            args.parser.error(f"--template {unknown[0]}: no such message in {args.schema} (its messages: {', '.join(names)})")
        options.templates = frozenset(args.templates)
    out = open(args.output, "w", encoding="utf-8", newline="\n") if args.output else sys.stdout
    try:
        for line in capture.CaptureDecoder(schema, args.pcap, options).lines():
            out.write(line + "\n")
    except CaptureError as error:
        out.flush()
        print(f"wirekit: error: {error}", file=sys.stderr)
        return EXIT_USAGE if isinstance(error, SetupError) else EXIT_ERROR
    finally:
        if args.output:
            out.close()
    return EXIT_OK


def _byte_count(text: str) -> int:
    """A positive size for argparse: 65536, 64K, 1M."""
    match = re.fullmatch(r"(\d+)([KM]?)", text.strip(), re.IGNORECASE)
    if not match or int(match[1]) == 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of bytes (65536, 64K, 1M)")
    return int(match[1]) << {"": 0, "k": 10, "m": 20}[match[2].lower()]


def cmd_convert(args) -> int:
    """SBE XML to .wk or .wk to SBE XML, by the input's suffix."""
    from .compiler import front_end
    from .sbe.convert import schema_to_xml, tree_to_wk
    from .syntax.diagnostics import SourceFile

    schema, d = _load(args, args.schema)
    if args.schema.lower().endswith(".xml"):
        with open(args.schema, encoding="utf-8") as handle:
            text = tree_to_wk(front_end(args.schema)(SourceFile(args.schema, handle.read()), Diagnostics()))
    else:
        text = schema_to_xml(schema, d)
    _print_warnings(d)
    if d.has_errors:
        return 1
    try:
        with open(args.output, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as error:
        print(f"wirekit: error: cannot write {args.output}: {error.strerror}", file=sys.stderr)
        return 1
    return 0


def _print_warnings(d: Diagnostics) -> None:
    for diagnostic in d.sorted():
        print(diagnostic.render(), file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wirekit", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="The wirekit schema compiler: C++ codecs from .wk schemas, and their\n"
                    "messages as JSON Lines from the command line.",
        epilog="`wirekit COMMAND --help` describes each command, with examples.\n\n" + EXIT_STATUS)
    parser.add_argument("-V", "--version", action="version", version=f"wirekit {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    # Options every command takes (argparse keeps a subcommand's options after its name).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-I", "--import-path", dest="import_dirs", action="append", default=[], metavar="DIR",
                        help="also look for imported schemas in DIR (repeatable; searched in order, before $WIREKIT_PATH)")

    def command(name: str, summary: str, description: str, examples: str, run) -> argparse.ArgumentParser:
        p = commands.add_parser(name, parents=[common], help=summary, description=summary + ".",
                                epilog=_help(description, examples),
                                formatter_class=argparse.RawDescriptionHelpFormatter)
        p.set_defaults(run=run, parser=p)
        return p

    p = command(
        "generate", "generate the code of schemas (C++ by default)",
        "Writes DIR/<schema file name>.hpp (e.g. car.wk.hpp) for each SCHEMA: flyweight\n"
        "encoders and decoders over wirekit::DataView. Every schema is checked before any\n"
        "file is written; a header whose text did not change is not rewritten, so builds\n"
        "stay incremental. Standard input cannot be a schema here: the output is named\n"
        "after the schema's file.",
        "  wirekit generate schemas/car.wk -o build/gen\n"
        "  wirekit generate -I shared/schemas trading.wk md.wk -o gen --depfile gen/all.d",
        cmd_generate)
    p.add_argument("schemas", nargs="+", metavar="SCHEMA", help="a .wk schema file")
    p.add_argument("--lang", default="cpp", choices=sorted(BACK_ENDS), help="the language to generate (default: cpp)")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="the directory to write into (made if missing)")
    p.add_argument("--depfile", metavar="FILE",
                   help="also write a Makefile-style list of the files the output depends on "
                        "(the schemas, their imports, the compiler's own files)")
    p.add_argument("--ports", metavar="RANGE", help="--lang wireshark: the TCP port range the dissector claims (default 9000)")
    p.add_argument("--transcoder", action="store_true", help=argparse.SUPPRESS)  # wirekit's own tests

    p = command(
        "check", "report every error of schemas; with --against, the changes that break compatibility",
        "Prints every error of each SCHEMA at once, as `file:line:col: error: message`,\n"
        "the line and a caret; prints nothing when all are valid. With --against OLD,\n"
        "also lists each change from OLD to SCHEMA that breaks old decoders or old\n"
        "encoders (exit status 1 if any). SCHEMA `-` reads standard input.",
        "  wirekit check schemas/*.wk\n"
        "  git show HEAD:trading.wk | wirekit check --against - trading.wk",
        cmd_check)
    p.add_argument("--against", metavar="OLD", help="the previous version of the schema (`-`: standard input)")
    p.add_argument("schemas", nargs="+", metavar="SCHEMA", help="a .wk schema file (with --against: the new version); `-`: standard input")

    p = command(
        "layout", "print every field's offset, size and type",
        "Prints, for each SCHEMA, its header and each message (or only MESSAGE): offsets,\n"
        "sizes, types, null values and block lengths, then the variable-length parts.\n"
        "SCHEMA `-` reads standard input.",
        "  wirekit layout schemas/examples/trading.wk\n"
        "  wirekit layout schemas/examples/trading.wk --message NewOrder",
        cmd_layout)
    p.add_argument("schemas", nargs="+", metavar="SCHEMA", help="a .wk schema file; `-`: standard input")
    p.add_argument("-m", "--message", metavar="MESSAGE", help="only this message (of the schemas that have it)")

    def transcode_command(name, summary, description, examples, run, reads: str, writes: str) -> None:
        p = command(name, summary, description + "\n" + (
            "It takes one schema: a message's bytes carry its template id and schema id,\n"
            "not the file that defines it, so one schema must name them all."), examples, run)
        p.add_argument("schema", metavar="SCHEMA", help="the .wk schema of the messages; `-`: standard input (then give -i FILE)")
        p.add_argument("-i", "--input", metavar="FILE", help=f"{reads} (default, or `-`: standard input)")
        p.add_argument("-o", "--output", metavar="FILE", help=f"{writes} to write (default, or `-`: standard output)")
        return p

    transcode_command(
        "encode", "JSON Lines in, binary messages out",
        "Reads one message per line in the JSON form ({\"Car\":{...}}, the form decode\n"
        "prints) and writes each message's header and body, back to back. Omitted\n"
        "optional fields are null, omitted groups empty and omitted strings empty.",
        "  wirekit encode car.wk -i cars.jsonl -o cars.bin\n"
        "  echo '{\"Hello\":{\"sequence\":1,\"who\":\"me\"}}' | wirekit encode hello.wk | xxd",
        cmd_encode, reads="JSON Lines", writes="binary file")
    p = transcode_command(
        "decode", "binary messages in, JSON Lines out",
        "Reads messages back to back (header, then body) and prints each as one line of\n"
        "the JSON form, the text fmt::format(\"{}\", decoder) prints in C++. A message\n"
        "that is cut short or damaged stops the decoding with an error naming the field\n"
        "path and byte offset, after the lines of the messages before it.",
        "  wirekit decode car.wk -i cars.bin\n"
        "  wirekit encode car.wk -i cars.jsonl | wirekit decode car.wk -o cars.again.jsonl\n"
        "  wirekit decode --pcap feed.pcap --framing cme-mdp3 --template MDIncrementalRefresh md.xml",
        cmd_decode, reads="binary messages", writes="JSON Lines file")
    from .capture.decode import MAX_FRAME_LENGTH, MAX_TCP_PENDING
    from .capture.framing import PRESETS
    framings = "\n".join(f"  {f.name}\n      {textwrap.fill(f.summary, 74, subsequent_indent='      ')}"
                          for f in PRESETS.values())
    p.epilog = p.epilog.replace(EXIT_STATUS, CAPTURE_HELP + framings + "\n\n" + EXIT_STATUS)
    captures = p.add_argument_group("captures (pcap or pcapng, read by libpcap)")
    captures.add_argument("--pcap", metavar="FILE",
                          help="decode the UDP datagrams and TCP streams of this capture (`-`: standard input)")
    captures.add_argument("--framing", choices=list(PRESETS), metavar="NAME",
                          help="what surrounds the messages in each datagram or stream (below)")
    captures.add_argument("--template", dest="templates", action="append", metavar="MESSAGE",
                          help="print only this message (repeatable)")
    captures.add_argument("--since", metavar="TIME",
                          help="only packets captured at or after TIME (2026-12-05T18:50:50.5Z, UTC unless an "
                               "offset is given; or seconds since the epoch)")
    captures.add_argument("--until", metavar="TIME", help="only packets captured before TIME")
    captures.add_argument("--filter", dest="bpf", metavar="EXPR",
                          help="only packets that libpcap's filter EXPR accepts (tcpdump's language: 'udp port 14310')")
    captures.add_argument("--max-frame-length", type=_byte_count, metavar="BYTES",
                          help=f"the longest message accepted, its framing header included (default {MAX_FRAME_LENGTH >> 20}M)")
    captures.add_argument("--max-tcp-pending", type=_byte_count, metavar="BYTES",
                          help="the most bytes of one TCP direction held behind a missing segment "
                               f"(default {MAX_TCP_PENDING >> 20}M)")

    p = command(
        "convert", "convert SBE XML to .wk, or .wk to SBE XML",
        "Converts SCHEMA by its suffix: an SBE XML message schema (.xml) to the\n"
        "equivalent .wk (descriptions become comments), or a .wk schema to SBE XML with\n"
        "every offset and blockLength explicit. Either way the wire stays the same; what\n"
        "the other language cannot say is reported as a warning (docs/sbe-xml.md).",
        "  wirekit convert templates_FixBinary.xml -o mdp3.wk\n"
        "  wirekit convert trading.wk -o trading.xml",
        cmd_convert)
    p.add_argument("schema", metavar="SCHEMA", help="a .xml (SBE XML) or .wk schema")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the converted schema")
    return parser


CAPTURE_HELP = """\
captures:
  With --pcap, decode reads a capture instead: every UDP datagram and TCP stream
  (reassembled per direction, in sequence order) is cut into messages by the
  --framing, and each message prints as one line:
    {"packet":3,"time":"2026-12-05T18:50:50.123456789Z","proto":"udp","src":"10.0.0.1",
     "srcPort":5000,"dst":"239.1.1.1","dstPort":14310,"seq":7,"sendingTime":...,"message":{...}}
  packet is its number in the file (from 1; for TCP, the packet that completed the
  message), seq and sendingTime come from the framing's packet header (UDP only).
  Packets other than UDP and TCP over IPv4 or IPv6 are passed over.

framings:
"""


def _error_text(error: BaseException) -> str:
    if isinstance(error, OSError):
        reason = error.strerror or str(error)
        return f"{error.filename}: {reason}" if error.filename is not None else reason
    if isinstance(error, UnicodeDecodeError):
        return f"the input is not UTF-8 text: byte 0x{error.object[error.start]:02x} at offset {error.start}"
    return "the input nests too deeply"  # RecursionError


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except SchemaError as error:
        print(str(error), file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader left (`wirekit decode ... | head`): stop quietly, and keep
        # Python from reporting the failed flush of stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except (OSError, UnicodeDecodeError, RecursionError) as error:
        print(f"wirekit: error: {_error_text(error)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
