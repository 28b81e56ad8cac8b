# SPDX-License-Identifier: Apache-2.0
import os
import sys

import pytest

CODEGEN = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(CODEGEN)
sys.path.insert(0, CODEGEN)


@pytest.fixture
def write_schema(tmp_path):
    """Writes files into a temporary directory; returns the path of the first."""

    def write(text: str, name: str = "s.wk", **others: str) -> str:
        for other, content in others.items():
            (tmp_path / other.replace("__", ".")).write_text(content)
        path = tmp_path / name
        path.write_text(text)
        return str(path)

    return write
