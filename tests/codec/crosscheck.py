#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Cross-checks the generated C++ of one schema against the `wirekit` CLI.

1. Makes --count random messages of the schema as JSON Lines (every field kind,
   random values at the edges of their types, random text and bytes).
2. `wirekit encode` turns them into binary; `wirekit decode` prints them back.
3. The C++ program (crosscheck_main.cpp) decodes each message with the
   generated code: fmt::format("{}", decoder) must equal the `wirekit decode`
   line, and the message copied through the generated encoder must be the very
   bytes `wirekit encode` wrote.
4. Damaged copies (every truncation of some messages, random byte changes,
   huge counts and lengths) must give the same result in C++ as in Python's
   decoder: the same JSON, or the same DecodeError text. Run under ASan this
   also shows that decoding never reads outside its view.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "codegen"))

from wirekit_codegen.compiler import load_schema  # noqa: E402
from wirekit_codegen.model.types import (  # noqa: E402
    ArrayType, EnumType, FlagsType, Primitive, StructType, f32,
)
from wirekit_codegen.wire.codec import WireError, decode_message  # noqa: E402


class Generator:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def integer(self, prim: Primitive) -> int:
        r = self.rng.random()
        if r < 0.15:
            return prim.min
        if r < 0.3:
            return prim.max
        if r < 0.45:
            return self.rng.randint(max(prim.min, -3), min(prim.max, 3))
        return self.rng.randint(prim.min, prim.max)

    def floating(self, prim: Primitive):
        r = self.rng.random()
        if r < 0.05:
            return self.rng.choice(["NaN", "Infinity", "-Infinity"])
        if r < 0.15:
            return self.rng.choice([0, 1, -1, 0.1, 35.9, 1e21, 1e-7, 1.5e-7, 123456.789, 5e-324])
        if prim.name == "f32":
            bits = self.rng.getrandbits(32)
            value = struct.unpack("<f", struct.pack("<I", bits))[0]
        else:
            bits = self.rng.getrandbits(64)
            value = struct.unpack("<d", struct.pack("<Q", bits))[0]
        if value != value or value in (float("inf"), float("-inf")):
            return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
        return value if value != 0 else 0  # -0 prints as 0, as in JavaScript


    def text(self, max_bytes: int) -> str:
        alphabet = ["a", "Z", "0", " ", '"', "\\", "\n", "\t", "\x01", "\x7f", "é", "€", "𝄞", "中"]
        out, used = [], 0
        for _ in range(self.rng.randint(0, 12)):
            ch = self.rng.choice(alphabet)
            n = len(ch.encode("utf-8"))
            if used + n > max_bytes:
                break
            out.append(ch)
            used += n
        return "".join(out)

    def latin1(self, n: int) -> str:
        length = self.rng.randint(0, n)
        chars = [chr(self.rng.choice([self.rng.randint(1, 255), ord("A"), ord("z"), ord('"')])) for _ in range(length)]
        if chars and self.rng.random() < 0.2:
            chars[self.rng.randrange(len(chars))] = "\0"  # an embedded NUL
        return "".join(chars).rstrip("\0")

    def value(self, t):
        if isinstance(t, EnumType):
            if self.rng.random() < 0.85 or t.underlying.name == "char":
                return self.rng.choice(t.members).name
            while True:
                raw = self.integer(t.underlying)
                if t.by_value(raw) is None:
                    return raw
        if isinstance(t, FlagsType):
            names = [m.name for m in t.members if self.rng.random() < 0.5]
            if self.rng.random() < 0.2:
                free = [b for b in range(8 * t.underlying.width) if b not in {m.value for m in t.members}]
                if free:
                    names.append(self.rng.choice(free))
            order = {m.name: m.value for m in t.members}
            return sorted(names, key=lambda n: order.get(n, n) if isinstance(n, str) else n)
        if isinstance(t, StructType):
            return self.fields(t.fields)
        if isinstance(t, ArrayType):
            if t.is_text:
                return self.latin1(t.length)
            return [self.value(t.element) for _ in range(t.length)]
        if t.name == "bool":
            return self.rng.random() < 0.5
        if t.name == "char":
            return self.rng.choice(["", "A", "~", '"', "\u00e9"])
        if t.is_float:
            return self.floating(t)
        return self.integer(t)

    def optional(self, f):
        if self.rng.random() < 0.3:
            return None
        for _ in range(100):
            v = self.value(f.type)
            prim = f.type.underlying if isinstance(f.type, EnumType) else f.type
            if isinstance(v, str) and isinstance(f.type, EnumType):
                raw = f.type.member(v).value
            elif prim.name == "char" and isinstance(v, str):
                raw = ord(v) if v else 0
            else:
                raw = v
            if prim.is_float and v == "NaN":
                continue
            if prim.name != "bool" and not prim.is_float and raw == f.null_value:
                continue
            return v
        return None

    def fields(self, fields) -> dict:
        out = {}
        for f in fields:
            if f.kind == "const":
                continue
            if f.kind == "optional":
                out[f.name] = self.optional(f)
            elif f.kind == "fixed":
                out[f.name] = self.value(f.type)
            elif f.kind == "group":
                limit = min(3, f.max if f.max is not None else 3)
                out[f.name] = [self.fields(f.fields) for _ in range(self.rng.randint(0, limit))]
            elif f.kind == "string":
                limit = f.max if f.max is not None else f.length_type.max
                out[f.name] = self.text(min(limit, 40))
            else:
                limit = f.max if f.max is not None else f.length_type.max
                n = self.rng.randint(0, min(limit, 20))
                out[f.name] = base64.b64encode(bytes(self.rng.getrandbits(8) for _ in range(n))).decode()
        return out


def run(command, data=None) -> bytes:
    result = subprocess.run(command, input=data, capture_output=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr.decode(errors='replace')}")
    return result.stdout


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schema", required=True)
    parser.add_argument("--program", required=True)
    parser.add_argument("--wirekit", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    schema = load_schema(args.schema)
    name = os.path.basename(args.schema)
    os.makedirs(args.work, exist_ok=True)
    rng = random.Random(f"{args.seed}:{name}")
    generator = Generator(rng)
    if not schema.messages:
        print(f"{name}: no messages")
        return 0

    lines = []
    for _ in range(args.count):
        message = rng.choice(schema.messages)
        lines.append(json.dumps({message.name: generator.fields(message.fields)}, ensure_ascii=False))
    jsonl = ("\n".join(lines) + "\n").encode("utf-8")
    binary = run([args.wirekit, "encode", args.schema], jsonl)
    # split("\n"), not splitlines(): char text may hold U+0085 or U+2028, which are no line ends in JSON Lines.
    decoded = run([args.wirekit, "decode", args.schema], binary).decode("utf-8").split("\n")[:-1]
    if len(decoded) != len(lines):
        sys.exit(f"wirekit decode gave {len(decoded)} lines for {len(lines)} messages")
    # `wirekit encode` of what `wirekit decode` printed gives the same bytes back.
    again = run([args.wirekit, "encode", args.schema], ("\n".join(decoded) + "\n").encode("utf-8"))
    if again != binary:
        sys.exit("wirekit encode of wirekit decode's output differs from the first encoding")

    messages = []
    pos = 0
    for _ in decoded:
        _, length = decode_message(schema, binary[pos:])
        messages.append(binary[pos: pos + length])
        pos += length

    records = [(m, "pristine", i) for i, m in enumerate(messages)]
    for i, m in enumerate(messages):
        cuts = range(len(m)) if i < 10 else rng.sample(range(len(m)), min(len(m), 8))
        records += [(m[:n], f"truncated to {n}", i) for n in cuts]
        for _ in range(6):
            damaged = bytearray(m)
            for _ in range(rng.randint(1, 3)):
                at = rng.randrange(len(damaged))
                damaged[at] = rng.choice([0, 0xFF, rng.getrandbits(8)])
            records.append((bytes(damaged), "bytes changed", i))
        if len(m) > 12:
            damaged = bytearray(m)
            at = rng.randrange(8, len(m) - 3)
            damaged[at: at + 4] = b"\xff\xff\xff\x7f"
            records.append((bytes(damaged), "huge value", i))
        records.append((m + bytes(rng.getrandbits(8) for _ in range(5)), "trailing bytes", i))

    path = os.path.join(args.work, name + ".records")
    with open(path, "wb") as handle:
        for data, _, _ in records:
            handle.write(struct.pack("<I", len(data)) + data)
    output = run([args.program, name, path]).decode("utf-8").split("\n")

    failures = []
    for k, (data, what, i) in enumerate(records):
        got = output[k] if k < len(output) else "<missing>"
        try:
            text, length = decode_message(schema, data)
            expected_prefix = f"ok {length} "
            if not got.startswith(expected_prefix) or not got.endswith(" " + text):
                failures.append(f"record {k} (message {i}, {what}):\n  C++:    {got}\n  Python: ok {length} {text}")
            elif what == "pristine":
                if got != f"ok {length} {data.hex()} {text}":
                    failures.append(f"message {i}: the C++ encoder wrote other bytes\n  C++:    {got.split()[2]}\n  wirekit encode: {data.hex()}")
                if text != decoded[i]:
                    failures.append(f"message {i}: fmt::format differs from wirekit decode\n  C++:    {text}\n  wirekit decode: {decoded[i]}")
        except WireError as error:
            if got != f"error {error}":
                failures.append(f"record {k} (message {i}, {what}):\n  C++:    {got}\n  Python: error {error}")
    errors = sum(1 for line in output if line.startswith("error "))
    print(f"{name}: {len(messages)} random messages, {len(records)} records ({errors} rejected): "
          f"{'OK' if not failures else f'{len(failures)} mismatches'}")
    for failure in failures[:10]:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
