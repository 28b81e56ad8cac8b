# SPDX-License-Identifier: Apache-2.0
"""Golden generated headers: a regression guard for the emitter (the behaviour of
the generated code is tested by tests/codec). After an intended change, update
them with:

    WIREKIT_UPDATE_GOLDEN=1 /usr/bin/python3 -m pytest codegen/tests/test_golden.py
"""

import os

import pytest

from conftest import CODEGEN, REPO
from wirekit_codegen.compiler import load_schema
from wirekit_codegen.emit.cpp import generate_header

GOLDEN = os.path.join(CODEGEN, "tests", "golden")
SCHEMAS = ["examples/car.wk", "examples/trading.wk", "test/custom_header.wk"]


@pytest.mark.parametrize("schema", SCHEMAS)
def test_golden_header(schema):
    text = generate_header(load_schema(os.path.join(REPO, "schemas", schema)))
    golden = os.path.join(GOLDEN, os.path.basename(schema) + ".hpp")
    if os.environ.get("WIREKIT_UPDATE_GOLDEN"):
        with open(golden, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    with open(golden, encoding="utf-8") as handle:
        assert text == handle.read(), f"{golden} is out of date; see this file's docstring"


def test_header_is_deterministic_and_has_a_banner():
    path = os.path.join(REPO, "schemas", "examples", "car.wk")
    first = generate_header(load_schema(path))
    assert first == generate_header(load_schema(path))
    assert first.startswith("// Generated from car.wk by the wirekit schema compiler. Do not edit.\n")
